import rule from '../../../src/rules/node/require-current-node-ami.js';
import { HARDENED_DUMP, REGION, WEAK_DUMP, describeCluster, describeNodegroup, launchTemplateVersions } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const parameter = (Name: string, Value: string) => ({ Parameter: { Name, Value, Type: 'String', Version: 1 } });
const images = (...list: [string, string][]) => ({ Images: list.map(([ImageId, CreationDate]) => ({ ImageId, CreationDate, State: 'available' })) });
const AL2023 = '/aws/service/eks/optimized-ami/1.34/amazon-linux-2023/x86_64/standard/recommended';
const ROCKET = '/aws/service/bottlerocket/aws-k8s-1.34/x86_64';
const al2023 = (release: string) => describeNodegroup('general', { amiType: 'AL2023_x86_64_STANDARD', releaseVersion: release });
const rocket = describeNodegroup('general', { releaseVersion: '1.40.0-aaaa1111' });
const rocketEvidence = (currentDate: string) => [
  describeCluster(), rocket, parameter(`${ROCKET}/latest/image_id`, 'ami-0new'), parameter(`${ROCKET}/1.40.0-aaaa1111/image_id`, 'ami-0old'),
  images(['ami-0new', '2026-11-01T00:00:00Z'], ['ami-0old', currentDate]),
];
const custom = [
  describeCluster(), describeNodegroup('apps', { amiType: 'CUSTOM', launchTemplate: { id: 'lt-0demo', version: '1' } }),
  launchTemplateVersions([{ ImageId: 'ami-0custom' }]), parameter(`${AL2023}/image_id`, 'ami-0ref'),
];

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: Bottlerocket 12 days behind, its template image 16 days', aws: HARDENED_DUMP },
    { name: 'an AL2023 release 60 days behind: exactly the limit', aws: [describeCluster(), al2023('1.34.1-20260901'), parameter(`${AL2023}/release_version`, '1.34.2-20261031')] },
    { name: 'a Bottlerocket release 30 days behind', aws: rocketEvidence('2026-10-02T00:00:00Z') },
    { name: 'a custom image built after the recommended one', aws: [...custom, images(['ami-0custom', '2026-11-10T00:00:00Z'], ['ami-0ref', '2026-11-01T00:00:00Z'])] },
    { name: 'a flavour AWS publishes no parameter for', aws: [describeCluster(), al2023('1.34.1-20250101'), { Parameters: [] }] },
    { name: 'Windows node groups are not judged', aws: [describeCluster(), describeNodegroup('win', { amiType: 'WINDOWS_CORE_2022_x86_64', releaseVersion: '1.34.1-20250101' }), { Parameters: [] }] },
    { name: 'a custom image 90 days behind, with a 120-day allowance', aws: [...custom, images(['ami-0custom', '2026-08-03T00:00:00Z'], ['ami-0ref', '2026-11-01T00:00:00Z'])], options: { maxAgeDays: 120 } },
  ],
  invalid: [
    {
      name: 'the weak dump: an AL2 release five months behind, a custom image of January 2024',
      aws: WEAK_DUMP,
      findings: [
        { messageId: 'oldImage', path: '/LaunchTemplateData/ImageId', data: { template: 'shop-weak-apps version 2', image: 'ami-0123456789abcdef0', version: '1.27', reference: 'ami-0al2023ref127000', days: 507, maximum: 60 } },
        { messageId: 'oldRelease', path: '/releaseVersion', resource: 'nodegroup arn:aws:eks:eu-west-1:111122223333:nodegroup/shop-weak/general/a1b2c3d4-0000-1111-2222-00000000eral', data: { nodegroup: 'general', release: '1.27.16-20250101', version: '1.27', latest: '1.27.16-20250601', days: 151, maximum: 60 } },
      ],
    },
    {
      name: 'an AL2023 release 61 days behind',
      aws: [describeCluster(), al2023('1.34.1-20260831'), parameter(`${AL2023}/release_version`, '1.34.2-20261031')],
      findings: [{ messageId: 'oldRelease', path: '/releaseVersion', data: { nodegroup: 'general', release: '1.34.1-20260831', version: '1.34', latest: '1.34.2-20261031', days: 61, maximum: 60 } }],
    },
    {
      name: 'a Bottlerocket release 100 days behind',
      aws: rocketEvidence('2026-07-24T00:00:00Z'),
      findings: [{ messageId: 'oldRelease', path: '/releaseVersion', data: { nodegroup: 'general', release: '1.40.0-aaaa1111', version: '1.34', latest: 'image ami-0new', days: 100, maximum: 60 } }],
    },
    {
      name: 'a custom image 90 days behind',
      aws: [...custom, images(['ami-0custom', '2026-08-03T00:00:00Z'], ['ami-0ref', '2026-11-01T00:00:00Z'])],
      findings: [{ messageId: 'oldImage', path: '/LaunchTemplateData/ImageId', resource: `launch-template-version arn:aws:ec2:${REGION}:111122223333:launch-template/lt-0demo`, data: { template: 'demo-nodes version 1', image: 'ami-0custom', version: '1.34', reference: 'ami-0ref', days: 90, maximum: 60 } }],
    },
  ],
  notEvaluated: [
    { name: 'a dump without get-parameter output', aws: [describeCluster(), al2023('1.34.1-20250101')], reason: 'no aws ssm get-parameter output' },
    { name: 'a Bottlerocket node group and no describe-images output', aws: rocketEvidence('2026-10-02T00:00:00Z').slice(0, 4), reason: 'no aws ec2 describe-images output' },
  ],
});
