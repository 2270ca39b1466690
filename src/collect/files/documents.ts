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
/**
 * One white-space character, as `\s` reads it. A module constant: a regular expression literal
 * inside a function is a new object each time it is evaluated, and these run on every line start
 * and document of a file.
 */
const WHITE_SPACE = /\s/;

export function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  let position = 0;
  // Directives (`%YAML 1.2`, `%TAG ...`) belong to the document whose `---` follows them.
  let directives: { position: number; line: number } | undefined;
  while (position <= text.length) {
    const end = text.indexOf('\n', position);
    const lineEnd = end === -1 ? text.length : end;
    if (text.startsWith('---', position) && (lineEnd === position + 3 || WHITE_SPACE.test(text.charAt(position + 3))) && position > start) {
      const cut = directives ?? { position, line };
      if (cut.position > start) {
        chunks.push({ text: text.slice(start, cut.position), line: startLine });
        start = cut.position;
        startLine = cut.line;
      }
      directives = undefined;
    } else if (text.charCodeAt(position) === PERCENT) {
      directives ??= directivesFrom(text, start, position, line);
    } else if (directives !== undefined && !isBlankOrComment(text, position, lineEnd)) {
      directives = undefined;
    }
    if (end === -1) break;
    position = end + 1;
    line += 1;
  }
  chunks.push({ text: text.slice(start), line: startLine });
  return chunks;
}

const PERCENT = 0x25;

/**
 * Where the directives that begin at `position` start their document: there, or earlier where
 * comments and blank lines before them follow the previous document's end (`...`) or the start of
 * the stream. A `%` line anywhere else is content (a plain scalar's continuation), not a directive:
 * undefined.
 */
function directivesFrom(text: string, start: number, position: number, line: number): { position: number; line: number } | undefined {
  let at = position;
  let atLine = line;
  while (at > start) {
    const previous = text.lastIndexOf('\n', at - 2) + 1;
    const lineEnd = at - 1;
    if (/^\.\.\.(?:[ \t]|\r?$)/.test(text.slice(previous, lineEnd))) return { position: at, line: atLine };
    if (!isBlankOrComment(text, previous, lineEnd)) return undefined;
    at = previous;
    atLine -= 1;
  }
  // Only comments and blank lines back to the stream's start (a chunk opened by `---` stops the walk above: a directive there is misplaced, left to the parser).
  return { position: at, line: atLine };
}

function isBlankOrComment(text: string, from: number, to: number): boolean {
  const content = text.slice(from, to).trimStart();
  return content === '' || content.startsWith('#');
}

/**
 * A parsed document, or why it could not be parsed; `unknownTag` when the only trouble is a tag
 * YAML for Kubernetes does not know (CloudFormation's `!Ref`, MkDocs' `!!python/name`);
 * `outOfBounds` when it is past the input bounds (input-bounds.ts), which refuses its whole file.
 * `root`: the document's root entry in the position table its reader was given (positions.ts),
 * when it recorded positions; `json` when it was read as JSON (where a repeated key's last value counts).
 */
export type Loaded =
  | { readonly value: unknown; readonly root?: number; readonly json?: true }
  | { readonly gap: Omit<Gap, 'source'>; readonly unknownTag?: true; readonly outOfBounds?: true };

/** The chunks of a file: a JSON file is one document, a YAML stream splits at `---`. */
export function chunksOf(text: string): Chunk[] {
  return looksLikeJson(text) && !DOCUMENT_MARKER.test(text) ? [{ text, line: 1 }] : splitDocuments(text);
}

/**
 * A `---` line: JSON never has one (its strings hold no line breaks, and no JSON token starts with
 * `---`), so a file that starts like JSON but has one is a YAML stream of JSON-style documents
 * (`{...}\n---\n{...}`, as some generators print), split like any other stream.
 */
const DOCUMENT_MARKER = /^---(?:[ \t]|\r?$)/m;

export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) return true; // { [
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && c !== 0xfeff && c !== 0xa0 && !WHITE_SPACE.test(text.charAt(i))) return false;
  }
  return false;
}

/** Anchors and aliases: such documents go through the parser that bounds alias expansion. */
export function hasAliases(chunk: Chunk): boolean {
  return chunk.text.includes('*') && chunk.text.includes('&');
}

/** The line of the document's first content, past comments, directives and the `---` marker. */
export function firstContentLine(chunk: Chunk): number {
  const { text } = chunk;
  let line = chunk.line;
  for (let start = 0; start < text.length; line += 1) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    let p = start;
    while (p < end && WHITE_SPACE.test(text.charAt(p))) p += 1;
    let last = end;
    while (last > p && WHITE_SPACE.test(text.charAt(last - 1))) last -= 1;
    const c = text.charCodeAt(p);
    const isMarker = last - p === 3 && text.startsWith('---', p);
    if (p < last && c !== 35 && c !== 37 && !isMarker) return line; // not blank, `#`, `%` or `---`
    if (newline === -1) break;
    start = newline + 1;
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

/**
 * What to add to a duplicated-key error whose key starts an object (`apiVersion:` or `kind:` at the
 * start of its line): two manifests run together, as `cat a.yaml b.yaml` gives when the first file
 * does not end its last object with a newline and `---`. `line` is 1-based within `text`.
 */
export function runTogetherHint(text: string, line: number): string {
  const content = text.split('\n', line)[line - 1] ?? '';
  return /^(apiVersion|kind)[ \t]*:/.test(content) ? ' (a "---" line may be missing before it: two objects run together)' : '';
}

