import type { FieldPath } from './finding.js';

/** RFC 6901 JSON Pointer for a field path: `['spec', 'containers', 0]` → `/spec/containers/0`. */
export function toJsonPointer(path: FieldPath): string {
  // Built by concatenation, escaping only segments that need it: every finding has a pointer.
  let pointer = '';
  for (const segment of path) {
    const text = typeof segment === 'number' ? String(segment) : segment;
    pointer += text.includes('~') || text.includes('/') ? `/${text.replaceAll('~', '~0').replaceAll('/', '~1')}` : `/${text}`;
  }
  return pointer;
}

/** Dotted form for people: `spec.containers[0].securityContext`. */
export function toDottedPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
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
