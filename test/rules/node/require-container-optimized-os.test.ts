import rule from '../../../src/rules/node/require-container-optimized-os.js';
import { HARDENED_DUMP, describeCluster, describeNodegroup } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: Bottlerocket', aws: HARDENED_DUMP },
    { name: 'AL2023 and Windows node groups', aws: [describeCluster(), describeNodegroup('linux', { amiType: 'AL2023_ARM_64_STANDARD' }), describeNodegroup('windows', { amiType: 'WINDOWS_CORE_2022_x86_64' })] },
  ],
  invalid: [
    {
      name: 'Amazon Linux 2 and a custom AMI',
      aws: [describeCluster(), describeNodegroup('old', { amiType: 'AL2_x86_64_GPU' }), describeNodegroup('custom', { amiType: 'CUSTOM' })],
      findings: [
        { messageId: 'al2', path: '/amiType', severity: 'low', data: { nodegroup: 'old', amiType: 'AL2_x86_64_GPU' } },
        { messageId: 'customAmi', path: '/amiType', severity: 'info', data: { nodegroup: 'custom' } },
      ],
    },
  ],
});
