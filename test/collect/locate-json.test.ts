import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexJson } from '../../src/collect/files/locate-json.js';
import { DocumentIndex, locateWithYamlLibrary } from '../../src/collect/files/locate.js';
import type { FieldPath } from '../../src/core/finding.js';

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

describe('JSON location', () => {
  it('agrees with the YAML library on every path of generated JSON, pretty-printed and minified', () => {
    // Keys with quotes, backslashes and unicode escapes; strings holding braces, brackets and commas.
    const key = fc.oneof(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_./-]{0,8}$/), fc.constantFrom('a"b', 'c\\d', 'é', '{', ']', 'x,y', ''));
    const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('{[', '"}', '\\'), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
      map: fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
      list: fc.array(tie('tree'), { maxLength: 3 }),
    }));
    fc.assert(fc.property(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5 }), fc.constantFrom(0, 2, 4, '\t'), (doc, indent) => {
      const text = JSON.stringify(doc, null, indent);
      const index = indexJson(text);
      expect(index).toBeDefined();
      for (const path of pathsOf(doc)) {
        expect(index?.locate(path), `path ${JSON.stringify(path)} in\n${text}`).toEqual(locateWithYamlLibrary(text, path));
      }
    }), { numRuns: 300 });
  });

  it('points into a kubectl get -o json List by line and column, not at line 1', () => {
    const list = {
      apiVersion: 'v1',
      items: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': {} } }] }, spec: { containers: [{ name: 'a', image: 'x' }] }, status: { phase: 'Running' } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' }, spec: { containers: [{ name: 'b', image: 'y', securityContext: { privileged: true } }] } },
      ],
      kind: 'List',
      metadata: { resourceVersion: '' },
    };
    const text = JSON.stringify(list, null, 4);
    const lines = text.split('\n');
    const index = new DocumentIndex(text, 1);
    const privileged = index.locate(['items', 1, 'spec', 'containers', 0, 'securityContext', 'privileged']);
    expect(lines[privileged.line - 1]?.slice(privileged.column - 1)).toBe('"privileged": true');
    const second = index.locate(['items', 1]);
    expect(lines[second.line - 1]?.slice(second.column - 1)).toBe('{');
    expect(second.line).toBeGreaterThan(20);
    // Missing fields point at the nearest part that exists.
    expect(index.locate(['items', 0, 'spec', 'containers', 0, 'securityContext', 'runAsNonRoot'])).toEqual(index.locate(['items', 0, 'spec', 'containers', 0]));
  });

  it('gives columns on one-line (minified) JSON', () => {
    const text = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"hostPID":true}}';
    const at = new DocumentIndex(text, 3).locate(['spec', 'hostPID']);
    expect(at).toEqual({ line: 3, column: text.indexOf('"hostPID"') + 1 });
  });

  it('refuses what is not one JSON document, so the YAML library answers instead', () => {
    expect(indexJson('{"a": 1} {"b": 2}')).toBeUndefined();
    expect(indexJson('{"a": 1 # comment\n}')).toBeUndefined();
    expect(indexJson('{"a": "open')).toBeUndefined();
    expect(new DocumentIndex('{a: 1, b: {c: 2}}', 1).locate(['b', 'c'])).toEqual(locateWithYamlLibrary('{a: 1, b: {c: 2}}', ['b', 'c']));
  });

  it('indexes a 10,000-item List in one linear pass', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, labels: { app: 'x' } }, spec: { containers: [{ name: 'a', image: 'x' }] } }));
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2);
    const started = performance.now();
    const index = new DocumentIndex(text, 1);
    for (let i = 0; i < items.length; i++) index.locate(['items', i, 'spec', 'containers', 0, 'image']);
    const indexed = performance.now() - started;
    const parseStarted = performance.now();
    JSON.parse(text);
    const parsed = performance.now() - parseStarted;
    // Generous: the pass is linear, so it stays within a small multiple of a parse (quadratic would be ~10,000x).
    expect(indexed).toBeLessThan(Math.max(1000, parsed * 40));
    const lines = text.split('\n');
    const name = lines.findIndex((l) => l.includes('"p9999"'));
    expect(index.locate(['items', 9999, 'spec', 'containers', 0, 'image']).line).toBe(lines.findIndex((l, n) => n > name && l.includes('"image"')) + 1);
  });
});
