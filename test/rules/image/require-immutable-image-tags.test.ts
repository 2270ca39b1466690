import rule from '../../../src/rules/image/require-immutable-image-tags.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster, repository } from '../../builders-aws.js';
import { RuleTester, deployment } from '../../rule-tester.js';

const repos = (...list: Record<string, unknown>[]) => ({ repositories: list });
const ecrImage = (name: string) => `111122223333.dkr.ecr.eu-west-1.amazonaws.com/${name}:1.0.0`;

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: immutable, and immutable with exclusions', aws: HARDENED_DUMP },
    {
      name: 'a mutable repository the cluster\'s workloads do not pull from',
      manifests: deployment({ name: 'web', podSpec: { containers: [{ name: 'web', image: ecrImage('web') }] } }),
      aws: [describeCluster(), repos(repository('web'), repository('sandbox', { imageTagMutability: 'MUTABLE' }))],
    },
  ],
  invalid: [
    { name: 'the weak dump: shop/web is mutable', aws: WEAK_DUMP, findings: [{ messageId: 'mutableTags', path: '/imageTagMutability', data: { repository: 'shop/web', mutability: 'MUTABLE' } }] },
    {
      name: 'a repository the workloads use, mutable with exclusions',
      manifests: deployment({ name: 'web', podSpec: { containers: [{ name: 'web', image: ecrImage('web') }] } }),
      aws: [describeCluster(), repos(repository('web', { imageTagMutability: 'MUTABLE_WITH_EXCLUSION' }))],
      findings: [{ messageId: 'mutableTags', path: '/imageTagMutability', resource: 'repository arn:aws:ecr:eu-west-1:111122223333:repository/web', data: { repository: 'web', mutability: 'MUTABLE_WITH_EXCLUSION' } }],
    },
  ],
});
