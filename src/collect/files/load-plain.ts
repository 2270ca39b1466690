import jsYaml from 'js-yaml';
import { checkShape, type ShapeProblem } from '../../core/input-bounds.js';
import { OutOfBounds, readBlockYaml, UNSUPPORTED } from './block-yaml.js';
import { firstLine, looksLikeJson, runTogetherHint, type Chunk, type Loaded } from './documents.js';
import { scanJson } from './locate-json.js';
import { PositionTable } from './positions.js';
import { KUBE_YAML_SCHEMA } from './yaml-schema.js';

/**
 * Parses a document without anchors or aliases: JSON where it looks like JSON, YAML (as Kubernetes
 * reads it) otherwise — the plain block YAML that tools print through the fast reader, the rest
 * through js-yaml. Kept apart from the alias-aware parser so the parse worker loads only js-yaml.
 *
 * Keeps the input bounds (input-bounds.ts) before any parser that recurses: the JSON scan and the
 * block reader count depth and entries as they read; what they leave to js-yaml is checked first.
 * `table`: where the readers record the positions of keys and items (the document's `root` entry).
 */
export function loadPlainDocument(chunk: Chunk, knownPrintable = false, table?: PositionTable): Loaded {
  if (looksLikeJson(chunk.text)) {
    const into = table ?? new PositionTable(64);
    const size = into.size;
    const root = scanJson(chunk.text, into);
    if (root instanceof OutOfBounds) return outOfBounds(chunk, root.problem);
    // JSON the scan does not follow (a scalar, or not JSON at all): the bounds as checkShape reads them.
    const shape = root === undefined ? checkShape(chunk.text) : undefined;
    if (shape !== undefined) return outOfBounds(chunk, shape);
    try {
      const value = JSON.parse(chunk.text) as unknown;
      return table !== undefined && root !== undefined ? { value, root, json: true } : { value };
    } catch {
      // JSON is YAML: the YAML parser names the line of the mistake, and accepts what JSON is too strict for.
      into.truncate(size);
    }
  }
  const root = table?.size; // the block reader records the root's entry first
  const value = readBlockYaml(chunk.text, knownPrintable, table);
  if (value instanceof OutOfBounds) return outOfBounds(chunk, value.problem);
  if (value !== UNSUPPORTED) return root !== undefined ? { value, root } : { value };
  const shape = checkShape(chunk.text);
  return shape === undefined ? loadYaml(chunk) : outOfBounds(chunk, shape);
}

/**
 * A document past the bounds. Named as `checkShape` names it, which errs only upward; when a
 * reader counted exactly what checkShape's estimate missed, as the reader found it.
 */
export function outOfBounds(chunk: Chunk, found: ShapeProblem): Loaded {
  const problem = checkShape(chunk.text) ?? found;
  return { gap: { code: problem.code, line: chunk.line + problem.line - 1, message: problem.message }, outOfBounds: true };
}

function loadYaml(chunk: Chunk): Loaded {
  try {
    return { value: jsYaml.load(chunk.text, { schema: KUBE_YAML_SCHEMA }) };
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    const hint = reason.startsWith('duplicated mapping key') ? runTogetherHint(chunk.text, (mark?.line ?? 0) + 1) : '';
    const gap = { code: 'YAML_SYNTAX', line: chunk.line + (mark?.line ?? 0), message: `${firstLine(reason)}${hint}` } as const;
    return reason.startsWith('unknown tag') ? { gap, unknownTag: true } : { gap };
  }
}
