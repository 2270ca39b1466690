import { describe, expect, it } from 'vitest';
import { Inventory } from '../../src/core/inventory.js';
import { refOf, type KubeObject, type KubeResource } from '../../src/core/resource.js';
import { isShippedSubject, shippedClusterRoleRules } from '../../src/rbac/bootstrap-policy.js';
import { describeGrants } from '../../src/rbac/describe.js';
import { RbacPolicy } from '../../src/rbac/policy.js';
import { formatRule } from '../../src/rbac/policy-rule.js';
import { whoCan } from '../../src/rbac/who-can.js';
import { inventoryOf } from '../rule-tester.js';
import { bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule, sa, user } from '../builders-rbac.js';

const AGG = (label: string) => ({ clusterRoleSelectors: [{ matchLabels: { [label]: 'true' } }] });

function liveInventory(objects: readonly Record<string, unknown>[]): Inventory {
  const resources: KubeResource[] = objects.map((o) => ({ ref: refOf(o as KubeObject), object: o as KubeObject, origin: { type: 'cluster', context: 'test' } }));
  return new Inventory(resources);
}

const rulesText = (policy: RbacPolicy, name: string) => policy.clusterRole(name)?.rules.map((r) => formatRule(r.rule)) ?? [];

describe('aggregated ClusterRoles', () => {
  const components = [
    clusterRole('b-reader', [rule(['get'], [''], ['pods'])], { labels: { agg: 'true' } }),
    clusterRole('a-writer', [rule(['create'], [''], ['pods']), rule(['get'], [''], ['pods'])], { labels: { agg: 'true' } }),
    clusterRole('other', [rule(['delete'], [''], ['pods'])]),
  ];

  it('computes the union offline: components sorted by name, duplicates dropped', () => {
    const policy = RbacPolicy.of(inventoryOf([clusterRole('agg', undefined, { aggregationRule: AGG('agg') }), ...components]));
    const agg = policy.clusterRole('agg');
    expect(agg?.aggregated).toBe(true);
    expect(rulesText(policy, 'agg')).toEqual(['create on pods in apiGroups "" (core)', 'get on pods in apiGroups "" (core)']);
    expect(agg?.rules.map((r) => [r.path.join('/'), r.from])).toEqual([
      ['aggregationRule/clusterRoleSelectors/0', 'a-writer'],
      ['aggregationRule/clusterRoleSelectors/0', 'a-writer'],
    ]);
  });

  it('skips itself when its own labels match its selector, and resolves nested aggregation', () => {
    const policy = RbacPolicy.of(inventoryOf([
      clusterRole('top', [], { aggregationRule: AGG('top') }),
      clusterRole('middle', [], { labels: { top: 'true', agg: 'true' }, aggregationRule: AGG('agg') }),
      ...components,
    ]));
    expect(rulesText(policy, 'middle')).toEqual(['create on pods in apiGroups "" (core)', 'get on pods in apiGroups "" (core)']);
    expect(policy.clusterRole('top')?.rules.map((r) => r.from)).toEqual(['a-writer', 'a-writer']);
    expect(policy.aggregatorsOf('a-writer').map((r) => r.name)).toEqual(['middle', 'top']);
  });

  it('survives aggregation cycles', () => {
    const policy = RbacPolicy.of(inventoryOf([
      clusterRole('x', [rule(['get'], [''], ['pods'])], { labels: { y: 'true' }, aggregationRule: AGG('x') }),
      clusterRole('y', [rule(['list'], [''], ['pods'])], { labels: { x: 'true' }, aggregationRule: AGG('y') }),
    ]));
    expect(rulesText(policy, 'x')).toEqual(['get on pods in apiGroups "" (core)', 'list on pods in apiGroups "" (core)']);
  });

  it('trusts the stored rules of a live cluster, and attributes them to the component that states them', () => {
    const policy = RbacPolicy.of(liveInventory([clusterRole('agg', [rule(['get'], [''], ['pods'])], { aggregationRule: AGG('agg') }), ...components]));
    expect(rulesText(policy, 'agg')).toEqual(['get on pods in apiGroups "" (core)']);
    expect(policy.clusterRole('agg')?.rules[0]?.from).toBe('a-writer');
  });

  it('adds the offline union to the stored rules of a file dump', () => {
    const policy = RbacPolicy.of(inventoryOf([clusterRole('agg', [rule(['watch'], [''], ['pods'])], { aggregationRule: AGG('agg') }), ...components]));
    expect(rulesText(policy, 'agg')).toEqual(['watch on pods in apiGroups "" (core)', 'create on pods in apiGroups "" (core)', 'get on pods in apiGroups "" (core)']);
  });

  it('aggregates built-in components the input lacks, as every cluster has them', () => {
    const policy = RbacPolicy.of(inventoryOf([clusterRole('my-edit', [], { aggregationRule: AGG('rbac.authorization.k8s.io/aggregate-to-edit') })]));
    const rules = policy.clusterRole('my-edit')?.rules ?? [];
    expect(rules.some((r) => r.from === 'system:aggregate-to-edit' && r.rule.resources.includes('pods/exec'))).toBe(true);
    expect(rules.some((r) => r.from === 'system:aggregate-to-view')).toBe(true);
  });
});

describe('built-in roles', () => {
  it('marks the rules of bootstrap roles as shipped, and an added rule as not', () => {
    const dump = bootstrapDump().map((o) => {
      const meta = o.metadata as { name: string };
      return o.kind === 'ClusterRole' && meta.name === 'view' ? { ...o, rules: [...(o.rules as unknown[]), rule(['get'], [''], ['secrets'])] } : o;
    });
    const policy = RbacPolicy.of(inventoryOf(dump));
    expect(policy.clusterRole('edit')?.rules.every((r) => r.shipped)).toBe(true);
    expect(policy.clusterRole('system:node')?.rules.every((r) => r.shipped)).toBe(true);
    const view = policy.clusterRole('view');
    expect(view?.builtin).toBe('kubernetes');
    expect(view?.rules.filter((r) => !r.shipped).map((r) => formatRule(r.rule))).toEqual(['get on secrets in apiGroups "" (core)']);
  });

  it('takes the current upstream forms of the controllers that trip rules as shipped', () => {
    const policy = RbacPolicy.of(inventoryOf([
      clusterRole('system:controller:namespace-controller', [rule(['delete', 'deletecollection', 'get', 'list', 'watch'], ['*'], ['*'])]),
      clusterRole('system:controller:horizontal-pod-autoscaler', [rule(['get', 'list', 'watch'], ['custom.metrics.k8s.io'], ['*']), rule(['list', 'watch'], ['metrics.k8s.io'], ['pods'])]),
      role('kube-system', 'system::leader-locking-kube-scheduler', [rule(['create', 'get', 'list', 'update', 'watch'], ['coordination.k8s.io'], ['leasecandidates'])]),
    ]));
    for (const name of ['system:controller:namespace-controller', 'system:controller:horizontal-pod-autoscaler']) {
      expect(policy.clusterRole(name)?.rules.every((r) => r.shipped), name).toBe(true);
    }
    expect(policy.role('kube-system', 'system::leader-locking-kube-scheduler')?.rules.every((r) => r.shipped)).toBe(true);
  });

  it('looks up built-ins the input lacks', () => {
    const policy = RbacPolicy.of(inventoryOf([roleBinding('ci', 'x', { kind: 'ClusterRole', name: 'edit' }, [sa('runner')])]));
    const binding = policy.bindings[0];
    expect(binding?.role?.resource).toBeUndefined();
    expect(binding?.role?.rules.length).toBeGreaterThan(10);
    expect(policy.role('kube-system', 'system::leader-locking-kube-scheduler')?.builtin).toBe('kubernetes');
    expect(policy.clusterRole('no-such-role')).toBeUndefined();
  });

  it('resolves the shipped aggregation of admin, edit and view', () => {
    const admin = shippedClusterRoleRules('admin') ?? [];
    expect(admin.some((r) => r.resources.includes('rolebindings'))).toBe(true);
    expect(admin.some((r) => r.resources.includes('secrets') && r.verbs.includes('list'))).toBe(true);
    expect(shippedClusterRoleRules('view')?.some((r) => r.resources.includes('secrets'))).toBe(false);
  });

  it('takes eks: roles as EKS\'s only while EKS\'s own identities hold them', () => {
    const dump = eksDump();
    expect(RbacPolicy.of(inventoryOf(dump)).clusterRole('eks:addon-manager')?.builtin).toBe('eks');
    const held = RbacPolicy.of(inventoryOf([...dump, clusterRoleBinding('backdoor', 'eks:addon-manager', [sa('x', 'default')])]));
    expect(held.clusterRole('eks:addon-manager')?.builtin).toBeUndefined();
  });

  it('knows the shipped subjects of bootstrap and EKS bindings', () => {
    const roleRef = { kind: 'ClusterRole', name: 'cluster-admin' };
    expect(isShippedSubject({ kind: 'ClusterRoleBinding', name: 'cluster-admin', roleRef }, { kind: 'Group', name: 'system:masters' })).toBe(true);
    expect(isShippedSubject({ kind: 'ClusterRoleBinding', name: 'cluster-admin', roleRef }, { kind: 'Group', name: 'devs' })).toBe(false);
    expect(isShippedSubject({ kind: 'ClusterRoleBinding', name: 'my-admin', roleRef }, { kind: 'Group', name: 'system:masters' })).toBe(false);
    expect(isShippedSubject({ kind: 'ClusterRoleBinding', name: 'eks:addon-cluster-admin', roleRef }, { kind: 'User', name: 'eks:addon-manager' })).toBe(true);
    expect(isShippedSubject({ kind: 'RoleBinding', namespace: 'kube-system', name: 'eks-vpc-resource-controller-rolebinding', roleRef }, { kind: 'User', name: 'eks:vpc-resource-controller' })).toBe(true);
    expect(isShippedSubject({ kind: 'ClusterRoleBinding', name: 'my-binding', roleRef }, { kind: 'Group', name: 'eks:kube-proxy-windows' })).toBe(false);
    expect(isShippedSubject({ kind: 'ClusterRoleBinding', name: 'eks:kube-proxy-windows', roleRef }, { kind: 'Group', name: 'eks:kube-proxy-windows' })).toBe(true);
    expect(isShippedSubject({ kind: 'ClusterRoleBinding', name: 'eks:x', roleRef }, { kind: 'ServiceAccount', name: 'eks:x', namespace: 'kube-system' })).toBe(false);
    expect(isShippedSubject({ kind: 'ClusterRoleBinding', name: 'system:controller:namespace-controller', roleRef: { kind: 'ClusterRole', name: 'system:controller:namespace-controller' } },
      { kind: 'ServiceAccount', name: 'namespace-controller', namespace: 'kube-system' })).toBe(true);
  });
});

describe('bindings', () => {
  const objects = [
    role('ci', 'deployer', [rule(['create'], ['apps'], ['deployments'])]),
    role('other', 'deployer', [rule(['delete'], [''], ['pods'])]),
    roleBinding('ci', 'deployer', { kind: 'Role', name: 'deployer' }, [sa('runner'), sa('builder', 'build'), group('devs'), { kind: 'Robot', name: 'x' }, { kind: 'User' }]),
    clusterRoleBinding('crb', 'view', [sa('no-namespace'), user('alice')]),
    roleBinding('ci', 'dangling', { kind: 'Role', name: 'missing' }, [user('bob')]),
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'bad-ref' }, roleRef: { kind: 'Role', name: 'deployer' }, subjects: [user('x')] },
    { apiVersion: 'example.com/v1', kind: 'RoleBinding', metadata: { name: 'crd', namespace: 'ci' }, roleRef: { kind: 'Role', name: 'deployer' } },
  ];
  const policy = RbacPolicy.of(inventoryOf(objects));
  const byName = (name: string) => policy.bindings.find((b) => b.name === name);

  it('looks a RoleBinding\'s Role up in its own namespace', () => {
    expect(formatRule(byName('deployer')?.role?.rules[0]?.rule ?? { verbs: [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [] })).toBe('create on deployments in apiGroups apps');
  });

  it('defaults a ServiceAccount subject to the RoleBinding\'s namespace and drops invalid subjects', () => {
    expect(byName('deployer')?.subjects.map((s) => [s.kind, s.namespace ?? '', s.name, s.index])).toEqual([
      ['ServiceAccount', 'ci', 'runner', 0], ['ServiceAccount', 'build', 'builder', 1], ['Group', '', 'devs', 2],
    ]);
    expect(byName('crb')?.subjects.map((s) => s.name)).toEqual(['alice']);
  });

  it('leaves dangling and malformed roleRefs without a role', () => {
    expect(byName('dangling')?.role).toBeUndefined();
    expect(byName('bad-ref')?.roleRef).toBeUndefined();
    expect(byName('crd')).toBeUndefined();
  });

  it('finds who holds a role, directly or through aggregation', () => {
    const p = RbacPolicy.of(inventoryOf([
      clusterRole('component', [rule(['get'], [''], ['pods'])], { labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }),
      roleBinding('ci', 'viewers', { kind: 'ClusterRole', name: 'view' }, [group('devs')]),
      clusterRoleBinding('direct', 'component', [user('alice')]),
    ]));
    const component = p.clusterRole('component');
    expect(component && describeGrants(p.grantsOf(component))).toBe(
      'granted to User alice via ClusterRoleBinding direct; Group devs via RoleBinding ci/viewers (through ClusterRole view)');
  });
});

describe('whoCan', () => {
  const policy = RbacPolicy.of(inventoryOf([
    clusterRole('cm-writer', [rule(['update'], [''], ['configmaps'])]),
    clusterRole('metrics', [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]),
    roleBinding('kube-system', 'writers', { kind: 'ClusterRole', name: 'cm-writer' }, [group('ks-writers')]),
    roleBinding('default', 'writers', { kind: 'ClusterRole', name: 'cm-writer' }, [group('default-writers')]),
    clusterRoleBinding('everyone-writes', 'cm-writer', [group('all-writers')]),
    roleBinding('default', 'metrics', { kind: 'ClusterRole', name: 'metrics' }, [group('ns-metrics')]),
    clusterRoleBinding('metrics', 'metrics', [group('cluster-metrics')]),
  ]));

  it('considers ClusterRoleBindings and the RoleBindings of the request\'s namespace', () => {
    const names = whoCan(policy, { verb: 'update', apiGroup: '', resource: 'configmaps', name: 'aws-auth' }, 'kube-system').map((p) => p.subject.name);
    expect(names.sort()).toEqual(['all-writers', 'ks-writers']);
  });

  it('grants non-resource URLs through ClusterRoleBindings only', () => {
    expect(whoCan(policy, { verb: 'get', nonResourceURL: '/metrics' }, 'default').map((p) => p.subject.name)).toEqual(['cluster-metrics']);
  });
});
