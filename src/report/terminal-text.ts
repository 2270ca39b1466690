/**
 * Text for a terminal: how wide a string shows, and word-wrapping to a column count.
 *
 * Written by hand because `string-width`/`wrap-ansi` are not dependencies of this package (not even
 * transitively installed) and this wave may not add packages. The width rules follow what those
 * libraries do for the text we print: SGR colour codes take no columns, combining marks and
 * zero-width characters take none, East Asian wide/fullwidth characters and emoji take two.
 */

// eslint-disable-next-line no-control-regex -- SGR escape sequences are what this matches
const SGR = /\u001b\[[0-9;]*m/g;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const EMOJI = /^\p{Extended_Pictographic}$/u;

function isWide(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0xa4cf)
    || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f)
    || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f)
    || (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd);
}

function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  const cp = ch.codePointAt(0) ?? 0;
  if (isWide(cp) || (cp > 0xffff && EMOJI.test(ch))) return 2;
  return 1;
}

/** Columns the text takes in a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(SGR, '')) width += charWidth(ch);
  return width;
}

/** Splits a word wider than `width` into pieces that fit (a long path or URL has no spaces to break at). */
function hardBreak(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const token of word.split(/(\u001b\[[0-9;]*m)/)) { // eslint-disable-line no-control-regex -- keeps colour codes whole
    if (token.startsWith('\u001b')) { piece += token; continue; }
    for (const ch of token) {
      const w = charWidth(ch);
      if (used + w > width && used > 0) { pieces.push(piece); piece = ''; used = 0; }
      piece += ch;
      used += w;
    }
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

/**
 * Word-wraps `text` so that every line, after `indent` on the first line and `hang` on the others,
 * fits in `width` columns. Colour codes may be in the text: they are measured as zero columns.
 */
export function wrap(text: string, width: number, indent: string, hang: string = indent): string[] {
  return wrapWords(text.split(' ').filter((w) => w !== ''), width, indent, hang);
}

/** Like `wrap`, for text already cut into unbreakable parts joined by `separator` (a summary line's `a · b · c`). */
export function wrapWords(words: readonly string[], width: number, indent: string, hang: string = indent, separator = ' '): string[] {
  const lines: string[] = [];
  const gap = displayWidth(separator);
  let line = indent;
  let used = displayWidth(indent);
  let empty = true;
  for (const word of words) {
    const w = displayWidth(word);
    if (!empty && used + gap + w <= width) { line += `${separator}${word}`; used += gap + w; continue; }
    if (!empty) { lines.push(`${line}${separator.trimEnd()}`); line = hang; used = displayWidth(hang); }
    const room = Math.max(1, width - Math.max(used, displayWidth(hang)));
    const pieces = w > room ? hardBreak(word, room) : [word];
    for (const [i, piece] of pieces.entries()) {
      if (i > 0) { lines.push(line); line = hang; used = displayWidth(hang); }
      line += piece;
      used += displayWidth(piece);
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
