/**
 * The readers keep the input bounds as they read (block-yaml.ts, locate-json.ts) instead of a
 * pass of checkShape over every file: what they refuse, and where, must be what checkShape
 * refuses, at the bounds and around them, in every style of nesting.
 */
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/collect/files/parse-manifests.js';
import { checkShape, MAX_NESTING } from '../../src/core/input-bounds.js';

const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n';

/** Documents nesting `levels` collections deep (as checkShape counts them), in each style. */
const STYLES: Record<string, (levels: number) => string> = {
  'block mappings': (levels) => {
    let text = `${head}data:\n`;
    for (let i = 0; i < levels - 2; i++) text += `${' '.repeat(2 + i)}a:\n`;
    return `${text}${' '.repeat(levels)}b: c\n`;
  },
  'compact block sequences': (levels) => {
    // Each `- a:` line opens a sequence and a mapping.
    const lines = Math.floor((levels - 2) / 2);
    let text = `${head}data:\n`;
    for (let i = 0; i < lines; i++) text += `${' '.repeat(2 + 2 * i)}- a:\n`;
    return `${text}${' '.repeat(2 * lines + 4)}b: c\n`;
  },
  'flow sequences after a key': (levels) => `${head}data: ${'['.repeat(levels - 1)}1${']'.repeat(levels - 1)}\n`,
  'flow mappings in a block sequence': (levels) => `${head}items:\n- ${'{a: '.repeat(levels - 2)}1${'}'.repeat(levels - 2)}\n`,
  'JSON': (levels) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${'['.repeat(levels - 2)}1${']'.repeat(levels - 2)}}\n`,
  'JSON, pretty-printed': (levels) => JSON.stringify(JSON.parse(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${'['.repeat(levels - 2)}1${']'.repeat(levels - 2)}}`), null, 1),
  'a second document': (levels) => `${head}---\n${head}data: ${'['.repeat(levels - 1)}1${']'.repeat(levels - 1)}\n`,
};

describe('bounds kept by the readers', () => {
  it.each(Object.entries(STYLES))('refuse %s exactly where checkShape does', (_style, make) => {
    let refusedAt: number | undefined;
    for (let levels = MAX_NESTING - 3; levels <= MAX_NESTING + 3; levels += 1) {
      const text = make(levels);
      const shape = checkShape(text);
      const parsed = parseManifests('f.yaml', text);
      if (shape === undefined) {
        expect(parsed.gaps, `${levels} levels`).toEqual([]);
        expect(parsed.resources.length).toBeGreaterThan(0);
      } else {
        refusedAt ??= levels;
        expect(parsed).toEqual({ resources: [], gaps: [{ source: 'f.yaml', line: shape.line, code: shape.code, message: shape.message }], documents: 0 });
      }
    }
    // Each style reaches the bound within the levels tried: the comparison is at the edge.
    expect(refusedAt).toBeDefined();
    expect(refusedAt).toBeGreaterThan(MAX_NESTING - 3);
  });

  it('refuse a deep document with aliases, and one the block reader leaves to js-yaml, as checkShape does', () => {
    for (const text of [
      `${head}x: &a 1\ny: *a\ndata: ${'['.repeat(MAX_NESTING + 5)}${']'.repeat(MAX_NESTING + 5)}\n`,
      `${head}data: >\n  folded\nmore: ${'['.repeat(MAX_NESTING + 5)}${']'.repeat(MAX_NESTING + 5)}\n`,
    ]) {
      const shape = checkShape(text);
      expect(shape).toBeDefined();
      expect(parseManifests('f.yaml', text).gaps).toEqual([{ source: 'f.yaml', line: shape?.line, code: 'TOO_DEEP', message: shape?.message }]);
    }
  });
});
