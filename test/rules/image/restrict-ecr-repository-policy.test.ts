import rule from '../../../src/rules/image/restrict-ecr-repository-policy.js';
import { EC2_TRUST, HARDENED_DUMP, WEAK_DUMP, authorizationDetails, awsPolicy, describeCluster, managedPolicy, repository, role } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const repos = (...list: Record<string, unknown>[]) => ({ repositories: list });
const policy = (name: string, statements: Record<string, unknown>[]) => ({ registryId: '111122223333', repositoryName: name, policyText: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
const noPolicy = { eksguardFailedCall: 'ecr get-repository-policy', error: 'An error occurred (RepositoryPolicyNotFoundException) when calling the GetRepositoryPolicy operation: no policy' };
const PULL = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const noRoles = authorizationDetails([]);

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: organisation-scoped pulls, pushes by one named role', aws: HARDENED_DUMP },
    { name: 'a repository without a policy', aws: [describeCluster(), repos(repository('web')), noPolicy, noRoles] },
    {
      name: 'everyone in the organisation, or one account',
      aws: [describeCluster(), repos(repository('web')), noRoles, policy('web', [
        { Sid: 'Org', Effect: 'Allow', Principal: '*', Action: PULL, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } },
        { Sid: 'Account', Effect: 'Allow', Principal: { AWS: '*' }, Action: PULL, Condition: { StringEquals: { 'AWS:SourceAccount': '444455556666' } } },
        { Sid: 'Deny', Effect: 'Deny', Principal: '*', Action: 'ecr:*' },
      ])],
    },
    {
      name: 'a CI role that pushes to its own repositories only',
      aws: [describeCluster(), repos(), authorizationDetails([role('ci', EC2_TRUST, [], [['push', { Statement: [{ Effect: 'Allow', Action: ['ecr:PutImage', 'ecr:UploadLayerPart'], Resource: 'arn:aws:ecr:eu-west-1:111122223333:repository/shop/*' }] }]])])],
    },
    { name: 'a service-linked role with administrator access', aws: [describeCluster(), repos(), authorizationDetails([role('AWSServiceRoleForX', EC2_TRUST, [awsPolicy('AdministratorAccess')], [], { Path: '/aws-service-role/x.amazonaws.com/' })])] },
  ],
  invalid: [
    {
      name: 'the weak dump: shop/web open to everyone, two administrator roles',
      aws: WEAK_DUMP,
      findings: [
        { messageId: 'openPolicy', path: '/policyText/Statement/0', resource: 'repository arn:aws:ecr:eu-west-1:111122223333:repository/shop/web', data: { repository: 'shop/web', statement: 'AllowPull', actions: 'ecr:BatchGetImage, ecr:GetDownloadUrlForLayer' } },
        { messageId: 'writeEverywhere', path: '/AttachedManagedPolicies/0', resource: 'role arn:aws:iam::111122223333:role/Admin', data: { role: 'Admin', policy: 'AdministratorAccess' } },
        { messageId: 'writeEverywhere', path: '/AttachedManagedPolicies/0', resource: 'role arn:aws:iam::111122223333:role/shop-weak-app', data: { role: 'shop-weak-app', policy: 'AdministratorAccess' } },
      ],
    },
    {
      name: 'a statement open to everyone, and one to everyone but for a condition that does not scope it',
      aws: [describeCluster(), repos(repository('web')), noRoles, policy('web', [
        { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root', '*'] }, Action: 'ecr:*' },
        { Sid: 'Tls', Effect: 'Allow', Principal: '*', Action: PULL, Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      ])],
      findings: [
        { messageId: 'openPolicy', path: '/policyText/Statement/0', data: { repository: 'web', statement: '0', actions: 'ecr:*' } },
        { messageId: 'openPolicy', path: '/policyText/Statement/1', data: { repository: 'web', statement: 'Tls', actions: 'ecr:BatchGetImage, ecr:GetDownloadUrlForLayer' } },
      ],
    },
    {
      name: 'ECR write on every repository: a registry power user, ecr:* inline, ecr:Put* in a customer policy',
      aws: [describeCluster(), repos(), authorizationDetails(
        [
          role('builder', EC2_TRUST, [awsPolicy('AmazonEC2ContainerRegistryPowerUser')]),
          role('ci', EC2_TRUST, ['arn:aws:iam::111122223333:policy/push'], [['all-ecr', { Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }] }]]),
        ],
        [managedPolicy('push', [{ Effect: 'Allow', Action: ['ecr:Put*'], Resource: 'arn:aws:ecr:*:111122223333:repository/*' }])],
      )],
      findings: [
        { messageId: 'writeEverywhere', path: '/AttachedManagedPolicies/0', data: { role: 'builder', policy: 'AmazonEC2ContainerRegistryPowerUser' } },
        { messageId: 'writePolicy', path: '/AttachedManagedPolicies/0/Statement/0', data: { role: 'ci', action: 'ecr:Put*', resource: 'arn:aws:ecr:*:111122223333:repository/*', policy: 'managed policy push' } },
        { messageId: 'writePolicy', path: '/RolePolicyList/0/PolicyDocument/Statement/0', data: { role: 'ci', action: 'ecr:*', resource: '*', policy: 'inline policy all-ecr' } },
      ],
    },
  ],
  notEvaluated: [
    { name: 'repositories whose policies were not read', aws: [describeCluster(), repos(repository('web')), noRoles], reason: 'no aws ecr get-repository-policy output' },
  ],
});
