import jsYaml from 'js-yaml';
import { parseDocument } from 'yaml';
import { isKubeObject, refOf, type Gap, type KubeObject, type KubeResource } from '../../core/resource.js';
import { DocumentIndex } from './locate.js';
import { KUBE_YAML_SCHEMA } from './yaml-schema.js';

export interface ParseResult {
  readonly resources: KubeResource[];
  readonly gaps: Gap[];
  /** Documents read, including empty ones. */
  readonly documents: number;
}

/**
 * The Kubernetes API server refuses documents whose aliases expand too far ("excessive aliasing");
 * so do we. `yaml` counts alias expansion; this bound admits every sane manifest.
 */
const MAX_ALIAS_COUNT = 1000;

interface Chunk {
  readonly text: string;
  /** 1-based line of the chunk's first line in the file. */
  readonly line: number;
}

/**
 * Splits a YAML stream at `---` document markers. Hand-written because neither YAML library hands
 * out document offsets cheaply: js-yaml parses fast but without positions, `yaml` has positions
 * but parses ~6x slower. A marker at column 0 always ends a document in YAML (even inside a block
 * scalar), so a line scan is exact for the streams Kubernetes tools print.
 */
function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  let position = 0;
  while (position <= text.length) {
    const end = text.indexOf('\n', position);
    const lineEnd = end === -1 ? text.length : end;
    if (text.startsWith('---', position) && (lineEnd === position + 3 || /[\s]/.test(text.charAt(position + 3))) && position > start) {
      chunks.push({ text: text.slice(start, position), line: startLine });
      start = position;
      startLine = line;
    }
    if (end === -1) break;
    position = end + 1;
    line += 1;
  }
  chunks.push({ text: text.slice(start), line: startLine });
  return chunks;
}

/** One index per document, built on first use only: most documents never need a line. */
function lazyIndex(chunk: Chunk): () => DocumentIndex {
  let index: DocumentIndex | undefined;
  return () => (index ??= new DocumentIndex(chunk.text, chunk.line));
}

/** The line of the document's first content, past comments, directives and the `---` marker. */
function firstContentLine(chunk: Chunk): number {
  let line = chunk.line;
  for (let start = 0; start < chunk.text.length; line += 1) {
    const end = chunk.text.indexOf('\n', start);
    const text = chunk.text.slice(start, end === -1 ? chunk.text.length : end).trim();
    if (text !== '' && !text.startsWith('#') && !text.startsWith('%') && text !== '---') return line;
    if (end === -1) break;
    start = end + 1;
  }
  return chunk.line;
}

/** Parses one chunk; aliases go through `yaml`, which can bound their expansion. */
function loadChunk(chunk: Chunk): { value: unknown } | { gap: Omit<Gap, 'source'> } {
  const hasAliases = chunk.text.includes('*') && chunk.text.includes('&');
  if (hasAliases) {
    // YAML 1.1 as Kubernetes reads it, but timestamps stay strings (see yaml-schema.ts).
    const doc = parseDocument(chunk.text, {
      prettyErrors: false, uniqueKeys: true, version: '1.1', merge: true,
      customTags: (tags) => tags.filter((tag) => typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:timestamp'),
    });
    const error = doc.errors[0];
    if (error) return { gap: { code: 'YAML_SYNTAX', line: chunk.line + lineOf(chunk.text, error.pos[0]) - 1, message: firstLine(error.message) } };
    try {
      // Through JSON, as Kubernetes sees it (binary values become strings).
      return { value: JSON.parse(JSON.stringify(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }))) as unknown };
    } catch (error) {
      return { gap: { code: 'EXCESSIVE_ALIASING', line: firstContentLine(chunk), message: `document contains excessive aliasing (refused, as the Kubernetes API server does): ${firstLine(String((error as Error).message))}` } };
    }
  }
  try {
    return { value: jsYaml.load(chunk.text, { schema: KUBE_YAML_SCHEMA }) };
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    return { gap: { code: 'YAML_SYNTAX', line: chunk.line + (mark?.line ?? 0), message: firstLine(reason) } };
  }
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function asList(value: KubeObject): unknown[] | undefined {
  return value.kind.endsWith('List') && Array.isArray(value.items) ? value.items : undefined;
}

/**
 * Turns one file's text into Kubernetes objects. Every problem becomes a gap naming the file and
 * line; the other documents are still read.
 */
export function parseManifests(file: string, text: string): ParseResult {
  const resources: KubeResource[] = [];
  const gaps: Gap[] = [];
  const chunks = looksLikeJson(text) ? [{ text, line: 1 }] : splitDocuments(text);
  let documents = 0;
  for (const chunk of chunks) {
    documents += 1;
    const loaded = looksLikeJson(chunk.text) ? loadJson(chunk) : loadChunk(chunk);
    if ('gap' in loaded) {
      gaps.push({ source: file, ...loaded.gap });
      continue;
    }
    const { value } = loaded;
    if (value === null || value === undefined) continue; // an empty document between markers
    if (!isKubeObject(value)) {
      gaps.push({ source: file, line: firstContentLine(chunk), code: 'NOT_A_KUBE_OBJECT', message: describeNonKube(value) });
      continue;
    }
    const items = asList(value);
    if (items === undefined) {
      const index = lazyIndex(chunk);
      resources.push({ ref: refOf(value), object: value, origin: { type: 'file', file, line: firstContentLine(chunk), locate: (path) => index().locate(path) } });
      continue;
    }
    // `kubectl get -o yaml` prints a List; typed API lists (PodList) omit each item's kind.
    const itemKind = value.kind === 'List' ? undefined : value.kind.slice(0, -'List'.length);
    const index = lazyIndex(chunk);
    items.forEach((item, position) => {
      const object = itemKind && item !== null && typeof item === 'object' && !('kind' in item)
        ? { apiVersion: value.apiVersion, kind: itemKind, ...(item as object) }
        : item;
      const itemPath = ['items', position];
      if (!isKubeObject(object)) {
        gaps.push({ source: file, line: index().locate(itemPath).line, code: 'NOT_A_KUBE_OBJECT', message: `item ${position} of the ${value.kind}: ${describeNonKube(object)}` });
        return;
      }
      resources.push({ ref: refOf(object), object, origin: { type: 'file', file, line: index().locate(itemPath).line, itemPath, locate: (path) => index().locate([...itemPath, ...path]) } });
    });
  }
  return { resources, gaps, documents };
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart().charAt(0);
  return first === '{' || first === '[';
}

function loadJson(chunk: Chunk): { value: unknown } | { gap: Omit<Gap, 'source'> } {
  try {
    return { value: JSON.parse(chunk.text) };
  } catch {
    // JSON is YAML: the YAML parser names the line of the mistake, and accepts what JSON is too strict for.
    return loadChunk(chunk);
  }
}

function describeNonKube(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `not a Kubernetes object (a ${Array.isArray(value) ? 'list' : typeof value}, expected a mapping with apiVersion and kind)`;
  }
  const missing = ['apiVersion', 'kind'].filter((key) => typeof (value as Record<string, unknown>)[key] !== 'string' || (value as Record<string, unknown>)[key] === '');
  return `not a Kubernetes object (no ${missing.join(' or ')})`;
}
