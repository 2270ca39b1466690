/**
 * Which ECR images a workload runs, and what Amazon Inspector and ECR image scanning found in them:
 * the matching behind `no-running-critical-vulnerabilities`. Images are matched to findings by
 * registry (account), region, repository, and digest — or tag, when only a manifest names the
 * image. Pure.
 */
import { containerStatuses, ecrImageOf, type EcrImage } from '../../core/aws/ecr-image.js';
import type { EcrImageScanFindings, InspectorFinding } from '../../core/aws/model.js';
import { regionOfArn } from '../../core/aws/targets.js';
import type { Inventory } from '../../core/inventory.js';
import { controllerOf, type KubeResource } from '../../core/resource.js';
import type { ContainerEntry, Workload } from '../../core/workload.js';

export type VulnerabilitySeverity = 'CRITICAL' | 'HIGH';

export interface VulnerablePackage {
  readonly name: string;
  readonly version?: string;
  /** The version that fixes it; undefined when the scan does not say (basic scanning). */
  readonly fixedIn?: string;
}

export interface Vulnerability {
  readonly id: string;
  readonly severity: VulnerabilitySeverity;
  /** Inspector's score, or the CVSS score basic scanning attaches. */
  readonly score?: number;
  readonly packages: readonly VulnerablePackage[];
}

const SERIOUS = new Set(['CRITICAL', 'HIGH']);

function namespaceOf(resource: KubeResource): string {
  return resource.ref.namespace ?? 'default';
}

const podIndex = new WeakMap<Inventory, ReadonlyMap<string, readonly KubeResource[]>>();

/** The Pods of each workload (by `Kind/namespace/name`), following controllers up: a Deployment's pods through its ReplicaSets, a CronJob's through its Jobs. */
function podsByOwner(inventory: Inventory): ReadonlyMap<string, readonly KubeResource[]> {
  let index = podIndex.get(inventory);
  if (index === undefined) {
    const map = new Map<string, KubeResource[]>();
    for (const pod of inventory.ofKind('Pod')) {
      const namespace = namespaceOf(pod);
      let current: KubeResource | undefined = pod;
      // Two levels at most (Pod → ReplicaSet → Deployment, Pod → Job → CronJob); a third guards against loops.
      for (let depth = 0; depth < 3 && current !== undefined; depth++) {
        const owner = controllerOf(current.object);
        if (owner === undefined) break;
        const key = `${owner.kind}/${namespace}/${owner.name}`;
        map.set(key, [...(map.get(key) ?? []), pod]);
        current = inventory.find(owner.kind, namespace, owner.name);
      }
    }
    index = map;
    podIndex.set(inventory, index);
  }
  return index;
}

/**
 * The ECR images one container of a workload runs: the digests its pods' statuses name (a live
 * cluster, a snapshot), else the image its spec names (a manifest: the tag).
 */
export function runningEcrImages(inventory: Inventory, workload: Workload, entry: ContainerEntry): EcrImage[] {
  const pods = workload.object.kind === 'Pod' ? [workload] : podsByOwner(inventory).get(`${workload.object.kind}/${workload.namespace}/${workload.ref.name}`) ?? [];
  const found = new Map<string, EcrImage>();
  for (const pod of pods) {
    const status = containerStatuses(pod).get(entry.name);
    if (status === undefined) continue;
    const image = ecrImageOf(typeof status.image === 'string' && status.image !== '' ? status.image : entry.container.image, status.imageID)
      ?? ecrImageOf(entry.container.image, status.imageID);
    if (image !== undefined) found.set(JSON.stringify(image), image);
  }
  if (found.size === 0) {
    const image = ecrImageOf(entry.container.image);
    if (image !== undefined) found.set(JSON.stringify(image), image);
  }
  return [...found.values()];
}

/** Whether a finding's image (digest, tags) is this one: by digest when both have one, else by tag. */
function sameImage(image: EcrImage, digest: string | undefined, tags: readonly string[]): boolean {
  if (image.imageDigest !== undefined && digest !== undefined) return image.imageDigest === digest.toLowerCase();
  return image.imageTag !== undefined && tags.includes(image.imageTag);
}

/** Inspector's (and enhanced scanning's) shape: a package vulnerability, its severity, whether a fix exists. */
function fromInspector(finding: InspectorFinding): Vulnerability | undefined {
  if (!SERIOUS.has(finding.severity ?? '') || (finding.status !== undefined && finding.status !== 'ACTIVE')) return undefined;
  if (finding.fixAvailable !== 'YES' && finding.fixAvailable !== 'PARTIAL') return undefined;
  const details = finding.packageVulnerabilityDetails;
  const id = details?.vulnerabilityId ?? finding.title;
  if (id === undefined) return undefined;
  const packages = (details?.vulnerablePackages ?? [])
    .filter((p) => p.fixedInVersion !== undefined && p.fixedInVersion !== '' && p.fixedInVersion !== 'NotAvailable')
    .map((p) => ({ name: p.name ?? '?', ...(p.version !== undefined ? { version: p.version } : {}), ...(p.fixedInVersion !== undefined ? { fixedIn: p.fixedInVersion } : {}) }));
  return { id, severity: finding.severity as VulnerabilitySeverity, ...(typeof finding.inspectorScore === 'number' ? { score: finding.inspectorScore } : {}), packages };
}

function inspectorMatches(finding: InspectorFinding, image: EcrImage): boolean {
  return (finding.resources ?? []).some((resource) => {
    const details = resource.details?.awsEcrContainerImage;
    if (details === undefined || details.repositoryName !== image.repositoryName || (details.registry ?? image.registryId) !== image.registryId) return false;
    const region = resource.region ?? regionOfArn(finding.findingArn);
    return (region === undefined || region === image.region) && sameImage(image, details.imageHash, details.imageTags ?? []);
  });
}

/** Basic scanning's findings: a CVE, a severity, the package in `attributes`; no word on fixes. */
function fromBasic(finding: NonNullable<NonNullable<EcrImageScanFindings['imageScanFindings']>['findings']>[number]): Vulnerability | undefined {
  if (!SERIOUS.has(finding.severity ?? '') || finding.name === undefined) return undefined;
  const attribute = (key: string) => (finding.attributes ?? []).find((a) => a.key === key)?.value;
  const score = Number(attribute('CVSS3_SCORE') ?? attribute('CVSS2_SCORE'));
  const name = attribute('package_name');
  const version = attribute('package_version');
  return {
    id: finding.name, severity: finding.severity as VulnerabilitySeverity, ...(Number.isFinite(score) ? { score } : {}),
    packages: name === undefined ? [] : [{ name, ...(version !== undefined ? { version } : {}) }],
  };
}

function scanMatches(scan: EcrImageScanFindings, image: EcrImage, evidenceRegion: string | undefined): boolean {
  if (scan.repositoryName !== image.repositoryName || (scan.registryId ?? image.registryId) !== image.registryId) return false;
  // describe-image-scan-findings does not name its region: the evidence's.
  if (evidenceRegion !== undefined && evidenceRegion !== image.region) return false;
  const tags = scan.imageId?.imageTag !== undefined ? [scan.imageId.imageTag] : [];
  return sameImage(image, scan.imageId?.imageDigest, tags);
}

const RANK: Readonly<Record<VulnerabilitySeverity, number>> = { CRITICAL: 0, HIGH: 1 };

/** The critical and high vulnerabilities (with a fix, where the scan says) found in an image, once per id, worst first. */
export function imageVulnerabilities(inventory: Inventory, image: EcrImage): Vulnerability[] {
  const aws = inventory.aws;
  if (aws === undefined) return [];
  const found: Vulnerability[] = [];
  for (const { data } of aws.evidence.inspector2.findings ?? []) {
    const v = inspectorMatches(data, image) ? fromInspector(data) : undefined;
    if (v !== undefined) found.push(v);
  }
  for (const { data } of aws.evidence.ecr.imageScanFindings ?? []) {
    if (!scanMatches(data, image, aws.region)) continue;
    for (const finding of data.imageScanFindings?.findings ?? []) {
      const v = fromBasic(finding);
      if (v !== undefined) found.push(v);
    }
    for (const finding of data.imageScanFindings?.enhancedFindings ?? []) {
      const v = fromInspector(finding as InspectorFinding);
      if (v !== undefined) found.push(v);
    }
  }
  const byId = new Map<string, Vulnerability>();
  for (const v of found) {
    const known = byId.get(v.id);
    // The same CVE from Inspector and a scan: the one that names a fix wins, then the worse severity.
    if (known === undefined || (known.packages.every((p) => p.fixedIn === undefined) && v.packages.some((p) => p.fixedIn !== undefined)) || RANK[v.severity] < RANK[known.severity]) byId.set(v.id, v);
  }
  return [...byId.values()].sort((a, b) => RANK[a.severity] - RANK[b.severity] || (b.score ?? 0) - (a.score ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
