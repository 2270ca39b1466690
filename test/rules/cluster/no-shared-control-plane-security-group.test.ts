import rule from '../../../src/rules/cluster/no-shared-control-plane-security-group.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster, describeInstances, describeNodegroup, instance, launchTemplateVersions } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const cluster = describeCluster({ resourcesVpcConfig: { vpcId: 'vpc-0demo', clusterSecurityGroupId: 'sg-0cluster', securityGroupIds: ['sg-0custom'] } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: only the EKS-created cluster group is shared', aws: HARDENED_DUMP },
    {
      name: 'nodes with the EKS-created cluster security group and their own',
      aws: [cluster, describeNodegroup('general'), describeInstances(instance('i-01', { SecurityGroups: [{ GroupId: 'sg-0cluster' }, { GroupId: 'sg-0nodes' }] }))],
    },
  ],
  invalid: [
    {
      name: 'the weak dump: a launch template with the custom control-plane group',
      aws: WEAK_DUMP,
      findings: [{ messageId: 'sharedSecurityGroup', path: '/launchTemplate', data: { nodegroup: 'apps', group: 'sg-0weakcustom0000000', cluster: 'shop-weak' } }],
    },
    {
      name: 'running instances of the node group carry the custom group',
      aws: [cluster, describeNodegroup('general'), describeInstances(instance('i-01', { SecurityGroups: [{ GroupId: 'sg-0custom' }] }))],
      findings: [{ messageId: 'sharedSecurityGroup', path: '/resources', data: { nodegroup: 'general', group: 'sg-0custom', cluster: 'demo' } }],
    },
    {
      name: 'the launch template version a node group names',
      aws: [cluster, describeNodegroup('general', { launchTemplate: { id: 'lt-0demo', version: '2' } }), launchTemplateVersions([{ SecurityGroupIds: ['sg-0nodes'] }, { SecurityGroupIds: ['sg-0custom'] }])],
      findings: [{ messageId: 'sharedSecurityGroup', path: '/launchTemplate', data: { nodegroup: 'general', group: 'sg-0custom', cluster: 'demo' } }],
    },
  ],
});
