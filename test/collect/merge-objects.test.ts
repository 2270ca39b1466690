import { describe, expect, it } from 'vitest';
import { mergeObjects, type Arrival, type Judge } from '../../src/collect/merge-objects.js';
import { isKubeObject, refOf, type KubeObject, type KubeResource } from '../../src/core/resource.js';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { resolveRules } from '../../src/engine/rule-set.js';
import { weakerVersion } from '../../src/engine/weaker-version.js';
import { builtinRules } from '../../src/rules/index.js';
import { pod } from '../builders.js';

function arrival(object: Record<string, unknown>, file: string, line = 1): Arrival {
  if (!isKubeObject(object)) throw new Error('not an object');
  return { resource: { ref: refOf(object), object, origin: { type: 'file', file, line } }, source: file };
}

/** A judge that must not be asked: the inputs hold no conflict. */
const noJudge: Judge = () => {
  throw new Error('judged without a conflict');
};

describe('mergeObjects', () => {
  it('keeps one resource for identical content, whatever the key order and what the server wrote', () => {
    const written = pod({ name: 'web' });
    const live = { status: { phase: 'Running' }, ...pod({ name: 'web' }), metadata: { uid: 'u-1', resourceVersion: '42', managedFields: [{ manager: 'kubectl' }], creationTimestamp: '2026-01-01T00:00:00Z', generation: 2, namespace: 'default', name: 'web' } };
    const merged = mergeObjects([arrival(written, 'a.yaml'), arrival(live, 'live.yaml'), arrival(written, 'a.yaml', 9)], noJudge);
    expect(merged.resources).toHaveLength(1);
    expect(merged.resources[0]?.origin).toEqual({ type: 'file', file: 'a.yaml', line: 1 });
    expect(merged.gaps).toEqual([]);
    expect([...merged.duplicates]).toEqual([['live.yaml', 1], ['a.yaml', 1]]);
  });

  it('tells objects apart by group, kind, namespace and name; never matches nameless ones', () => {
    const deployment = (apiVersion: string, namespace?: string) => ({ apiVersion, kind: 'Deployment', metadata: { name: 'web', ...(namespace ? { namespace } : {}) }, spec: { replicas: 1 } });
    const unnamed = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'job-' }, spec: {} };
    const merged = mergeObjects([
      arrival(deployment('apps/v1', 'a'), 'x.yaml'),
      arrival({ ...deployment('apps/v1beta2', 'a'), spec: { replicas: 2 } }, 'y.yaml'), // same group, other version: the same object
      arrival(deployment('extensions/v1beta1', 'a'), 'x.yaml'),
      arrival(deployment('apps/v1', 'b'), 'x.yaml'),
      arrival(deployment('apps/v1'), 'x.yaml'),
      arrival(unnamed, 'x.yaml'),
      arrival({ ...unnamed, spec: { x: 1 } }, 'x.yaml'),
    ], () => ({ index: 1, why: 'test' }));
    expect(merged.resources).toHaveLength(6);
    expect(merged.gaps.map((g) => g.message)).toEqual(['Deployment a/web is read in 2 versions that differ (x.yaml:1, y.yaml:1); the weaker one, from y.yaml:1 (test), is judged']);
    expect((merged.resources[0]?.object as KubeObject).spec).toEqual({ replicas: 2 });
  });

  it('names a snapshot and the place the snapshot saved the object from', () => {
    const first = arrival(pod({ name: 'web' }), 'k8s/web.yaml', 3);
    const saved: KubeResource = { ...arrival(pod({ name: 'web', podSpec: { hostPID: true } }), 'k8s/web.yaml', 3).resource };
    const merged = mergeObjects([first, { resource: saved, source: 'snap.json' }], () => ({ index: 0, why: 'no findings in any version' }));
    expect(merged.gaps[0]).toMatchObject({ source: 'k8s/web.yaml', line: 3, code: 'CONFLICTING_VERSIONS' });
    expect(merged.gaps[0]?.message).toContain('(k8s/web.yaml:3, snap.json (saved from k8s/web.yaml:3))');
  });
});

describe('weakerVersion', () => {
  const rules = resolveRules(builtinRules, { config: EMPTY_CONFIG });
  const resource = (object: Record<string, unknown>, file: string) => arrival(object, file).resource;
  const hardened = pod({ name: 'web', podSpec: { containers: [{ name: 'app', image: 'x', securityContext: { runAsNonRoot: true } }] } });
  const privileged = pod({ name: 'web', podSpec: { containers: [{ name: 'app', image: 'x', securityContext: { runAsNonRoot: true, privileged: true } }] } });

  it('picks the version whose findings weigh more, whichever came first', () => {
    expect(weakerVersion([resource(hardened, 'a'), resource(privileged, 'b')], rules)).toEqual({ index: 1, why: expect.stringMatching(/^\d+ findings, worst critical$/) });
    expect(weakerVersion([resource(privileged, 'b'), resource(hardened, 'a')], rules).index).toBe(0);
  });

  it('keeps the first read when the versions weigh the same', () => {
    const relabelled = { ...hardened, metadata: { ...(hardened.metadata as object), labels: { team: 'x' } } };
    expect(weakerVersion([resource(hardened, 'a'), resource(relabelled, 'b')], rules).index).toBe(0);
    expect(weakerVersion([resource(relabelled, 'b'), resource(hardened, 'a')], rules).index).toBe(0);
  });
});
