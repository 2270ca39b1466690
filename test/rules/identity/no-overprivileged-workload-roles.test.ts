import rule from '../../../src/rules/identity/no-overprivileged-workload-roles.js';
import { HARDENED_DUMP, POD_IDENTITY_TRUST, EC2_TRUST, authorizationDetails, awsPolicy, describeCluster, irsaServiceAccount, managedPolicy, podIdentityAssociation, role } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: scoped actions on named resources', aws: HARDENED_DUMP },
    { name: 'an administrator role no workload uses or trusts', aws: [describeCluster(), authorizationDetails([role('ops', EC2_TRUST, [awsPolicy('AdministratorAccess')])])] },
    { name: 'a service wildcard on one resource', aws: [describeCluster(), authorizationDetails([role('app', POD_IDENTITY_TRUST, [], [['s3', { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::app-bucket/*' }] }]])])] },
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
  ],
});
