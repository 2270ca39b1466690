import type { Report } from '../../core/finding.js';
import type { ContainerEntry } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { DOCKER_HUB, isRegistryHost, normalizeRegistry, parseImageReference, type ImageReference } from '../shared/image-reference.js';

export interface Options {
  readonly allowedRegistries: readonly string[];
}

export type MessageId = 'disallowedRegistry';

interface AllowedEntry {
  /** Host labels, `*` standing for any one label. */
  readonly labels: readonly string[];
  readonly port: string | undefined;
  readonly path: readonly string[];
}

function splitHost(host: string): { readonly labels: readonly string[]; readonly port: string | undefined } {
  const colon = host.lastIndexOf(':');
  const bracket = host.lastIndexOf(']');
  const hasPort = colon !== -1 && colon > bracket;
  return { labels: (hasPort ? host.slice(0, colon) : host).split('.'), port: hasPort ? host.slice(colon + 1) : undefined };
}

/**
 * An allow-list entry: a registry host (with port, `*` for one DNS label) and an optional path
 * prefix. An entry whose first segment is not a host is a Docker Hub path, as in an image name.
 */
function parseEntry(entry: string): AllowedEntry | undefined {
  const segments = entry.trim().replace(/^[a-z]+:\/\//i, '').split('/').filter((s) => s !== '');
  const first = segments[0];
  if (first === undefined) return undefined;
  const explicit = isRegistryHost(first) || first.includes('*');
  const host = explicit ? normalizeRegistry(first) : DOCKER_HUB;
  // Repository paths are lower-case; an entry written otherwise still means the same repositories.
  return { ...splitHost(host), path: (explicit ? segments.slice(1) : segments).map((s) => s.toLowerCase()) };
}

function allows(entry: AllowedEntry, ref: ImageReference): boolean {
  const host = splitHost(ref.registry);
  if (host.port !== entry.port || host.labels.length !== entry.labels.length) return false;
  if (!entry.labels.every((label, i) => label === '*' || label === host.labels[i])) return false;
  // Segment by segment: `registry/team` allows `registry/team/app`, not `registry/teamwork/app`.
  const path = ref.path.split('/');
  return entry.path.length <= path.length && entry.path.every((segment, i) => segment === path[i]);
}

export default defineRule({
  id: 'restrict-image-registries',
  meta: {
    area: 'image',
    severity: 'medium',
    docs: { description: 'Restrict container images to allowed registries', controls: ['eks-bp:image-security', 'cis-eks:5.1.4'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      disallowedRegistry: 'Container "{{container}}" uses image "{{image}}" from {{source}}, which is outside allowedRegistries ({{allowed}}).',
    },
    rationale: 'Images from registries you do not control (Docker Hub, personal repositories, a typo-squatted name) bypass your scanning, signing and patching, and can change under you. A curated set of registries lets the platform team vet every image that runs and keeps pulls inside the VPC, through ECR endpoints.',
    remediation: 'Mirror or rebuild the image into an allowed registry (for example an ECR repository with scanning and immutable tags) and reference it from there, or add the registry to allowedRegistries after vetting it. Enforce the same list at admission with a policy engine (Kyverno, Gatekeeper) or the eksguard webhook.',
    schema: {
      type: 'object',
      properties: {
        allowedRegistries: {
          type: 'array',
          description: 'Registries images may come from: a host (with port if any), optionally followed by a path prefix compared segment by segment ("123456789012.dkr.ecr.us-east-1.amazonaws.com", "ghcr.io/my-org", "docker.io/library"). A "*" host label matches any one label.',
          items: { type: 'string', minLength: 1, description: 'A registry host, optionally with a path prefix.' },
        },
      },
      additionalProperties: false,
    },
    enabledByDefault: false,
  },
  defaultOptions: { allowedRegistries: [] } as Options,
  create({ allowedRegistries }) {
    const entries = allowedRegistries.map(parseEntry).filter((e): e is AllowedEntry => e !== undefined);
    const allowed = allowedRegistries.length === 0 ? 'none configured' : allowedRegistries.join(', ');
    return {
      workload(workload): Report<MessageId>[] {
        const out: Report<MessageId>[] = [];
        for (let c = 0; c < workload.containers.length; c += 1) {
          const entry = workload.containers[c] as ContainerEntry;
          const image: unknown = entry.container.image;
          if (typeof image !== 'string') continue;
          const ref = parseImageReference(image);
          // A reference the runtime cannot parse is never pulled from anywhere.
          if (ref === undefined || entries.some((e) => allows(e, ref))) continue;
          const source = ref.explicitRegistry ? `registry ${ref.registry}` : `Docker Hub (${DOCKER_HUB}/${ref.path})`;
          out.push({ messageId: 'disallowedRegistry', path: [...entry.path, 'image'], data: { container: entry.name, image, source, allowed } });
        }
        return out;
      },
    };
  },
});
