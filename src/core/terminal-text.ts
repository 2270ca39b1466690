/**
 * Text from the input (object names, file names, server and AWS messages) made safe for a
 * terminal. Control characters would let whoever wrote the input retitle the terminal (OSC),
 * hide or rewrite what was printed (`\r`, BS, CSI), or forge lines of the report (`\n`); bidi
 * overrides make a name read differently from what it is. Each is shown as an escape instead.
 */

/** Longest quoted message printed whole; a server's 1 MB Status message must not become 1 MB of stderr. */
export const MAX_TERMINAL_MESSAGE = 1000;

// C0 controls, DEL, C1 controls (8-bit CSI/OSC), the bidi embeddings/overrides and isolates, and the
// line/paragraph separators some terminals break lines at.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character shown as `\x1b`, `\x0a`, `\u202e`... One parameter only,
 * so that `.map(terminalText)` cannot pass an index for a second.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, escape);
}

/**
 * A message quoting the input or a server, for one line of stderr or of the table: cut to
 * `MAX_TERMINAL_MESSAGE` characters (with `…`) before escaping, so the printed length stays
 * bounded however long the message.
 */
export function terminalMessage(text: string): string {
  return terminalText(text.length > MAX_TERMINAL_MESSAGE ? `${text.slice(0, MAX_TERMINAL_MESSAGE)}…` : text);
}
