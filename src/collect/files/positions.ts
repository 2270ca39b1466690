import type { FieldPath } from '../../core/finding.js';
import type { Position } from '../../core/resource.js';

/**
 * Where every key and item of a document starts, recorded by the reader that parsed it (the
 * block reader, the JSON scan) as it walked the text, so that placing a finding's path is a
 * walk down a few entries rather than a second reading of the document's lines.
 *
 * One flat table of numbers per file instead of an object per entry: a scan of 100,000 objects
 * records millions of entries, and the garbage collector would have to copy each object. The
 * entries are in the order the reader met them (pre-order): an entry's descendants follow it,
 * up to its `end`, so its children are found by hopping from one sibling's end to the next.
 *
 * Answers as the line locator (locate.ts) and the `yaml` library do: a mapping segment is placed
 * at its key, a sequence segment at the start of its item, and a path that leaves the document at
 * the deepest part of it that exists.
 */

/** `key` of an entry whose key needs decoding (escapes, `''`): its text is in `decodedKeys`. */
export const KEY_DECODED = -1;
/** `key` of a sequence item. */
export const ITEM = -2;
/** `key` of a document's root. */
export const ROOT = -3;

// Each entry: [offset of its key's text, key (a length ≥ 0, or one of the above), line, column, end].
const STRIDE = 5;
const AT = 0;
const KEY = 1;
const LINE = 2;
const COLUMN = 3;
const END = 4;

/** Children hopped before a container's children are indexed: Lists hold thousands of items. */
const MANY = 32;

export class PositionTable {
  data: Int32Array;
  /** Entries recorded. */
  size = 0;
  /** Keys whose text is not their value (`"a\"b"`, `'it''s'`), by entry. */
  decodedKeys: Map<number, string> | undefined;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity * STRIDE);
  }

  /** A table passed from another thread (parse-worker.ts); an empty one for none. */
  static of(passed: { readonly data: Int32Array; readonly size: number; readonly decodedKeys: readonly [number, string][] } | undefined): PositionTable {
    const table = new PositionTable(0);
    if (passed === undefined) return table;
    table.data = passed.data;
    table.size = passed.size;
    if (passed.decodedKeys.length > 0) table.decodedKeys = new Map(passed.decodedKeys);
    return table;
  }

  /**
   * Records an entry and returns its index. `at` and `key`: where the key's text is and how long
   * (only keys are compared, so an item's `at` is unused); `line` and `column`: 1-based, relative
   * to the document.
   */
  open(at: number, key: number, line: number, column: number): number {
    const index = this.size;
    const base = index * STRIDE;
    if (base + STRIDE > this.data.length) {
      const grown = new Int32Array(Math.max(this.data.length * 2, STRIDE * 256));
      grown.set(this.data);
      this.data = grown;
    }
    const data = this.data;
    data[base + AT] = at;
    data[base + KEY] = key;
    data[base + LINE] = line;
    data[base + COLUMN] = column;
    data[base + END] = index + 1;
    this.size = index + 1;
    return index;
  }

  /** Ends an entry: the entries recorded since it opened are its value's. */
  close(index: number): void {
    this.data[index * STRIDE + END] = this.size;
  }

  /** Places an entry elsewhere: an empty sequence item whose content starts on a later line. */
  move(index: number, line: number, column: number): void {
    this.data[index * STRIDE + LINE] = line;
    this.data[index * STRIDE + COLUMN] = column;
  }

  /**
   * Records a mapping entry whose key reads as `key` and whose text starts at `at` (its quote,
   * if quoted): compared where written when it reads as written, through `decodedKeys` otherwise.
   */
  openKey(text: string, at: number, key: string, line: number, column: number): number {
    if (text.startsWith(key, at)) return this.open(at, key.length, line, column);
    const quote = text.charCodeAt(at);
    if ((quote === 34 || quote === 39) && text.startsWith(key, at + 1) && text.charCodeAt(at + 1 + key.length) === quote) return this.open(at + 1, key.length, line, column);
    const entry = this.open(at, KEY_DECODED, line, column);
    this.decodedKey(entry, key);
    return entry;
  }

  decodedKey(index: number, key: string): void {
    (this.decodedKeys ??= new Map()).set(index, key);
  }

  /** Forgets the entries from `size` on (a document the reader gave up on). */
  truncate(size: number): void {
    this.size = size;
  }

  /** Gives back the room not used: called once the file is read. */
  trim(): void {
    if (this.data.length > this.size * STRIDE * 1.25) this.data = this.data.slice(0, this.size * STRIDE);
  }
}

/** One document's entries in a table: where its root entry is, and the text the offsets are in. */
export class PositionIndex {
  private many: Map<number, Int32Array | Map<string, number>> | undefined;

  /** `lastKeyWins`: JSON may repeat a key, and the last one holds the value (JSON.parse). */
  constructor(private readonly table: PositionTable, private readonly root: number, private readonly text: string, private readonly lastKeyWins = false) {}

  /** The position of `path` from the document's root, relative to the document. */
  locate(path: FieldPath): Position {
    return this.locateFrom(this.root, path);
  }

  /** The entry `path` leads to from the root (a List's item), or -1 when it leaves the document. */
  entry(path: FieldPath): number {
    let entry = this.root;
    for (const segment of path) {
      entry = this.child(entry, segment);
      if (entry === -1) break;
    }
    return entry;
  }

  /** The position of `path` from an entry (`entry`'s answer), relative to the document. */
  locateFrom(from: number, path: FieldPath): Position {
    const data = this.table.data;
    let entry = from;
    // By index: a finding's path is walked once, and `for...of` made an iterator for each.
    for (let i = 0; i < path.length; i += 1) {
      const child = this.child(entry, path[i] as string | number);
      if (child === -1) break;
      entry = child;
    }
    return { line: data[entry * STRIDE + LINE] as number, column: data[entry * STRIDE + COLUMN] as number };
  }

  /** The child of `entry` that `segment` names, or -1. */
  private child(entry: number, segment: string | number): number {
    const indexed = this.many?.get(entry);
    if (indexed !== undefined) return childIn(indexed, segment);
    const data = this.table.data;
    const first = entry + 1;
    const end = data[entry * STRIDE + END] as number;
    if (first >= end) return -1; // a scalar, or an empty collection
    const isSequence = data[first * STRIDE + KEY] === ITEM;
    if (isSequence && typeof segment !== 'number') return -1;
    const key = isSequence ? '' : String(segment);
    let found = -1;
    let hops = 0;
    for (let c = first; c < end; c = data[c * STRIDE + END] as number) {
      if (hops === MANY) return childIn(this.indexChildren(entry, isSequence), segment);
      if (isSequence ? hops === segment : this.keyIs(c, key)) {
        found = c;
        if (isSequence || !this.lastKeyWins) return c;
      }
      hops += 1;
    }
    return found;
  }

  private keyIs(entry: number, key: string): boolean {
    const data = this.table.data;
    const length = data[entry * STRIDE + KEY] as number;
    if (length >= 0) return length === key.length && this.text.startsWith(key, data[entry * STRIDE + AT] as number);
    return length === KEY_DECODED && this.table.decodedKeys?.get(entry) === key;
  }

  /** Indexes the children of a container with many: items by position, keys in a map. */
  private indexChildren(entry: number, isSequence: boolean): Int32Array | Map<string, number> {
    const data = this.table.data;
    const end = data[entry * STRIDE + END] as number;
    const children: number[] = [];
    for (let c = entry + 1; c < end; c = data[c * STRIDE + END] as number) children.push(c);
    let index: Int32Array | Map<string, number>;
    if (isSequence) {
      index = Int32Array.from(children);
    } else {
      index = new Map<string, number>();
      for (const c of children) {
        const key = this.keyOf(c);
        if (!index.has(key) || this.lastKeyWins) index.set(key, c);
      }
    }
    (this.many ??= new Map()).set(entry, index);
    return index;
  }

  private keyOf(entry: number): string {
    const data = this.table.data;
    const length = data[entry * STRIDE + KEY] as number;
    if (length >= 0) {
      const at = data[entry * STRIDE + AT] as number;
      return this.text.slice(at, at + length);
    }
    return this.table.decodedKeys?.get(entry) ?? '';
  }
}

/** The child a segment names in an index of a container's children (`indexChildren`), or -1. */
function childIn(index: Int32Array | Map<string, number>, segment: string | number): number {
  if (index instanceof Map) return index.get(String(segment)) ?? -1;
  return typeof segment === 'number' && Number.isInteger(segment) && segment >= 0 && segment < index.length ? (index[segment] as number) : -1;
}
