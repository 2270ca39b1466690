import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { DocumentIndex, locateFast, locateWithYamlLibrary } from '../../src/collect/files/locate.js';
import type { FieldPath } from '../../src/core/finding.js';
import { conformanceData } from '../support/conformance.js';

/** Every path inside a value, plus one missing child per object (rules point at absent fields too). */
function pathsOf(value: unknown, prefix: FieldPath = []): FieldPath[] {
  const out: FieldPath[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pathsOf(item, [...prefix, i])));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) out.push(...pathsOf(child, [...prefix, key]));
    out.push([...prefix, 'notThere', 'deeper']);
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

function agree(text: string): { checked: number; fellBack: number } {
  let checked = 0;
  let fellBack = 0;
  for (const path of pathsOf(jsYaml.load(text))) {
    const fast = locateFast(text, path);
    if (fast === undefined) {
      fellBack += 1;
      continue;
    }
    checked += 1;
    expect(fast, `path ${JSON.stringify(path)} in\n${text}`).toEqual(locateWithYamlLibrary(text, path));
  }
  return { checked, fellBack };
}

/** The fields of every document of the files that locateFast placed without the library, all compared. */
function agreeOnFiles(files: readonly string[]): number {
  let checked = 0;
  for (const file of files) {
    for (const doc of readFileSync(file, 'utf8').split(/^---$/m)) {
      if (jsYaml.load(doc) === null || jsYaml.load(doc) === undefined) continue;
      checked += agree(doc).checked;
    }
  }
  return checked;
}

const psa = conformanceData('pod-security-admission/restricted/v1.37', 'the locateFast test on the PSA conformance pods (test/collect/locate.test.ts)');

describe('locateFast', () => {
  it('agrees with the YAML library on the bundled examples', () => {
    expect(agreeOnFiles(yamlFiles('examples'))).toBeGreaterThan(300);
  });

  it.skipIf(psa.missing)('agrees with the YAML library on the PSA conformance pods', () => {
    expect(agreeOnFiles(yamlFiles(psa.path).slice(0, 60))).toBeGreaterThan(500);
  });

  it('agrees with the YAML library on generated block-style documents (kubectl and js-yaml dump styles)', () => {
    const key = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_./-]{0,10}$/);
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
      map: fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
      // Kubernetes objects hold lists of maps or scalars, never a list directly inside a list.
      list: fc.array(fc.oneof(scalar, tie('map')), { maxLength: 3 }),
    }));
    fc.assert(fc.property(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5 }), fc.boolean(), (doc, noArrayIndent) => {
      const text = jsYaml.dump(doc, { noArrayIndent, lineWidth: -1, noRefs: true, flowLevel: -1 });
      const { fellBack } = agree(text);
      // Plain block style is always handled without the library.
      expect(fellBack).toBe(0);
    }), { numRuns: 200 });
  });

  it('falls back rather than guess on flow collections, anchors and content on the marker line', () => {
    expect(locateFast('a: {b: 1}\n', ['a', 'b'])).toBeUndefined();
    expect(locateFast('a: {b: 1}\n', ['a'])).toEqual({ line: 1, column: 1 });
    expect(locateFast('--- {a: 1}\n', ['a'])).toBeUndefined();
  });
});

describe('DocumentIndex', () => {
  it('locates items of a large List in one pass, identically to the YAML library', () => {
    const items = Array.from({ length: 2000 }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}` }, spec: { containers: [{ name: 'a', image: 'x' }] } }));
    const text = jsYaml.dump({ apiVersion: 'v1', kind: 'List', items }, { lineWidth: -1 });
    const index = new DocumentIndex(text, 1);
    for (let i = 0; i < items.length; i++) expect(index.locate(['items', i]).line).toBe(4 + i * 8);
    for (const i of [0, 1, 999, 1999]) {
      for (const path of [['items', i], ['items', i, 'spec', 'containers', 0, 'image'], ['items', i, 'spec', 'missing']]) {
        expect(index.locate(path)).toEqual(locateWithYamlLibrary(text, path));
      }
    }
  });
});
