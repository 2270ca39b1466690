import type { Type } from 'js-yaml';
import { MAX_ENTRIES, MAX_NESTING, tooDeep, tooMany, type ShapeProblem } from '../../core/input-bounds.js';
import { ITEM, ROOT, type PositionTable } from './positions.js';
import { KUBE_YAML_SCHEMA } from './yaml-schema.js';

/**
 * A fast reader for the plain block YAML that Kubernetes tools print (kubectl, Helm, kustomize):
 * block mappings and sequences, plain / single-line quoted scalars, literal block scalars and
 * one-line flow collections. Anything else — anchors, tags, folded or multi-line scalars, tabs,
 * complex keys, duplicate keys, merge keys, directives — makes it give up (`UNSUPPORTED`) and the
 * caller hands the document to js-yaml, which also names the line of any syntax error.
 *
 * Hand-written because no YAML library is faster than js-yaml, and DESIGN.md wants a scan of
 * manifests to cost little more than js-yaml's parse alone: with the checks done line by line
 * instead of character by character this reads such documents about twice as fast as js-yaml.
 * Plain scalars resolve through the same schema types js-yaml uses (`KUBE_YAML_SCHEMA`), and a
 * property test holds the two parsers equal on every document this one accepts.
 *
 * It also keeps the input bounds (input-bounds.ts) as it goes, counting the depth and entries of
 * what it reads, so a file it reads needs no pass of its own for them; and, given a table, it
 * records where each key and item starts (positions.ts), so findings are placed without reading
 * the document again.
 */

export const UNSUPPORTED: unique symbol = Symbol('unsupported YAML');

/** What a reader returns for a document past the input bounds: the problem, where it found it. */
export class OutOfBounds {
  constructor(readonly problem: ShapeProblem) {}
}

/** Thrown inside the reader to give up; caught at the entry point only. */
class Unsupported extends Error {}
const GIVE_UP = new Unsupported();

// js-yaml's compiled list of implicit types (null, bool, int, float, merge...), in resolution order.
const IMPLICIT = (KUBE_YAML_SCHEMA as unknown as { compiledImplicit: Type[] }).compiledImplicit;

// What js-yaml refuses anywhere in a scalar; documents holding any go to js-yaml for the error.
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is about
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF\uD800-\uDFFF\t\r\uFEFF]/;

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;

/** Whether the text holds none of the characters this reader leaves to js-yaml wherever they are. */
export function isPrintable(text: string): boolean {
  return !NON_PRINTABLE.test(text);
}

/**
 * Reads one YAML document, or returns `UNSUPPORTED` when it holds anything outside the subset,
 * or `OutOfBounds` when it nests deeper or holds more entries than input-bounds.ts admits.
 * `knownPrintable`: the caller checked `isPrintable` on a text holding this one (its file).
 * `table`: where to record the positions of its keys and items; the root's entry is the first
 * one recorded (nothing is left in it when the reader gives up).
 */
export function readBlockYaml(text: string, knownPrintable = false, table?: PositionTable): unknown {
  if (!knownPrintable && !isPrintable(text)) return UNSUPPORTED;
  const size = table?.size ?? 0;
  const reader = new BlockReader(text, table);
  try {
    return reader.document();
  } catch (error) {
    table?.truncate(size);
    if (error === GIVE_UP) return UNSUPPORTED;
    if (error instanceof OutOfBounds) return error;
    throw error;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

/**
 * Short plain scalars seen before, with what they read as. Manifests repeat most of their values
 * (`apps/v1`, `TCP`, `100m`, `true`): one shared string per value instead of one per occurrence
 * leaves the garbage collector far less to copy (a quarter of a scan's time before this). Only
 * short texts: V8 copies those when slicing, so an entry never keeps a whole file's text alive.
 */
const PLAIN_VALUES = new Map<string, unknown>();
const MAX_REMEMBERED_LENGTH = 12;
const MAX_REMEMBERED_VALUES = 50_000;

function resolvePlain(text: string): unknown {
  const remember = text.length <= MAX_REMEMBERED_LENGTH;
  if (remember) {
    const known = PLAIN_VALUES.get(text);
    if (known !== undefined) return known;
  }
  if (text === '<<') giveUp(); // a merge key: js-yaml's loader treats it apart from other keys
  let value: unknown = text;
  for (const type of IMPLICIT) {
    if (type.resolve(text)) {
      value = type.construct(text);
      break;
    }
  }
  if (remember) {
    if (PLAIN_VALUES.size >= MAX_REMEMBERED_VALUES) PLAIN_VALUES.clear();
    PLAIN_VALUES.set(text, value);
  }
  return value;
}

/**
 * Keys and short values met before, looked up where they are written: a hit costs a few character
 * reads and one comparison instead of a slice (one more string for the garbage collector, a
 * quarter of a scan's time before such caches) and a hash of it. Manifests repeat the same keys
 * and short values in every object. One entry per slot: a collision replaces it.
 */
const SLOTS = 1 << 14;

class TextCache<V> {
  private readonly texts: (string | undefined)[] = new Array<string | undefined>(SLOTS);
  private readonly values: V[] = new Array<V>(SLOTS);

  /** The slot of the text between `start` and `end`: its length and three of its characters. */
  private static slot(text: string, start: number, end: number): number {
    const length = end - start;
    let h = Math.imul(text.charCodeAt(start) ^ (length << 16), 0x9e3779b1);
    h ^= Math.imul(text.charCodeAt(end - 1), 0x85ebca6b);
    h ^= Math.imul(text.charCodeAt(start + (length >> 1)), 0xc2b2ae35);
    return (h ^ (h >>> 15)) & (SLOTS - 1);
  }

  /** What the text between `start` and `end` was remembered with, or undefined. */
  get(text: string, start: number, end: number): V | undefined {
    const slot = TextCache.slot(text, start, end);
    const known = this.texts[slot];
    return known !== undefined && known.length === end - start && text.startsWith(known, start) ? this.values[slot] : undefined;
  }

  set(text: string, start: number, end: number, written: string, value: V): void {
    const slot = TextCache.slot(text, start, end);
    this.texts[slot] = written;
    this.values[slot] = value;
  }
}

/** Plain keys read as strings (the only keys this reader accepts), up to this length. */
const KEYS = new TextCache<string>();
const MAX_CACHED_KEY = 64;
/** Plain values (`v1`, `TCP`, `true`, `8080`) with what they read as. */
const VALUES = new TextCache<unknown>();

/** Counts the depth of what a reader is inside, and bounds it. */
function deeper(depth: number, line: number): number {
  if (depth >= MAX_NESTING) throw new OutOfBounds(tooDeep(line));
  return depth + 1;
}

function checkEntries(entries: number, line: number): void {
  if (entries > MAX_ENTRIES) throw new OutOfBounds(tooMany(line, MAX_ENTRIES));
}

class BlockReader {
  private readonly text: string;
  private readonly table: PositionTable | undefined;
  /** Offset of the current line's content (first non-space character, or a compact entry's start). */
  private pos = 0;
  /** Column of `pos`; -1 at the end of the document. */
  private indent = -1;
  /** Offset of the end of the current line (its `\n`, or the end of the text). */
  private end = 0;
  /** The current line's number (1-based) and the offset it starts at. */
  private line = 1;
  private lineStart = 0;
  /** Collections the reader is inside. */
  private depth = 0;

  constructor(text: string, table: PositionTable | undefined) {
    this.text = text;
    this.table = table;
  }

  document(): unknown {
    this.seekLine(0, 1, true);
    if (this.indent === 0 && this.text.startsWith('---', this.pos)) {
      // The `---` marker: alone on its line (a comment may follow).
      if (this.restOfLine(this.pos + 3) !== '') giveUp();
      this.seekLine(this.end + 1, this.line + 1);
    }
    if (this.indent < 0) giveUp(); // an empty document: js-yaml decides between null and undefined
    const root = this.table?.open(this.pos, ROOT, this.line, this.column(this.pos));
    const value = this.blockNode(this.indent);
    if (this.indent >= 0) giveUp(); // content left over: js-yaml names the error
    if (root !== undefined) this.table?.close(root);
    return value;
  }

  /** The 1-based column of an offset on the current line. */
  private column(offset: number): number {
    return offset - this.lineStart + 1;
  }

  /** Moves to the first line at or after `offset` (the start of line number `line`) with content (not blank, not a comment). */
  private seekLine(offset: number, line: number, markerAllowed = false): void {
    const { text } = this;
    let start = offset;
    let number = line;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      let p = start;
      while (p < end && text.charCodeAt(p) === SPACE) p += 1;
      if (p < end && text.charCodeAt(p) !== HASH) {
        // `---` or `...` inside the document; the caller reads a leading `---` itself.
        if (p === start && isDocumentMarker(text, p, end) && !(markerAllowed && text.charCodeAt(p) === DASH)) giveUp();
        if (text.charCodeAt(p) === 37 /* % */ && p === start) giveUp(); // a directive
        this.pos = p;
        this.indent = p - start;
        this.end = end;
        this.line = number;
        this.lineStart = start;
        return;
      }
      start = end + 1;
      number += 1;
    }
    this.pos = text.length;
    this.indent = -1;
    this.end = text.length;
    this.line = number;
    this.lineStart = start;
  }

  /** The text from `from` to the end of the line without a trailing comment (` #...`) or spaces. */
  private restOfLine(from: number): string {
    const { text } = this;
    let end = this.end;
    for (let p = from + 1; p < end; p += 1) {
      if (text.charCodeAt(p) === HASH && text.charCodeAt(p - 1) === SPACE) {
        end = p;
        break;
      }
    }
    while (end > from && text.charCodeAt(end - 1) === SPACE) end -= 1;
    return text.slice(from, end);
  }

  /** A block mapping or sequence whose first line is the current one, at column `indent`. */
  private blockNode(indent: number): unknown {
    if (this.isSequenceEntry()) return this.blockSequence(indent);
    if (this.keyColon() !== -1) return this.blockMapping(indent);
    return giveUp(); // a scalar on its own line (possibly multi-line): leave it to js-yaml
  }

  private isSequenceEntry(): boolean {
    const { text, pos } = this;
    if (text.charCodeAt(pos) !== DASH) return false;
    const next = pos + 1;
    return next === this.end || text.charCodeAt(next) === SPACE;
  }

  /**
   * The offset of the `:` that ends a plain or quoted key at `pos`, or -1 if the line is not
   * `key: ...`. Gives up on keys js-yaml would read differently (complex keys, comments first).
   */
  private keyColon(): number {
    const { text, pos, end } = this;
    const first = text.charCodeAt(pos);
    if (first === 34 /* " */ || first === 39 /* ' */) {
      const close = quotedEnd(text, pos, end);
      let p = close;
      while (p < end && text.charCodeAt(p) === SPACE) p += 1;
      if (text.charCodeAt(p) !== COLON) return -1;
      return p + 1 === end || text.charCodeAt(p + 1) === SPACE ? p : giveUp();
    }
    if (!isPlainStart(text, pos, end)) return -1;
    for (let p = pos; p < end; p += 1) {
      const c = text.charCodeAt(p);
      if (c === COLON) {
        if (p + 1 === end || text.charCodeAt(p + 1) === SPACE) return p;
      } else if (c === HASH && text.charCodeAt(p - 1) === SPACE) {
        return -1;
      }
    }
    return -1;
  }

  private key(colon: number): string {
    const { text, pos } = this;
    const first = text.charCodeAt(pos);
    if (first === 34 || first === 39) return unquote(text, pos, quotedEnd(text, pos, this.end));
    let end = colon;
    while (text.charCodeAt(end - 1) === SPACE) end -= 1;
    const cacheable = end - pos <= MAX_CACHED_KEY;
    const known = cacheable ? KEYS.get(text, pos, end) : undefined;
    if (known !== undefined) return known;
    const raw = text.slice(pos, end);
    // Keys that read as numbers, booleans, null or `<<` (merge) are rare in manifests; js-yaml handles them.
    if (typeof resolvePlain(raw) !== 'string' || raw === '__proto__') giveUp();
    if (cacheable) KEYS.set(text, pos, end, raw, raw);
    return raw;
  }

  private blockMapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    const { table } = this;
    const outer = this.depth;
    this.depth = deeper(outer, this.line);
    let entries = 0;
    while (this.indent === indent) {
      const colon = this.keyColon();
      if (colon === -1) {
        if (this.isSequenceEntry()) break; // a sequence at this column belongs to the parent
        giveUp();
      }
      const at = this.pos;
      const key = this.key(colon);
      // js-yaml reports duplicate keys; `__proto__` it defines as an own key, which assignment would not.
      if (Object.hasOwn(map, key) || key === '__proto__') giveUp();
      checkEntries((entries += 1), this.line);
      if (table === undefined) {
        map[key] = this.valueAfter(colon + 1, indent, true, -1);
      } else {
        // A plain key is its text: compared where written without a look at it.
        const quoted = this.text.charCodeAt(at) === 34 || this.text.charCodeAt(at) === 39;
        const entry = quoted ? table.openKey(this.text, at, key, this.line, this.column(at)) : table.open(at, key.length, this.line, this.column(at));
        map[key] = this.valueAfter(colon + 1, indent, true, entry);
        table.close(entry);
      }
    }
    if (this.indent > indent) giveUp();
    this.depth = outer;
    return map;
  }

  private blockSequence(indent: number): unknown[] {
    const list: unknown[] = [];
    const { table } = this;
    const outer = this.depth;
    this.depth = deeper(outer, this.line);
    while (this.indent === indent && this.isSequenceEntry()) {
      checkEntries(list.length + 1, this.line);
      let p = this.pos + 1;
      while (p < this.end && this.text.charCodeAt(p) === SPACE) p += 1;
      const inline = p < this.end && this.text.charCodeAt(p) !== HASH;
      // An item is placed where its content starts: on the dash's line, or (`-` alone) below it;
      // an empty one at its comment (`- # none`), as the `yaml` library places it, else at the dash.
      const entry = table === undefined ? -1 : table.open(p, ITEM, this.line, this.column(p < this.end ? p : this.pos));
      if (inline) {
        // `- key: value` opens a mapping at the column of `key`; `- - x` is left to js-yaml.
        this.indent += p - this.pos; // the entry's column: sequence entries always start their line
        this.pos = p;
        if (this.isSequenceEntry()) giveUp();
        if (this.keyColon() !== -1) {
          list.push(this.blockMapping(this.indent));
        } else {
          list.push(this.valueAfter(p, indent, false, entry));
        }
      } else {
        list.push(this.valueAfter(p, indent, false, entry));
      }
      if (entry !== -1) table?.close(entry);
    }
    if (this.indent > indent) giveUp();
    this.depth = outer;
    return list;
  }

  /**
   * The value starting at `from` on the current line (after `key:` or `- `), owned by a
   * collection at column `indent`; leaves the cursor on the next line of that collection.
   * `inMapping`: a block sequence may then start at the same column as the key. `entry`: the
   * value's entry in the position table (-1 without one).
   */
  private valueAfter(from: number, indent: number, inMapping: boolean, entry: number): unknown {
    const { text } = this;
    let p = from;
    while (p < this.end && text.charCodeAt(p) === SPACE) p += 1;
    // Callers pass the offset after `key:` or `-`, so a `#` here follows a space: a comment.
    if (p === this.end || text.charCodeAt(p) === HASH) {
      this.seekLine(this.end + 1, this.line + 1);
      if (this.indent > indent) {
        // An empty item's content on the lines below: the item is placed there.
        if (!inMapping && entry !== -1) this.table?.move(entry, this.line, this.column(this.pos));
        return this.blockNode(this.indent);
      }
      if (inMapping && this.indent === indent && this.isSequenceEntry()) return this.blockSequence(indent);
      // js-yaml reads a `- ` entry after an empty last entry into the inner sequence, whatever its
      // indentation; such documents keep js-yaml's reading.
      if (!inMapping && this.indent >= 0 && this.indent < indent) giveUp();
      return null;
    }
    const c = text.charCodeAt(p);
    let value: unknown;
    if (c === 124 /* | */) return this.literalScalar(p, indent);
    if (c === 34 || c === 39) {
      const close = quotedEnd(text, p, this.end);
      value = unquote(text, p, close);
      if (this.restOfLine(close) !== '') giveUp();
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      const flow = new FlowReader(text, p, this.end, this.depth, this.table, this.line, this.lineStart);
      value = flow.collection();
      if (this.restOfLine(flow.pos) !== '') giveUp();
    } else {
      if (!isPlainStart(text, p, this.end)) giveUp();
      value = this.plainScalar(p);
    }
    this.seekLine(this.end + 1, this.line + 1);
    if (this.indent > indent) giveUp(); // a multi-line plain scalar, or an error: js-yaml decides
    return value;
  }

  /** The one-line plain scalar at `from` (to a comment or the end of the line). */
  private plainScalar(from: number): unknown {
    const { text } = this;
    let end = this.end;
    for (let p = from + 1; p < end; p += 1) {
      const c = text.charCodeAt(p);
      if (c === HASH && text.charCodeAt(p - 1) === SPACE) {
        end = p;
        break;
      }
      if (c === COLON && text.charCodeAt(p + 1) === SPACE) giveUp(); // a mapping where a scalar must be
    }
    while (end > from && text.charCodeAt(end - 1) === SPACE) end -= 1;
    if (text.charCodeAt(end - 1) === COLON) giveUp();
    return plainValueAt(text, from, end);
  }

  /**
   * A literal block scalar (`|`, `|-`, `|+`) whose header is at `header`, owned by a collection
   * at column `indent`. Folded scalars (`>`), explicit indentation and leading blank lines are left to js-yaml.
   */
  private literalScalar(header: number, indent: number): string {
    const { text } = this;
    let chomp = text.charCodeAt(header + 1);
    const headerRest = this.restOfLine(header + (chomp === DASH || chomp === 43 /* + */ ? 2 : 1));
    if (headerRest !== '') giveUp();
    if (chomp !== DASH && chomp !== 43) chomp = 0;
    let start = this.end + 1;
    let line = this.line + 1; // the number of the line at `start`
    let contentIndent = -1; // the first content line's column, once seen
    let value = '';
    let blankLines = 0; // blank lines since the last content line
    while (start < text.length) {
      const lineEnd = text.indexOf('\n', start);
      if (lineEnd === -1) giveUp(); // no final line break: js-yaml skips chomping then
      let p = start;
      const limit = contentIndent === -1 ? lineEnd : Math.min(lineEnd, start + contentIndent);
      while (p < limit && text.charCodeAt(p) === SPACE) p += 1;
      if (p === lineEnd) {
        if (contentIndent === -1) giveUp(); // blank lines before the first: js-yaml's indentation detection
        blankLines += 1;
        start = lineEnd + 1;
        line += 1;
        continue;
      }
      const column = p - start;
      if (contentIndent === -1) {
        if (column <= indent) giveUp(); // an empty block scalar
        contentIndent = column;
        value = text.slice(p, lineEnd);
      } else if (column < contentIndent) {
        break;
      } else {
        value += '\n'.repeat(blankLines + 1) + text.slice(p, lineEnd);
      }
      blankLines = 0;
      start = lineEnd + 1;
      line += 1;
    }
    if (contentIndent === -1) giveUp(); // an empty block scalar at the end of the document
    if (chomp === 0) value += '\n'; // clip: one final line break
    else if (chomp === 43) value += '\n'.repeat(blankLines + 1); // keep: all of them
    this.seekLine(start, line);
    if (this.indent > indent) giveUp();
    return value;
  }
}

/** Reads a flow collection (`[a, b]`, `{k: v}`) that opens and closes on one line. */
class FlowReader {
  pos: number;
  private readonly text: string;
  private readonly end: number;

  /** `depth`: collections around this one; `line` and `lineStart`: its line, for the position table. */
  constructor(text: string, pos: number, end: number, private depth: number, private readonly table: PositionTable | undefined, private readonly line: number, private readonly lineStart: number) {
    this.text = text;
    this.pos = pos;
    this.end = end;
  }

  collection(): unknown {
    const open = this.text.charCodeAt(this.pos);
    this.pos += 1;
    const outer = this.depth;
    this.depth = deeper(outer, this.line);
    const value = open === 91 ? this.sequence() : this.mapping();
    this.depth = outer;
    return value;
  }

  private skipSpaces(): number {
    while (this.pos < this.end && this.text.charCodeAt(this.pos) === SPACE) this.pos += 1;
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : giveUp();
  }

  /** After an entry: `,` and another entry, or the closing bracket. Trailing commas are left to js-yaml. */
  private separator(close: number): boolean {
    const c = this.skipSpaces();
    this.pos += 1;
    if (c === close) return false;
    if (c !== 44 /* , */) giveUp();
    if (this.skipSpaces() === close) giveUp();
    return true;
  }

  private sequence(): unknown[] {
    const list: unknown[] = [];
    if (this.skipSpaces() === 93 /* ] */) {
      this.pos += 1;
      return list;
    }
    const { table } = this;
    do {
      checkEntries(list.length + 1, this.line);
      if (table === undefined) {
        list.push(this.node());
      } else {
        this.skipSpaces();
        const entry = table.open(this.pos, ITEM, this.line, this.pos - this.lineStart + 1);
        list.push(this.node());
        table.close(entry);
      }
    } while (this.separator(93));
    return list;
  }

  private mapping(): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    if (this.skipSpaces() === 125 /* } */) {
      this.pos += 1;
      return map;
    }
    let entries = 0;
    do {
      const first = this.skipSpaces();
      const at = this.pos;
      const quotedKey = first === 34 || first === 39;
      const key = this.node(true);
      // `__proto__`: js-yaml defines it as an own key, which assignment would not.
      if (typeof key !== 'string' || key === '__proto__') giveUp();
      if (this.skipSpaces() !== COLON) giveUp();
      this.pos += 1;
      if (!quotedKey && this.text.charCodeAt(this.pos) !== SPACE) giveUp();
      if (Object.hasOwn(map, key)) giveUp();
      checkEntries((entries += 1), this.line);
      const next = this.skipSpaces();
      if (next === 44 || next === 125) giveUp(); // an empty value
      if (this.table === undefined) {
        map[key] = this.node();
      } else {
        const entry = this.table.openKey(this.text, at, key, this.line, at - this.lineStart + 1);
        map[key] = this.node();
        this.table.close(entry);
      }
    } while (this.separator(125));
    return map;
  }

  /** `asKey`: a mapping's key, looked up among the keys met before (`KEYS`) as the block reader's are. */
  private node(asKey = false): unknown {
    const { text } = this;
    const c = this.skipSpaces();
    if (c === 91 || c === 123) return this.collection();
    if (c === 34 || c === 39) {
      const close = quotedEnd(text, this.pos, this.end);
      const value = unquote(text, this.pos, close);
      this.pos = close;
      return value;
    }
    if (!isPlainStart(text, this.pos, this.end)) giveUp();
    if (c === DASH && isFlowIndicator(text.charCodeAt(this.pos + 1))) giveUp(); // `[-]`: not a scalar in flow context
    const start = this.pos;
    while (this.pos < this.end) {
      const ch = text.charCodeAt(this.pos);
      if (isFlowIndicator(ch)) break;
      // js-yaml ends a plain scalar in flow context at a `:` before a space, a flow indicator or
      // the line's end; `system:masters` and `http://x` are one scalar.
      if (ch === COLON) {
        const next = text.charCodeAt(this.pos + 1);
        if (this.pos + 1 >= this.end || next === SPACE || isFlowIndicator(next)) break;
      }
      if (ch === HASH && text.charCodeAt(this.pos - 1) === SPACE) giveUp();
      this.pos += 1;
    }
    // `{a:}` or `[a:]`: a key without a space, which js-yaml reads as a pair.
    if (text.charCodeAt(this.pos) === COLON && text.charCodeAt(this.pos + 1) !== SPACE) giveUp();
    let end = this.pos;
    while (end > start && text.charCodeAt(end - 1) === SPACE) end -= 1;
    // Keys and short values looked up where they are written, as in the block reader: a flow
    // collection repeats them as often (`{containerPort: 8080}`, `[ALL]`). A text ending in other
    // white space (which `trimEnd` takes off) is read the long way.
    const last = text.charCodeAt(end - 1);
    if (last <= SPACE || last === 0xa0 || last >= 0x1680) return resolvePlain(text.slice(start, this.pos).trimEnd());
    if (asKey && end - start <= MAX_CACHED_KEY) {
      const known = KEYS.get(text, start, end);
      if (known !== undefined) return known;
      const raw = text.slice(start, end);
      const value = resolvePlain(raw);
      if (typeof value === 'string' && raw !== '__proto__') KEYS.set(text, start, end, raw, raw);
      return value;
    }
    return plainValueAt(text, start, end);
  }
}

/** The plain scalar `text[from, end)` (trimmed) as a value, looked up where it is written when short. */
function plainValueAt(text: string, from: number, end: number): unknown {
  if (end - from > MAX_REMEMBERED_LENGTH) return resolvePlain(text.slice(from, end));
  const known = VALUES.get(text, from, end);
  if (known !== undefined) return known;
  const raw = text.slice(from, end);
  const value = resolvePlain(raw);
  VALUES.set(text, from, end, raw, value);
  return value;
}

/** The offset just past the closing quote of the quoted scalar at `open`; it must close before `end` (its line). */
function quotedEnd(text: string, open: number, end: number): number {
  const quote = text.charCodeAt(open);
  for (let p = open + 1; p < end; p += 1) {
    const c = text.charCodeAt(p);
    if (c === quote) {
      if (quote === 39 && text.charCodeAt(p + 1) === 39) {
        p += 1;
        continue;
      }
      return p + 1;
    }
    if (c === 92 && quote === 34) p += 1;
  }
  return giveUp();
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', ' ': ' ' };

/** The value of the quoted scalar between `open` and `close` (past its closing quote). */
function unquote(text: string, open: number, close: number): string {
  const body = text.slice(open + 1, close - 1);
  if (text.charCodeAt(open) === 39) return body.includes("''") ? body.replaceAll("''", "'") : body;
  if (!body.includes('\\')) return body;
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_match, escape: string) => {
    if (escape.length === 5) {
      const code = Number.parseInt(escape.slice(1), 16);
      return code >= 0xd800 && code <= 0xdfff ? giveUp() : String.fromCharCode(code);
    }
    return ESCAPES[escape] ?? giveUp();
  });
}

/** Can a plain scalar start at `p`? (YAML's indicators cannot start one; `-`, `?`, `:` only before a non-space.) */
function isPlainStart(text: string, p: number, end: number): boolean {
  const c = text.charCodeAt(p);
  switch (c) {
    case 44: case 91: case 93: case 123: case 125: // , [ ] { }
    case HASH: case 38: case 42: case 33: case 124: case 62: case 39: case 34: case 37: case 64: case 96: // # & * ! | > ' " % @ `
    case 63: case COLON: // ? : (rare in manifests; js-yaml's rules for them are subtle)
      return false;
    case DASH:
      return p + 1 < end && text.charCodeAt(p + 1) !== SPACE;
    default:
      return p < end;
  }
}

/** `---` or `...` at column 0 followed by a space or the end of the line. */
function isDocumentMarker(text: string, p: number, end: number): boolean {
  const c = text.charCodeAt(p);
  if ((c !== DASH && c !== 46) || text.charCodeAt(p + 1) !== c || text.charCodeAt(p + 2) !== c) return false;
  return p + 3 === end || text.charCodeAt(p + 3) === SPACE;
}

function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125; // , [ ] { }
}
