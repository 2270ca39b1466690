import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { repositoryInScope } from '../shared/aws.js';

export type MessageId = 'mutableTags';

const IMMUTABLE = new Set(['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION']);

export default defineRule({
  id: 'require-immutable-image-tags',
  meta: {
    area: 'image',
    severity: 'low',
    docs: { description: 'Require immutable tags on the ECR repositories the cluster pulls from', controls: ['eks-bp:image-security'] },
    evidence: ['aws'],
    messages: {
      mutableTags: 'ECR repository {{repository}} allows tags to be overwritten (imageTagMutability {{mutability}}): the image a tag names can change under a running deployment.',
    },
    rationale: 'With mutable tags, anyone who can push to the repository can replace the image behind web:1.4.2, and the next pod start runs it: the manifest, its review and its scan results no longer describe what runs. Immutable tags make a tag name one image forever.',
    remediation: 'Set the repository\'s tags to immutable (aws ecr put-image-tag-mutability --repository-name NAME --image-tag-mutability IMMUTABLE, or IMMUTABLE_WITH_EXCLUSION for a few moving tags), and deploy by digest where you can.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:ecr:repository'(target, inventory): Generator<Report<MessageId>> {
      const mutability = target.data.imageTagMutability ?? 'MUTABLE';
      if (IMMUTABLE.has(mutability) || !repositoryInScope(inventory, target.data.repositoryUri)) return;
      yield { messageId: 'mutableTags', path: ['imageTagMutability'], data: { repository: target.data.repositoryName ?? '', mutability } };
    },
  }),
});
