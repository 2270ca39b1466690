/**
 * What a live collection reads follows from the rules: their handler keys and `meta.reads`. These
 * tests keep the declarations honest: every kind a rule looks up while it runs is declared (or
 * implied by its handlers), and the collector knows how to read every kind a rule needs.
 */
import { describe, expect, it } from 'vitest';
import { API_RESOURCES } from '../../src/collect/kube/resources.js';
import { isAwsTargetKind } from '../../src/core/aws/targets.js';
import type { Inventory } from '../../src/core/inventory.js';
import type { KubeObject, KubeResource } from '../../src/core/resource.js';
import { refOf } from '../../src/core/resource.js';
import { WORKLOAD_KINDS } from '../../src/core/workload.js';
import { ALL_KINDS, kindsNeeded } from '../../src/engine/rule-kinds.js';
import type { AnyRule, Handler } from '../../src/rules/define-rule.js';
import { builtinRules } from '../../src/rules/index.js';
import { clusterObjects } from '../collect/kube/fixture-cluster.js';
import { RecordingInventory } from '../support/recording-inventory.js';
import { KUBELET_CONFIG_KIND } from '../../src/core/kubelet-config.js';


/** The fixture cluster plus the kinds it lacks, so every lookup path of the rules is exercised. */
function richObjects(): KubeObject[] {
  return [
    ...clusterObjects(),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'amazon-vpc-cni', namespace: 'kube-system' }, data: { 'enable-network-policy-controller': 'true' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP: '10.100.0.10', selector: { 'k8s-app': 'kube-dns' } } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'team-a', annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' } }, spec: { ingressClassName: 'alb', rules: [{ host: 'web.example.com' }] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'alb' }, spec: { controller: 'ingress.k8s.aws/alb' } },
    { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'efs' }, spec: { csi: { driver: 'efs.csi.aws.com', volumeHandle: 'fs-1' } } },
    { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'deny' }, spec: { selector: 'all()', types: ['Ingress', 'Egress'] } },
    { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'deny', namespace: 'team-a' }, spec: { endpointSelector: {} } },
    { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'pvc-only', namespace: 'team-a' }, spec: { limits: [{ type: 'PersistentVolumeClaim', max: { storage: '1Gi' } }] } },
  ];
}

function inventoryOf(): RecordingInventory {
  const objects = richObjects().map((object): KubeResource => ({ ref: refOf(object), object, origin: { type: 'file', file: 'cluster.yaml', line: 1 } }));
  return new RecordingInventory(objects, [], ['manifests', 'cluster']);
}

const expand = (key: string): readonly string[] =>
  key === 'workload' ? ['workload', ...WORKLOAD_KINDS] : key === 'namespace' ? ['namespace', 'Namespace', 'workload', ...WORKLOAD_KINDS] : [key];

function targetsOf(inventory: Inventory, key: string): readonly unknown[] {
  if (key === 'workload') return inventory.workloads;
  if (key === 'namespace') return inventory.namespaces;
  if (key === 'object') return inventory.objects;
  return inventory.ofKind(key);
}

describe.each(Object.entries(builtinRules as Readonly<Record<string, AnyRule>>))('%s', (_id, rule) => {
  it('declares every kind it looks up (meta.reads) beyond its targets', () => {
    const inventory = inventoryOf();
    const handlers = Object.entries(rule.create(rule.defaultOptions)).filter(([key]) => !isAwsTargetKind(key)) as [string, Handler<unknown, string>][];
    const allowed = new Set([...handlers.map(([key]) => key), ...(rule.meta.reads ?? [])].flatMap(expand));
    const targets = handlers.map(([key, handler]) => [handler, targetsOf(inventory, key)] as const);
    inventory.asked.clear(); // enumerating targets is the engine's doing, not the rule's
    rule.notEvaluated?.(inventory);
    for (const [handler, list] of targets) for (const target of list) Array.from(handler(target, inventory));
    const undeclared = [...inventory.asked].filter((kind) => !allowed.has(kind));
    expect(undeclared, 'add these to meta.reads').toEqual([]);
  });
});

describe('kindsNeeded', () => {
  const entry = (rule: AnyRule) => ({ rule, handlers: rule.create(rule.defaultOptions) });

  it('expands handler keys and reads into kinds', () => {
    const rules = Object.values(builtinRules as Readonly<Record<string, AnyRule>>);
    const kinds = kindsNeeded(rules.map(entry));
    expect(kinds).not.toBe(ALL_KINDS);
    const set = kinds as ReadonlySet<string>;
    for (const kind of ['Pod', 'Deployment', 'CronJob', 'ReplicaSet', 'Namespace', 'Secret', 'ConfigMap', 'ClusterRoleBinding']) expect(set.has(kind), kind).toBe(true);
    expect([...set].some((k) => k.startsWith('aws:') || k === 'workload' || k === 'namespace')).toBe(false);
  });

  it('reads nothing but RBAC objects for an RBAC rule', () => {
    const rule = (builtinRules as Readonly<Record<string, AnyRule>>)['no-wildcard-rbac'];
    expect(rule).toBeDefined();
    if (rule) expect(kindsNeeded([entry(rule)])).toEqual(new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']));
  });

  it('reads every kind for a rule keyed by object', () => {
    const rule = (builtinRules as Readonly<Record<string, AnyRule>>)['no-wildcard-rbac'];
    if (rule) expect(kindsNeeded([{ rule, handlers: { object: () => [] } }])).toBe(ALL_KINDS);
  });

  it('asks only for kinds the live collector can read', () => {
    // Kubelet configurations come from each node's /configz, with --kubelet-config (src/collect/kube/kubelet-config.ts).
    const readable = new Set([...API_RESOURCES.map((r) => r.kind), KUBELET_CONFIG_KIND]);
    const rules = Object.values(builtinRules as Readonly<Record<string, AnyRule>>);
    const kinds = kindsNeeded(rules.map(entry));
    const missing = kinds === ALL_KINDS ? [] : [...kinds].filter((kind) => !readable.has(kind));
    expect(missing, 'add these to src/collect/kube/resources.ts').toEqual([]);
  });
});
