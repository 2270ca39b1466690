import type { Report } from '../../core/finding.js';
import { globMatches } from '../../core/glob.js';
import type { EcrRepository } from '../../core/aws/model.js';
import { defineRule } from '../define-rule.js';
import { ecrPulls, repositoryInScope } from '../shared/aws.js';

export type MessageId = 'mutableTags' | 'excludedTagsInUse';

/** The repository's exclusion filters (ECR's only filter type is a `*` wildcard over tag names). */
function exclusionFilters(repository: EcrRepository): readonly string[] {
  return (repository.imageTagMutabilityExclusionFilters ?? [])
    .filter((f) => f.filterType === 'WILDCARD' && typeof f.filter === 'string')
    .map((f) => f.filter as string);
}

/**
 * Whether a tag can be overwritten. `*_WITH_EXCLUSION` flips the repository's setting for the tags
 * an exclusion filter matches: IMMUTABLE_WITH_EXCLUSION leaves them mutable, MUTABLE_WITH_EXCLUSION
 * makes them immutable.
 */
function tagIsMutable(mutability: string, filters: readonly string[], tag: string): boolean {
  const excluded = filters.some((filter) => globMatches(filter, tag));
  return mutability === 'IMMUTABLE_WITH_EXCLUSION' ? excluded : !excluded;
}

export default defineRule({
  id: 'require-immutable-image-tags',
  meta: {
    area: 'image',
    severity: 'low',
    docs: { description: 'Require immutable tags on the ECR repositories the cluster pulls from', controls: ['eks-bp:image-security'] },
    evidence: ['aws'],
    messages: {
      mutableTags: 'ECR repository {{repository}} allows tags to be overwritten (imageTagMutability {{mutability}}): the image a tag names can change under a running deployment.',
      excludedTagsInUse: 'ECR repository {{repository}} makes its tags immutable except those its exclusion filters match ({{filters}}), and the workloads pull {{tags}} by such a tag: the image it names can change under a running deployment.',
    },
    rationale: 'With mutable tags, anyone who can push to the repository can replace the image behind web:1.4.2, and the next pod start runs it: the manifest, its review and its scan results no longer describe what runs. Immutable tags make a tag name one image forever.',
    remediation: 'Set the repository\'s tags to immutable (aws ecr put-image-tag-mutability --repository-name NAME --image-tag-mutability IMMUTABLE, or IMMUTABLE_WITH_EXCLUSION for a few moving tags that nothing deploys), and deploy by digest where you can.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:ecr:repository'(target, inventory): Generator<Report<MessageId>> {
      const repository = target.data;
      const mutability = repository.imageTagMutability ?? 'MUTABLE';
      if (mutability === 'IMMUTABLE' || !repositoryInScope(inventory, repository.repositoryUri)) return;
      const data = { repository: repository.repositoryName ?? '' };
      const filters = exclusionFilters(repository);
      // The tags the workloads pull that can be overwritten; unknown without workloads in the
      // input, and then the repository's default decides.
      const pulled = ecrPulls(inventory)?.get(repository.repositoryUri ?? '');
      const mutable = pulled === undefined ? undefined : [...pulled].filter((tag) => tagIsMutable(mutability, filters, tag)).sort();
      if (mutability === 'IMMUTABLE_WITH_EXCLUSION') {
        if (mutable !== undefined && mutable.length > 0) {
          yield { messageId: 'excludedTagsInUse', path: ['imageTagMutabilityExclusionFilters'], data: { ...data, tags: mutable.join(', '), filters: filters.join(', ') } };
        }
        return;
      }
      if (mutability === 'MUTABLE_WITH_EXCLUSION' && mutable !== undefined && mutable.length === 0) return;
      yield { messageId: 'mutableTags', path: ['imageTagMutability'], data: { ...data, mutability } };
    },
  }),
});
