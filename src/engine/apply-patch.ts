import type { PatchOp } from '../core/finding.js';

/**
 * Applies RFC 6902 add/replace/remove ops to a copy of plain JSON. Hand-written: the ops address
 * FieldPaths (not pointers) and need only these three verbs, which no patch library shapes this way.
 * `eksguard fix` splices the text at the `yaml` parser's node ranges instead, to keep comments and
 * layout (src/fix/text-edit.ts), and checks each edit against what this function gives.
 */
export function applyPatch<T>(document: T, ops: readonly PatchOp[]): T {
  const root = structuredClone(document) as unknown;
  for (const op of ops) {
    if (op.path.length === 0) throw new Error('a patch cannot replace the whole document');
    let parent = root as Record<string | number, unknown> | unknown[];
    for (const segment of op.path.slice(0, -1)) {
      let next = (parent as Record<string | number, unknown>)[segment];
      if (next === undefined || next === null) {
        if (op.op === 'remove') throw new Error(`path ${op.path.join('.')} does not exist`);
        next = {};
        (parent as Record<string | number, unknown>)[segment] = next;
      }
      if (typeof next !== 'object') throw new Error(`path ${op.path.join('.')} crosses a scalar`);
      parent = next as Record<string | number, unknown>;
    }
    const last = op.path[op.path.length - 1] as string | number;
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (op.op === 'remove') parent.splice(index, 1);
      else if (op.op === 'add') parent.splice(index, 0, op.value);
      else parent[index] = op.value;
    } else if (op.op === 'remove') {
      delete parent[last];
    } else {
      parent[last] = op.value;
    }
  }
  return root as T;
}
