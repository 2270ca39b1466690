import type { FieldPath } from '../../core/finding.js';
import { MAX_ENTRIES, MAX_NESTING, tooDeep, tooMany } from '../../core/input-bounds.js';
import type { Position } from '../../core/resource.js';
import { OutOfBounds } from './block-yaml.js';
import { ITEM, PositionIndex, PositionTable, ROOT } from './positions.js';

/**
 * Where a field path points in one JSON document (pretty-printed or minified, `kubectl get -o
 * json` included), with the same answers as the YAML locator: the key of a final object member,
 * the start of a final array item, the deepest existing part of a path that leaves the document.
 *
 * Hand-written because JSON.parse keeps no offsets and the `yaml` library's node tree costs
 * several times a parse; this is one linear pass that records where each member starts in a
 * position table (positions.ts) — a lookup is then a walk down the path, however many findings
 * a List has. The same pass keeps the input bounds (input-bounds.ts), so a JSON file needs no
 * pass of its own for them: as `checkShape` counts them, the document's own line is one level.
 */


const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;

function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

/** The offset just past the string that opens at `start`; -1 when it never closes. */
function stringEnd(text: string, start: number): number {
  let close = text.indexOf('"', start + 1);
  while (close !== -1) {
    let slashes = 0;
    for (let p = close - 1; text.charCodeAt(p) === BACKSLASH; p -= 1) slashes += 1;
    if (slashes % 2 === 0) return close + 1;
    close = text.indexOf('"', close + 1);
  }
  return -1;
}

/**
 * Records the members of a JSON text in `table` and returns its root's entry; `OutOfBounds` when
 * it nests too deep or a collection holds too many members; undefined when it is not JSON this
 * pass can follow (nothing is then left in the table).
 */
export function scanJson(text: string, table: PositionTable): number | OutOfBounds | undefined {
  const size = table.size;
  const found = scan(text, table);
  if (typeof found !== 'number') table.truncate(size);
  return found;
}

function scan(text: string, table: PositionTable): number | OutOfBounds | undefined {
  // The open collections, innermost last: the entry their members belong to, whether an object, members so far.
  // Fixed sizes: the depth is bounded.
  const entries = new Int32Array(MAX_NESTING + 1);
  const objects = new Uint8Array(MAX_NESTING + 1);
  const counts = new Int32Array(MAX_NESTING + 1);
  let depth = 0;
  /** In an object: the next string is a key (after `{` or `,`). */
  let expectKey = false;
  /** The entry of the member whose value comes next (its key read), or -1. */
  let member = -1;
  let root = -1;
  let line = 1;
  let lineStart = 0;
  /** The next backslash at or after the last key looked at (-1: none left). */
  let backslash = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LF) {
      line += 1;
      i += 1;
      lineStart = i;
      while (text.charCodeAt(i) === SPACE) i += 1; // the indentation, in one tight loop
      continue;
    }
    if (isSpace(c) || c === 0xfeff) {
      i += 1;
      continue;
    }
    const inObject = depth > 0 && objects[depth - 1] === 1;
    if (c === 44) { // ,
      if (depth === 0) return undefined;
      if (inObject) expectKey = true;
      i += 1;
      continue;
    }
    if (c === 58) { // :
      i += 1;
      continue;
    }
    if (c === 125 || c === 93) { // } ]
      if (depth === 0 || (c === 125) !== inObject) return undefined;
      depth -= 1;
      table.close(entries[depth] as number);
      expectKey = false;
      i += 1;
      continue;
    }
    if (depth === 0 && root !== -1) return undefined; // a second document
    if (inObject && expectKey) {
      if (c !== QUOTE) return undefined; // an unquoted key: YAML flow syntax, not JSON
      const end = stringEnd(text, i);
      if (end === -1) return undefined;
      const count = (counts[depth - 1] as number) + 1;
      if (count > MAX_ENTRIES) return new OutOfBounds(tooMany(line, MAX_ENTRIES));
      counts[depth - 1] = count;
      // Keys are compared where written unless escaped: no string is made for the others.
      if (backslash !== -1 && backslash < i) backslash = text.indexOf('\\', i);
      if (backslash !== -1 && backslash < end) {
        member = table.open(i, -1, line, i - lineStart + 1);
        table.decodedKey(member, JSON.parse(text.slice(i, end)) as string);
      } else {
        member = table.open(i + 1, end - i - 2, line, i - lineStart + 1);
      }
      expectKey = false;
      i = end;
      continue;
    }
    // A value: an object member's (its entry opened with its key), an array item's, or the root.
    let entry = member;
    member = -1;
    if (depth === 0) {
      entry = root = table.open(i, ROOT, line, i - lineStart + 1);
    } else if (!inObject) {
      const count = (counts[depth - 1] as number) + 1;
      if (count > MAX_ENTRIES) return new OutOfBounds(tooMany(line, MAX_ENTRIES));
      counts[depth - 1] = count;
      entry = table.open(i, ITEM, line, i - lineStart + 1);
    } else if (entry === -1) {
      return undefined; // a value without a key
    }
    if (c === 123 || c === 91) { // { [
      // The document's own line counts as one level, as in checkShape.
      if (depth + 1 >= MAX_NESTING) return new OutOfBounds(tooDeep(line));
      entries[depth] = entry;
      objects[depth] = c === 123 ? 1 : 0;
      counts[depth] = 0;
      depth += 1;
      expectKey = c === 123;
      i += 1;
    } else if (depth === 0) {
      return undefined; // a scalar root holds no fields, or the text is not JSON
    } else if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end === -1) return undefined;
      i = end;
    } else {
      // A number, true, false or null: runs to the next delimiter.
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 44 || d === 125 || d === 93 || isSpace(d)) break;
        if (d === 35 || d === QUOTE || d === 123 || d === 91) return undefined; // a comment or other YAML-only syntax
        i += 1;
      }
    }
  }
  if (root === -1 || depth > 0) return undefined;
  return root;
}

/** Where paths point in one JSON document. */
export class JsonIndex {
  private readonly index: PositionIndex;

  constructor(text: string, table: PositionTable, root: number) {
    this.index = new PositionIndex(table, root, text, true);
  }

  /** The position of `path` in the document (1-based line and column). */
  locate(path: FieldPath): Position {
    return this.index.locate(path);
  }
}

/** Indexes the text; undefined when it is not JSON this pass can follow (the caller falls back to the YAML library). */
export function indexJson(text: string): JsonIndex | undefined {
  const table = new PositionTable();
  const root = scanJson(text, table);
  if (typeof root !== 'number') return undefined;
  table.trim();
  return new JsonIndex(text, table, root);
}
