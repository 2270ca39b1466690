import type { FieldPath } from './finding.js';

/** One segment as RFC 6901 writes it: `~` as `~0`, `/` as `~1`. */
function pointerSegment(segment: string | number): string {
  const text = String(segment);
  // Most keys hold neither character: no new strings for them.
  if (!text.includes('~') && !text.includes('/')) return `/${text}`;
  return `/${text.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** RFC 6901 JSON Pointer for a field path: `['spec', 'containers', 0]` → `/spec/containers/0`. */
export function toJsonPointer(path: FieldPath): string {
  // A loop rather than map + join: every finding of a report renders its pointer (and sorting may too).
  let out = '';
  for (const segment of path) out += pointerSegment(segment);
  return out;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** Dotted form for people: `spec.containers[0].securityContext`. */
export function toDottedPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Reads a value at a path from plain JSON; undefined where any step is missing. */
export function getAt(root: unknown, path: FieldPath): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
