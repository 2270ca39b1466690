import type { Report } from '../../core/finding.js';
import type { ContainerEntry } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { parseImageReference } from '../shared/image-reference.js';

export interface Options {
  readonly requireDigest: boolean;
}

export type MessageId = 'noTag' | 'latestTag' | 'noDigest';

/** Built only for an image that floats: the common, pinned one allocates nothing here. */
function floatingReport(entry: ContainerEntry, image: string, messageId: MessageId, tag?: string): Report<MessageId> {
  const path = [...entry.path, 'image'];
  const data = { container: entry.name, image };
  return { messageId, path, data: tag === undefined ? data : { ...data, tag } };
}

export default defineRule({
  id: 'no-latest-image-tag',
  meta: {
    area: 'image',
    severity: 'low',
    docs: { description: 'Disallow container images without a tag, with the latest tag, or (optionally) without a digest', controls: ['eks-bp:image-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      noTag: 'Container "{{container}}" uses image "{{image}}" with neither a tag nor a digest, so the runtime pulls whatever "latest" points to when the pod starts.',
      latestTag: 'Container "{{container}}" uses image "{{image}}" with the tag "latest", which moves with every push: replicas can run different code, and a rollback cannot name what ran before.',
      noDigest: 'Container "{{container}}" uses image "{{image}}" without a digest (@sha256:...), so what runs changes if tag "{{tag}}" is pushed again.',
    },
    rationale: 'A tag is a pointer that can be moved; "latest" (and no tag, which means "latest") moves with every push. Pods started at different times then run different code, an image swapped in the registry runs without any change to the manifest, and neither an audit nor a rollback can say which image ran. A digest names exactly one image.',
    remediation: 'Reference every image by an explicit version tag, and preferably by digest (image: registry/app:1.4.2@sha256:...), and use immutable tags in the registry (ECR: imageTagMutability IMMUTABLE).',
    schema: {
      type: 'object',
      properties: {
        requireDigest: { type: 'boolean', description: 'Also report images that are not pinned by digest (@sha256:...), whatever their tag.' },
      },
      additionalProperties: false,
    },
  },
  defaultOptions: { requireDigest: false } as Options,
  create: ({ requireDigest }) => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        const image: unknown = entry.container.image;
        if (typeof image !== 'string') continue;
        // A reference the runtime cannot parse fails to pull; it floats nowhere, so it is not this rule's finding.
        const ref = parseImageReference(image);
        if (ref === undefined) continue;
        // A digest pins the image whatever the tag says: the runtime ignores the tag when both are given.
        if (ref.digest !== undefined) continue;
        if (ref.tag === undefined) out.push(floatingReport(entry, image, 'noTag'));
        else if (ref.tag === 'latest') out.push(floatingReport(entry, image, 'latestTag'));
        else if (requireDigest) out.push(floatingReport(entry, image, 'noDigest', ref.tag));
      }
      return out;
    },
  }),
});
