/**
 * The ECR images a cluster runs, as its objects name them: containers' `image` references (tags,
 * from manifests) and pods' `status.containerStatuses[].imageID` (the digest the node pulled, from
 * a live cluster or a snapshot). What the live AWS read asks Inspector and ECR about, and what
 * `no-running-critical-vulnerabilities` matches their findings to. Pure.
 */
import type { KubeResource } from '../resource.js';
import { toWorkload } from '../workload.js';

/** An image in an ECR private registry: the account (registry id), region, repository, and the digest or tag it runs. */
export interface EcrImage {
  readonly registryId: string;
  readonly region: string;
  readonly repositoryName: string;
  /** `sha256:...`: the digest a pod runs, or the reference pins. */
  readonly imageDigest?: string;
  /** The tag the reference names (`latest` when it names neither tag nor digest, as the runtime reads it). */
  readonly imageTag?: string;
}

/**
 * `111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/web:1.2@sha256:...` (and the FIPS and China
 * hosts). Hand-written for ECR's host form only: the general reference grammar lives with the rules
 * (rules/shared/image-reference.ts), which core may not import.
 */
const ECR_REFERENCE = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._/-]*?)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$/;
const DIGEST = /sha256:[0-9a-f]{64}$/;

/** The digest of a status `imageID` (`docker-pullable://repo@sha256:...`, `repo@sha256:...`, `sha256:...`). */
export function digestOfImageId(imageID: unknown): string | undefined {
  return typeof imageID === 'string' ? DIGEST.exec(imageID.toLowerCase())?.[0] : undefined;
}

/** The ECR image a reference names, with the digest a pod's status adds; undefined for other registries. */
export function ecrImageOf(reference: unknown, imageID?: unknown): EcrImage | undefined {
  if (typeof reference !== 'string') return undefined;
  const match = ECR_REFERENCE.exec(reference.trim());
  if (match === null) return undefined;
  const [, registryId = '', region = '', repositoryName = '', tag, pinned] = match;
  const digest = digestOfImageId(imageID) ?? pinned;
  const imageTag = tag ?? (pinned === undefined ? 'latest' : undefined);
  return { registryId, region, repositoryName, ...(digest !== undefined ? { imageDigest: digest } : {}), ...(imageTag !== undefined ? { imageTag } : {}) };
}

/** Each container's status (image and imageID) of a pod, by container name. */
export function containerStatuses(pod: KubeResource): ReadonlyMap<string, { readonly image?: unknown; readonly imageID?: unknown }> {
  const status = (pod.object as { status?: Record<string, unknown> }).status;
  const out = new Map<string, { image?: unknown; imageID?: unknown }>();
  for (const field of ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses']) {
    const list = status?.[field];
    if (!Array.isArray(list)) continue;
    for (const entry of list as unknown[]) {
      if (entry === null || typeof entry !== 'object') continue;
      const { name, image, imageID } = entry as { name?: unknown; image?: unknown; imageID?: unknown };
      if (typeof name === 'string') out.set(name, { image, imageID });
    }
  }
  return out;
}

/** Every ECR image the objects run or would run, once each (by account, region, repository, digest and tag). */
export function ecrImagesInUse(resources: readonly KubeResource[]): EcrImage[] {
  const found = new Map<string, EcrImage>();
  const add = (image: EcrImage | undefined) => {
    if (image !== undefined) found.set(`${image.registryId}|${image.region}|${image.repositoryName}|${image.imageDigest ?? ''}|${image.imageTag ?? ''}`, image);
  };
  for (const resource of resources) {
    const workload = toWorkload(resource);
    if (workload === undefined) continue;
    const statuses = resource.object.kind === 'Pod' ? containerStatuses(resource) : new Map<string, { image?: unknown; imageID?: unknown }>();
    for (const { container, name } of workload.containers) {
      const status = statuses.get(name);
      add(ecrImageOf(container.image, status?.imageID));
      // The status names the image the node resolved, which may differ from the spec's (a mutating webhook rewrote it).
      if (status?.image !== undefined && status.image !== container.image) add(ecrImageOf(status.image, status.imageID));
    }
  }
  return [...found.values()].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}
