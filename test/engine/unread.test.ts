/**
 * Evidence a gap left unread makes the rules that need it "not evaluated", with the reason; the
 * rules that need only what was read still run. Also: aws-auth judged only where EKS reads it,
 * and what a snapshot says it read.
 */
import { describe, expect, it } from 'vitest';
import { kindsNotInSnapshot } from '../../src/collect/kube-sources.js';
import { Inventory } from '../../src/core/inventory.js';
import { refOf, type Gap, type KubeObject, type KubeResource, type Unread } from '../../src/core/resource.js';
import { pluralKind, UnreadIndex } from '../../src/core/unread.js';
import { audit } from '../../src/engine/audit.js';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { resolveRules } from '../../src/engine/rule-set.js';
import { builtinRules } from '../../src/rules/index.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { serializeSnapshot, toSnapshot } from '../../src/snapshot/write.js';
import { awsEvidenceOf } from '../rule-tester.js';

describe('UnreadIndex.reason', () => {
  it('names the kinds a rule reads that were not read, in plural, with the cause', () => {
    const index = new UnreadIndex([{ kinds: ['ClusterRoleBinding'], cause: '403 Forbidden' }]);
    expect(index.reason(new Set(['Role', 'ClusterRoleBinding']))).toBe('ClusterRoleBindings could not be read (403 Forbidden)');
    expect(index.reason(new Set(['Pod']))).toBeUndefined();
    expect(index.reason('all')).toBe('ClusterRoleBindings could not be read (403 Forbidden)');
  });

  it('names the namespaces when only some were not read, and all of the kind once one read covered every namespace', () => {
    const some = new UnreadIndex([
      { kinds: ['Pod'], namespace: 'b', cause: '403 Forbidden' },
      { kinds: ['Pod'], namespace: 'a', cause: '403 Forbidden' },
    ]);
    expect(some.reason(new Set(['Pod']))).toBe('Pods in namespaces a, b could not be read (403 Forbidden)');
    const all = new UnreadIndex([{ kinds: ['Pod'], namespace: 'a', cause: '403 Forbidden' }, { kinds: ['Pod'], cause: '403 Forbidden' }]);
    expect(all.reason(new Set(['Pod']))).toBe('Pods could not be read (403 Forbidden)');
  });

  it('groups what was not read by cause, kinds then AWS calls', () => {
    const index = new UnreadIndex([
      { kinds: ['NetworkPolicy', 'Ingress'], cause: '403 Forbidden' },
      { awsCalls: ['eks:DescribeCluster'], cause: 'eks:DescribeCluster denied: AccessDeniedException' },
      { kinds: ['Service'], cause: 'timed out' },
    ]);
    expect(index.reason(new Set(['NetworkPolicy', 'Ingress', 'Service']), ['eks:DescribeCluster', 'ec2:DescribeSubnets'])).toBe(
      'Ingresses and NetworkPolicies could not be read (403 Forbidden); Services could not be read (timed out); '
      + 'eks:DescribeCluster output could not be read (eks:DescribeCluster denied: AccessDeniedException)',
    );
    expect(index.reason(new Set(), ['ec2:DescribeSubnets'])).toBeUndefined();
  });

  it('skips entries of the wrong shape (a hand-edited snapshot) instead of failing', () => {
    const index = new UnreadIndex([{ kinds: 'Pod', cause: 3 } as unknown as Unread, { kinds: [1, 'Pod'] } as unknown as Unread]);
    expect(index.empty).toBe(true);
    expect(UnreadIndex.of([{ source: 's', code: 'KUBE_FORBIDDEN', message: 'm', unread: 'Pod' } as unknown as Gap]).empty).toBe(true);
  });

  it('pluralises kinds as Kubernetes names their resources', () => {
    expect(['Pod', 'NetworkPolicy', 'Ingress', 'ClusterPolicy', 'ConfigMap', 'Gateway'].map(pluralKind))
      .toEqual(['Pods', 'NetworkPolicies', 'Ingresses', 'ClusterPolicies', 'ConfigMaps', 'Gateways']);
  });
});

function resources(objects: readonly KubeObject[]): KubeResource[] {
  return objects.map((object) => ({ ref: refOf(object), object, origin: { type: 'cluster', context: 'test' } }));
}

const privilegedPod: KubeObject = {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace: 'shop' },
  spec: { containers: [{ name: 'app', image: 'app:1.0', securityContext: { privileged: true } }] },
};
const adminBinding: KubeObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'dev-admin' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'Group', name: 'dev', apiGroup: 'rbac.authorization.k8s.io' }],
};

function run(inventory: Inventory, only: readonly string[]) {
  const config = { ...EMPTY_CONFIG, defaultExemptions: false };
  return audit(inventory, resolveRules(builtinRules, { config, only }), config);
}

describe('audit with evidence left unread', () => {
  const rules = ['no-cluster-admin-bindings', 'no-privileged-containers'];
  const forbidden: Gap = { source: 'cluster:test', code: 'KUBE_FORBIDDEN', message: 'cannot list rolebindings', unread: { kinds: ['RoleBinding'], cause: '403 Forbidden' } };

  it('does not judge a rule on a kind that could not be read, and still runs the others', () => {
    const result = run(new Inventory(resources([privilegedPod, adminBinding]), [forbidden], ['cluster']), rules);
    expect(result.notEvaluated).toEqual([{ ruleId: 'no-cluster-admin-bindings', reason: 'RoleBindings could not be read (403 Forbidden)' }]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['no-privileged-containers']);
    expect(result.summary.rulesRun).toBe(1);
  });

  it('judges both when nothing was left unread (the gap alone, without `unread`, changes nothing)', () => {
    const plain: Gap = { source: forbidden.source, code: forbidden.code, message: forbidden.message };
    const result = run(new Inventory(resources([privilegedPod, adminBinding]), [plain], ['cluster']), rules);
    expect(result.notEvaluated).toEqual([]);
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(rules);
  });

  it('takes evidence not read without a gap (a snapshot for fewer rules) the same way', () => {
    const inventory = new Inventory(resources([privilegedPod]), [], ['cluster'], undefined, [{ kinds: ['ClusterRoleBinding'], cause: 'not in the snapshot' }]);
    const result = run(inventory, rules);
    expect(result.notEvaluated).toEqual([{ ruleId: 'no-cluster-admin-bindings', reason: 'ClusterRoleBindings could not be read (not in the snapshot)' }]);
    expect(result.gaps).toEqual([]);
  });

  it('does not judge an AWS rule on a refused call behind its targets', () => {
    const aws = awsEvidenceOf({ cluster: { name: 'prod', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod', accessConfig: { authenticationMode: 'CONFIG_MAP' } } });
    const denied: Gap = { source: 'aws:eu-west-1', code: 'AWS_FORBIDDEN', message: 'eks:DescribeCluster was denied', unread: { awsCalls: ['eks:DescribeCluster'], cause: 'eks:DescribeCluster denied: AccessDeniedException' } };
    const result = run(new Inventory([], [denied], [], aws), ['require-api-authentication-mode']);
    expect(result.notEvaluated).toEqual([{ ruleId: 'require-api-authentication-mode', reason: 'eks:DescribeCluster output could not be read (eks:DescribeCluster denied: AccessDeniedException)' }]);
    expect(result.findings).toEqual([]);
    expect(run(new Inventory([], [], [], aws), ['require-api-authentication-mode']).findings).toHaveLength(1);
  });
});

describe('aws-auth where EKS does not read it', () => {
  const awsAuth: KubeObject = {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' },
    data: { mapUsers: '- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: [system:masters]\n' },
  };
  const cluster = (mode: string) => awsEvidenceOf({ cluster: { name: 'prod', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod', accessConfig: { authenticationMode: mode } } });
  const rules = ['no-iam-users-in-aws-auth', 'no-system-masters-mappings'];

  it('raises nothing about a left-over aws-auth when every cluster authenticates through access entries only', () => {
    const result = run(new Inventory(resources([awsAuth]), [], ['cluster'], cluster('API')), rules);
    expect(result.findings).toEqual([]);
    expect(result.notEvaluated).toEqual([]);
  });

  it('judges aws-auth when the cluster still reads it', () => {
    const result = run(new Inventory(resources([awsAuth]), [], ['cluster'], cluster('API_AND_CONFIG_MAP')), rules);
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(rules);
  });
});

describe('what a snapshot read', () => {
  it('saves the kinds of its live read and the unread part of its gaps, and reads both back', () => {
    const gap: Gap = { source: 'cluster:test', code: 'KUBE_FORBIDDEN', message: 'cannot list pods', unread: { kinds: ['Pod'], namespace: 'a', cause: '403 Forbidden' } };
    const document = toSnapshot({ objects: [], gaps: [gap], sources: [], evidence: ['cluster'], kinds: ['Pod', 'Deployment', 'Pod'], toolVersion: '0', createdAt: '2026-01-01T00:00:00Z' });
    const read = parseSnapshot(serializeSnapshot(document), 'snap.json');
    expect(read.kinds).toEqual(['Deployment', 'Pod']);
    expect(read.gaps).toEqual([gap]);
  });

  it('lacks the kinds the rules need beyond those, and nothing when it does not say (older snapshots)', () => {
    expect(kindsNotInSnapshot(new Set(['Pod', 'Role', 'ClusterRole']), ['Pod'])).toEqual(['ClusterRole', 'Role']);
    expect(kindsNotInSnapshot(new Set(['Pod']), undefined)).toEqual([]);
    expect(kindsNotInSnapshot('all', ['Pod'])).toEqual([]);
  });
});
