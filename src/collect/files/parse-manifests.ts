import { isKubeObject, refOf, type Gap, type KubeObject, type KubeResource } from '../../core/resource.js';
import { chunksOf, firstContentLine, hasAliases, type Chunk, type Loaded } from './documents.js';
import { foreignReason, isForeignValue, mentionsKubeKeys } from './foreign.js';
import { loadAliasedDocument } from './load-aliased.js';
import { isPrintable } from './block-yaml.js';
import { loadPlainDocument } from './load-plain.js';
import { DocumentIndex } from './locate.js';
import { PositionIndex, PositionTable } from './positions.js';

export { chunksOf, splitDocuments, type Chunk, type Loaded } from './documents.js';

export interface ParseResult {
  readonly resources: KubeResource[];
  readonly gaps: Gap[];
  /** Documents read, including empty ones. */
  readonly documents: number;
  /** Why the file was passed over: no document in it is meant for Kubernetes (docker-compose, a CI workflow). */
  readonly skipped?: string;
}

/** Whether something is in the file and none of it is meant for Kubernetes: skipped, not a gap. */
function isForeignFile(chunks: readonly Chunk[], loaded: readonly Loaded[]): boolean {
  let any = false;
  for (const [i, result] of loaded.entries()) {
    if ('gap' in result) {
      // A tag only YAML tools of other worlds define (CloudFormation's !Ref) in a document that names no apiVersion or kind.
      if (result.unknownTag === true && !mentionsKubeKeys((chunks[i] as Chunk).text)) any = true;
      else return false;
    } else if (result.value !== null && result.value !== undefined) {
      if (!isForeignValue(result.value)) return false;
      any = true;
    }
  }
  return any;
}

/**
 * One index per document, built on first use only: most documents never need a line. Where the
 * reader recorded positions (`table`), the index looks them up; else it reads the lines again.
 */
function lazyIndex(chunk: Chunk, loaded: Loaded, table: PositionTable | undefined): () => DocumentIndex {
  let index: DocumentIndex | undefined;
  const root = 'value' in loaded ? loaded.root : undefined;
  if (root === undefined || table === undefined) return () => (index ??= new DocumentIndex(chunk.text, chunk.line));
  const json = 'json' in loaded && loaded.json === true;
  return () => (index ??= new DocumentIndex(chunk.text, chunk.line, new PositionIndex(table, root, chunk.text, json)));
}

function asList(value: KubeObject): unknown[] | undefined {
  return value.kind.endsWith('List') && Array.isArray(value.items) ? value.items : undefined;
}

/** Parses one document; only those with aliases need the slower, alias-bounding parser. */
export function loadDocument(chunk: Chunk): Loaded {
  return hasAliases(chunk) ? loadAliasedDocument(chunk) : loadPlainDocument(chunk);
}

/**
 * `loadDocument` for the documents of one file, skipping per document what one look at the whole
 * file settles; plain documents record their positions in `table`.
 */
export function documentLoader(text: string, table: PositionTable): (chunk: Chunk) => Loaded {
  const aliases = text.includes('*') && text.includes('&');
  const printable = !aliases && isPrintable(text);
  return (chunk) => (aliases && hasAliases(chunk) ? loadAliasedDocument(chunk) : loadPlainDocument(chunk, printable, table));
}

/**
 * Parses documents in order until one is past the input bounds: that one refuses the whole file
 * (the readers keep the bounds as they read, input-bounds.ts), so the rest need not be read.
 */
export function loadDocuments(chunks: readonly Chunk[], load: (chunk: Chunk) => Loaded): Loaded[] {
  const loaded: Loaded[] = [];
  for (const chunk of chunks) {
    const result = load(chunk);
    loaded.push(result);
    if ('outOfBounds' in result) break;
  }
  return loaded;
}

/**
 * Turns one file's text into Kubernetes objects. Every problem becomes a gap naming the file and
 * line; the other documents are still read. A file past the input bounds is refused whole: one
 * gap naming where, and no objects.
 */
export function parseManifests(file: string, text: string): ParseResult {
  const chunks = chunksOf(text);
  const table = new PositionTable();
  const loaded = loadDocuments(chunks, documentLoader(text, table));
  table.trim();
  return assemble(file, chunks, loaded, table);
}

/**
 * Builds objects and gaps from parsed documents (`loaded[i]` is `chunks[i]` parsed; `tableOf(i)`
 * the position table its reader recorded into).
 */
export function assemble(file: string, chunks: readonly Chunk[], loaded: readonly Loaded[], tableOf: PositionTable | ((i: number) => PositionTable | undefined)): ParseResult {
  const refused = loaded.find((result) => 'outOfBounds' in result);
  if (refused !== undefined && 'gap' in refused) return { resources: [], gaps: [{ source: file, ...refused.gap }], documents: 0 };
  if (isForeignFile(chunks, loaded)) return { resources: [], gaps: [], documents: chunks.length, skipped: foreignReason(chunks.map((c) => c.text).join('')) };
  const resources: KubeResource[] = [];
  const gaps: Gap[] = [];
  const tables = typeof tableOf === 'function' ? tableOf : () => tableOf;
  chunks.forEach((chunk, i) => {
    const result = loaded[i] as Loaded;
    if ('gap' in result) {
      gaps.push({ source: file, ...result.gap });
      return;
    }
    const { value } = result;
    if (value === null || value === undefined) return; // an empty document between markers
    if (!isKubeObject(value)) {
      gaps.push({ source: file, line: firstContentLine(chunk), code: 'NOT_A_KUBE_OBJECT', message: describeNonKube(value) });
      return;
    }
    const items = asList(value);
    const index = lazyIndex(chunk, result, tables(i));
    if (items === undefined) {
      resources.push({ ref: refOf(value), object: value, origin: { type: 'file', file, line: firstContentLine(chunk), locate: (path) => index().locate(path) } });
      return;
    }
    flattenList(value, items, [], 1, { file, index, resources, gaps });
  });
  return { resources, gaps, documents: chunks.length };
}

/**
 * How deep Lists may nest inside Lists. `kubectl apply` flattens nested Lists without a bound;
 * real files nest one or two levels, and a bound keeps a hostile file from recursing without end.
 */
export const MAX_LIST_DEPTH = 32;

interface ListSink {
  readonly file: string;
  readonly index: () => DocumentIndex;
  readonly resources: KubeResource[];
  readonly gaps: Gap[];
}

/**
 * Adds the items of a List to the sink, flattening Lists inside it as kubectl does: a List in a
 * List is not an object of its own, so skipping it would hide what `kubectl apply` creates.
 */
function flattenList(list: KubeObject, items: readonly unknown[], path: readonly (string | number)[], depth: number, sink: ListSink): void {
  const { file, index, resources, gaps } = sink;
  if (depth > MAX_LIST_DEPTH) {
    gaps.push({ source: file, line: index().locate(path).line, code: 'LIST_TOO_DEEP', message: `Lists nested more than ${MAX_LIST_DEPTH} deep; the items of this ${list.kind} were not read` });
    return;
  }
  // `kubectl get -o yaml` prints a List; typed API lists (PodList) omit each item's kind.
  const itemKind = list.kind === 'List' ? undefined : list.kind.slice(0, -'List'.length);
  items.forEach((item, position) => {
    const object = itemKind && item !== null && typeof item === 'object' && !('kind' in item)
      ? { apiVersion: list.apiVersion, kind: itemKind, ...(item as object) }
      : item;
    const itemPath = [...path, 'items', position];
    if (!isKubeObject(object)) {
      gaps.push({ source: file, line: index().locate(itemPath).line, code: 'NOT_A_KUBE_OBJECT', message: `item ${position} of the ${list.kind}: ${describeNonKube(object)}` });
      return;
    }
    const nested = asList(object);
    if (nested !== undefined) {
      flattenList(object, nested, itemPath, depth + 1, sink);
      return;
    }
    resources.push({ ref: refOf(object), object, origin: { type: 'file', file, line: index().locate(itemPath).line, itemPath, locate: (p) => index().locateUnder(itemPath, p) } });
  });
}

function describeNonKube(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `not a Kubernetes object (a ${Array.isArray(value) ? 'list' : typeof value}, expected a mapping with apiVersion and kind)`;
  }
  const missing = ['apiVersion', 'kind'].filter((key) => typeof (value as Record<string, unknown>)[key] !== 'string' || (value as Record<string, unknown>)[key] === '');
  return `not a Kubernetes object (no ${missing.join(' or ')})`;
}
