/**
 * The argument parser's own errors (unknown option, missing argument, invalid choice) in eksguard's
 * form: the same `eksguard:` prefix as every other error, and every line through the terminal
 * sanitiser, since the parser quotes what was typed (an option name may carry escape sequences).
 */
import { terminalMessage } from '../core/terminal-text.js';

export function parserError(text: string): string {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = body.split('\n').map((line) => terminalMessage(line));
  const first = lines[0] ?? '';
  lines[0] = `eksguard: ${first.startsWith('error: ') ? first.slice('error: '.length) : first}`;
  return `${lines.join('\n')}\n`;
}
