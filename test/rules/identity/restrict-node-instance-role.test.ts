import rule from '../../../src/rules/identity/restrict-node-instance-role.js';
import { EC2_TRUST, HARDENED_DUMP, authorizationDetails, awsPolicy, describeCluster, describeNodegroup, managedPolicy, role } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const WORKER = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEKS_CNI_Policy'].map(awsPolicy);
const MINIMAL_SSM = [
  { Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation', 'ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'], Resource: '*' },
  { Effect: 'Allow', Action: 's3:GetEncryptionConfiguration', Resource: '*' },
];

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: worker, pull-only and SSM policies', aws: HARDENED_DUMP },
    { name: 'a CloudWatch agent policy the user allows', aws: [describeCluster(), describeNodegroup('general'), authorizationDetails([role('demo-node', EC2_TRUST, [...WORKER, awsPolicy('CloudWatchAgentServerPolicy')])])], options: { allowedPolicies: ['CloudWatchAgentServerPolicy'] } },
    { name: 'the minimal SSM policy inline', aws: [describeCluster(), describeNodegroup('general'), authorizationDetails([role('demo-node', EC2_TRUST, WORKER, [['ssm', { Statement: MINIMAL_SSM }]])])] },
    {
      name: 'the minimal SSM policy as a customer-managed policy',
      aws: [describeCluster(), describeNodegroup('general'), authorizationDetails([role('demo-node', EC2_TRUST, [...WORKER, 'arn:aws:iam::111122223333:policy/ssm-minimal'])], [managedPolicy('ssm-minimal', MINIMAL_SSM)])],
    },
    { name: 'an extra policy on a role that is not a node role', aws: [describeCluster(), describeNodegroup('general'), authorizationDetails([role('other', EC2_TRUST, [awsPolicy('AmazonS3FullAccess')])])] },
  ],
  invalid: [
    {
      name: 'S3 full access and an inline policy on the node role',
      aws: [describeCluster(), describeNodegroup('general'), authorizationDetails([role('demo-node', EC2_TRUST, [...WORKER, awsPolicy('AmazonS3FullAccess')], [['extras', { Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] }]])])],
      findings: [
        { messageId: 'extraPolicy', path: '/AttachedManagedPolicies/3', resource: 'role arn:aws:iam::111122223333:role/demo-node', data: { role: 'demo-node', policy: 'AmazonS3FullAccess' } },
        { messageId: 'inlinePolicy', path: '/RolePolicyList/0', data: { role: 'demo-node', policy: 'extras' } },
      ],
    },
    {
      name: 'AmazonSSMManagedInstanceCore on the node role',
      aws: [describeCluster(), describeNodegroup('general'), authorizationDetails([role('demo-node', EC2_TRUST, [...WORKER, awsPolicy('AmazonSSMManagedInstanceCore')])])],
      findings: [{ messageId: 'broadSsmPolicy', path: '/AttachedManagedPolicies/3', severity: 'low', data: { role: 'demo-node', minimal: 'ssm:UpdateInstanceInformation, ssmmessages:CreateControlChannel, ssmmessages:CreateDataChannel, ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel, s3:GetEncryptionConfiguration on "*"' } }],
    },
    {
      name: 'an SSM policy that grants more than the minimal actions',
      aws: [describeCluster(), describeNodegroup('general'), authorizationDetails([role('demo-node', EC2_TRUST, WORKER, [['ssm', { Statement: [...MINIMAL_SSM, { Effect: 'Allow', Action: 'ssm:GetParameters', Resource: '*' }] }]])])],
      findings: [{ messageId: 'inlinePolicy', path: '/RolePolicyList/0', data: { role: 'demo-node', policy: 'ssm' } }],
    },
  ],
});
