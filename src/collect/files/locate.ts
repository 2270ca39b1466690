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
  const doc = parseDocument(text, { lineCounter: counter });
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
  return text.split('\n').map((raw) => {
    const textLine = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let indent = 0;
    while (indent < textLine.length && textLine.charCodeAt(indent) === 32) indent += 1;
    const rest = textLine.slice(indent);
    return { indent: rest === '' || rest.startsWith('#') ? -1 : indent, text: textLine };
  });
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
  for (let i = first.index; i < node.to; i++) {
    const line = lines[i] as Line;
    const col = i === first.index ? first.col : line.indent;
    if (line.indent === -1 || col > first.col) continue;
    if (col < first.col) break;
    const rest = line.text.slice(col);
    const parsed = parseKey(rest);
    if (!parsed) {
      if (rest.startsWith('- ') || rest === '-') continue; // a sequence value at the key's indentation (kubectl style)
      return { kind: 'unsure' };
    }
    if (parsed.key !== String(segment)) continue;
    const value = valueNode(lines, i, node.to, col, parsed.after);
    return { kind: 'found', pos: { line: i + 1, column: col + 1 }, next: value };
  }
  return { kind: 'absent' };
}

/**
 * The same answer as `locateWithYamlLibrary`, computed from lines for block-style YAML (what
 * kubectl and Helm print), at a fraction of the cost. Hand-written because no library locates a
 * path without building a full node tree. Returns undefined when the document uses syntax this
 * scanner does not follow (flow collections on the path, anchors, tags, escapes, complex keys),
 * and the caller falls back to the library.
 */
export function locateFast(text: string, path: FieldPath, lines: readonly Line[] = splitLines(text)): Position | undefined {
  let start = 0;
  while (start < lines.length) {
    const line = lines[start] as Line;
    if (line.indent === -1 || line.text.startsWith('%')) { start += 1; continue; }
    if (/^---\s*$/.test(line.text)) { start += 1; continue; }
    if (line.text.startsWith('---')) return undefined; // content on the marker line
    break;
  }
  let node: BlockNode | undefined = { from: start, to: lines.length, col: -1 };
  const root = firstContent(lines, node);
  let pos: Position = root ? { line: root.index + 1, column: root.col + 1 } : { line: 1, column: 1 };
  for (const [depth, segment] of path.entries()) {
    if (node === undefined) break;
    const result = step(lines, node, segment);
    if (result.kind === 'unsure') return undefined;
    if (result.kind === 'absent') break;
    pos = result.pos;
    if (result.next === 'flow') return depth === path.length - 1 ? pos : undefined;
    node = result.next;
  }
  return pos;
}

/** A locator for one document: the line scan where it can, the YAML library where it must. */
export function documentLocator(text: string, firstLine: number, prefix: FieldPath): (path: FieldPath) => Position {
  let lines: Line[] | undefined;
  const simple = !/(^|[\s[{,])[&*!][^\s]|^\s*\? |<</m.test(text);
  return (path) => {
    const full = [...prefix, ...path];
    let pos: Position | undefined;
    if (simple) {
      lines ??= splitLines(text);
      pos = locateFast(text, full, lines);
    }
    pos ??= locateWithYamlLibrary(text, full);
    return { line: firstLine + pos.line - 1, column: pos.column };
  };
}
