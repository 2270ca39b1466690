import jsYaml from 'js-yaml';
import { readBlockYaml, UNSUPPORTED } from './block-yaml.js';
import { firstLine, looksLikeJson, type Chunk, type Loaded } from './documents.js';
import { KUBE_YAML_SCHEMA } from './yaml-schema.js';

/**
 * Parses a document without anchors or aliases: JSON where it looks like JSON, YAML (as Kubernetes
 * reads it) otherwise — the plain block YAML that tools print through the fast reader, the rest
 * through js-yaml. Kept apart from the alias-aware parser so the parse worker loads only js-yaml.
 */
export function loadPlainDocument(chunk: Chunk, knownPrintable = false): Loaded {
  if (looksLikeJson(chunk.text)) {
    try {
      return { value: JSON.parse(chunk.text) as unknown };
    } catch {
      // JSON is YAML: the YAML parser names the line of the mistake, and accepts what JSON is too strict for.
    }
  }
  const value = readBlockYaml(chunk.text, knownPrintable);
  return value === UNSUPPORTED ? loadYaml(chunk) : { value };
}

function loadYaml(chunk: Chunk): Loaded {
  try {
    return { value: jsYaml.load(chunk.text, { schema: KUBE_YAML_SCHEMA }) };
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    const gap = { code: 'YAML_SYNTAX', line: chunk.line + (mark?.line ?? 0), message: firstLine(reason) } as const;
    return reason.startsWith('unknown tag') ? { gap, unknownTag: true } : { gap };
  }
}
