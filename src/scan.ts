import type { ClusterSourceOptions, KubeSources } from './collect/kube-sources.js';
import { mergeObjects, type Arrival } from './collect/merge-objects.js';
import type { ClusterSummary } from './collect/kube/collect.js';
import { readManifestSources, type FilesResult, type SourceSummary } from './collect/files/read-sources.js';
import type { AwsEvidence } from './core/aws/model.js';
import type { Evidence } from './core/inventory.js';
import { InputError } from './core/errors.js';
import { Inventory } from './core/inventory.js';
import type { Gap, Unread } from './core/resource.js';
import { audit, type AuditResult } from './engine/audit.js';
import { EMPTY_CONFIG, type Config, type Exclusion } from './engine/config.js';
import type { KindsNeeded } from './engine/rule-kinds.js';
import { resolveRules, type EnabledRule } from './engine/rule-set.js';
import { weakerAwsVersion, weakerVersion } from './engine/weaker-version.js';
import type { AnyRule } from './rules/define-rule.js';
import { builtinRules } from './rules/index.js';

export interface ScanOptions {
  /** Files, directories and `-` (standard input). */
  readonly paths: readonly string[];
  readonly stdin?: AsyncIterable<Buffer | string>;
  readonly config?: Config;
  readonly configFile?: string;
  /** Run only these rules. */
  readonly rules?: readonly string[];
  /** Namespaces whose findings are listed as exempted. */
  readonly excludeNamespaces?: readonly string[];
  readonly registry?: Readonly<Record<string, AnyRule>>;
  /** Keep every (rule, target) pair judged, for reports that list passes (JUnit). */
  readonly recordChecks?: boolean;
  /** `--aws-dump DIR`: AWS evidence as AWS CLI output files (docs/aws-evidence.md), scanned with the manifests as one inventory. */
  readonly awsDump?: string;
  /** `--cluster-name`: the one cluster of the AWS evidence to audit (default: every cluster found). */
  readonly clusterName?: string;
  /** Working directory, for paths in reports (defaults to the process's). */
  readonly cwd?: string;
  /** `--cluster`: the live cluster of a kubeconfig context, read-only; only the kinds the enabled rules need are read. */
  readonly cluster?: ClusterSourceOptions;
  /** `--snapshot FILE`: an inventory saved by `eksguard snapshot`. */
  readonly snapshot?: string;
  /** `--aws`: AWS evidence read live with the AWS SDK (read-only); `clusterName` applies to it too. */
  readonly aws?: AwsSourceOptions;
  /** What a live collection reads, when not what the enabled rules need (the rbac commands read RBAC objects). */
  readonly kinds?: KindsNeeded;
  /**
   * A live cluster that cannot be read at all (unreachable, credentials refused) as this gap instead
   * of an error: the scan goes on without it, and the rules that need the cluster are not evaluated
   * (a fleet scan, where one cluster must not end the others). Undefined keeps the error.
   */
  readonly clusterFailureAsGap?: (error: unknown) => Gap | undefined;
}

/** `--aws` (docs/aws-evidence.md): the region, and how to authenticate; `env` holds endpoints and credentials (default: process.env). */
export interface AwsSourceOptions {
  readonly region: string;
  readonly profile?: string;
  readonly roleArn?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The run's deadline (`--timeout`) and how long one request may wait (`--request-timeout`): docs/limits.md. */
  readonly signal?: AbortSignal;
  readonly requestTimeoutMs?: number;
}

export interface InventoryRead {
  readonly inventory: Inventory;
  readonly sources: readonly SourceSummary[];
  /** How the live collection went, with --cluster. */
  readonly cluster?: ClusterSummary;
}

export interface ScanResult extends AuditResult {
  readonly sources: readonly SourceSummary[];
  readonly inventory: Inventory;
  /** The rules this scan ran, with effective severity and options (reporters list them, e.g. SARIF's tool.driver.rules). */
  readonly rules: readonly EnabledRule[];
  /** How the live collection went, with --cluster. */
  readonly cluster?: ClusterSummary;
}

export { loadConfig } from './config-file.js';

/**
 * Reads every source of a scan (files, AWS evidence, the live cluster, a snapshot) into one
 * Inventory. The enabled rules decide what a live collection reads.
 */
export async function readInventory(options: ScanOptions, enabled: readonly EnabledRule[]): Promise<InventoryRead> {
  const onlyManifests = options.awsDump === undefined && options.aws === undefined && options.cluster === undefined && options.snapshot === undefined;
  // A scan of AWS evidence, a cluster or a snapshot alone reads no manifests: manifest rules are then "not evaluated", not passed.
  const readManifests = options.paths.length > 0 || onlyManifests;
  const read = readManifests
    ? await readManifestSources(options.paths, options.stdin ? { stdin: options.stdin } : {})
    : { resources: [], gaps: [], sources: [], anyRead: false, empty: [] };
  if (onlyManifests) throwIfNothingRead(read);
  const gaps: Gap[] = [...read.gaps];
  let aws: AwsEvidence | undefined;
  const sources: SourceSummary[] = [...read.sources];
  // The readers of AWS evidence and of a cluster or snapshot load only when asked for: a manifest scan never needs them.
  if (options.awsDump !== undefined) {
    const { readAwsDump } = await import('./collect/aws-dump/read-dump.js');
    const dump = await readAwsDump(options.awsDump, {
      ...(options.clusterName !== undefined ? { clusterName: options.clusterName } : {}), cwd: options.cwd ?? process.cwd(),
      judge: (candidates) => weakerAwsVersion(candidates, enabled),
    });
    aws = dump.evidence;
    gaps.push(...dump.gaps);
    for (const source of dump.sources) sources.push({ path: source.path, documents: 1, objects: source.items, ...(source.kind === undefined ? { skipped: 'not a recognised AWS CLI output' } : {}) });
  }
  const evidence: Evidence[] = readManifests ? ['manifests'] : [];
  const arrivals: Arrival[] = read.resources.map((resource) => ({ resource, source: resource.origin.type === 'file' ? resource.origin.file : '-' }));
  let cluster: ClusterSummary | undefined;
  const notRead: Unread[] = [];
  const kube = options.cluster !== undefined || options.snapshot !== undefined
    ? await readKube(options, enabled).catch((error: unknown) => {
      const gap = options.clusterFailureAsGap?.(error);
      if (gap === undefined) throw error;
      gaps.push(gap);
      return undefined;
    })
    : undefined;
  if (kube !== undefined) {
    arrivals.push(...kubeArrivals(kube));
    gaps.push(...kube.gaps);
    sources.push(...kube.sources);
    evidence.push(...kube.evidence);
    aws ??= kube.aws;
    cluster = kube.cluster;
    notRead.push(...kube.notRead);
  }
  if (options.aws !== undefined) {
    // Loaded here, not at the top: the AWS SDK takes long to load and only --aws needs it.
    const { collectAws } = await import('./collect/aws/collect.js');
    const { ecrImagesInUse } = await import('./core/aws/ecr-image.js');
    // Read after the Kubernetes input: the ECR images it runs are what Inspector and ECR are asked about.
    const images = readManifests || options.cluster !== undefined || options.snapshot !== undefined ? ecrImagesInUse(arrivals.map((a) => a.resource)) : undefined;
    const live = await collectAws({ ...options.aws, ...(options.clusterName !== undefined ? { clusterName: options.clusterName } : {}), ...(images !== undefined ? { images } : {}) });
    aws = live.evidence;
    gaps.push(...live.gaps);
    sources.push({ path: `aws:${live.summary.region}`, documents: live.summary.calls, objects: countAwsItems(live.evidence) });
  }
  const merged = mergeObjects(arrivals, (versions) => weakerVersion(versions, enabled));
  gaps.push(...merged.gaps);
  const counted = sources.map((s) => (merged.duplicates.has(s.path) ? { ...s, duplicates: merged.duplicates.get(s.path) } : s));
  const inventory = new Inventory(merged.resources, gaps, evidence, aws, notRead, cluster?.version);
  return { inventory, sources: counted, ...(cluster !== undefined ? { cluster } : {}) };
}

/** The live cluster and the snapshot, read with the kinds the enabled rules need. */
async function readKube(options: ScanOptions, enabled: readonly EnabledRule[]): Promise<KubeSources> {
  const [{ readKubeSources }, { kindsNeeded }] = await Promise.all([import('./collect/kube-sources.js'), import('./engine/rule-kinds.js')]);
  return readKubeSources({
    ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
    ...(options.snapshot !== undefined ? { snapshot: options.snapshot } : {}),
    kinds: options.kinds ?? kindsNeeded(enabled),
  });
}

/** The snapshot's and the live cluster's objects, each with the source entry that counts it (they are read in that order). */
function kubeArrivals(kube: KubeSources): Arrival[] {
  const out: Arrival[] = [];
  let next = 0;
  for (const source of kube.sources) {
    for (const resource of kube.resources.slice(next, next + source.objects)) out.push({ resource, source: source.path });
    next += source.objects;
  }
  return out;
}

/**
 * When the run has manifests only and none could be read at all (a path that does not exist, an
 * empty directory, one with no manifests), there is nothing to report on: one line naming each
 * path and why, and no report.
 */
function throwIfNothingRead(read: FilesResult): void {
  if (read.anyRead || read.resources.length > 0) return;
  const reasons = [...read.gaps.map((g) => `${g.source}: ${g.message}`), ...read.empty.map((e) => `${e.path}: ${e.reason}`)];
  throw new InputError(reasons.length > 0 ? reasons.join('; ') : 'no Kubernetes objects in the input');
}

/** How many AWS resources a live read found (for the sources summary). */
function countAwsItems(evidence: AwsEvidence): number {
  let n = 0;
  for (const service of Object.values(evidence)) {
    if (service === null || typeof service !== 'object' || service instanceof Set) continue;
    for (const list of Object.values(service as Record<string, unknown>)) if (Array.isArray(list)) n += list.length;
  }
  return n;
}

/** Scans: read the sources (manifests, AWS evidence, a live cluster, a snapshot), run the enabled rules, apply exemptions. */
export async function scanManifests(options: ScanOptions): Promise<ScanResult> {
  const config = options.config ?? EMPTY_CONFIG;
  const enabled = resolveRules(options.registry ?? builtinRules, {
    config,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.rules ? { only: options.rules } : {}),
  });
  const { inventory, sources, cluster } = await readInventory(options, enabled);
  const excluded: Exclusion[] = (options.excludeNamespaces ?? []).length > 0
    ? [{ reason: 'namespace excluded by --exclude-namespace', rules: [], namespaces: [...(options.excludeNamespaces ?? [])], kinds: [], names: [], labels: {} }]
    : [];
  const result = audit(inventory, enabled, {
    exclusions: [...excluded, ...config.exclusions],
    defaultExemptions: config.defaultExemptions,
    disallowAnnotationExemptions: config.disallowAnnotationExemptions,
  }, { recordChecks: options.recordChecks === true });
  return { ...result, sources, inventory, rules: enabled, ...(cluster !== undefined ? { cluster } : {}) };
}
