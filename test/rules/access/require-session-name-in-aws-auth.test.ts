import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/access/require-session-name-in-aws-auth.js';
import { RuleTester, runRule } from '../../rule-tester.js';
import { awsAuth, eksDump } from '../../builders-rbac.js';

const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];

new RuleTester().run(rule, {
  valid: [
    { name: 'the node group and Fargate mappings EKS writes', manifests: eksDump() },
    {
      name: 'usernames with the session name, raw or escaped',
      manifests: awsAuth({ mapRoles: [
        { rolearn: 'arn:aws:iam::1:role/admin', username: 'admin:{{SessionName}}', groups: ['admins'] },
        { rolearn: 'arn:aws:iam::1:role/dev', username: '{{SessionNameRaw}}', groups: ['devs'] },
      ] }),
    },
    {
      name: 'Windows and Karpenter node roles, and an AWS service-linked role',
      manifests: awsAuth({ mapRoles: [
        { rolearn: 'arn:aws:iam::1:role/windows-nodes', username: 'system:node:{{EC2PrivateDNSName}}', groups: [...NODE_GROUPS, 'eks:kube-proxy-windows'] },
        { rolearn: 'arn:aws:iam::1:role/KarpenterNodeRole-prod', username: 'system:node:{{EC2PrivateDNSName}}', groups: NODE_GROUPS },
        { rolearn: 'arn:aws:iam::1:role/AWSServiceRoleForAmazonEMRContainers', username: 'emr-containers' },
      ] }),
    },
    { name: 'mapUsers is another rule\'s concern', manifests: awsAuth({ mapUsers: [{ userarn: 'arn:aws:iam::1:user/bob', username: 'bob' }] }) },
  ],
  invalid: [
    {
      name: 'a shared admin role with a fixed username, and one without a username',
      manifests: awsAuth({ mapRoles: [
        { rolearn: 'arn:aws:iam::111122223333:role/eks-node', username: 'system:node:{{EC2PrivateDNSName}}', groups: NODE_GROUPS },
        { rolearn: 'arn:aws:iam::111122223333:role/platform-admin', username: 'platform-admin', groups: ['admins'] },
        { rolearn: 'arn:aws:iam::111122223333:role/ci', groups: ['deployers'] },
      ] }),
      findings: [
        { messageId: 'noSessionName', path: '/data/mapRoles', resource: 'ConfigMap kube-system/aws-auth', severity: 'low', data: { index: 1, identity: 'arn:aws:iam::111122223333:role/platform-admin', username: '"platform-admin"' } },
        { messageId: 'noSessionName', path: '/data/mapRoles', data: { index: 2, identity: 'arn:aws:iam::111122223333:role/ci', username: '(none)' } },
      ],
      fixed: null,
    },
    {
      name: 'a node-style username with groups beyond the node groups',
      manifests: awsAuth({ mapRoles: '- rolearn: arn:aws:iam::1:role/n\n  username: system:node:ip-10-0-0-1\n  groups: [system:nodes]\n' }),
      findings: [{ messageId: 'noSessionName', path: '/data/mapRoles', data: { index: 0, identity: 'arn:aws:iam::1:role/n', username: '"system:node:ip-10-0-0-1"' } }],
    },
  ],
  notEvaluated: [
    { name: 'a chart without the aws-auth ConfigMap', manifests: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app', namespace: 'default' } }, reason: 'no ConfigMap kube-system/aws-auth' },
  ],
});

describe('require-session-name-in-aws-auth with template usernames', () => {
  it('does not take the node username as an exemption when the mapping adds other groups', () => {
    const findings = runRule(rule, awsAuth({ mapRoles: [{ rolearn: 'arn:aws:iam::1:role/n', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:nodes', 'ops'] }] }));
    expect(findings.map((f) => f.messageId)).toEqual(['noSessionName']);
  });

  it('does not take other templates for the session name', () => {
    const findings = runRule(rule, awsAuth({ mapRoles: [{ rolearn: 'arn:aws:iam::1:role/a', username: 'admin-{{AccountID}}', groups: ['admins'] }] }));
    expect(findings.map((f) => f.message)).toEqual([
      'aws-auth mapRoles entry 0 maps arn:aws:iam::1:role/a to username "admin-{{AccountID}}", which does not include the role session name: every person who assumes the role appears as the same user in the API audit log.',
    ]);
  });
});
