import type { Document, LineCounter, Node } from 'yaml';
import { yamlLibrary } from './yaml-library.js';
import type { FieldPath } from '../../core/finding.js';
import type { Position } from '../../core/resource.js';
import { looksLikeJson } from './documents.js';
import { indexJson, type JsonIndex } from './locate-json.js';
import { locateInFlow } from './locate-flow.js';
import type { PositionIndex } from './positions.js';

/**
 * Where a field path points in one YAML document: the key of a final map segment, the start of
 * a final sequence item. A path that leaves the document stops at the deepest part that exists,
 * so a missing `securityContext` still points at its container.
 */

/** Exact, for any YAML: walks the `yaml` library's node tree. Slower, so used only as a fallback. */
export function locateWithYamlLibrary(text: string, path: FieldPath): Position {
  return yamlLibraryLocator(text)(path);
}

/** `locateWithYamlLibrary` for many paths of one document, parsed once. */
export function yamlLibraryLocator(text: string): (path: FieldPath) => Position {
  const { LineCounter: Counter, parseDocument } = yamlLibrary();
  const counter = new Counter();
  const doc = parseDocument(text, { lineCounter: counter });
  return (path) => positionInDocument(doc, counter, path);
}

function positionInDocument(doc: Document, counter: LineCounter, path: FieldPath): Position {
  const { isMap, isScalar, isSeq } = yamlLibrary();
  let node: unknown = doc.contents;
  let offset: number | undefined = isNodeWithRange(node) ? node.range[0] : undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      if (isNodeWithRange(pair.key)) offset = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNodeWithRange(item)) break;
      offset = item.range[0];
      node = item;
    } else break;
  }
  if (offset === undefined) return { line: 1, column: 1 };
  const pos = counter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function isNodeWithRange(value: unknown): value is Node & { range: [number, number, number] } {
  return value !== null && typeof value === 'object' && 'range' in value && Array.isArray((value as { range?: unknown }).range);
}

/**
 * The lines of a document as offsets into its text, with each line's indentation: no string per
 * line, since most lines are only measured, and only lines that may hold a wanted key are read.
 */
class Lines {
  /** Column of the first non-space character (0-based); -1 for blank and comment lines. */
  readonly indents: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(private readonly source: string) {
    for (let start = 0; ;) {
      const newline = source.indexOf('\n', start);
      let end = newline === -1 ? source.length : newline;
      if (end > start && source.charCodeAt(end - 1) === 13) end -= 1; // \r
      let p = start;
      while (p < end && source.charCodeAt(p) === 32) p += 1;
      this.starts.push(start);
      this.ends.push(end);
      this.indents.push(p === end || source.charCodeAt(p) === 35 ? -1 : p - start); // blank, or a # comment
      if (newline === -1) break;
      start = newline + 1;
    }
  }

  get count(): number {
    return this.starts.length;
  }

  length(i: number): number {
    return (this.ends[i] ?? 0) - (this.starts[i] ?? 0);
  }

  charAt(i: number, col: number): number {
    const at = (this.starts[i] ?? 0) + col;
    return at < (this.ends[i] ?? 0) ? this.source.charCodeAt(at) : NaN;
  }

  startsWith(i: number, col: number, prefix: string): boolean {
    const at = (this.starts[i] ?? 0) + col;
    return at + prefix.length <= (this.ends[i] ?? 0) && this.source.startsWith(prefix, at);
  }

  /** The line's text from `col` on. */
  text(i: number, col = 0): string {
    return this.source.slice((this.starts[i] ?? 0) + col, this.ends[i] ?? 0);
  }

  /** `- ` at `col`, or a lone `-` ending the line: a sequence entry. */
  isEntry(i: number, col: number): boolean {
    return this.startsWith(i, col, '- ') || (this.length(i) === col + 1 && this.charAt(i, col) === 45);
  }
}

/** A block node: lines [from, to), whose content starts at column `col` on line `from`. */
interface BlockNode {
  readonly from: number;
  readonly to: number;
  readonly col: number;
}

/** Keys read the same by parseKey's plain branch and by a prefix test: no quotes, `:`, `#`, spaces or leading indicator. */
const SIMPLE_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

// A plain key may hold `:` not followed by a space (`system:masters`), never a `#`.
const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{}[\],&*!|>%@`?:-](?:[^:#]|:(?=\S))*?|-[^\s:](?:[^:#]|:(?=\S))*?))\s*:(?:\s|$)/;

/** Parses `key:` at the start of `rest`; returns the key and the text after the colon. */
function parseKey(rest: string): { key: string; after: string; valueCol: number } | undefined {
  const match = KEY.exec(rest);
  if (!match) return undefined;
  const key = match[1] !== undefined ? match[1] : match[2] !== undefined ? match[2].replaceAll("''", "'") : (match[3] ?? '').trimEnd();
  if (match[1] !== undefined && match[1].includes('\\')) return undefined; // escapes: leave to the library
  const after = rest.slice(match[0].length);
  const trimmed = after.trimStart();
  return { key, after: trimmed, valueCol: match[0].length + (after.length - trimmed.length) };
}

/** A one-line flow collection (`{app: web}`, `[ALL]`) opening at column `col` of line `line`: locate-flow.ts reads it. */
interface FlowStart {
  readonly line: number;
  readonly col: number;
}

/**
 * `next` is the value to descend into: a block, nothing (a scalar leaf), a flow collection, or
 * syntax this scanner leaves to the library (`exotic`: anchors, aliases, tags).
 */
type Next = BlockNode | undefined | FlowStart | 'exotic';
type Step = { kind: 'found'; pos: Position; next: Next } | { kind: 'absent' } | { kind: 'unsure' };

function isFlowStart(next: Next): next is FlowStart {
  return typeof next === 'object' && 'line' in next;
}

/** The end of a block whose parent content sits at `col`: the first later line indented at or left of it. */
function blockEnd(lines: Lines, start: number, end: number, col: number, allowSeqAtCol: boolean): number {
  let i = start;
  for (; i < end; i++) {
    const indent = lines.indents[i] ?? -1;
    if (indent === -1) continue;
    if (indent > col) continue;
    if (allowSeqAtCol && indent === col && lines.isEntry(i, col)) continue;
    break;
  }
  return i;
}

function isEmptyFlow(text: string): boolean {
  return /^(\{\s*\}|\[\s*\])\s*(#.*)?$/.test(text);
}

/** The value after `key:` on line `keyLine`; `after` is the rest of that line past the colon and spaces. */
function valueNode(lines: Lines, keyLine: number, end: number, col: number, after: string): Next {
  if (after === '' || after.startsWith('#')) {
    return { from: keyLine + 1, to: blockEnd(lines, keyLine + 1, end, col, true), col: -1 };
  }
  if (isEmptyFlow(after)) return undefined; // `{}` / `[]`: nothing inside to find
  if (after.startsWith('{') || after.startsWith('[')) return { line: keyLine, col: lines.length(keyLine) - after.length };
  if (after.startsWith('&') || after.startsWith('!') || after.startsWith('*')) return 'exotic';
  return undefined; // a scalar (plain, quoted or block scalar): a leaf
}

function firstContent(lines: Lines, node: BlockNode): { index: number; col: number } | undefined {
  if (node.col >= 0) return { index: node.from, col: node.col };
  for (let i = node.from; i < node.to; i++) {
    const indent = lines.indents[i] ?? -1;
    if (indent !== -1) return { index: i, col: indent };
  }
  return undefined;
}

function step(lines: Lines, node: BlockNode, segment: string | number): Step {
  const first = firstContent(lines, node);
  if (!first) return { kind: 'absent' };
  const isSequence = lines.isEntry(first.index, first.col);
  if (isSequence) {
    if (typeof segment !== 'number') return { kind: 'absent' };
    let seen = -1;
    for (let i = first.index; i < node.to; i++) {
      const indent = lines.indents[i] ?? -1;
      const col = i === first.index ? first.col : indent;
      if (indent === -1 || col > first.col) continue;
      if (col < first.col) break;
      if (!(lines.startsWith(i, col, '- ') || lines.length(i) === col + 1)) return { kind: 'unsure' };
      seen += 1;
      if (seen !== segment) continue;
      let contentCol = col + 1;
      while (lines.charAt(i, contentCol) === 32) contentCol += 1;
      const rest = lines.text(i, contentCol);
      const itemEnd = blockEnd(lines, i + 1, node.to, col, false);
      if (rest === '' || rest.startsWith('#')) {
        // The item's content starts on the next line.
        const inner = firstContent(lines, { from: i + 1, to: itemEnd, col: -1 });
        return { kind: 'found', pos: inner ? { line: inner.index + 1, column: inner.col + 1 } : { line: i + 1, column: col + 1 }, next: { from: i + 1, to: itemEnd, col: -1 } };
      }
      if (/^[[{]/.test(rest) && !parseKey(rest)) return { kind: 'found', pos: { line: i + 1, column: contentCol + 1 }, next: isEmptyFlow(rest) ? undefined : { line: i, col: contentCol } };
      if (/^[&!*]/.test(rest) && !parseKey(rest)) return { kind: 'found', pos: { line: i + 1, column: contentCol + 1 }, next: 'exotic' };
      if (/^[|>"']/.test(rest) && !parseKey(rest)) return { kind: 'found', pos: { line: i + 1, column: contentCol + 1 }, next: undefined };
      if (rest.startsWith('- ')) return { kind: 'unsure' }; // a nested sequence on the dash line
      if (parseKey(rest)) return { kind: 'found', pos: { line: i + 1, column: contentCol + 1 }, next: { from: i, to: itemEnd, col: contentCol } };
      // A mapping whose key this scanner does not read (`a#b: 1`) must not pass for a scalar.
      if (/:(\s|$)/.test(rest)) return { kind: 'unsure' };
      return { kind: 'found', pos: { line: i + 1, column: contentCol + 1 }, next: undefined };
    }
    return { kind: 'absent' };
  }
  // A block mapping at column first.col.
  const key = String(segment);
  for (let i = first.index; i < node.to; i++) {
    const indent = lines.indents[i] ?? -1;
    const col = i === first.index ? first.col : indent;
    if (indent === -1 || col > first.col) continue;
    if (col < first.col) break;
    // Only a line starting with the key (or a quote) can hold it: skip the others without parsing them.
    const opening = lines.charAt(i, col);
    if (opening !== 34 && opening !== 39 && !lines.startsWith(i, col, key)) continue;
    // `key:` then a space or the end of the line, for a key that parseKey would read as written: no regex needed.
    if (opening !== 34 && opening !== 39 && SIMPLE_KEY.test(key) && lines.charAt(i, col + key.length) === 58) {
      const next = lines.charAt(i, col + key.length + 1);
      if (next === 32 || Number.isNaN(next)) {
        const value = valueNode(lines, i, node.to, col, lines.text(i, col + key.length + 1).trimStart());
        return { kind: 'found', pos: { line: i + 1, column: col + 1 }, next: value };
      }
    }
    const rest = lines.text(i, col);
    const parsed = parseKey(rest);
    if (!parsed) {
      if (rest.startsWith('- ') || rest === '-') continue; // a sequence value at the key's indentation (kubectl style)
      return { kind: 'unsure' };
    }
    if (parsed.key !== key) continue;
    const value = valueNode(lines, i, node.to, col, parsed.after);
    return { kind: 'found', pos: { line: i + 1, column: col + 1 }, next: value };
  }
  return { kind: 'absent' };
}

/** The document's root node, past directives, comments and the `---` marker; undefined when content sits on the marker line. */
function rootNode(lines: Lines): BlockNode | undefined {
  let start = 0;
  while (start < lines.count) {
    if (lines.indents[start] === -1 || lines.startsWith(start, 0, '%')) { start += 1; continue; }
    const text = lines.text(start);
    if (/^---\s*$/.test(text)) { start += 1; continue; }
    if (text.startsWith('---')) return undefined;
    if (text.startsWith('{') || text.startsWith('[')) return undefined; // a flow root: the scan reads block nodes only
    break;
  }
  return { from: start, to: lines.count, col: -1 };
}

/** Walks `path` from `node`; undefined when the syntax on the way is beyond this scanner. */
function walk(lines: Lines, node: BlockNode, start: Position, path: FieldPath): Position | undefined {
  let current: BlockNode | undefined = node;
  let pos = start;
  for (const [depth, segment] of path.entries()) {
    if (current === undefined) break;
    const result = step(lines, current, segment);
    if (result.kind === 'unsure') return undefined;
    if (result.kind === 'absent') break;
    pos = result.pos;
    const next = result.next;
    if (depth === path.length - 1) break;
    if (next === 'exotic') return undefined;
    if (isFlowStart(next)) {
      const column = locateInFlow(lines.text(next.line), next.col, path.slice(depth + 1));
      if (column === undefined) return undefined;
      return column === null ? pos : { line: next.line + 1, column: column + 1 };
    }
    current = next;
  }
  return pos;
}

/**
 * The same answer as `locateWithYamlLibrary`, computed from lines for block-style YAML (what
 * kubectl and Helm print), at a fraction of the cost. Hand-written because no library locates a
 * path without building a full node tree. Returns undefined when the document uses syntax this
 * scanner does not follow (flow collections spanning lines, anchors, tags, escapes, complex keys),
 * and the caller falls back to the library.
 */
export function locateFast(text: string, path: FieldPath, lines: Lines = new Lines(text)): Position | undefined {
  const root = rootNode(lines);
  if (root === undefined) return undefined;
  const first = firstContent(lines, root);
  return walk(lines, root, first ? { line: first.index + 1, column: first.col + 1 } : { line: 1, column: 1 }, path);
}

/** Each item of the root's `items` sequence in one pass, for `kubectl get -o yaml` Lists of thousands. */
function listItems(lines: Lines): { pos: Position; node: BlockNode | undefined }[] | undefined {
  const root = rootNode(lines);
  if (root === undefined) return undefined;
  const items = step(lines, root, 'items');
  if (items.kind !== 'found' || items.next === undefined || items.next === 'exotic' || isFlowStart(items.next)) return undefined;
  const sequence = items.next;
  const first = firstContent(lines, sequence);
  if (first === undefined) return [];
  const out: { pos: Position; node: BlockNode | undefined }[] = [];
  for (let i = first.index; i < sequence.to; i++) {
    const indent = lines.indents[i] ?? -1;
    const col = i === first.index ? first.col : indent;
    if (indent === -1 || col > first.col) continue;
    if (col < first.col) break;
    if (!(lines.startsWith(i, col, '- ') || lines.length(i) === col + 1)) return undefined;
    // The item's own step from a one-item view of the sequence: same rules as any other path.
    const single = step(lines, { from: i, to: blockEnd(lines, i + 1, sequence.to, col, false), col }, 0);
    if (single.kind !== 'found' || single.next === 'exotic' || isFlowStart(single.next)) return undefined;
    out.push({ pos: single.pos, node: single.next });
  }
  return out;
}

/**
 * Locates field paths in one YAML or JSON document (or in the items of a List document): the
 * positions its reader recorded where it recorded them (positions.ts), else the JSON index for
 * JSON, the line scan for block YAML, the YAML library where neither can follow.
 * Built on first use and shared by every object of the document, so a List of 10,000 items is
 * indexed once, not once per item.
 */
export class DocumentIndex {
  private readonly text: string;
  private readonly firstLine: number;
  private readonly positions: PositionIndex | undefined;
  private lines: Lines | undefined;
  private simple: boolean | undefined;
  private items: { pos: Position; node: BlockNode | undefined }[] | null | undefined;
  private library: { doc: Document; counter: LineCounter } | undefined;
  /** null: not JSON, or JSON the index cannot follow. */
  private json: JsonIndex | null | undefined;

  constructor(text: string, firstLine: number, positions?: PositionIndex) {
    this.text = text;
    this.firstLine = firstLine;
    this.positions = positions;
  }

  /** The position of a path from the document root (a List item's path starts with `items`, i). */
  locate(path: FieldPath): Position {
    const relative = this.positions !== undefined ? this.positions.locate(path) : this.locateByText(path);
    return { line: this.firstLine + relative.line - 1, column: relative.column };
  }

  /** `locate([...prefix, ...path])`, without building the joined path (a List item's findings). */
  locateUnder(prefix: FieldPath, path: FieldPath): Position {
    const from = this.positions?.entry(prefix) ?? -1;
    if (this.positions === undefined || from === -1) return this.locate([...prefix, ...path]);
    const relative = this.positions.locateFrom(from, path);
    return { line: this.firstLine + relative.line - 1, column: relative.column };
  }

  private locateByText(path: FieldPath): Position {
    // The line scan reads block YAML only: on JSON it would find no key and answer the first line.
    if (this.json === undefined) this.json = looksLikeJson(this.text) ? indexJson(this.text) ?? null : null;
    return this.json !== null ? this.json.locate(path) : this.locateFastOrUndefined(path) ?? this.locateWithLibrary(path);
  }

  private isSimple(): boolean {
    if (this.simple === undefined) {
      const t = this.text;
      // Cheap test first; the precise one only for documents that hold one of the characters.
      this.simple = !(t.includes('&') || t.includes('*') || t.includes('!') || t.includes('?') || t.includes('<<'))
        || !/(^|[\s[{,])[&*!][^\s]|^\s*\? |<</m.test(t);
    }
    return this.simple;
  }

  private locateFastOrUndefined(path: FieldPath): Position | undefined {
    if (!this.isSimple()) return undefined;
    this.lines ??= new Lines(this.text);
    const [head, index] = path;
    if (head === 'items' && typeof index === 'number') {
      if (this.items === undefined) this.items = listItems(this.lines) ?? null;
      const item = this.items?.[index];
      if (item) return walk(this.lines, item.node ?? { from: 0, to: 0, col: -1 }, item.pos, item.node ? path.slice(2) : []);
    }
    return locateFast(this.text, path, this.lines);
  }

  private locateWithLibrary(path: FieldPath): Position {
    if (this.library === undefined) {
      const { LineCounter: Counter, parseDocument } = yamlLibrary();
      const counter = new Counter();
      this.library = { doc: parseDocument(this.text, { lineCounter: counter }), counter };
    }
    return positionInDocument(this.library.doc, this.library.counter, path);
  }
}
