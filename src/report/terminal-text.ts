/**
 * Text for a terminal: how wide a string shows, and word-wrapping to a column count.
 *
 * Written by hand because `string-width`/`wrap-ansi` are not dependencies of this package (not even
 * transitively installed) and this wave may not add packages. The width rules follow what those
 * libraries do for the text we print: SGR colour codes take no columns, combining marks and
 * zero-width characters take none, East Asian wide/fullwidth characters and emoji take two.
 */

import { terminalText } from '../core/terminal-text.js';

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

/** Characters a long name breaks after when it must: `Group/system:`, `kube-proxy-`, `a.b.`, `k=v,`. */
const BREAK_AFTER = new Set(['/', ':', '-', '.', '_', ',', '=', '@']);

/**
 * Splits a word wider than `width` into pieces that fit (a long path, name or URL has no spaces to
 * break at). A piece ends after the last separator in it (`ServiceAccount/kube-system:` then
 * `aws-node`) unless that leaves it under a third full, where it is cut at the width instead:
 * names read whole far more often that way, and no piece is a sliver.
 */
function hardBreak(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  // Where the current piece may end: the length of `piece` and its width just after a separator.
  let breakAt = -1;
  let breakUsed = 0;
  for (const token of word.split(/(\u001b\[[0-9;]*m)/)) { // eslint-disable-line no-control-regex -- keeps colour codes whole
    if (token.startsWith('\u001b')) { piece += token; continue; }
    for (const ch of token) {
      const w = charWidth(ch);
      if (used + w > width && used > 0) {
        if (breakAt > 0 && breakUsed * 3 >= width) {
          pieces.push(piece.slice(0, breakAt));
          piece = piece.slice(breakAt);
          used -= breakUsed;
        } else {
          pieces.push(piece);
          piece = '';
          used = 0;
        }
        breakAt = -1;
        breakUsed = 0;
      }
      piece += ch;
      used += w;
      if (BREAK_AFTER.has(ch)) { breakAt = piece.length; breakUsed = used; }
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

/**
 * Text from the input for one table line: escaped for the terminal, wrapped to `width` (`indent`
 * on the first line, `hang` under it), and styled per line after the indent, so colour never
 * runs into the margin and the columns are the same with colour on or off.
 */
export function wrapText(text: string, width: number, indent: string, hang: string = indent, style: (text: string) => string = (t) => t): string[] {
  return wrap(terminalText(text), width, indent, hang).map((line, i) => {
    const prefix = i === 0 ? indent : hang;
    return `${prefix}${style(line.slice(prefix.length))}`;
  });
}

/** Fewest columns the last column of a table keeps beside the others; narrower, it goes under its row. */
const MIN_LAST_COLUMN = 30;
/** Narrowest a middle column is squeezed to (its cells then wrap) to leave the last column room. */
const MIN_CELL = 12;

/**
 * Rows of cells in aligned columns, the last one free text, fitted to `width`: the widest of the
 * `narrow` columns are narrowed (their cells wrap within them) until the last column has room beside
 * them, and where even that is not enough the last column goes under its row, indented four.
 * Cells are escaped; `style(row, col, text)` colours a cell's text after padding.
 */
export function columns(
  rows: readonly (readonly string[])[],
  width: number,
  style: (row: number, col: number, text: string) => string = (_r, _c, t) => t,
  /** `narrow`: columns that give up width to keep the last column beside them; `squeeze`: columns that do so only when a row would not fit the line at all (default: `narrow`). */
  options: { readonly gap?: number; readonly narrow?: readonly number[]; readonly squeeze?: readonly number[] } = {},
): string[] {
  const gap = options.gap ?? 2;
  const count = Math.max(0, ...rows.map((r) => r.length));
  const safe = rows.map((r) => r.map((cell) => terminalText(cell)));
  const widths = Array.from({ length: count - 1 }, (_, col) => Math.max(0, ...safe.map((row) => displayWidth(row[col] ?? ''))));
  const lead = (): number => widths.reduce((sum, w) => sum + w + gap, 0);
  // Only the columns named in `narrow` give up width (ids and names that must read whole are not in it).
  const natural = [...widths];
  const narrowTo = (room: number, narrowable: readonly number[]): void => {
    while (width - lead() < room) {
      const candidates = narrowable.map((col) => widths[col] ?? 0);
      const widest = narrowable[candidates.indexOf(Math.max(...candidates))] ?? -1;
      if (widest < 0 || (widths[widest] ?? 0) <= MIN_CELL) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  };
  narrowTo(MIN_LAST_COLUMN, options.narrow ?? []);
  // No room beside even narrowed: the last column goes under the row, and the others keep their
  // width unless they do not fit the line either.
  if (width - lead() < MIN_LAST_COLUMN) {
    widths.splice(0, widths.length, ...natural);
    narrowTo(0, options.squeeze ?? options.narrow ?? []);
  }
  const beside = width - lead() >= MIN_LAST_COLUMN;
  const indent = ' '.repeat(lead());
  const out: string[] = [];
  for (const [i, row] of safe.entries()) {
    const cells = widths.map((w, col) => wrap(row[col] ?? '', w, '', ''));
    const last = row[count - 1] ?? '';
    const text = last === '' ? [] : beside ? wrap(last, width, indent, indent).map((l) => l.slice(indent.length)) : wrap(last, width, '    ', '    ');
    const height = Math.max(1, ...cells.map((c) => c.length), beside ? text.length : 0);
    for (let k = 0; k < height; k++) {
      const left = widths.map((w, col) => {
        const piece = cells[col]?.[k] ?? '';
        // Padding outside the colour codes, so a line's trailing spaces can be trimmed with colour on too.
        return `${piece === '' ? '' : style(i, col, piece)}${' '.repeat(Math.max(0, w - displayWidth(piece)))}`;
      }).join(' '.repeat(gap));
      const right = beside && text[k] !== undefined ? `${' '.repeat(gap)}${style(i, count - 1, text[k] ?? '')}` : '';
      out.push(`${left}${right}`.trimEnd());
    }
    if (!beside) out.push(...text.map((l) => `${l.slice(0, 4)}${style(i, count - 1, l.slice(4))}`));
  }
  return out;
}
