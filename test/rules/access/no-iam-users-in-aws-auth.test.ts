import rule from '../../../src/rules/access/no-iam-users-in-aws-auth.js';
import { RuleTester } from '../../rule-tester.js';
import { awsAuth, eksDump } from '../../builders-rbac.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the aws-auth EKS writes', manifests: eksDump() },
    { name: 'an empty mapUsers', manifests: awsAuth({ mapRoles: [], mapUsers: '' }) },
    { name: 'a mapUsers entry without userarn, which EKS ignores (a gap, not a finding)', manifests: awsAuth({ mapUsers: [{ username: 'ghost' }] }) },
  ],
  invalid: [
    {
      name: 'two IAM users mapped',
      manifests: awsAuth({
        mapUsers: [
          { userarn: 'arn:aws:iam::111122223333:user/alice', username: 'alice', groups: ['devs', 'ops'] },
          { userarn: 'arn:aws:iam::111122223333:user/ci', username: 'ci' },
        ],
      }),
      findings: [
        { messageId: 'iamUser', path: '/data/mapUsers', resource: 'ConfigMap kube-system/aws-auth', severity: 'medium', data: { index: 0, identity: 'arn:aws:iam::111122223333:user/alice', username: '"alice"', groups: 'devs, ops' } },
        { messageId: 'iamUser', path: '/data/mapUsers', data: { index: 1, identity: 'arn:aws:iam::111122223333:user/ci', username: '"ci"', groups: '(none)' } },
      ],
      fixed: null,
    },
    {
      name: 'mapUsers written as JSON, next to an entry that is not a mapping',
      manifests: awsAuth({ mapUsers: '[{"userarn": "arn:aws:iam::1:user/bob", "username": "bob", "groups": ["system:masters"]}, "junk"]' }),
      findings: [{ messageId: 'iamUser', path: '/data/mapUsers', data: { index: 0, identity: 'arn:aws:iam::1:user/bob', username: '"bob"', groups: 'system:masters' } }],
    },
  ],
  notEvaluated: [
    { name: 'a chart without the aws-auth ConfigMap', manifests: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'default' } }, reason: 'no ConfigMap kube-system/aws-auth' },
  ],
});
