import type { Gap } from './resource.js';
import { terminalMessage, terminalText } from './terminal-text.js';

/**
 * A gap as one line for people: `source:line: message`, control characters escaped and the
 * message capped, so a file name or a server's message can neither forge lines nor flood them.
 */
export function gapText(gap: Gap): string {
  return `${terminalText(gap.source)}${gap.line !== undefined ? `:${gap.line}` : ''}: ${terminalMessage(gap.message)}`;
}

/** A gap as one line of stderr. */
export function gapLine(gap: Gap): string {
  return `eksguard: ${gapText(gap)}\n`;
}
