import { describe, expect, it } from 'vitest';
import type * as ParallelModule from '../../src/collect/files/parse-parallel.js';
import { parseManifests } from '../../src/collect/files/parse-manifests.js';

// The worker runs compiled JavaScript, so this test drives the built module (`npm test` builds
// first); typed through the source so type-checking does not need a build.
const built = new URL('../../dist/collect/files/parse-parallel.js', import.meta.url).href;
const { parseInWorker, parseManifestsInParallel } = (await import(built)) as typeof ParallelModule;

function document(i: number): string {
  if (i % 97 === 0) return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad-${i}\n  labels: [unclosed\n`;
  if (i % 89 === 0) return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alias-${i}\nx: &shared {a: yes}\ndata:\n  copy: *shared\n`;
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ns-${i % 7}\nspec:\n  template:\n    spec:\n      hostNetwork: ${i % 2 === 0 ? 'yes' : 'false'}\n      containers:\n        - name: app\n          image: registry.example.com/app:${i}\n`;
}

describe('parseManifestsInParallel', () => {
  it('gives exactly what the single-threaded parser gives, on a file large enough to split', async () => {
    const docs: string[] = [];
    for (let i = 0, size = 0; size < 1.5 * 1024 * 1024; i++) {
      docs.push(document(i));
      size += (docs[i] as string).length;
    }
    const text = docs.join('---\n');
    const parallel = await parseManifestsInParallel('big.yaml', text, 1024 * 1024, 2);
    const single = parseManifests('big.yaml', text);
    const view = (r: typeof single) => ({
      gaps: r.gaps,
      documents: r.documents,
      objects: r.resources.map((o) => ({ ref: o.ref, object: o.object, line: o.origin.type === 'file' ? o.origin.line : 0 })),
    });
    expect(view(parallel)).toEqual(view(single));
    expect(parallel.gaps.length).toBeGreaterThan(0);
    const aliased = parallel.resources.find((o) => o.ref.name === 'alias-89');
    expect(aliased?.object.data).toEqual({ copy: { a: true } });
    const last = parallel.resources[parallel.resources.length - 1];
    const locate = last?.origin.type === 'file' ? last.origin.locate : undefined;
    expect(locate?.(['spec', 'template', 'spec', 'hostNetwork']).line).toBe((last?.origin.type === 'file' ? last.origin.line : 0) + 8);
  });

  it('really parses in a worker thread from the built package', async () => {
    const loaded = await parseInWorker([{ text: 'a: yes\n', line: 1 }, { text: 'b: [\n', line: 5 }]);
    expect(loaded?.[0]).toEqual({ value: { a: true } });
    expect(loaded?.[1]).toMatchObject({ gap: { code: 'YAML_SYNTAX' } });
  });
});
