import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { FieldPath } from '../../core/finding.js';
import type { Position } from '../../core/resource.js';

/**
 * Where a field path points in one YAML document: the key of a final map segment, the start of
 * a final sequence item. A path that leaves the document stops at the deepest part that exists,
 * so a missing `securityContext` still points at its container.
 */

/** Exact, for any YAML: walks the `yaml` library's node tree. Slower, so used only as a fallback. */
export function locateWithYamlLibrary(text: string, path: FieldPath): Position {
  const counter = new LineCounter();
  return positionInDocument(parseDocument(text, { lineCounter: counter }), counter, path);
}

function positionInDocument(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: FieldPath): Position {
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

interface Line {
  /** Column of the first non-space character (0-based); -1 for blank and comment lines. */
  readonly indent: number;
  readonly text: string;
}

function splitLines(text: string): Line[] {
  const raw = text.split('\n');
  const lines: Line[] = new Array<Line>(raw.length);
  for (let i = 0; i < raw.length; i += 1) {
    let line = raw[i] as string;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1); // \r
    let indent = 0;
    while (indent < line.length && line.charCodeAt(indent) === 32) indent += 1;
    const blank = indent === line.length || line.charCodeAt(indent) === 35; // empty, or a # comment
    lines[i] = { indent: blank ? -1 : indent, text: line };
  }
  return lines;
}

/** A block node: lines [from, to), whose content starts at column `col` on line `from`. */
interface BlockNode {
  readonly from: number;
  readonly to: number;
  readonly col: number;
}

const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{}[\],&*!|>%@`?:-][^:#]*?|-[^\s:][^:#]*?))\s*:(?:\s|$)/;

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

/** `next` is the value to descend into: a block, nothing (a scalar leaf), or a flow collection this scanner leaves to the library. */
type Step = { kind: 'found'; pos: Position; next: BlockNode | undefined | 'flow' } | { kind: 'absent' } | { kind: 'unsure' };

/** The end of a block whose parent content sits at `col`: the first later line indented at or left of it. */
function blockEnd(lines: readonly Line[], start: number, end: number, col: number, allowSeqAtCol: boolean): number {
  let i = start;
  for (; i < end; i++) {
    const line = lines[i] as Line;
    if (line.indent === -1) continue;
    if (line.indent > col) continue;
    if (allowSeqAtCol && line.indent === col && (line.text.startsWith('- ', col) || line.text.length === col + 1 && line.text.endsWith('-'))) continue;
    break;
  }
  return i;
}

function isEmptyFlow(text: string): boolean {
  return /^(\{\s*\}|\[\s*\])\s*(#.*)?$/.test(text);
}

function valueNode(lines: readonly Line[], keyLine: number, end: number, col: number, after: string): BlockNode | undefined | 'flow' {
  if (after === '' || after.startsWith('#')) {
    return { from: keyLine + 1, to: blockEnd(lines, keyLine + 1, end, col, true), col: -1 };
  }
  if (isEmptyFlow(after)) return undefined; // `{}` / `[]`: nothing inside to find
  if (after.startsWith('{') || after.startsWith('[') || after.startsWith('&') || after.startsWith('!') || after.startsWith('*')) return 'flow';
  return undefined; // a scalar (plain, quoted or block scalar): a leaf
}

function firstContent(lines: readonly Line[], node: BlockNode): { index: number; col: number } | undefined {
  if (node.col >= 0) return { index: node.from, col: node.col };
  for (let i = node.from; i < node.to; i++) {
    const line = lines[i] as Line;
    if (line.indent !== -1) return { index: i, col: line.indent };
  }
  return undefined;
}

function step(lines: readonly Line[], node: BlockNode, segment: string | number): Step {
  const first = firstContent(lines, node);
  if (!first) return { kind: 'absent' };
  const firstText = (lines[first.index] as Line).text;
  const isSequence = firstText.startsWith('- ', first.col) || firstText.length === first.col + 1 && firstText.endsWith('-');
  if (isSequence) {
    if (typeof segment !== 'number') return { kind: 'absent' };
    let seen = -1;
    for (let i = first.index; i < node.to; i++) {
      const line = lines[i] as Line;
      const col = i === first.index ? first.col : line.indent;
      if (line.indent === -1 || col > first.col) continue;
      if (col < first.col) break;
      if (!(line.text.startsWith('- ', col) || line.text.length === col + 1)) return { kind: 'unsure' };
      seen += 1;
      if (seen !== segment) continue;
      let contentCol = col + 1;
      while (line.text.charCodeAt(contentCol) === 32) contentCol += 1;
      const rest = line.text.slice(contentCol);
      const itemEnd = blockEnd(lines, i + 1, node.to, col, false);
      if (rest === '' || rest.startsWith('#')) {
        // The item's content starts on the next line.
        const inner = firstContent(lines, { from: i + 1, to: itemEnd, col: -1 });
        return { kind: 'found', pos: inner ? { line: inner.index + 1, column: inner.col + 1 } : { line: i + 1, column: col + 1 }, next: { from: i + 1, to: itemEnd, col: -1 } };
      }
      if (/^[[{&!*]/.test(rest) && !parseKey(rest)) return { kind: 'found', pos: { line: i + 1, column: contentCol + 1 }, next: isEmptyFlow(rest) ? undefined : 'flow' };
      if (/^[|>"']/.test(rest) && !parseKey(rest)) return { kind: 'found', pos: { line: i + 1, column: contentCol + 1 }, next: undefined };
      if (rest.startsWith('- ')) return { kind: 'unsure' }; // a nested sequence on the dash line
      return { kind: 'found', pos: { line: i + 1, column: contentCol + 1 }, next: parseKey(rest) ? { from: i, to: itemEnd, col: contentCol } : undefined };
    }
    return { kind: 'absent' };
  }
  // A block mapping at column first.col.
  const key = String(segment);
  for (let i = first.index; i < node.to; i++) {
    const line = lines[i] as Line;
    const col = i === first.index ? first.col : line.indent;
    if (line.indent === -1 || col > first.col) continue;
    if (col < first.col) break;
    // Only a line starting with the key (or a quote) can hold it: skip the others without parsing them.
    const opening = line.text.charCodeAt(col);
    if (opening !== 34 && opening !== 39 && !line.text.startsWith(key, col)) continue;
    const rest = line.text.slice(col);
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
function rootNode(lines: readonly Line[]): BlockNode | undefined {
  let start = 0;
  while (start < lines.length) {
    const line = lines[start] as Line;
    if (line.indent === -1 || line.text.startsWith('%')) { start += 1; continue; }
    if (/^---\s*$/.test(line.text)) { start += 1; continue; }
    if (line.text.startsWith('---')) return undefined;
    break;
  }
  return { from: start, to: lines.length, col: -1 };
}

/** Walks `path` from `node`; undefined when the syntax on the way is beyond this scanner. */
function walk(lines: readonly Line[], node: BlockNode, start: Position, path: FieldPath): Position | undefined {
  let current: BlockNode | undefined = node;
  let pos = start;
  for (const [depth, segment] of path.entries()) {
    if (current === undefined) break;
    const result = step(lines, current, segment);
    if (result.kind === 'unsure') return undefined;
    if (result.kind === 'absent') break;
    pos = result.pos;
    if (result.next === 'flow') return depth === path.length - 1 ? pos : undefined;
    current = result.next;
  }
  return pos;
}

/**
 * The same answer as `locateWithYamlLibrary`, computed from lines for block-style YAML (what
 * kubectl and Helm print), at a fraction of the cost. Hand-written because no library locates a
 * path without building a full node tree. Returns undefined when the document uses syntax this
 * scanner does not follow (flow collections on the path, anchors, tags, escapes, complex keys),
 * and the caller falls back to the library.
 */
export function locateFast(text: string, path: FieldPath, lines: readonly Line[] = splitLines(text)): Position | undefined {
  const root = rootNode(lines);
  if (root === undefined) return undefined;
  const first = firstContent(lines, root);
  return walk(lines, root, first ? { line: first.index + 1, column: first.col + 1 } : { line: 1, column: 1 }, path);
}

/** Each item of the root's `items` sequence in one pass, for `kubectl get -o yaml` Lists of thousands. */
function listItems(lines: readonly Line[]): { pos: Position; node: BlockNode | undefined }[] | undefined {
  const root = rootNode(lines);
  if (root === undefined) return undefined;
  const items = step(lines, root, 'items');
  if (items.kind !== 'found' || items.next === undefined || items.next === 'flow') return undefined;
  const sequence = items.next;
  const first = firstContent(lines, sequence);
  if (first === undefined) return [];
  const out: { pos: Position; node: BlockNode | undefined }[] = [];
  for (let i = first.index; i < sequence.to; i++) {
    const line = lines[i] as Line;
    const col = i === first.index ? first.col : line.indent;
    if (line.indent === -1 || col > first.col) continue;
    if (col < first.col) break;
    if (!(line.text.startsWith('- ', col) || line.text.length === col + 1)) return undefined;
    // The item's own step from a one-item view of the sequence: same rules as any other path.
    const single = step(lines, { from: i, to: blockEnd(lines, i + 1, sequence.to, col, false), col }, 0);
    if (single.kind !== 'found' || single.next === 'flow') return undefined;
    out.push({ pos: single.pos, node: single.next });
  }
  return out;
}

/**
 * Locates field paths in one YAML document (or in the items of a List document): the line scan
 * where it can, the YAML library where it must. Built on first use and shared by every object of
 * the document, so a List of 10,000 items is indexed once, not once per item.
 */
export class DocumentIndex {
  private readonly text: string;
  private readonly firstLine: number;
  private lines: Line[] | undefined;
  private simple: boolean | undefined;
  private items: { pos: Position; node: BlockNode | undefined }[] | null | undefined;
  private library: { doc: ReturnType<typeof parseDocument>; counter: LineCounter } | undefined;

  constructor(text: string, firstLine: number) {
    this.text = text;
    this.firstLine = firstLine;
  }

  /** The position of a path from the document root (a List item's path starts with `items`, i). */
  locate(path: FieldPath): Position {
    const relative = this.locateFastOrUndefined(path) ?? this.locateWithLibrary(path);
    return { line: this.firstLine + relative.line - 1, column: relative.column };
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
    this.lines ??= splitLines(this.text);
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
      const counter = new LineCounter();
      this.library = { doc: parseDocument(this.text, { lineCounter: counter }), counter };
    }
    return positionInDocument(this.library.doc, this.library.counter, path);
  }
}
