import rule from '../../../src/rules/identity/no-overprivileged-workload-roles.js';
import { HARDENED_DUMP, POD_IDENTITY_TRUST, EC2_TRUST, authorizationDetails, awsPolicy, describeCluster, irsaServiceAccount, managedPolicy, podIdentityAssociation, role } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: scoped actions on named resources', aws: HARDENED_DUMP },
    { name: 'an administrator role no workload uses or trusts', aws: [describeCluster(), authorizationDetails([role('ops', EC2_TRUST, [awsPolicy('AdministratorAccess')])])] },
    { name: 'a service wildcard on one resource', aws: [describeCluster(), authorizationDetails([role('app', POD_IDENTITY_TRUST, [], [['s3', { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::app-bucket/*' }] }]])])] },
    {
      name: 'iam:PassRole and sts:AssumeRole on named roles',
      aws: [describeCluster(), authorizationDetails([role('app', POD_IDENTITY_TRUST, [], [['hop', { Statement: [{ Effect: 'Allow', Action: ['iam:PassRole', 'sts:AssumeRole'], Resource: 'arn:aws:iam::111122223333:role/batch-runner' }] }]])])],
    },
  ],
  invalid: [
    {
      name: 'a Pod Identity role with AdministratorAccess',
      aws: [describeCluster(), podIdentityAssociation('app', 'web', 'app'), authorizationDetails([role('app', POD_IDENTITY_TRUST, [awsPolicy('AdministratorAccess')])])],
      findings: [{ messageId: 'adminPolicy', path: '/AttachedManagedPolicies/0', data: { role: 'app', users: 'used by app/web (Pod Identity)', policy: 'AdministratorAccess' } }],
    },
    {
      name: 'an IRSA role with Action * inline and s3:* on * in a customer policy',
      manifests: irsaServiceAccount('app', 'web', 'app'),
      aws: [describeCluster(), authorizationDetails(
        [role('app', EC2_TRUST, ['arn:aws:iam::111122223333:policy/app-s3'], [['all', { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }]])],
        [managedPolicy('app-s3', [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' }, { Effect: 'Allow', Action: ['s3:*'], Resource: '*' }])],
      )],
      findings: [
        { messageId: 'serviceWildcard', path: '/AttachedManagedPolicies/0/Statement/1', data: { role: 'app', users: 'used by app/web (IRSA)', action: 's3:*', policy: 'managed policy app-s3' } },
        { messageId: 'allActions', path: '/RolePolicyList/0/PolicyDocument/Statement/0', data: { role: 'app', users: 'used by app/web (IRSA)', action: '*', policy: 'inline policy all' } },
      ],
    },
    {
      name: 'service-wide wildcards on every resource: kms:*, secretsmanager:*',
      aws: [describeCluster(), authorizationDetails([role('app', POD_IDENTITY_TRUST, [], [['data', { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Effect: 'Allow', Action: ['secretsmanager:*'], Resource: ['*'] }] }]])])],
      findings: [
        { messageId: 'serviceWildcard', path: '/RolePolicyList/0/PolicyDocument/Statement/0', data: { role: 'app', users: 'trusted by EKS workloads', action: 'kms:*', policy: 'inline policy data' } },
        { messageId: 'serviceWildcard', path: '/RolePolicyList/0/PolicyDocument/Statement/1', data: { role: 'app', users: 'trusted by EKS workloads', action: 'secretsmanager:*', policy: 'inline policy data' } },
      ],
    },
    {
      name: 'iam:PassRole and sts:AssumeRole (as a wildcard) on every resource',
      aws: [describeCluster(), podIdentityAssociation('app', 'web', 'app'), authorizationDetails([role('app', POD_IDENTITY_TRUST, [], [['hop', { Statement: [{ Effect: 'Allow', Action: ['iam:PassRole'], Resource: '*' }, { Effect: 'Allow', Action: 'sts:Assume*', Resource: '*' }] }]])])],
      findings: [
        { messageId: 'roleHop', path: '/RolePolicyList/0/PolicyDocument/Statement/0', data: { role: 'app', users: 'used by app/web (Pod Identity)', action: 'iam:PassRole', policy: 'inline policy hop' } },
        { messageId: 'roleHop', path: '/RolePolicyList/0/PolicyDocument/Statement/1', data: { role: 'app', users: 'used by app/web (Pod Identity)', action: 'sts:Assume*', policy: 'inline policy hop' } },
      ],
    },
  ],
});
