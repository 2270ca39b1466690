import type { Gap } from '../../core/resource.js';

export interface Chunk {
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
export function splitDocuments(text: string): Chunk[] {
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

/** A parsed document, or why it could not be parsed. */
export type Loaded = { readonly value: unknown } | { readonly gap: Omit<Gap, 'source'> };

/** The chunks of a file: a JSON file is one document, a YAML stream splits at `---`. */
export function chunksOf(text: string): Chunk[] {
  return looksLikeJson(text) ? [{ text, line: 1 }] : splitDocuments(text);
}

export function looksLikeJson(text: string): boolean {
  const first = text.trimStart().charAt(0);
  return first === '{' || first === '[';
}

/** Anchors and aliases: such documents go through the parser that bounds alias expansion. */
export function hasAliases(chunk: Chunk): boolean {
  return chunk.text.includes('*') && chunk.text.includes('&');
}

export /** The line of the document's first content, past comments, directives and the `---` marker. */
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

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

export function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

