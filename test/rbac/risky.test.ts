/**
 * `rbac risky`: each entry of the catalogue (rbac-police's and KubiScan's situations, matched the
 * authorizer's way and by scope), what the platform ships staying silent, and escalation paths.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { riskyPermissions, type Risk } from '../../src/rbac/risky.js';
import { describeCluster } from '../builders-aws.js';
import { inventoryOf } from '../rule-tester.js';
import { awsAuth, bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule, sa, user, RBAC_GROUP } from '../builders-rbac.js';

type Json = Record<string, unknown>;

function risks(objects: readonly Json[], aws?: readonly Json[]): readonly Risk[] {
  return riskyPermissions(inventoryOf(objects as never, aws as never)).risks;
}

/** `severity id Kind name [namespace]` per risk. */
function summary(found: readonly Risk[]): string[] {
  return found.map((r) => `${r.severity} ${r.id} ${r.subject.kind} ${r.subject.namespace !== undefined ? `${r.subject.namespace}/` : ''}${r.subject.name}${r.namespace !== undefined ? ` in ${r.namespace}` : ''}`);
}

/** One ClusterRole with these rules, bound cluster-wide (or in a namespace) to User u. */
function grant(rules: readonly Json[], namespace?: string): Json[] {
  return [
    clusterRole('granted', rules),
    namespace === undefined
      ? clusterRoleBinding('granted', 'granted', [user('u')])
      : roleBinding(namespace, 'granted', { kind: 'ClusterRole', name: 'granted' }, [user('u')]),
  ];
}

describe('the platform', () => {
  it('reports nothing of what Kubernetes and EKS ship to their own identities', () => {
    expect(risks([...bootstrapDump(), ...eksDump()])).toEqual([]);
  });

  it('reports a built-in role once it is modified', () => {
    const objects = bootstrapDump().map((o) => ((o.metadata as Json).name === 'system:public-info-viewer' && o.kind === 'ClusterRole'
      ? { ...o, rules: [...(o.rules as Json[]), rule(['get', 'list'], [''], ['secrets'])] }
      : o));
    expect(summary(risks(objects))).toEqual(['high secrets-read Group system:unauthenticated', 'high secrets-read Group system:authenticated']
      .sort((a, b) => a.localeCompare(b)));
  });
});

/**
 * A fresh EKS 1.31 cluster: Kubernetes' bootstrap policy with every controller role (the workload
 * controllers create and patch pods everywhere), EKS's objects and add-ons. Written out, not built
 * from the table in bootstrap-policy.ts, so a role the table lacks shows up here.
 */
describe('a fresh EKS cluster', () => {
  const fresh = readFileSync(new URL('../fixtures/rbac/eks-1.31-fresh.yaml', import.meta.url), 'utf8');
  const freshRisks = (extra: readonly Json[] = []) => summary(riskyPermissions(inventoryOf([fresh, ...extra.map((o) => JSON.stringify(o))].join('\n---\n'))).risks);

  it('holds every system:controller role, and reports nothing', () => {
    for (const controller of ['deployment-controller', 'replicaset-controller', 'daemon-set-controller', 'job-controller', 'cronjob-controller', 'statefulset-controller', 'replication-controller']) {
      expect(fresh).toContain(`name: system:controller:${controller}\n`);
    }
    expect(fresh).toContain('name: vpc-resource-controller-role\n');
    expect(freshRisks()).toEqual([]);
  });

  it('reports each grant a user makes on top', () => {
    const grants: readonly [string, readonly Json[]][] = [
      ['high cluster-admin User alice', [clusterRoleBinding('alice-admin', 'cluster-admin', [user('alice')])]],
      ['medium secrets-read Group team-a-devs in team-a', [roleBinding('team-a', 'team-a-devs-edit', { kind: 'ClusterRole', name: 'edit' }, [group('team-a-devs')])]],
      ['medium secrets-read ServiceAccount team-b/web in team-b', [
        role('team-b', 'secret-reader', [rule(['get', 'list'], [''], ['secrets'])]),
        roleBinding('team-b', 'web-secret-reader', { kind: 'Role', name: 'secret-reader' }, [sa('web', 'team-b')]),
      ]],
      ['high pod-create ServiceAccount default/default', [
        clusterRole('ci-deployer', [rule(['*'], ['apps'], ['*']), rule(['bind', 'escalate'], [RBAC_GROUP], ['clusterroles', 'roles'])]),
        clusterRoleBinding('ci-deployer', 'ci-deployer', [sa('default', 'default')]),
      ]],
      ['high impersonate Group support', [
        clusterRole('support-impersonator', [rule(['impersonate'], [''], ['users', 'groups'])]),
        clusterRoleBinding('support-impersonator', 'support-impersonator', [group('support')]),
      ]],
      ['high pod-create Group ops', [clusterRoleBinding('ops-node-manager', 'eks:node-manager', [group('ops')])]],
      // Handing out a controller's role, or the VPC resource controller's, is the user's act.
      ['high pod-create ServiceAccount ci/runner', [clusterRoleBinding('runner-jobs', 'system:controller:job-controller', [sa('runner', 'ci')])]],
      ['high pod-modify ServiceAccount ci/runner', [clusterRoleBinding('runner-vpc', 'vpc-resource-controller-role', [sa('runner', 'ci')])]],
      // A copy of a controller's role under another name is judged like any role.
      ['high pod-create User bob', [
        clusterRole('my-replicaset-controller', [rule(['list', 'watch', 'patch', 'create', 'delete'], [''], ['pods'])]),
        clusterRoleBinding('my-replicaset-controller', 'my-replicaset-controller', [user('bob')]),
      ]],
    ];
    for (const [expected, objects] of grants) expect(freshRisks(objects), expected).toContain(expected);
  });

  it('reports a controller role once a rule is added to it, on its shipped holder', () => {
    const objects = fresh.replace(
      /(name: system:controller:ttl-controller\n {4}rules:\n)/,
      `$1      - { verbs: [ get, list ], apiGroups: [ "" ], resources: [ secrets ] }\n`,
    );
    expect(objects).not.toEqual(fresh);
    expect(summary(riskyPermissions(inventoryOf(objects)).risks)).toEqual(['high secrets-read ServiceAccount kube-system/ttl-controller']);
  });
});

describe('the catalogue', () => {
  it('cluster-admin says it all: the other hits of the scope are not repeated', () => {
    expect(summary(risks([clusterRoleBinding('ops', 'cluster-admin', [group('ops')])]))).toEqual(['high cluster-admin Group ops']);
  });

  it('* on * in a namespace is full control there: high, in kube-system too (as no-wildcard-rbac rates it)', () => {
    expect(summary(risks(grant([rule(['*'], ['*'], ['*'])], 'shop')))).toEqual(['high namespace-admin User u in shop']);
    expect(summary(risks(grant([rule(['*'], ['*'], ['*'])], 'kube-system')))).toEqual(['high namespace-admin User u in kube-system']);
  });

  it('system:masters through aws-auth', () => {
    const found = risks([awsAuth({ mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/admin', username: 'admin', groups: ['system:masters'] }] })]);
    expect(summary(found)).toEqual(['high system-masters IAMRole arn:aws:iam::111122223333:role/admin']);
  });

  it('impersonation: high, any group (system:masters included) and named users alike (as no-rbac-escalation-verbs rates it)', () => {
    expect(summary(risks(grant([rule(['impersonate'], [''], ['groups'])])))[0]).toBe('high impersonate User u');
    expect(summary(risks(grant([rule(['impersonate'], [''], ['users'], ['alice', 'bob'])])))).toEqual(['high impersonate User u']);
    // Users and groups are cluster-scoped: a RoleBinding cannot grant impersonating them.
    expect(risks(grant([rule(['impersonate'], [''], ['users', 'groups'])], 'shop'))).toEqual([]);
  });

  it('bind needs the bind verb on roles and the right to write bindings', () => {
    expect(summary(risks(grant([rule(['bind'], [RBAC_GROUP], ['clusterroles']), rule(['create'], [RBAC_GROUP], ['rolebindings'])], 'shop'))))
      .toEqual(['high bind-roles User u in shop']);
    expect(summary(risks(grant([rule(['bind', 'create'], [RBAC_GROUP], ['clusterroles', 'clusterrolebindings'])]))))
      .toEqual(['high bind-roles User u']);
    expect(risks(grant([rule(['bind'], [RBAC_GROUP], ['clusterroles'])]))).toEqual([]);
  });

  it('escalate needs the escalate verb and the right to write roles', () => {
    expect(summary(risks(grant([rule(['escalate', 'update'], [RBAC_GROUP], ['roles'])], 'shop')))).toEqual(['high escalate-roles User u in shop']);
    expect(risks(grant([rule(['escalate'], [RBAC_GROUP], ['roles'])], 'shop'))).toEqual([]);
  });

  it('secrets read: high cluster-wide or in kube-system, medium elsewhere, nothing when narrowed by resourceNames', () => {
    expect(summary(risks(grant([rule(['list'], [''], ['secrets'])])))).toEqual(['high secrets-read User u']);
    expect(summary(risks(grant([rule(['get'], [''], ['secrets'])], 'kube-system')))).toEqual(['high secrets-read User u in kube-system']);
    expect(summary(risks(grant([rule(['watch'], [''], ['secrets'])], 'shop')))).toEqual(['medium secrets-read User u in shop']);
    expect(risks(grant([rule(['get'], [''], ['secrets'], ['tls-cert'])]))).toEqual([]);
    // "Read-only" get on everything includes Secrets, and get on pods/exec and nodes/proxy: exec over WebSockets.
    expect(summary(risks(grant([rule(['get'], ['*'], ['*'])])))).toEqual(['high node-proxy User u', 'high pod-exec User u', 'high secrets-read User u']);
  });

  it('creating Secrets or tokens, and creating pods, is high where it reaches privileged ServiceAccounts (as restrict-token-creation and restrict-workload-creation rate it)', () => {
    expect(summary(risks(grant([rule(['create'], [''], ['secrets'])], 'kube-system')))).toEqual(['high token-secrets-create User u in kube-system']);
    expect(summary(risks(grant([rule(['create'], [''], ['serviceaccounts/token'])], 'kube-system')))).toEqual(['high token-request User u in kube-system']);
    expect(summary(risks(grant([rule(['create'], [''], ['pods'])])))).toEqual(['high pod-create User u']);
    expect(summary(risks(grant([rule(['patch'], ['apps'], ['daemonsets'])], 'kube-system')))).toEqual(['high pod-create User u in kube-system']);
    // In an ordinary namespace they matter only through whom they reach (escalation paths).
    expect(risks(grant([rule(['create'], [''], ['pods', 'secrets', 'serviceaccounts/token'])], 'shop'))).toEqual([]);
  });

  it('exec and attach (create, or get over WebSockets), ephemeral containers and pod updates', () => {
    expect(summary(risks(grant([rule(['get'], [''], ['pods/exec'])], 'shop')))).toEqual(['medium pod-exec User u in shop']);
    // get opens a WebSocket exec up to 1.34 only: 1.35 asks for create as well.
    expect(summary(risks(grant([rule(['get'], [''], ['pods/exec'])], 'shop'), [describeCluster({ version: '1.34' })]))).toEqual(['medium pod-exec User u in shop']);
    expect(risks(grant([rule(['get'], [''], ['pods/exec'])], 'shop'), [describeCluster({ version: '1.35' })])).toEqual([]);
    expect(summary(risks(grant([rule(['create'], [''], ['pods/exec'])], 'shop'), [describeCluster({ version: '1.35' })]))).toEqual(['medium pod-exec User u in shop']);
    expect(summary(risks(grant([rule(['create'], [''], ['*/attach'])])))).toEqual(['high pod-exec User u']);
    expect(risks(grant([rule(['create'], [''], ['pods/exec'], ['debug-pod'])], 'shop'))).toEqual([]);
    expect(summary(risks(grant([rule(['patch'], [''], ['pods/ephemeralcontainers'])], 'shop')))).toEqual(['medium pod-ephemeral-containers User u in shop']);
    expect(summary(risks(grant([rule(['update'], [''], ['pods'])])))).toEqual(['high pod-modify User u']);
    expect(risks(grant([rule(['create', 'update'], [''], ['pods/log', 'pods/portforward'])], 'shop'))).toEqual([]);
  });

  it('writing Endpoints or EndpointSlices points a Service anywhere (CVE-2021-25740): low in a namespace, medium cluster-wide', () => {
    expect(summary(risks(grant([rule(['create', 'update'], [''], ['endpoints'])], 'shop')))).toEqual(['low endpoints-write User u in shop']);
    expect(summary(risks(grant([rule(['patch'], ['discovery.k8s.io'], ['endpointslices'])])))).toEqual(['medium endpoints-write User u']);
    expect(summary(risks(grant([rule(['update'], [''], ['endpoints'])], 'kube-system')))).toEqual(['medium endpoints-write User u in kube-system']);
    const both = risks(grant([rule(['update'], [''], ['endpoints']), rule(['create'], ['discovery.k8s.io'], ['endpointslices'])], 'shop'));
    expect(both[0]?.message).toContain('can point Services at any address by writing Endpoints and EndpointSlices in namespace shop');
    // Reading them, a leader-election lock narrowed by name, and EndpointSlices in the core group grant no such write.
    expect(risks(grant([rule(['get', 'list', 'watch'], [''], ['endpoints']), rule(['update', 'patch'], [''], ['endpoints'], ['cluster-autoscaler'])], 'shop'))).toEqual([]);
    expect(risks(grant([rule(['update'], [''], ['endpointslices'])], 'shop'))).toEqual([]);
  });

  it('nodes/proxy reaches the kubelet API', () => {
    expect(summary(risks(grant([rule(['get'], [''], ['nodes/proxy'])])))).toEqual(['high node-proxy User u']);
    expect(risks(grant([rule(['get'], [''], ['nodes', 'nodes/metrics'])]))).toEqual([]);
  });

  it('CSR approval needs create, approval and approve on a signer; any client certificate makes it critical', () => {
    const csr = (signers: readonly string[] | undefined) => grant([
      rule(['create', 'get'], ['certificates.k8s.io'], ['certificatesigningrequests']),
      rule(['update'], ['certificates.k8s.io'], ['certificatesigningrequests/approval']),
      rule(['approve'], ['certificates.k8s.io'], ['signers'], signers),
    ]);
    expect(summary(risks(csr(['kubernetes.io/kube-apiserver-client'])))).toEqual(['critical csr-approve User u']);
    expect(summary(risks(csr(['example.com/internal-ca'])))).toEqual(['high csr-approve User u']);
    expect(summary(risks(csr(undefined)))).toEqual(['critical csr-approve User u']);
    expect(risks(grant([rule(['update'], ['certificates.k8s.io'], ['certificatesigningrequests/approval']), rule(['approve'], ['certificates.k8s.io'], ['signers'])]))).toEqual([]);
  });

  it('webhook configuration writes: high, mutating and validating alike (as restrict-webhook-configuration-access rates them)', () => {
    expect(summary(risks(grant([rule(['patch'], ['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations'])])))).toEqual(['high webhook-config User u']);
    expect(summary(risks(grant([rule(['create'], ['admissionregistration.k8s.io'], ['validatingwebhookconfigurations'])])))).toEqual(['high webhook-config User u']);
    // Deleting a validating configuration switches its checks off: as much a change of admission as writing one.
    const deleteOnly = risks(grant([rule(['delete'], ['admissionregistration.k8s.io'], ['validatingwebhookconfigurations'])]));
    expect(summary(deleteOnly)).toEqual(['high webhook-config User u']);
    expect(deleteOnly[0]?.message).toContain('can delete validating webhook configurations, and so switch their checks off');
    expect(deleteOnly[0]?.message).not.toContain('see');
  });

  it('aws-auth edits: ConfigMap writes that reach kube-system/aws-auth, unless the cluster ignores aws-auth', () => {
    expect(summary(risks(grant([rule(['patch'], [''], ['configmaps'])], 'kube-system')))).toEqual(['high aws-auth-edit User u in kube-system']);
    expect(summary(risks(grant([rule(['update'], [''], ['configmaps'], ['aws-auth'])])))).toEqual(['high aws-auth-edit User u']);
    expect(risks(grant([rule(['update'], [''], ['configmaps'], ['leader-lock'])], 'kube-system'))).toEqual([]);
    expect(risks(grant([rule(['update'], [''], ['configmaps'])], 'shop'))).toEqual([]);
    const apiMode = [{ cluster: { name: 'prod', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod', accessConfig: { authenticationMode: 'API' } } }];
    expect(risks(grant([rule(['patch'], [''], ['configmaps'])], 'kube-system'), apiMode)).toEqual([]);
  });
});

describe('escalation paths', () => {
  const deployer = [sa('deployer', 'ci')];
  const ciAdmin = clusterRoleBinding('deployer-admin', 'cluster-admin', deployer);

  it('spells out "can create pods in ci → run as ci/deployer → which is cluster-admin"', () => {
    const found = risks([ciAdmin, roleBinding('ci', 'dev', { kind: 'ClusterRole', name: 'edit' }, [user('dev')])]).filter((r) => r.id === 'escalation-path');
    expect(found.map((r) => r.message)).toEqual([
      'User dev can create pods in ci → can run a pod as ServiceAccount ci/deployer → which is cluster-admin: * on every resource cluster-wide (ClusterRoleBinding deployer-admin → ClusterRole cluster-admin).',
    ]);
    expect(found[0]?.severity).toBe('critical');
    expect(found[0]?.via.map((v) => `${v.kind} ${v.namespace ?? ''}/${v.name}`)).toEqual(['RoleBinding ci/dev']);
  });

  it('follows several hops, and only to someone more powerful', () => {
    const objects = [
      clusterRoleBinding('b-admin', 'cluster-admin', [sa('y', 'b')]),
      clusterRole('pod-maker', [rule(['create'], [''], ['pods'])]),
      roleBinding('b', 'x-makes-pods', { kind: 'ClusterRole', name: 'pod-maker' }, [sa('x', 'a')]),
      roleBinding('a', 'u-makes-pods', { kind: 'ClusterRole', name: 'pod-maker' }, [user('u')]),
      roleBinding('c', 'v-makes-pods', { kind: 'ClusterRole', name: 'pod-maker' }, [user('v')]),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'idle', namespace: 'c' } },
    ];
    const paths = risks(objects).filter((r) => r.id === 'escalation-path');
    expect(paths.map((r) => `${r.subject.name}: ${r.path.join(' → ')}`)).toEqual([
      'x: ServiceAccount a/x can create pods in b → can run a pod as ServiceAccount b/y → which is cluster-admin: * on every resource cluster-wide (ClusterRoleBinding b-admin → ClusterRole cluster-admin)',
      'u: User u can create pods in a → can run a pod as ServiceAccount a/x → which can create pods in b → can run a pod as ServiceAccount b/y → which is cluster-admin: * on every resource cluster-wide (ClusterRoleBinding b-admin → ClusterRole cluster-admin)',
    ]);
  });

  it('reaches the ServiceAccounts of running pods through exec, unless the pod mounts no token', () => {
    const pod = (name: string, automount?: boolean) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'prod' },
      spec: { serviceAccountName: 'web', ...(automount === undefined ? {} : { automountServiceAccountToken: automount }), containers: [{ name: 'app', image: 'app:1' }] },
    });
    const objects = [
      clusterRole('secret-reader', [rule(['get', 'list'], [''], ['secrets'])]),
      clusterRoleBinding('web-secrets', 'secret-reader', [sa('web', 'prod')]),
      role('prod', 'exec', [rule(['create'], [''], ['pods/exec'])]),
      roleBinding('prod', 'sre', { kind: 'Role', name: 'exec' }, [group('sre')]),
    ];
    const withToken = risks([...objects, pod('web')]).filter((r) => r.id === 'escalation-path');
    expect(withToken.map((r) => r.path[1])).toEqual(['can exec into a pod running as ServiceAccount prod/web (Pod prod/web)']);
    expect(risks([...objects, pod('web', false)]).filter((r) => r.id === 'escalation-path')).toEqual([]);
  });

  it('reads a powerful ServiceAccount\'s legacy token Secret', () => {
    const objects = [
      ciAdmin,
      { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'deployer-token', namespace: 'ci', annotations: { 'kubernetes.io/service-account.name': 'deployer' } } },
      ...grant([rule(['get', 'list'], [''], ['secrets'])], 'ci'),
    ];
    const found = risks(objects).filter((r) => r.id === 'escalation-path');
    expect(found.map((r) => r.path.slice(0, 2).join(' → '))).toEqual(['User u can read Secrets in ci → can read the token Secret of ServiceAccount ci/deployer (Secret ci/deployer-token)']);
  });

  it('starts from groups authentication fills: every ServiceAccount of ci can run pods as ci/deployer', () => {
    const objects = [ciAdmin, roleBinding('ci', 'all-sa', { kind: 'ClusterRole', name: 'edit' }, [group('system:serviceaccounts:ci')])];
    const found = risks(objects).filter((r) => r.id === 'escalation-path');
    expect(found.map((r) => r.subject.name)).toEqual(['system:serviceaccounts:ci']);
    expect(found[0]?.heldBy).toEqual(['every ServiceAccount of namespace ci']);
  });
});

describe('IAM principals', () => {
  it('follows a username template to the bound users whoever assumes the role can become', () => {
    const objects = [
      clusterRoleBinding('alice-admin', 'cluster-admin', [user('alice')]),
      awsAuth({ mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/devs', username: '{{SessionName}}', groups: [] }, { rolearn: 'arn:aws:iam::111122223333:role/ops', username: 'ops:{{SessionName}}', groups: [] }] }),
    ];
    expect(risks(objects).filter((r) => r.id === 'escalation-path').map((r) => r.message)).toEqual([
      'IAM role arn:aws:iam::111122223333:role/devs is mapped by aws-auth mapRoles[0] to username {{SessionName}}, whose session name whoever assumes it chooses → can act as User alice → which is cluster-admin: * on every resource cluster-wide (ClusterRoleBinding alice-admin → ClusterRole cluster-admin).',
    ]);
  });

  it('judges access policies, and names the IAM principals behind a group', () => {
    const aws = [
      { cluster: { name: 'prod', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod', accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' } } },
      { accessEntry: { clusterName: 'prod', principalArn: 'arn:aws:iam::111122223333:role/ops', kubernetesGroups: [], type: 'STANDARD' } },
      { clusterName: 'prod', principalArn: 'arn:aws:iam::111122223333:role/ops', associatedAccessPolicies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', accessScope: { type: 'cluster' } }] },
      { accessEntry: { clusterName: 'prod', principalArn: 'arn:aws:iam::111122223333:role/dev', kubernetesGroups: ['readers'], type: 'STANDARD' } },
      { clusterName: 'prod', principalArn: 'arn:aws:iam::111122223333:role/dev', associatedAccessPolicies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', accessScope: { type: 'namespace', namespaces: ['shop'] } }] },
    ];
    const objects = grant([rule(['get', 'list'], [''], ['secrets'])]).map((o) => (o.kind === 'ClusterRoleBinding' ? { ...o, subjects: [group('readers')] } : o));
    const found = risks(objects, aws);
    expect(summary(found)).toEqual([
      'high secrets-read Group readers',
      'high cluster-admin IAMRole arn:aws:iam::111122223333:role/ops',
      'medium pod-exec IAMRole arn:aws:iam::111122223333:role/dev in shop',
      'medium pod-modify IAMRole arn:aws:iam::111122223333:role/dev in shop',
      'medium secrets-read IAMRole arn:aws:iam::111122223333:role/dev in shop',
    ]);
    expect(found[0]?.heldBy).toEqual(['IAM role arn:aws:iam::111122223333:role/dev (access entry)']);
    expect(found[1]?.via[0]).toMatchObject({ kind: 'AccessPolicy', name: 'AmazonEKSClusterAdminPolicy', mapping: 'access entry' });
  });
});
