import rule from '../../../src/rules/image/require-immutable-image-tags.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster, repository } from '../../builders-aws.js';
import { RuleTester, deployment } from '../../rule-tester.js';

const repos = (...list: Record<string, unknown>[]) => ({ repositories: list });
const ecrImage = (name: string) => `111122223333.dkr.ecr.eu-west-1.amazonaws.com/${name}:1.0.0`;
const ecrRef = (reference: string) => `111122223333.dkr.ecr.eu-west-1.amazonaws.com/${reference}`;
const DIGEST = 'sha256:0f4c6b3a5d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a';
const runs = (...images: string[]) => deployment({ name: 'web', podSpec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } });
/** An exclusion filter as ECR returns it: a wildcard pattern over tag names. */
const except = (mutability: string, ...filters: string[]) => ({ imageTagMutability: mutability, imageTagMutabilityExclusionFilters: filters.map((filter) => ({ filterType: 'WILDCARD', filter })) });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: immutable, and immutable with exclusions', aws: HARDENED_DUMP },
    {
      name: 'a mutable repository the cluster\'s workloads do not pull from',
      manifests: deployment({ name: 'web', podSpec: { containers: [{ name: 'web', image: ecrImage('web') }] } }),
      aws: [describeCluster(), repos(repository('web'), repository('sandbox', { imageTagMutability: 'MUTABLE' }))],
    },
    {
      name: 'immutable with exclusions, and the workloads pull only tags the filters leave immutable (or pin a digest)',
      manifests: runs(ecrRef('web:1.4.2'), ecrRef(`web:dev-7@${DIGEST}`)),
      aws: [describeCluster(), repos(repository('web', except('IMMUTABLE_WITH_EXCLUSION', 'dev-*', 'latest')))],
    },
    {
      name: 'mutable with exclusions, and every tag the workloads pull is one the filters make immutable',
      manifests: runs(ecrRef('web:release-1.4.2'), ecrRef('web:release-1.5.0')),
      aws: [describeCluster(), repos(repository('web', except('MUTABLE_WITH_EXCLUSION', 'release-*')))],
    },
    {
      name: 'immutable with exclusions, and no workload in the input to say which tags run',
      aws: [describeCluster(), repos(repository('web', except('IMMUTABLE_WITH_EXCLUSION', '*')))],
    },
  ],
  invalid: [
    {
      // ECR leaves the tags an exclusion filter matches mutable: the running tag can be re-pushed.
      name: 'immutable with exclusions, and the workloads pull a tag a filter leaves mutable (no tag means latest)',
      manifests: runs(ecrRef('web:dev-7'), ecrRef('web:1.4.2'), ecrRef('web')),
      aws: [describeCluster(), repos(repository('web', except('IMMUTABLE_WITH_EXCLUSION', 'dev-*', 'lat*')))],
      findings: [{ messageId: 'excludedTagsInUse', path: '/imageTagMutabilityExclusionFilters', data: { repository: 'web', tags: 'dev-7, latest', filters: 'dev-*, lat*' } }],
    },
    {
      name: 'mutable with exclusions, and a tag the workloads pull is outside every filter',
      manifests: runs(ecrRef('web:release-1.4.2'), ecrRef('web:1.4.2')),
      aws: [describeCluster(), repos(repository('web', except('MUTABLE_WITH_EXCLUSION', 'release-*')))],
      findings: [{ messageId: 'mutableTags', path: '/imageTagMutability', data: { repository: 'web', mutability: 'MUTABLE_WITH_EXCLUSION' } }],
    },
    { name: 'the weak dump: shop/web is mutable', aws: WEAK_DUMP, findings: [{ messageId: 'mutableTags', path: '/imageTagMutability', data: { repository: 'shop/web', mutability: 'MUTABLE' } }] },
    {
      name: 'a repository the workloads use, mutable with exclusions',
      manifests: deployment({ name: 'web', podSpec: { containers: [{ name: 'web', image: ecrImage('web') }] } }),
      aws: [describeCluster(), repos(repository('web', { imageTagMutability: 'MUTABLE_WITH_EXCLUSION' }))],
      findings: [{ messageId: 'mutableTags', path: '/imageTagMutability', resource: 'repository arn:aws:ecr:eu-west-1:111122223333:repository/web', data: { repository: 'web', mutability: 'MUTABLE_WITH_EXCLUSION' } }],
    },
  ],
});
