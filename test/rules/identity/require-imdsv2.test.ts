import rule from '../../../src/rules/identity/require-imdsv2.js';
import { HARDENED_DUMP, describeCluster, describeInstances, describeNodegroup, instance, launchTemplateVersions } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: tokens required; an older optional version is not in use', aws: HARDENED_DUMP },
    { name: 'IMDS turned off', aws: [describeCluster(), describeInstances(instance('i-01', { MetadataOptions: { HttpEndpoint: 'disabled', HttpTokens: 'optional' } }))] },
    {
      name: 'an AL2023 node group whose template leaves HttpTokens unset: the AL2023 AMI requires IMDSv2',
      aws: [describeCluster(), describeNodegroup('general', { amiType: 'AL2023_x86_64_STANDARD', launchTemplate: { id: 'lt-0demo', version: '1' } }), launchTemplateVersions([{ SecurityGroupIds: ['sg-0nodes'] }])],
    },
  ],
  invalid: [
    {
      name: 'HttpTokens unset on a template for an AL2 node group, or one that names its own AMI',
      aws: [
        describeCluster(),
        describeNodegroup('al2', { amiType: 'AL2_x86_64', launchTemplate: { id: 'lt-0demo', version: '1' } }),
        describeNodegroup('custom', { amiType: 'CUSTOM', launchTemplate: { id: 'lt-0demo', version: '2' } }),
        launchTemplateVersions([{ SecurityGroupIds: ['sg-0nodes'] }, { ImageId: 'ami-0custom' }]),
      ],
      findings: [
        { messageId: 'launchTemplateTokensOptional', path: '/LaunchTemplateData/MetadataOptions/HttpTokens', data: { template: 'demo-nodes version 1', value: 'unset (the AMI or account default applies, often optional)' } },
        { messageId: 'launchTemplateTokensOptional', path: '/LaunchTemplateData/MetadataOptions/HttpTokens', data: { template: 'demo-nodes version 2', value: 'unset (the AMI or account default applies, often optional)' } },
      ],
    },
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
