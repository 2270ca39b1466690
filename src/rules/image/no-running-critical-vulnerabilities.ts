import { ecrImagesInUse, type EcrImage } from '../../core/aws/ecr-image.js';
import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { ContainerEntry } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { commandOf, needsAwsCalls } from '../shared/aws.js';
import { imageVulnerabilities, runningEcrImages, type Vulnerability } from '../shared/image-vulnerabilities.js';

export type MessageId = 'vulnerableImage';

export interface Options {
  readonly named: number;
}

/** `shop/web@sha256:0123456789ab` or `shop/web:1.4.2`: enough to tell images apart in a message. */
function shortName(image: EcrImage): string {
  return image.imageDigest !== undefined ? `${image.repositoryName}@${image.imageDigest.slice(0, 19)}` : `${image.repositoryName}:${image.imageTag ?? 'latest'}`;
}

/** `CVE-2024-6387 (critical; openssh 1:9.2p1-2 → 1:9.2p1-2+deb12u3)`. */
function describe(v: Vulnerability): string {
  const packages = v.packages.map((p) => `${p.name}${p.version !== undefined ? ` ${p.version}` : ''}${p.fixedIn !== undefined ? `, fixed in ${p.fixedIn}` : ''}`);
  const fix = v.packages.some((p) => p.fixedIn !== undefined) ? '' : '; fixed version not reported (basic scanning)';
  return `${v.id} (${v.severity.toLowerCase()}${packages.length > 0 ? `; ${packages.join('; ')}` : ''}${fix})`;
}

function notEvaluated(inventory: Inventory): string | undefined {
  if (inventory.aws === undefined) return `needs aws evidence (${commandOf('inspector2:ListFindings')} or ${commandOf('ecr:DescribeImageScanFindings')}), which this scan did not read`;
  if (!inventory.evidence.has('manifests') && !inventory.evidence.has('cluster')) return 'needs manifests or cluster evidence (the images the cluster runs), which this scan did not read';
  // No workload runs an image of the repositories read: nothing was asked about, and nothing is missing.
  const aws = inventory.aws;
  const repositories = new Set(aws.evidence.ecr.repositories.map((r) => `${r.data.registryId ?? ''}|${r.data.repositoryName ?? ''}`));
  const judged = ecrImagesInUse(inventory.workloads).some((i) => repositories.has(`${i.registryId}|${i.repositoryName}`));
  if (!judged && aws.collected('ecr:DescribeRepositories') && inventory.unread.reason(new Set(), ['ecr:DescribeRepositories']) === undefined) return undefined;
  return needsAwsCalls('inspector2:ListFindings', 'ecr:DescribeImageScanFindings')(inventory);
}

export default defineRule({
  id: 'no-running-critical-vulnerabilities',
  meta: {
    area: 'image',
    severity: 'high',
    docs: { description: 'Disallow running images with critical or high vulnerabilities that have a fix', controls: ['eks-bp:image-security'] },
    evidence: ['manifests', 'cluster', 'aws'],
    messages: {
      vulnerableImage: 'Container {{container}} runs ECR image {{image}} with {{count}} critical or high vulnerabilities: {{vulnerabilities}}{{more}}.',
    },
    rationale: 'A vulnerability with a published fix is the one attackers reach for first: the exploit is often public by the time the patch is. Amazon Inspector (enhanced scanning) and ECR basic scanning already know which of the images the cluster runs carry them; an image that is running, not merely stored, is the one that matters.',
    remediation: 'Rebuild the image on an updated base image or with the fixed package versions, push it, and roll the workload to the new digest; keep scanning continuous (Inspector enhanced scanning) so new CVEs in running images show up.',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        named: { type: 'integer', minimum: 1, maximum: 50, description: 'How many vulnerabilities a finding names, worst first (default 5).' },
      },
    },
  },
  defaultOptions: { named: 5 } as Options,
  notEvaluated,
  create({ named }) {
    return {
      *workload(workload, inventory): Generator<Report<MessageId>> {
        for (let c = 0; c < workload.containers.length; c += 1) {
          const entry = workload.containers[c] as ContainerEntry;
          for (const image of runningEcrImages(inventory, workload, entry)) {
            const found = imageVulnerabilities(inventory, image);
            if (found.length === 0) continue;
            const more = found.length > named ? ` and ${found.length - named} more` : '';
            yield {
              messageId: 'vulnerableImage', path: [...entry.path, 'image'],
              data: { container: entry.name, image: shortName(image), count: found.length, vulnerabilities: found.slice(0, named).map(describe).join(', '), more },
            };
          }
        }
      },
    };
  },
});
