import { firstContentLine, firstLine, lineOf, runTogetherHint, type Chunk, type Loaded } from './documents.js';
import type * as Yaml from 'yaml';
import { goYamlTags } from './yaml-schema.js';
import { yamlLibrary } from './yaml-library.js';
import { checkShape, MAX_ALIASED_ENTRIES } from '../../core/input-bounds.js';
import { outOfBounds } from './load-plain.js';

/**
 * The Kubernetes API server refuses documents whose aliases expand too far ("excessive aliasing");
 * so do we. `yaml` counts alias expansion; this bound admits every sane manifest.
 */
const MAX_ALIAS_COUNT = 1000;

/** Parses a document with anchors and aliases through `yaml`, which can bound their expansion. */
export function loadAliasedDocument(chunk: Chunk): Loaded {
  // The bounds of every document first (past them, the whole file is refused), then the tighter one of these.
  const bounds = checkShape(chunk.text);
  if (bounds !== undefined) return outOfBounds(chunk, bounds);
  const shape = checkShape(chunk.text, MAX_ALIASED_ENTRIES);
  if (shape !== undefined) return { gap: { code: shape.code, line: chunk.line + shape.line - 1, message: `${shape.message} (a document with anchors and aliases)` } };
  // YAML 1.1 as Kubernetes reads it: go-yaml's numbers, timestamps stay strings (see yaml-schema.ts).
  const doc = yamlLibrary().parseDocument(chunk.text, {
    prettyErrors: false, uniqueKeys: true, version: '1.1', merge: true, customTags: goYamlTags,
  });
  const error = doc.errors[0];
  if (error) {
    const line = lineOf(chunk.text, error.pos[0]);
    const hint = error.code === 'DUPLICATE_KEY' ? runTogetherHint(chunk.text, line) : '';
    return { gap: { code: 'YAML_SYNTAX', line: chunk.line + line - 1, message: `${firstLine(error.message)}${hint}` } };
  }
  const unknown = firstUnknownAlias(doc);
  if (unknown !== undefined) {
    // `yaml` reports it only while building values, as if it were excessive aliasing; it is a syntax error (go-yaml's words).
    return { gap: { code: 'YAML_SYNTAX', line: chunk.line + lineOf(chunk.text, unknown.range?.[0] ?? 0) - 1, message: `unknown anchor '${unknown.source}' referenced` } };
  }
  try {
    // Through JSON, as Kubernetes sees it (binary values become strings).
    return { value: JSON.parse(JSON.stringify(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }))) as unknown };
  } catch (error) {
    return { gap: { code: 'EXCESSIVE_ALIASING', line: firstContentLine(chunk), message: `document contains excessive aliasing (refused, as the Kubernetes API server does): ${firstLine(String((error as Error).message))}` } };
  }
}

/** The first alias whose anchor is not set before it, in document order (as `yaml` resolves them). */
function firstUnknownAlias(doc: Yaml.Document.Parsed): Yaml.Alias | undefined {
  const anchors = new Set<string>();
  let unknown: Yaml.Alias | undefined;
  const { visit, isAlias } = yamlLibrary();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) {
        if (!anchors.has(node.source)) {
          unknown = node;
          return visit.BREAK;
        }
      } else if (node.anchor !== undefined) anchors.add(node.anchor);
      return undefined;
    },
  });
  return unknown;
}
