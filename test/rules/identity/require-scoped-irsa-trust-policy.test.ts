import rule from '../../../src/rules/identity/require-scoped-irsa-trust-policy.js';
import { HARDENED_DUMP, ISSUER, authorizationDetails, describeCluster, irsaServiceAccount, irsaTrust, role } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const OTHER = 'oidc.eks.eu-west-1.amazonaws.com/id/OTHER000000000000000000000000002';
const scoped = { StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:app:reports', [`${ISSUER}:aud`]: 'sts.amazonaws.com' } };
const iamOf = (...roles: Record<string, unknown>[]) => authorizationDetails(roles);

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: sub and aud pinned with StringEquals', aws: HARDENED_DUMP },
    { name: 'a scoped role, used by its service account', manifests: irsaServiceAccount('app', 'reports', 'reports'), aws: [describeCluster(), iamOf(role('reports', irsaTrust(scoped)))] },
    { name: 'another cluster\'s loose role that this cluster does not use', aws: [describeCluster(), iamOf(role('theirs', irsaTrust({}, OTHER)))] },
    { name: 'StringLike with an exact subject', aws: [describeCluster(), iamOf(role('reports', irsaTrust({ StringLike: { [`${ISSUER}:sub`]: 'system:serviceaccount:app:reports' }, StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' } })))] },
  ],
  invalid: [
    {
      name: 'no conditions at all',
      aws: [describeCluster(), iamOf(role('open', irsaTrust({})))],
      findings: [
        { messageId: 'missingSubject', path: '/AssumeRolePolicyDocument/Statement/0/Condition', severity: 'high', data: { role: 'open', issuer: ISSUER, statement: 0 } },
        { messageId: 'missingAudience', path: '/AssumeRolePolicyDocument/Statement/0/Condition', severity: 'medium', data: { role: 'open', issuer: ISSUER, statement: 0 } },
      ],
    },
    {
      name: 'a namespace wildcard with StringLike',
      aws: [describeCluster(), iamOf(role('ns-wide', irsaTrust({ StringLike: { [`${ISSUER}:sub`]: 'system:serviceaccount:app:*' }, StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' } })))],
      findings: [{ messageId: 'wildcardSubject', path: '/AssumeRolePolicyDocument/Statement/0/Condition', data: { role: 'ns-wide', issuer: ISSUER, statement: 0, subject: 'system:serviceaccount:app:*' } }],
    },
    {
      name: 'a role this cluster uses that trusts another cluster\'s issuer',
      manifests: irsaServiceAccount('app', 'reports', 'reports'),
      aws: [describeCluster(), iamOf(role('reports', irsaTrust({ StringEquals: { [`${OTHER}:sub`]: 'system:serviceaccount:app:reports', [`${OTHER}:aud`]: 'sts.amazonaws.com' } }, OTHER)))],
      findings: [{ messageId: 'foreignIssuer', path: '/AssumeRolePolicyDocument/Statement/0/Principal', data: { role: 'reports', serviceAccounts: 'app/reports', cluster: 'demo', statement: 0, issuer: OTHER } }],
    },
  ],
});
