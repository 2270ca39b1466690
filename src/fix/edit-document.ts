/**
 * One op on one object of a file's text: finds the object's document (and List item) with the
 * `yaml` parser, splices the op in, returns the new text. Pure; the caller verifies the result.
 */
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { FieldPath, PatchOp } from '../core/finding.js';
import { applySplices, detectStyle, EditError, spliceOp } from './text-edit.js';

/** Where an object is in its file. Edits never add or remove documents, so the index stays valid. */
export interface ObjectPlace {
  /** Index of its YAML document in the file. */
  readonly document: number;
  /** For an object inside a `List`: its path in the document. */
  readonly itemPath?: FieldPath;
}

/** The file's documents; throws EditError (naming the line) when one does not parse. */
export function parseForEdit(text: string): { documents: Document.Parsed[]; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(documents)) return { documents: [], lineCounter };
  for (const document of documents) {
    const error = document.errors[0];
    if (error !== undefined) throw new EditError(`does not parse at line ${lineCounter.linePos(error.pos[0]).line}: ${error.message.split('\n')[0] ?? ''}`);
  }
  return { documents, lineCounter };
}

/** The index of the document holding the object that starts at `line`: the last one whose content starts at or above it. */
export function documentIndexAt(text: string, line: number): number {
  const { documents, lineCounter } = parseForEdit(text);
  let found = -1;
  documents.forEach((document, index) => {
    const range = document.contents?.range;
    if (range !== undefined && range !== null && lineCounter.linePos(range[0]).line <= line) found = index;
  });
  if (found === -1) throw new EditError(`no document at line ${line}`);
  return found;
}

/** Applies one op (path from the object's root) to the object at `place`. */
export function applyOpToText(text: string, json: boolean, place: ObjectPlace, op: PatchOp): string {
  const { documents } = parseForEdit(text);
  const document = documents[place.document];
  if (document === undefined) throw new EditError(`no document ${place.document + 1}`);
  const path = [...(place.itemPath ?? []), ...op.path];
  const splices = spliceOp(text, document, { ...op, path } as PatchOp, detectStyle(text, json));
  let out = text;
  if (splices.length > 0) out = applySplices(text, splices);
  return out;
}
