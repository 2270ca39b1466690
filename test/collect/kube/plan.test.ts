import { describe, expect, it } from 'vitest';
import { toKubeObject } from '../../../src/collect/kube/collect.js';
import { planReads, type PlannedRead } from '../../../src/collect/kube/plan.js';
import { ReplicaSampler } from '../../../src/collect/kube/replicas.js';
import { API_RESOURCES, possibleCalls } from '../../../src/collect/kube/resources.js';
import type { KubeObject } from '../../../src/core/resource.js';
import { ALL_KINDS } from '../../../src/engine/rule-kinds.js';

const describeAll = (reads: readonly PlannedRead[]) => reads.map((r) => r.description);

describe('planReads', () => {
  it('lists each needed kind once, cluster-wide, owners before what they own', () => {
    const { reads } = planReads({ kinds: new Set(['Pod', 'ReplicaSet', 'Deployment', 'ClusterRole']), served: new Set() });
    expect(describeAll(reads)).toEqual([
      'list deployments.apps in all namespaces',
      'list clusterroles.rbac.authorization.k8s.io',
      'list replicasets.apps in all namespaces',
      'list pods in all namespaces',
    ]);
    expect(reads.map((r) => r.path)).toEqual(['/apis/apps/v1/deployments', '/apis/rbac.authorization.k8s.io/v1/clusterroles', '/apis/apps/v1/replicasets', '/api/v1/pods']);
  });

  it('gets named ConfigMaps instead of listing them, whatever the namespaces', () => {
    const { reads } = planReads({ kinds: new Set(['ConfigMap']), namespaces: ['shop'], served: new Set() });
    expect(reads.map((r) => [r.verb, r.path])).toEqual([
      ['get', '/api/v1/namespaces/kube-system/configmaps/aws-auth'],
      ['get', '/api/v1/namespaces/kube-system/configmaps/amazon-vpc-cni'],
    ]);
  });

  it('with namespaces, lists namespaced kinds per namespace and gets the Namespace objects', () => {
    const { reads } = planReads({ kinds: new Set(['Namespace', 'Secret', 'StorageClass']), namespaces: ['a b', 'c'], served: new Set() });
    expect(reads.map((r) => [r.verb, r.path])).toEqual([
      ['get', '/api/v1/namespaces/a%20b'],
      ['get', '/api/v1/namespaces/c'],
      ['list', '/api/v1/namespaces/a%20b/secrets'],
      ['list', '/api/v1/namespaces/c/secrets'],
      ['list', '/apis/storage.k8s.io/v1/storageclasses'],
    ]);
  });

  it('reads an add-on in the first version the cluster serves, skips one it does not serve, and flags them all when discovery failed', () => {
    const kinds = new Set(['GlobalNetworkPolicy', 'ClusterPolicy']);
    const served = planReads({ kinds, served: new Set(['crd.projectcalico.org/v1']) });
    expect(served.reads.map((r) => r.path)).toEqual(['/apis/crd.projectcalico.org/v1/globalnetworkpolicies']);
    expect(served.notInstalled.map((r) => r.kind)).toEqual(['ClusterPolicy']);
    const preferred = planReads({ kinds, served: new Set(['crd.projectcalico.org/v1', 'projectcalico.org/v3']) });
    expect(preferred.reads.map((r) => r.apiVersion)).toEqual(['projectcalico.org/v3']);
    const unknown = planReads({ kinds });
    expect(unknown.reads).toEqual([]);
    expect(unknown.unresolved.map((r) => r.kind)).toEqual(['GlobalNetworkPolicy', 'ClusterPolicy']);
  });

  it('reads everything the table knows for ALL_KINDS', () => {
    const { reads } = planReads({ kinds: ALL_KINDS, served: new Set(API_RESOURCES.flatMap((r) => r.apiVersions)) });
    expect(new Set(reads.map((r) => r.resource.kind))).toEqual(new Set(API_RESOURCES.map((r) => r.kind)));
  });

  it('never plans a call outside possibleCalls (what deploy/rbac.yaml grants)', () => {
    const calls = possibleCalls();
    const { reads } = planReads({ kinds: ALL_KINDS, namespaces: ['x'], served: new Set(API_RESOURCES.flatMap((r) => r.apiVersions)) });
    for (const read of reads) {
      const group = read.apiVersion.includes('/') ? read.apiVersion.split('/')[0] : '';
      expect(calls.some((c) => c.verb === read.verb && c.apiGroup === group && c.resource === read.resource.plural), read.description).toBe(true);
    }
  });
});

describe('ReplicaSampler', () => {
  const object = (kind: string, name: string, owner?: [string, string], spec: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1', kind,
    metadata: { name, namespace: 'ns', ...(owner ? { ownerReferences: [{ kind: owner[0], name: owner[1], controller: true }] } : {}) },
    spec,
  });

  it('keeps one child per controller read, skips history, and drops the children of what it dropped', () => {
    const sampler = new ReplicaSampler();
    const decisions = [
      object('Deployment', 'web'),
      object('ReplicaSet', 'web-old', ['Deployment', 'web'], { replicas: 0 }),
      object('ReplicaSet', 'web-new', ['Deployment', 'web'], { replicas: 2 }),
      object('ReplicaSet', 'web-newer', ['Deployment', 'web'], { replicas: 1 }),
      object('Pod', 'web-new-1', ['ReplicaSet', 'web-new']),
      object('Pod', 'web-new-2', ['ReplicaSet', 'web-new']),
      object('Pod', 'web-newer-1', ['ReplicaSet', 'web-newer']),
      object('Pod', 'web-old-1', ['ReplicaSet', 'web-old']),
      object('Pod', 'static', ['Node', 'ip-1']),
      object('Pod', 'bare'),
      object('Pod', 'rollout-1', ['ReplicaSet', 'rollout-abc']), // its ReplicaSet was never read
      object('Pod', 'rollout-2', ['ReplicaSet', 'rollout-abc']),
    ].map((o) => `${o.metadata?.name ?? ''}:${sampler.accept(o)}`);
    expect(decisions).toEqual([
      'web:true', 'web-old:false', 'web-new:true', 'web-newer:false',
      'web-new-1:true', 'web-new-2:false', 'web-newer-1:false', 'web-old-1:false',
      'static:true', 'bare:true', 'rollout-1:true', 'rollout-2:true',
    ]);
    expect(sampler.dropped).toBe(5);
  });

  it('leaves other kinds alone', () => {
    const sampler = new ReplicaSampler();
    expect(sampler.accept({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', ownerReferences: [{ kind: 'Service', name: 'y', controller: true }] } })).toBe(true);
  });
});

describe('toKubeObject', () => {
  const read = (kind: string): PlannedRead => {
    const { reads } = planReads({ kinds: new Set([kind]), served: new Set() });
    const first = reads[0];
    if (!first) throw new Error(`no read for ${kind}`);
    return first;
  };

  it('adds apiVersion and kind to list items, drops managedFields, keeps the rest as it is', () => {
    const object = toKubeObject({ metadata: { name: 'web', namespace: 'a', managedFields: [{}], creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { replicas: 1, unknownField: { x: 1 } } }, read('Deployment'));
    expect(object).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { replicas: 1, unknownField: { x: 1 } } });
  });

  it('builds a Secret from metadata only, with the type the selector guarantees, without the last-applied copy', () => {
    const object = toKubeObject({
      kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 't', namespace: 'a', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"token":"x"}}', keep: 'me' } },
      data: { token: 'should never be here' },
    }, read('Secret'));
    expect(object).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 't', namespace: 'a', annotations: { keep: 'me' } }, type: 'kubernetes.io/service-account-token' });
  });

  it('skips what is not an object', () => {
    expect(toKubeObject('x', read('Pod'))).toBeUndefined();
    expect(toKubeObject(null, read('Pod'))).toBeUndefined();
  });
});
