import rule from '../../../src/rules/node/no-ssh-access-to-nodes.js';
import { ACCOUNT, HARDENED_DUMP, REGION, describeCluster, describeInstances, describeNodegroup, instance, launchTemplateVersions } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: no key pairs anywhere', aws: HARDENED_DUMP },
    {
      name: 'a key pair only in a launch template version no node uses',
      aws: [describeCluster(), describeNodegroup('general', { launchTemplate: { id: 'lt-0demo', version: '1' } }), launchTemplateVersions([{ ImageId: 'ami-1' }, { KeyName: 'old-key' }])],
    },
  ],
  invalid: [
    {
      name: 'a node group with remote access, and a key on its instance',
      aws: [describeCluster(), describeNodegroup('general', { remoteAccess: { ec2SshKey: 'ops', sourceSecurityGroups: ['sg-0bastion'] } }), describeInstances(instance('i-01', { KeyName: 'ops' }))],
      findings: [
        { messageId: 'nodegroupSshKey', path: '/remoteAccess/ec2SshKey', data: { nodegroup: 'general', key: 'ops', sources: ' from sg-0bastion' } },
        // the account of the cluster's ARN: the instance output names none
        { messageId: 'instanceKey', path: '/KeyName', resource: `instance arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-01`, data: { instance: 'i-01', key: 'ops' } },
      ],
    },
    {
      name: 'the launch template version in use carries a key',
      aws: [describeCluster(), describeNodegroup('general', { launchTemplate: { id: 'lt-0demo', version: '$Latest' } }), launchTemplateVersions([{ ImageId: 'ami-1' }, { KeyName: 'ops' }])],
      findings: [{ messageId: 'launchTemplateKey', path: '/LaunchTemplateData/KeyName', data: { template: 'demo-nodes version 2', key: 'ops' } }],
    },
  ],
});
