/**
 * Applies one RFC 6902 operation to the text of a YAML or JSON document by splicing at the ranges
 * the `yaml` parser gives its nodes, rendering only the new or changed nodes. Everything else
 * (comments, quoting, indentation, blank lines, other documents) keeps its bytes. Hand-written
 * because no library edits YAML text in place: `yaml`'s `Document.toString()` re-renders the whole
 * document (comment spacing, sequence indentation), and jsonc-style editors know no YAML.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isPair, isScalar, isSeq, stringify, type Document, type Node, type Pair, type Scalar, type ToStringOptions, type YAMLMap, type YAMLSeq } from 'yaml';
import type { FieldPath, PatchOp } from '../core/finding.js';
import { placeNewKey, type Placement } from './placement.js';

/** An op that cannot be written into this text (an alias in the way, a scalar where a mapping should be). */
export class EditError extends Error {
  override name = 'EditError';
}

export interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** How new text is written: taken from the file, so an insertion looks like its neighbours. */
export interface TextStyle {
  /** Spaces per nesting level. */
  readonly indent: number;
  /** Whether a block sequence under a key is indented (`key:\n  - a`) or not (`key:\n- a`). */
  readonly indentSeq: boolean;
  /** A JSON file: new nodes are written as JSON. */
  readonly json: boolean;
  readonly eol: '\n' | '\r\n';
}

type Collection = YAMLMap<unknown, unknown> | YAMLSeq<unknown>;

/** Where a node sits: the value of a pair, an item of a sequence, or the document's root. */
interface Located {
  readonly node: Node | null;
  readonly parent?: Collection;
  readonly pair?: Pair<unknown, unknown>;
  readonly index?: number;
  /** The node's path from the document root. */
  readonly path: FieldPath;
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCollectionValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function isEmptyCollectionValue(value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : isPlainObject(value) && Object.keys(value).length === 0;
}

/** Finds the style of a document's text: indentation unit, sequence indentation, JSON or not, line ends. */
export function detectStyle(text: string, json: boolean): TextStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (json) {
    const nested = /\n([ \t]+)"/.exec(text);
    return { indent: nested?.[1] !== undefined && !nested[1].includes('\t') ? nested[1].length : 2, indentSeq: true, json, eol };
  }
  let indent: number | undefined;
  let indentSeq: boolean | undefined;
  // `key:` followed by a more indented line: the first such pair tells the unit; `key:` followed by `- ` tells the sequence style.
  const lines = text.split(/\r?\n/);
  for (let i = 0; i + 1 < lines.length && (indent === undefined || indentSeq === undefined); i++) {
    const line = lines[i] ?? '';
    const key = /^( *)(?:- +)?[^\s#][^#]*:\s*(?:#.*)?$/.exec(line);
    if (!key) continue;
    const next = lines[i + 1] ?? '';
    const nextIndent = /^( *)(\S)/.exec(next);
    if (!nextIndent) continue;
    const keyColumn = line.replace(/^( *)(- +)?/, (_m, spaces: string, dash: string | undefined) => spaces + ' '.repeat(dash?.length ?? 0)).search(/\S/);
    const column = (nextIndent[1] ?? '').length;
    if (nextIndent[2] === '-' && /^ *- /.test(next)) {
      indentSeq ??= column > keyColumn;
    } else if (column > keyColumn) {
      indent ??= column - keyColumn;
    }
  }
  return { indent: indent ?? 2, indentSeq: indentSeq ?? true, json, eol };
}

/** Applies splices that do not overlap; at one offset a removal goes before an insertion. */
export function applySplices(text: string, splices: readonly Splice[]): string {
  const ordered = [...splices].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const splice of ordered) out = out.slice(0, splice.start) + splice.text + out.slice(splice.end);
  return out;
}

/**
 * The splices that apply `op` to the document (paths from its root). Throws EditError when the op
 * cannot be written (the caller leaves the file as it was for that op).
 */
export function spliceOp(text: string, document: Document.Parsed, op: PatchOp, style: TextStyle): Splice[] {
  return new Editor(text, style).index(document).apply(document, op);
}

class Editor {
  constructor(private readonly text: string, private readonly style: TextStyle) {}

  apply(document: Document.Parsed, op: PatchOp): Splice[] {
    const root = document.contents as Node | null;
    if (op.path.length === 0) throw new EditError('a patch cannot replace the whole document');
    if (root === null) throw new EditError('the document is empty');
    // Walk down as far as the path exists.
    let current: Located = { node: root, path: [] };
    let depth = 0;
    for (; depth < op.path.length; depth++) {
      const child = this.child(current, op.path[depth] as string | number);
      if (child === undefined) break;
      current = child;
    }
    const last = op.path[op.path.length - 1] as string | number;
    if (op.op === 'remove') {
      if (depth < op.path.length) return []; // already absent: nothing to remove
      return this.remove(current);
    }
    if (depth === op.path.length) {
      // An existing target: `add` to an array index inserts, anything else replaces.
      if (op.op === 'add' && current.parent !== undefined && isSeq(current.parent) && typeof last === 'number') {
        return this.insertItem(current.parent, last, op.value, current.path.slice(0, -1));
      }
      return this.replace(current, op.value);
    }
    if (op.op === 'replace') throw new EditError(`path ${op.path.join('.')} does not exist`);
    // The deepest existing node is `current`; the rest of the path is created under it.
    const rest = op.path.slice(depth);
    if (rest.slice(1).some((segment) => typeof segment === 'number' || segment === '-')) {
      throw new EditError(`path ${op.path.join('.')} needs a list that does not exist`);
    }
    const node = current.node;
    if (node === null || (isScalar(node) && (node.value === null || node.value === undefined))) {
      if (typeof rest[0] === 'number' || rest[0] === '-') return this.replace(current, [nest(rest.slice(1), op.value)]);
      return this.replace(current, { [String(rest[0])]: nest(rest.slice(1), op.value) });
    }
    if (isMap(node)) {
      if (typeof rest[0] === 'number') throw new EditError(`path ${op.path.join('.')} indexes a mapping`);
      return this.addPair(node, String(rest[0]), nest(rest.slice(1), op.value), current.path);
    }
    if (isSeq(node)) {
      if (rest.length !== 1 || !(rest[0] === '-' || rest[0] === node.items.length)) throw new EditError(`path ${op.path.join('.')} is past the end of a list`);
      return this.appendItem(node, op.value, current.path);
    }
    throw new EditError(`path ${op.path.join('.')} crosses a scalar`);
  }

  private child(at: Located, segment: string | number): Located | undefined {
    const node = at.node;
    if (node === null) return undefined;
    if (isMap(node)) {
      const index = node.items.findIndex((pair) => isScalar(pair.key) && String(pair.key.value) === String(segment));
      if (index === -1) {
        if (node.items.some((pair) => !isScalar(pair.key) || pair.key.value === '<<')) throw new EditError('the mapping has a merge key or a complex key');
        return undefined;
      }
      const pair = node.items[index] as Pair<unknown, unknown>;
      const value = pair.value as Node | null;
      if (value !== null && !isScalar(value) && !isMap(value) && !isSeq(value)) throw new EditError('the path goes through a YAML alias');
      return { node: value, parent: node, pair, index, path: [...at.path, segment] };
    }
    if (isSeq(node)) {
      if (typeof segment !== 'number' || !Number.isInteger(segment) || segment < 0 || segment >= node.items.length) return undefined;
      const item = node.items[segment] as Node | null;
      if (item !== null && !isScalar(item) && !isMap(item) && !isSeq(item)) throw new EditError('the path goes through a YAML alias');
      return { node: item, parent: node, index: segment, path: [...at.path, segment] };
    }
    if (isScalar(node)) return undefined;
    throw new EditError('the path goes through a YAML alias');
  }

  // ----- offsets ---------------------------------------------------------------------------------

  private lineStart(pos: number): number {
    return this.text.lastIndexOf('\n', pos - 1) + 1;
  }

  /** The offset after the line holding `pos` (its comment and line break included). */
  private endOfLine(pos: number): number {
    if (pos > 0 && this.text.charAt(pos - 1) === '\n') return pos;
    const at = this.text.indexOf('\n', pos);
    return at === -1 ? this.text.length : at + 1;
  }

  private column(pos: number): number {
    return pos - this.lineStart(pos);
  }

  private onlySpacesBefore(pos: number): boolean {
    return this.text.slice(this.lineStart(pos), pos).trim() === '';
  }

  /** The indentation of the line holding `pos`. */
  private lineIndent(pos: number): number {
    const start = this.lineStart(pos);
    let i = start;
    while (this.text.charAt(i) === ' ') i++;
    return i - start;
  }

  /** Where a node's own text ends: the last character of its last value, before comments and the line break. */
  private contentEnd(node: unknown): number {
    if (isScalar(node)) return (node.range as [number, number, number])[1];
    if (isMap(node) || isSeq(node)) {
      if (node.flow === true || node.items.length === 0) return (node.range as [number, number, number])[1];
      return this.itemEnd(node.items[node.items.length - 1]);
    }
    if (node !== null && typeof node === 'object' && 'range' in node) return ((node as Node).range as [number, number, number])[1];
    throw new EditError('a node without a source range');
  }

  private itemStart(item: unknown): number {
    if (isPair(item)) return ((item.key as Node).range as [number, number, number])[0];
    return ((item as Node).range as [number, number, number])[0];
  }

  private itemEnd(item: unknown): number {
    if (isPair(item)) return this.contentEnd(item.value ?? item.key);
    return this.contentEnd(item);
  }

  /** The offset just after the `:` of a pair. */
  private afterColon(pair: Pair<unknown, unknown>): number {
    let i = ((pair.key as Node).range as [number, number, number])[1];
    while (i < this.text.length && this.text.charAt(i) !== ':') i++;
    if (this.text.charAt(i) !== ':') throw new EditError('no ":" after a key');
    return i + 1;
  }

  /** The `-` of a block sequence item. */
  private dashOf(item: Node): number {
    let i = (item.range as [number, number, number])[0] - 1;
    while (i >= 0 && (this.text.charAt(i) === ' ' || this.text.charAt(i) === '\t')) i--;
    if (this.text.charAt(i) !== '-') throw new EditError('a sequence item without its "-"');
    return i;
  }

  /** Moves an insertion point at a line start up above the comment lines at `column` right before it (they belong to the next item). */
  private aboveComments(pos: number, column: number): number {
    let at = pos;
    while (at > 0) {
      const previous = this.lineStart(at - 1);
      const line = this.text.slice(previous, at).replace(/\r?\n$/, '');
      if (!/^\s*#/.test(line) || this.lineIndent(previous) !== column) break;
      at = previous;
    }
    return at;
  }

  // ----- rendering -------------------------------------------------------------------------------

  private eolize(text: string): string {
    return this.style.eol === '\n' ? text : text.replace(/\n/g, '\r\n');
  }

  private indentLines(text: string, column: number): string {
    const pad = ' '.repeat(column);
    return text.split('\n').map((line, i) => (i === 0 || line === '' ? line : pad + line)).join('\n');
  }

  private yamlOptions(): ToStringOptions {
    return { indent: this.style.indent, indentSeq: this.style.indentSeq, lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false };
  }

  /** A value as block YAML whose first line continues the current line and whose others start at `column`. */
  private renderBlock(value: unknown, column: number): string {
    return this.eolize(this.indentLines(stringify(value, this.yamlOptions()).replace(/\n$/, ''), column));
  }

  private renderScalar(value: unknown, oldType?: Scalar.Type): string {
    if (this.style.json) return JSON.stringify(value);
    const quote = oldType === 'QUOTE_DOUBLE' || oldType === 'QUOTE_SINGLE' ? oldType : undefined;
    // A line break would make a block scalar, whose indentation depends on where it lands: quote it instead.
    const type = typeof value === 'string' && value.includes('\n') ? 'QUOTE_DOUBLE' : quote;
    return stringify(value, { ...this.yamlOptions(), ...(type !== undefined ? { defaultStringType: type } : {}) }).replace(/\n$/, '');
  }

  /** A value in flow style (or JSON): `base` is the indentation of the line it lands on, for multi-line JSON. */
  private renderFlow(value: unknown, base: number, multiLine: boolean): string {
    if (this.style.json) {
      const json = multiLine ? JSON.stringify(value, null, this.style.indent) : JSON.stringify(value);
      return this.eolize(this.indentLines(json, base));
    }
    return stringify(value, { ...this.yamlOptions(), collectionStyle: 'flow' }).replace(/\n$/, '');
  }

  /** `key: value` in flow style or JSON. */
  private renderFlowPair(key: string, value: unknown, base: number, multiLine: boolean): string {
    if (this.style.json) return `${JSON.stringify(key)}: ${this.renderFlow(value, base, multiLine)}`;
    const both = stringify({ [key]: value }, { ...this.yamlOptions(), collectionStyle: 'flow' }).trim();
    return both.slice(1, -1).trim();
  }

  private isMultiLine(collection: Collection): boolean {
    const [start, end] = collection.range as [number, number, number];
    return this.text.slice(start, end).includes('\n');
  }

  // ----- edits -----------------------------------------------------------------------------------

  /** Replaces a node's value, changing only what differs (a mapping keeps its untouched pairs and their comments). */
  private replace(at: Located, value: unknown): Splice[] {
    const node = at.node;
    if (isScalar(node) && !isCollectionValue(value)) {
      if (node.value === value || (node.value === null && value === null)) return [];
      const [start, end] = node.range as [number, number, number];
      if (start === end && at.pair !== undefined) {
        // An empty value (`key:`): write after the colon.
        const colon = this.afterColon(at.pair);
        return [{ start: colon, end: colon, text: ` ${this.renderScalar(value)}` }];
      }
      return [{ start, end, text: this.renderScalar(value, node.type) }];
    }
    if (isMap(node) && node.flow !== true && isPlainObject(value)) {
      const merged = this.mergeMap(node, value, at.path);
      if (merged !== undefined) return merged;
    }
    if (isSeq(node) && Array.isArray(value) && node.items.length === value.length && node.items.length > 0) {
      return node.items.flatMap((item, index) => this.replace({ node: item as Node | null, parent: node, index, path: [...at.path, index] }, value[index]));
    }
    if (isSeq(node) && node.flow !== true && Array.isArray(value) && value.length > 0 && value.length < node.items.length) {
      const removed = this.removedItems(node, value);
      if (removed !== undefined) return removed;
    }
    if (isMap(node) && node.flow === true && isPlainObject(value) && node.items.length > 0) {
      const merged = this.mergeFlowMap(node, value, at.path);
      if (merged !== undefined) return merged;
    }
    return this.replaceWhole(at, value);
  }

  /**
   * A block sequence whose new value keeps some of its items, in order (a capability list without
   * the dangerous ones): the other items lose their lines, and comments between items stay.
   * Undefined when the new value is not such a subsequence.
   */
  private removedItems(seq: YAMLSeq<unknown>, value: readonly unknown[]): Splice[] | undefined {
    const splices: Splice[] = [];
    let next = 0;
    for (const item of seq.items) {
      const json: unknown = item !== null && typeof item === 'object' && 'toJSON' in item ? (item as { toJSON(): unknown }).toJSON() : item;
      if (next < value.length && isDeepStrictEqual(json, value[next])) {
        next += 1;
        continue;
      }
      const dash = this.dashOf(item as Node);
      if (!this.onlySpacesBefore(dash)) return undefined;
      splices.push({ start: this.lineStart(dash), end: this.endOfLine(this.itemEnd(item)), text: '' });
    }
    return next === value.length ? splices : undefined;
  }

  /** Renders `value` in place of the node. */
  private replaceWhole(at: Located, value: unknown): Splice[] {
    const node = at.node;
    if (node === null) throw new EditError('a value without a source range');
    const start = (node.range as [number, number, number])[0];
    const end = this.contentEnd(node);
    const parentFlow = at.parent !== undefined && at.parent.flow === true;
    const nodeFlow = (isMap(node) || isSeq(node)) && node.flow === true;
    // A flow collection stays flow (on one line, as it was): `add: [NET_BIND_SERVICE]`; an empty
    // one (`securityContext: {}`) was a placeholder, and gets the block a person would write.
    const keepFlow = nodeFlow && ((node as Collection).items.length > 0 || !isCollectionValue(value));
    if (this.style.json || parentFlow || keepFlow) {
      const multiLine = this.style.json && (at.parent === undefined || this.isMultiLine(at.parent) || ((isMap(node) || isSeq(node)) && this.isMultiLine(node)));
      return [{ start, end, text: isCollectionValue(value) ? this.renderFlow(value, this.lineIndent(start), multiLine) : this.renderScalar(value) }];
    }
    const inline = !isCollectionValue(value) || isEmptyCollectionValue(value);
    if (at.pair !== undefined) {
      const colon = this.afterColon(at.pair);
      if (inline) return [{ start: colon, end, text: ` ${isCollectionValue(value) ? this.renderFlow(value, 0, false) : this.renderScalar(value)}` }];
      const keyColumn = this.column(((at.pair.key as Node).range as [number, number, number])[0]);
      const column = Array.isArray(value) && !this.style.indentSeq ? keyColumn : keyColumn + this.style.indent;
      return [{ start: colon, end, text: `${this.style.eol}${' '.repeat(column)}${this.renderBlock(value, column)}` }];
    }
    if (inline) return [{ start, end, text: isCollectionValue(value) ? this.renderFlow(value, 0, false) : this.renderScalar(value) }];
    return [{ start, end, text: this.renderBlock(value, this.column(start)) }];
  }

  /**
   * A block mapping changed pair by pair: removed pairs lose their lines, kept ones are compared in
   * turn, new ones are written together where a person would put them. Undefined when the
   * mapping shares no key with the new value (then it is rendered whole).
   */
  private mergeMap(map: YAMLMap<unknown, unknown>, value: Readonly<Record<string, unknown>>, path: FieldPath): Splice[] | undefined {
    const keys = map.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : undefined));
    const kept = keys.filter((key): key is string => key !== undefined && Object.hasOwn(value, key));
    if (kept.length === 0 || keys.includes(undefined)) return undefined;
    const splices: Splice[] = [];
    for (const [index, pair] of map.items.entries()) {
      const key = keys[index] as string;
      if (Object.hasOwn(value, key)) {
        splices.push(...this.replace({ node: pair.value as Node | null, parent: map, pair, index, path: [...path, key] }, value[key]));
      } else {
        const start = ((pair.key as Node).range as [number, number, number])[0];
        if (!this.onlySpacesBefore(start)) return undefined; // the first pair of a `- ` item: rendered whole
        splices.push({ start: this.lineStart(start), end: this.endOfLine(this.itemEnd(pair)), text: '' });
      }
    }
    const added = Object.keys(value).filter((key) => !keys.includes(key));
    if (added.length > 0) splices.push(...this.insertPairs(map, added.map((key) => [key, value[key]] as const), path, kept));
    return splices;
  }

  /** A JSON object changed member by member; new members go at its end. */
  private mergeFlowMap(map: YAMLMap<unknown, unknown>, value: Readonly<Record<string, unknown>>, path: FieldPath): Splice[] | undefined {
    const keys = map.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : undefined));
    if (keys.includes(undefined) || !keys.every((key) => Object.hasOwn(value, key as string))) return undefined; // removals: rendered whole
    const splices: Splice[] = [];
    for (const [index, pair] of map.items.entries()) {
      const key = keys[index] as string;
      splices.push(...this.replace({ node: pair.value as Node | null, parent: map, pair, index, path: [...path, key] }, value[key]));
    }
    for (const key of Object.keys(value).filter((k) => !keys.includes(k))) splices.push(...this.addPair(map, key, value[key], path));
    return splices;
  }

  private addPair(map: YAMLMap<unknown, unknown>, key: string, value: unknown, path: FieldPath): Splice[] {
    return this.insertPairs(map, [[key, value]], path);
  }

  /** Writes new pairs into a mapping; `remaining` are the keys that stay (all of them by default). */
  private insertPairs(map: YAMLMap<unknown, unknown>, pairs: readonly (readonly [string, unknown])[], path: FieldPath, remaining?: readonly string[]): Splice[] {
    if (map.items.length === 0) {
      const at = this.locateCollection(map, path);
      return this.replaceWhole(at, Object.fromEntries(pairs));
    }
    if (map.flow === true) {
      const multiLine = this.isMultiLine(map);
      const first = this.itemStart(map.items[0]);
      const column = multiLine ? this.column(first) : 0;
      const end = this.itemEnd(map.items[map.items.length - 1]);
      const separator = multiLine ? `,${this.style.eol}${' '.repeat(column)}` : ', ';
      const text = pairs.map(([key, value]) => separator + this.renderFlowPair(key, value, column, multiLine)).join('');
      return [{ start: end, end, text }];
    }
    const keys = map.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''));
    const present = remaining ?? keys;
    const placement: Placement = placeNewKey(path, present, (pairs[0] as readonly [string, unknown])[0]);
    const column = this.column(this.itemStart(map.items[0]));
    const body = pairs.map(([key, value]) => ' '.repeat(column) + this.renderBlock({ [key]: value }, column) + this.style.eol).join('');
    const beforeIndex = placement.before === undefined ? -1 : keys.indexOf(placement.before);
    if (beforeIndex !== -1) {
      const start = this.itemStart(map.items[beforeIndex]);
      if (this.onlySpacesBefore(start)) {
        const at = this.aboveComments(this.lineStart(start), column);
        return [{ start: at, end: at, text: body }];
      }
    }
    const afterIndex = placement.after !== undefined ? keys.indexOf(placement.after) : -1;
    const after = map.items[afterIndex === -1 ? map.items.length - 1 : afterIndex];
    const at = this.endOfLine(this.itemEnd(after));
    if (at === this.text.length && !this.text.endsWith('\n')) return [{ start: at, end: at, text: this.style.eol + body.slice(0, -this.style.eol.length) }];
    return [{ start: at, end: at, text: body }];
  }

  /** A collection as a Located (for rendering it whole in its pair's or item's place). */
  private locateCollection(collection: Collection, path: FieldPath): Located {
    return { node: collection, path, ...this.holderOf(collection) };
  }

  private remove(at: Located): Splice[] {
    const parent = at.parent;
    if (parent === undefined || at.index === undefined) throw new EditError('cannot remove the document root');
    const items = parent.items as unknown[];
    if (items.length === 1) return this.replaceParent(at, isMap(parent) ? {} : []);
    const index = at.index;
    if (parent.flow === true) {
      const start = index < items.length - 1 ? this.itemStart(items[index]) : this.itemEnd(items[index - 1]);
      const end = index < items.length - 1 ? this.itemStart(items[index + 1]) : this.itemEnd(items[index]);
      return [{ start, end, text: '' }];
    }
    const item = items[index];
    const start = isMap(parent) ? this.itemStart(item) : this.dashOf(item as Node);
    if (!this.onlySpacesBefore(start)) {
      if (isMap(parent)) return [{ start, end: this.itemStart(items[index + 1]), text: '' }]; // the first pair on a `- ` line
      throw new EditError('a nested sequence item shares its line');
    }
    return [{ start: this.lineStart(start), end: this.endOfLine(this.itemEnd(item)), text: '' }];
  }

  /** Replaces the collection holding `at` (it loses its last item) by an empty one, in its own place. */
  private replaceParent(at: Located, empty: Record<string, never> | never[]): Splice[] {
    const parent = at.parent as Collection;
    const path = at.path.slice(0, -1);
    return this.replaceWhole(this.locateCollection(parent, path), empty);
  }

  /** Set by the walk: which pair or item holds a collection. */
  private holderOf(collection: Collection): { parent?: Collection; pair?: Pair<unknown, unknown>; index?: number } {
    return this.holders.get(collection) ?? {};
  }

  private readonly holders = new Map<Collection, { parent?: Collection; pair?: Pair<unknown, unknown>; index?: number }>();

  private appendItem(seq: YAMLSeq<unknown>, value: unknown, path: FieldPath): Splice[] {
    if (seq.items.length === 0) return this.replaceWhole(this.locateCollection(seq, path), [value]);
    const last = seq.items[seq.items.length - 1] as Node;
    if (seq.flow === true) {
      const multiLine = this.isMultiLine(seq);
      const column = multiLine ? this.column(this.itemStart(seq.items[0])) : 0;
      const end = this.itemEnd(last);
      const separator = multiLine ? `,${this.style.eol}${' '.repeat(column)}` : ', ';
      const text = separator + (isCollectionValue(value) ? this.renderFlow(value, column, multiLine) : this.renderScalar(value));
      return [{ start: end, end, text }];
    }
    const dash = this.dashOf(last);
    if (!this.onlySpacesBefore(dash)) throw new EditError('a nested sequence item shares its line');
    const column = this.column(dash);
    const text = ' '.repeat(column) + this.renderBlock([value], column) + this.style.eol;
    const at = this.endOfLine(this.itemEnd(last));
    if (at === this.text.length && !this.text.endsWith('\n')) return [{ start: at, end: at, text: this.style.eol + text.slice(0, -this.style.eol.length) }];
    return [{ start: at, end: at, text }];
  }

  private insertItem(seq: YAMLSeq<unknown>, index: number, value: unknown, path: FieldPath): Splice[] {
    const item = seq.items[index] as Node;
    if (seq.flow === true) {
      const multiLine = this.isMultiLine(seq);
      const start = this.itemStart(item);
      const column = multiLine ? this.column(start) : 0;
      const separator = multiLine ? `,${this.style.eol}${' '.repeat(column)}` : ', ';
      const text = (isCollectionValue(value) ? this.renderFlow(value, column, multiLine) : this.renderScalar(value)) + separator;
      return [{ start, end: start, text }];
    }
    const dash = this.dashOf(item);
    if (!this.onlySpacesBefore(dash)) throw new EditError(`a nested sequence item shares its line at ${path.join('.')}`);
    const column = this.column(dash);
    const at = this.aboveComments(this.lineStart(dash), column);
    return [{ start: at, end: at, text: ' '.repeat(column) + this.renderBlock([value], column) + this.style.eol }];
  }

  /** Records, for every collection of the document, the pair or item that holds it. */
  index(document: Document.Parsed): this {
    const visit = (node: unknown, holder: { parent?: Collection; pair?: Pair<unknown, unknown>; index?: number }): void => {
      if (isMap(node)) {
        this.holders.set(node, holder);
        node.items.forEach((pair, index) => visit(pair.value, { parent: node, pair, index }));
      } else if (isSeq(node)) {
        this.holders.set(node, holder);
        node.items.forEach((item, index) => visit(item, { parent: node, index }));
      }
    };
    visit(document.contents, {});
    return this;
  }
}

/** `{a: {b: value}}` for rest `[a, b]`. */
function nest(rest: FieldPath, value: unknown): unknown {
  let out = value;
  for (let i = rest.length - 1; i >= 0; i--) out = { [String(rest[i])]: out };
  return out;
}
