/**
 * IAM principals in who-can answers: aws-auth (as the AWS IAM Authenticator maps: canonical ARNs,
 * username templates, groups, mapAccounts) and EKS access entries with their access policies,
 * under each authentication mode.
 */
import { describe, expect, it } from 'vitest';
import { canonicalArn, sameArn, usernameMatches, usernamePattern } from '../../src/rbac/iam-identities.js';
import { describeVia } from '../../src/rbac/via.js';
import { whoCanAnswer, type WhoCanAnswer } from '../../src/rbac/who-can.js';
import { inventoryOf } from '../rule-tester.js';
import { awsAuth, clusterRole, clusterRoleBinding, group, roleBinding, rule, user } from '../builders-rbac.js';

type Json = Record<string, unknown>;

const ACCOUNT = '111122223333';
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const iamUser = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

function cluster(mode: string): Json {
  return { cluster: { name: 'prod', arn: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/prod`, version: '1.31', accessConfig: { authenticationMode: mode, bootstrapClusterCreatorAdminPermissions: false } } };
}

function accessEntry(principalArn: string, extra: Json = {}): Json {
  return { accessEntry: { clusterName: 'prod', principalArn, kubernetesGroups: [], type: 'STANDARD', ...extra } };
}

function policies(principalArn: string, ...associations: [policy: string, scope: Json][]): Json {
  return {
    clusterName: 'prod', principalArn,
    associatedAccessPolicies: associations.map(([policy, accessScope]) => ({ policyArn: `arn:aws:eks::aws:cluster-access-policy/${policy}`, accessScope })),
  };
}

function ask(objects: readonly Json[], query: Parameters<typeof whoCanAnswer>[1], aws?: readonly Json[]): WhoCanAnswer {
  return whoCanAnswer(inventoryOf(objects as never, aws as never), query);
}

function iam(answer: WhoCanAnswer): string[] {
  return answer.subjects.filter((s) => s.kind === 'IAMRole' || s.kind === 'IAMUser').flatMap((s) => s.via.map((v) => `${s.kind} ${s.name}: ${describeVia(v)}`));
}

const edit = [rule(['create', 'update', 'patch', 'delete'], ['apps'], ['deployments'])];
const rbac = [
  clusterRole('deployer', edit),
  roleBinding('shop', 'deployers', { kind: 'ClusterRole', name: 'deployer' }, [group('deployers')]),
  clusterRoleBinding('alice', 'deployer', [user('alice')]),
];

describe('ARNs and username templates, as the authenticator reads them', () => {
  it('canonicalises session ARNs to their role and drops role paths, case-insensitively', () => {
    expect(canonicalArn(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane@example.com`)).toBe(`arn:aws:iam::${ACCOUNT}:role/admin`);
    expect(canonicalArn(role('teams/platform/Admin'))).toBe(`arn:aws:iam::${ACCOUNT}:role/admin`);
    expect(sameArn(`arn:aws:iam::${ACCOUNT}:role/AWSReservedSSO_Ops_*`, role('aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_0123abcd'))).toBe(true);
    expect(sameArn(iamUser('bob'), iamUser('alice'))).toBe(false);
  });

  it('fills {{SessionName}} with any session name (@ turned into -), {{AccountID}} with the ARN\'s account', () => {
    const session = usernamePattern('admin:{{SessionName}}', role('sre'));
    expect(session.exact).toBeUndefined();
    expect(usernameMatches(session, 'admin:jane-example.com')).toBe(true);
    expect(usernameMatches(session, 'admin:jane@example.com')).toBe(false);
    expect(usernameMatches(session, 'alice')).toBe(false);
    expect(usernamePattern('ci-{{AccountID}}', role('ci')).exact).toBe(`ci-${ACCOUNT}`);
    expect(usernameMatches(usernamePattern('x-{{Unknown}}', role('x')), 'x-{{Unknown}}')).toBe(true);
  });
});

describe('aws-auth', () => {
  it('gives a mapped role what its groups and its username are granted, naming the mapping', () => {
    const objects = [...rbac, awsAuth({
      mapRoles: [{ rolearn: role('deploy'), username: 'deploy-bot', groups: ['deployers'] }],
      mapUsers: [{ userarn: iamUser('alice'), username: 'alice', groups: [] }],
    })];
    expect(iam(ask(objects, { verb: 'update', resource: 'deployments.apps', namespace: 'shop' }))).toEqual([
      `IAMRole ${role('deploy')}: aws-auth mapRoles[0] as Group deployers → RoleBinding shop/deployers → ClusterRole deployer`,
      `IAMUser ${iamUser('alice')}: aws-auth mapUsers[0] as User alice → ClusterRoleBinding alice → ClusterRole deployer`,
    ]);
  });

  it('matches users a username template can become: whoever assumes the role picks the session name', () => {
    const objects = [...rbac, awsAuth({ mapRoles: [{ rolearn: role('anyone'), username: '{{SessionName}}', groups: [] }] })];
    expect(iam(ask(objects, { verb: 'delete', resource: 'deployments.apps', namespace: 'x' }))).toEqual([
      `IAMRole ${role('anyone')}: aws-auth mapRoles[0] as User alice (username template {{SessionName}}) → ClusterRoleBinding alice → ClusterRole deployer`,
    ]);
  });

  it('lists a principal mapped to system:masters in every answer: it bypasses RBAC', () => {
    const objects = [clusterRole('nothing', []), awsAuth({ mapRoles: [{ rolearn: role('break-glass'), username: 'admin', groups: ['system:masters'] }] })];
    expect(iam(ask(objects, { verb: 'delete', resource: 'nodes' }))).toEqual([
      `IAMRole ${role('break-glass')}: aws-auth mapRoles[0] → Group system:masters (bypasses RBAC)`,
    ]);
  });

  it('maps every principal of a mapAccounts account to its ARN as username', () => {
    const objects = [
      clusterRole('reader', [rule(['get'], [''], ['pods'])]),
      clusterRoleBinding('by-arn', 'reader', [user(role('auditor')), user('arn:aws:iam::999999999999:role/outsider')]),
      awsAuth({ mapAccounts: [ACCOUNT] }),
    ];
    expect(iam(ask(objects, { verb: 'get', resource: 'pods', namespace: 'x' }))).toEqual([
      `IAMRole ${role('auditor')}: aws-auth mapAccounts (${ACCOUNT}) as User ${role('auditor')} → ClusterRoleBinding by-arn → ClusterRole reader`,
    ]);
  });

  it('says the answer covers RBAC and aws-auth only when no access entries were read', () => {
    const answer = ask([...rbac, awsAuth({ mapRoles: [] })], { verb: 'get', resource: 'pods' });
    expect(answer.coverage).toMatchObject({ awsAuth: 'present', accessEntries: 'not-collected' });
    expect(answer.notes.join(' ')).toMatch(/RBAC and aws-auth only/);
  });
});

describe('EKS access entries', () => {
  it('evaluates access policies with their scope: cluster-wide, or only in the namespaces named', () => {
    const aws = [
      cluster('API'),
      accessEntry(role('admin')), policies(role('admin'), ['AmazonEKSClusterAdminPolicy', { type: 'cluster' }]),
      accessEntry(role('dev')), policies(role('dev'), ['AmazonEKSEditPolicy', { type: 'namespace', namespaces: ['shop', 'team-*'] }]),
      accessEntry(role('viewer')), policies(role('viewer'), ['AmazonEKSViewPolicy', { type: 'cluster' }]),
    ];
    const inShop = ask(rbac, { verb: 'create', resource: 'pods/exec', namespace: 'shop' }, aws);
    expect(iam(inShop)).toEqual([
      `IAMRole ${role('admin')}: access entry → access policy AmazonEKSClusterAdminPolicy cluster-wide`,
      `IAMRole ${role('dev')}: access entry → access policy AmazonEKSEditPolicy in shop`,
    ]);
    expect(iam(ask(rbac, { verb: 'create', resource: 'pods/exec', namespace: 'team-a' }, aws))).toHaveLength(2);
    expect(iam(ask(rbac, { verb: 'create', resource: 'pods/exec', namespace: 'billing' }, aws))).toHaveLength(1);
    // view reads pods, never Secrets; edit never touches nodes.
    expect(iam(ask(rbac, { verb: 'list', resource: 'pods', namespace: 'billing' }, aws))).toEqual([
      `IAMRole ${role('admin')}: access entry → access policy AmazonEKSClusterAdminPolicy cluster-wide`,
      `IAMRole ${role('viewer')}: access entry → access policy AmazonEKSViewPolicy cluster-wide`,
    ]);
    expect(iam(ask(rbac, { verb: 'get', resource: 'secrets', namespace: 'billing' }, aws))).toEqual([`IAMRole ${role('admin')}: access entry → access policy AmazonEKSClusterAdminPolicy cluster-wide`]);
    expect(inShop.coverage).toMatchObject({ accessEntries: 'present', authenticationMode: 'API' });
  });

  it('maps an access entry\'s Kubernetes groups and username through RBAC', () => {
    const aws = [cluster('API_AND_CONFIG_MAP'), accessEntry(role('deploy'), { kubernetesGroups: ['deployers'], username: 'deploy-bot' })];
    expect(iam(ask(rbac, { verb: 'patch', resource: 'deployments.apps', namespace: 'shop' }, aws))).toEqual([
      `IAMRole ${role('deploy')}: access entry as Group deployers → RoleBinding shop/deployers → ClusterRole deployer`,
    ]);
  });

  it('lets an access entry take precedence over an aws-auth mapping of the same principal', () => {
    const objects = [...rbac, awsAuth({ mapRoles: [{ rolearn: role('deploy'), username: 'alice', groups: ['deployers'] }] })];
    const aws = [cluster('API_AND_CONFIG_MAP'), accessEntry(role('deploy'), { kubernetesGroups: [], username: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/{{SessionName}}` })];
    expect(iam(ask(objects, { verb: 'patch', resource: 'deployments.apps', namespace: 'shop' }, aws))).toEqual([]);
  });

  it('ignores aws-auth when the cluster authenticates with access entries only (mode API)', () => {
    const objects = [...rbac, awsAuth({ mapRoles: [{ rolearn: role('deploy'), username: 'deploy-bot', groups: ['deployers'] }] })];
    const answer = ask(objects, { verb: 'patch', resource: 'deployments.apps', namespace: 'shop' }, [cluster('API')]);
    expect(iam(answer)).toEqual([]);
    expect(answer.notes.join(' ')).toMatch(/aws-auth mappings are ignored/);
  });

  it('names an access policy it does not know instead of guessing its rules', () => {
    const aws = [cluster('API'), accessEntry(role('storage')), policies(role('storage'), ['AmazonEKSBlockStoragePolicy', { type: 'cluster' }])];
    const answer = ask(rbac, { verb: 'get', resource: 'persistentvolumes' }, aws);
    expect(iam(answer)).toEqual([]);
    expect(answer.notes.join(' ')).toMatch(/access policy AmazonEKSBlockStoragePolicy is not one eksguard knows/);
  });
});
