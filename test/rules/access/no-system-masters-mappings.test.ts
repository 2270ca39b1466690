import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/access/no-system-masters-mappings.js';
import { RuleTester, runRule } from '../../rule-tester.js';
import { awsAuth, eksDump } from '../../builders-rbac.js';
import { HARDENED_DUMP, WEAK_DUMP, associatedPolicies, describeAccessEntry, describeCluster } from '../../builders-aws.js';

const ALICE = 'arn:aws:iam::111122223333:role/alice';

const NODE_ROLE = { rolearn: 'arn:aws:iam::111122223333:role/eks-node', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] };

new RuleTester().run(rule, {
  valid: [
    { name: 'access entries of the hardened dump: scoped admin, view and edit policies', aws: HARDENED_DUMP },
    { name: 'cluster admin on namespaces only', aws: [describeCluster(), describeAccessEntry(ALICE), associatedPolicies(ALICE, [['AmazonEKSClusterAdminPolicy', 'namespace']])] },
    { name: 'the aws-auth EKS writes for node groups and Fargate', manifests: eksDump() },
    { name: 'roles mapped to ordinary groups', manifests: awsAuth({ mapRoles: [NODE_ROLE, { rolearn: 'arn:aws:iam::111122223333:role/dev', username: 'dev:{{SessionName}}', groups: ['devs'] }] }) },
    { name: 'system:masters as a string, which the authenticator ignores', manifests: awsAuth({ mapRoles: '- rolearn: arn:aws:iam::1:role/a\n  username: a\n  groups: system:masters\n' }) },
    { name: 'an aws-auth ConfigMap outside kube-system', manifests: [awsAuth({ mapRoles: [{ rolearn: 'arn:aws:iam::1:role/a', username: 'a', groups: ['system:masters'] }] }, 'default'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' } }] },
    { name: 'a kube-system dump without aws-auth (a cluster on access entries)', manifests: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: '.:53 {}' } } },
    { name: 'odd input: mapRoles that is not YAML, not a list, or not a string', manifests: awsAuth({ mapRoles: 'rolearn: [', mapUsers: 'a: b', mapAccounts: '- x' }) },
  ],
  invalid: [
    {
      name: 'access entries of the weak dump with AmazonEKSClusterAdminPolicy cluster-wide',
      aws: WEAK_DUMP,
      findings: [
        { messageId: 'clusterAdminAccessEntry', path: '/principalArn', resource: 'access-entry arn:aws:eks:eu-west-1:111122223333:access-entry/shop-weak/role/111122223333/Admin/c4d5e6f7-0000-0000-0000-003527497760', data: { principal: 'arn:aws:iam::111122223333:role/Admin', cluster: 'shop-weak' } },
        { messageId: 'clusterAdminAccessEntry', path: '/principalArn', data: { principal: 'arn:aws:iam::111122223333:user/alice', cluster: 'shop-weak' } },
      ],
    },
    {
      name: 'an access entry in group system:masters (as the API would refuse today, but older entries or other tools may hold)',
      aws: [describeCluster(), describeAccessEntry(ALICE, { kubernetesGroups: ['devs', 'system:masters'] })],
      findings: [{ messageId: 'systemMastersAccessEntry', path: '/kubernetesGroups/1', data: { principal: ALICE, cluster: 'demo' } }],
    },
    {
      name: 'a role and a user mapped into system:masters',
      manifests: awsAuth({
        mapRoles: [NODE_ROLE, { rolearn: 'arn:aws:iam::111122223333:role/platform-admin', username: 'admin', groups: ['system:masters'] }],
        mapUsers: [{ userarn: 'arn:aws:iam::111122223333:user/alice', username: 'alice', groups: ['devs', 'system:masters'] }],
      }),
      findings: [
        {
          messageId: 'systemMastersMapping', path: '/data/mapRoles', resource: 'ConfigMap kube-system/aws-auth', severity: 'high',
          data: { key: 'mapRoles', index: 1, identity: 'arn:aws:iam::111122223333:role/platform-admin', username: '"admin"' },
        },
        { messageId: 'systemMastersMapping', path: '/data/mapUsers', data: { key: 'mapUsers', index: 0, identity: 'arn:aws:iam::111122223333:user/alice', username: '"alice"' } },
      ],
      fixed: null,
    },
    {
      name: 'an IAM Identity Center mapping, field names in another case, as the authenticator accepts them',
      manifests: awsAuth({ mapRoles: '- SSO:\n    permissionSetName: Admins\n    accountID: "111122223333"\n  Groups: [system:masters]\n' }),
      findings: [{ messageId: 'systemMastersMapping', path: '/data/mapRoles', data: { key: 'mapRoles', index: 0, identity: 'IAM Identity Center permission set Admins in account 111122223333', username: '(none)' } }],
    },
  ],
  notEvaluated: [
    { name: 'a chart without the aws-auth ConfigMap', manifests: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'default' } }, reason: 'no ConfigMap kube-system/aws-auth in the input' },
  ],
});

describe('no-system-masters-mappings with template usernames', () => {
  it('names a node role mapped into system:masters, keeping the template in the message', () => {
    const findings = runRule(rule, awsAuth({ mapRoles: [{ ...NODE_ROLE, groups: ['system:nodes', 'system:masters'] }] }));
    expect(findings.map((f) => f.message)).toEqual([
      'aws-auth mapRoles entry 0 maps arn:aws:iam::111122223333:role/eks-node (username "system:node:{{EC2PrivateDNSName}}") into Group system:masters, which bypasses RBAC: whoever can assume it is a cluster administrator that no Role or binding can restrict.',
    ]);
  });
});
