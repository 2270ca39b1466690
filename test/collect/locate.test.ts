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

function readsBack(text: string): boolean {
  try {
    jsYaml.load(text);
    return true;
  } catch {
    return false;
  }
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

  it('agrees with the YAML library on generated hand-written documents: block mappings with one-line flow collections', () => {
    // The style people write: short maps and lists on one line, at every depth of a block document.
    const key = fc.oneof(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_./-]{0,10}$/), fc.constantFrom('system:masters', 'a b', 'http://x', 'app.kubernetes.io/name'));
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('ALL', 'a:b', '100m', "it's", 'a, b', '[x]', '{y}', 'a #b', '#c'));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
      map: fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
      list: fc.array(tie('tree'), { maxLength: 3 }),
    }));
    let located = 0;
    fc.assert(fc.property(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (doc, flowLevel, spaced) => {
      let text = jsYaml.dump(doc, { flowLevel, lineWidth: -1, noRefs: true });
      if (spaced) text = text.replaceAll('{', '{ ').replaceAll('}', ' }').replaceAll('{  }', '{}');
      if (!readsBack(text)) return; // js-yaml's dump writes a few strings in flow style that nothing reads back (`[(:]]`)
      located += agree(text).checked;
    }), { numRuns: 300 });
    expect(located).toBeGreaterThan(1000); // most paths found without the library, each compared
  });

  it('places paths inside one-line flow collections itself, as the YAML library does', () => {
    const text = 'metadata:\n  labels: {app: web, tier: "front"}\nspec:\n  containers:\n    - name: app\n      ports: [{containerPort: 8080}, { name: http, containerPort: 80 }]\n      securityContext:\n        capabilities: {drop: [ALL]}  # hardened\n      volumeMounts:\n        - {name: tmp, mountPath: /tmp}\n';
    const paths: FieldPath[] = [['metadata', 'labels', 'tier'], ['metadata', 'labels', 'missing'], ['spec', 'containers', 0, 'ports', 1, 'containerPort'], ['spec', 'containers', 0, 'ports', 2],
      ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop', 0], ['spec', 'containers', 0, 'securityContext', 'capabilities', 'add'], ['spec', 'containers', 0, 'volumeMounts', 0, 'mountPath']];
    for (const path of paths) expect(locateFast(text, path), JSON.stringify(path)).toEqual(locateWithYamlLibrary(text, path));
    expect(locateFast(text, ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop', 0])).toEqual({ line: 8, column: 31 });
  });

  it('falls back rather than guess on flow collections spanning lines, anchors and content on the marker line', () => {
    expect(locateFast('a: {b: 1,\n  c: 2}\n', ['a', 'c'])).toBeUndefined();
    expect(locateFast('a: {b: 1, c: &x 2}\n', ['a', 'c'])).toBeUndefined();
    expect(locateFast('a: [b: 1]\n', ['a', 0])).toBeUndefined();
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
