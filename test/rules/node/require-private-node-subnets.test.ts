import rule from '../../../src/rules/node/require-private-node-subnets.js';
import { ACCOUNT, HARDENED_DUMP, REGION, describeCluster, describeInstances, describeNodegroup, instance, launchTemplateVersions } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const subnets = { Subnets: [{ SubnetId: 'subnet-0public', MapPublicIpOnLaunch: true, AvailabilityZone: 'eu-west-1a' }, { SubnetId: 'subnet-0private', MapPublicIpOnLaunch: false, AvailabilityZone: 'eu-west-1a' }] };

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: a public subnet exists, but no node is in it', aws: HARDENED_DUMP },
    { name: 'nodes in the private subnet only', aws: [describeCluster(), describeNodegroup('general'), subnets, describeInstances(instance('i-01'))] },
  ],
  invalid: [
    {
      name: 'a node group in a public subnet, its instance with a public address',
      aws: [describeCluster(), describeNodegroup('general', { subnets: ['subnet-0public'] }), subnets, describeInstances(instance('i-01', { SubnetId: 'subnet-0public', PublicIpAddress: '203.0.113.7' }))],
      findings: [
        // the account of the cluster's ARN: the subnet output names no owner
        { messageId: 'publicSubnet', path: '/MapPublicIpOnLaunch', resource: `subnet arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0public`, data: { subnet: 'subnet-0public' } },
        { messageId: 'publicInstance', path: '/PublicIpAddress', data: { instance: 'i-01', ip: '203.0.113.7' } },
      ],
    },
    {
      name: 'a launch template that asks for public addresses',
      aws: [describeCluster(), describeNodegroup('general', { launchTemplate: { name: 'demo-nodes', version: '$Default' } }), launchTemplateVersions([{ NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true }] }])],
      findings: [{ messageId: 'publicLaunchTemplate', path: '/LaunchTemplateData/NetworkInterfaces/0/AssociatePublicIpAddress', data: { template: 'demo-nodes version 1' } }],
    },
  ],
});
