import rule from '../../../src/rules/identity/restrict-imds-hop-limit.js';
import { HARDENED_DUMP, describeCluster, describeInstances, describeNodegroup, instance, launchTemplateVersions } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const hops = (n: number) => ({ MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: n, HttpEndpoint: 'enabled' } });
const lt = (n: number) => [describeCluster(), describeNodegroup('legacy-apps', { launchTemplate: { id: 'lt-0demo', version: '$Default' } }), launchTemplateVersions([{ MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: n } }])];

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: hop limit 1', aws: HARDENED_DUMP },
    { name: 'hop limit 2 on a node group listed as needing IMDS', aws: [...lt(2), describeInstances(instance('i-01', { ...hops(2), Tags: [{ Key: 'eks:nodegroup-name', Value: 'legacy-apps' }] }))], options: { nodeGroupsNeedingImds: ['legacy-*'] } },
  ],
  invalid: [
    {
      name: 'hop limit 2 where no exception is configured',
      aws: [...lt(2), describeInstances(instance('i-01', hops(2)))],
      findings: [
        { messageId: 'launchTemplateHopLimit', path: '/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit', data: { template: 'demo-nodes version 1', hops: 2, allowed: 1 } },
        { messageId: 'instanceHopLimit', path: '/MetadataOptions/HttpPutResponseHopLimit', data: { instance: 'i-01', hops: 2, allowed: 1 } },
      ],
    },
    {
      name: 'hop limit 3 even on a node group needing IMDS',
      aws: lt(3), options: { nodeGroupsNeedingImds: ['legacy-apps'] },
      findings: [{ messageId: 'launchTemplateHopLimit', path: '/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit', data: { template: 'demo-nodes version 1', hops: 3, allowed: 2 } }],
    },
  ],
});
