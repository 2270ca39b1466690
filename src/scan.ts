import { readFile } from 'node:fs/promises';
import { readAwsDump } from './collect/aws-dump/read-dump.js';
import { readKubeSources, type ClusterSourceOptions } from './collect/kube-sources.js';
import type { ClusterSummary } from './collect/kube/collect.js';
import { readManifestSources, type SourceSummary } from './collect/files/read-sources.js';
import type { AwsEvidence } from './core/aws/model.js';
import type { Evidence } from './core/inventory.js';
import { ConfigError } from './core/errors.js';
import { Inventory } from './core/inventory.js';
import type { Gap, KubeResource, Unread } from './core/resource.js';
import { audit, type AuditResult } from './engine/audit.js';
import { EMPTY_CONFIG, parseConfig, type Config, type Exclusion } from './engine/config.js';
import { kindsNeeded } from './engine/rule-kinds.js';
import { resolveRules, type EnabledRule } from './engine/rule-set.js';
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
}

/** `--aws` (docs/aws-evidence.md): the region, and how to authenticate; `env` holds endpoints and credentials (default: process.env). */
export interface AwsSourceOptions {
  readonly region: string;
  readonly profile?: string;
  readonly roleArn?: string;
  readonly env?: NodeJS.ProcessEnv;
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

/** Reads `eksguard.yaml` (or the named file). A named file that is missing is an error; a default one is optional. */
export async function loadConfig(file: string | undefined, cwd: string): Promise<{ config: Config; file?: string }> {
  const candidates = file ? [file] : [`${cwd}/eksguard.yaml`, `${cwd}/eksguard.yml`, `${cwd}/.eksguard.yaml`];
  for (const candidate of candidates) {
    let text: string;
    try {
      text = await readFile(candidate, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!file && code === 'ENOENT') continue;
      throw new ConfigError(candidate, '', code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? 'error'})`);
    }
    return { config: parseConfig(candidate, text), file: candidate };
  }
  return { config: EMPTY_CONFIG };
}

/**
 * Reads every source of a scan (files, AWS evidence, the live cluster, a snapshot) into one
 * Inventory. The enabled rules decide what a live collection reads.
 */
export async function readInventory(options: ScanOptions, enabled: readonly EnabledRule[]): Promise<InventoryRead> {
  // A scan of AWS evidence, a cluster or a snapshot alone reads no manifests: manifest rules are then "not evaluated", not passed.
  const readManifests = options.paths.length > 0 || (options.awsDump === undefined && options.aws === undefined && options.cluster === undefined && options.snapshot === undefined);
  const read = readManifests
    ? await readManifestSources(options.paths, options.stdin ? { stdin: options.stdin } : {})
    : { resources: [], gaps: [], sources: [] };
  const gaps: Gap[] = [...read.gaps];
  if (readManifests && read.resources.length === 0 && read.gaps.length === 0) {
    gaps.push({ source: options.paths.join(', '), code: 'NO_INPUT', message: 'no Kubernetes objects found in the input' });
  }
  let aws: AwsEvidence | undefined;
  const sources: SourceSummary[] = [...read.sources];
  if (options.awsDump !== undefined) {
    const dump = await readAwsDump(options.awsDump, { ...(options.clusterName !== undefined ? { clusterName: options.clusterName } : {}), cwd: options.cwd ?? process.cwd() });
    aws = dump.evidence;
    gaps.push(...dump.gaps);
    for (const source of dump.sources) sources.push({ path: source.path, documents: 1, objects: source.items, ...(source.kind === undefined ? { skipped: 'not a recognised AWS CLI output' } : {}) });
  }
  if (options.aws !== undefined) {
    // Loaded here, not at the top: the AWS SDK takes long to load and only --aws needs it.
    const { collectAws } = await import('./collect/aws/collect.js');
    const live = await collectAws({ ...options.aws, ...(options.clusterName !== undefined ? { clusterName: options.clusterName } : {}) });
    aws = live.evidence;
    gaps.push(...live.gaps);
    sources.push({ path: `aws:${live.summary.region}`, documents: live.summary.calls, objects: countAwsItems(live.evidence) });
  }
  const evidence: Evidence[] = readManifests ? ['manifests'] : [];
  const resources: KubeResource[] = [...read.resources];
  let cluster: ClusterSummary | undefined;
  const notRead: Unread[] = [];
  if (options.cluster !== undefined || options.snapshot !== undefined) {
    const kube = await readKubeSources({
      ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
      ...(options.snapshot !== undefined ? { snapshot: options.snapshot } : {}),
      kinds: kindsNeeded(enabled),
    });
    resources.push(...kube.resources);
    gaps.push(...kube.gaps);
    sources.push(...kube.sources);
    evidence.push(...kube.evidence);
    aws ??= kube.aws;
    cluster = kube.cluster;
    notRead.push(...kube.notRead);
  }
  const inventory = new Inventory(resources, gaps, evidence, aws, notRead, cluster?.version);
  return { inventory, sources, ...(cluster !== undefined ? { cluster } : {}) };
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
