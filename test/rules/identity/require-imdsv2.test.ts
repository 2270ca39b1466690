import rule from '../../../src/rules/identity/require-imdsv2.js';
import { HARDENED_DUMP, describeCluster, describeInstances, describeNodegroup, instance, launchTemplateVersions } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: tokens required; an older optional version is not in use', aws: HARDENED_DUMP },
    { name: 'IMDS turned off', aws: [describeCluster(), describeInstances(instance('i-01', { MetadataOptions: { HttpEndpoint: 'disabled', HttpTokens: 'optional' } }))] },
  ],
  invalid: [
    {
      name: 'an instance answering IMDSv1',
      aws: [describeCluster(), describeInstances(instance('i-01', { MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' } }))],
      findings: [{ messageId: 'instanceTokensOptional', path: '/MetadataOptions/HttpTokens', severity: 'high', data: { instance: 'i-01', value: 'optional' } }],
    },
    {
      name: 'the default version of a template no node group names leaves HttpTokens unset',
      aws: [describeCluster(), launchTemplateVersions([{ ImageId: 'ami-1' }])],
      findings: [{ messageId: 'launchTemplateTokensOptional', path: '/LaunchTemplateData/MetadataOptions/HttpTokens', data: { template: 'demo-nodes version 1', value: 'unset (the AMI or account default applies, often optional)' } }],
    },
    {
      name: 'the version a node group pins',
      aws: [describeCluster(), describeNodegroup('general', { launchTemplate: { id: 'lt-0demo', version: '2' } }), launchTemplateVersions([{ MetadataOptions: { HttpTokens: 'required' } }, { MetadataOptions: { HttpTokens: 'optional' } }])],
      findings: [{ messageId: 'launchTemplateTokensOptional', path: '/LaunchTemplateData/MetadataOptions/HttpTokens', data: { template: 'demo-nodes version 2', value: 'optional' } }],
    },
  ],
});
