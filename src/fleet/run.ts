/**
 * The fleet scan proper: every cluster discovered is scanned as `scan --aws --cluster-name N` scans
 * one (the same AWS collector, the same live Kubernetes collector, the same rules), `concurrency`
 * clusters at a time. With Kubernetes, the API server is reached at the endpoint and CA of the
 * cluster's DescribeCluster with an EKS token minted in-process, through a kubeconfig held in
 * memory. Each cluster's result goes to `onResult` (which writes its reports) and is then dropped:
 * what the fleet keeps of a cluster is its summary row and its gaps, so memory is bounded by the
 * clusters in flight, not by the fleet. A cluster that cannot be read is a row with gaps, never the
 * end of the run.
 */
import pLimit from 'p-limit';
import { EksTokenSource } from '../collect/aws/eks-token.js';
import { requestLimits } from '../collect/aws/bounds.js';
import { describeClusterLive } from '../collect/aws/describe-cluster.js';
import { startRunDeadline } from '../collect/deadline.js';
import { AuditorError, ConfigError } from '../core/errors.js';
import type { Severity } from '../core/finding.js';
import type { Gap } from '../core/resource.js';
import { scanManifests, type ScanOptions, type ScanResult } from '../scan.js';
import type { FleetTarget } from './discover.js';
import { eksKubeConfig } from './kube-config.js';

export interface FleetRunOptions {
  readonly targets: readonly FleetTarget[];
  /** Clusters scanned at once. */
  readonly concurrency: number;
  /** `--with-kubernetes`: read each cluster's Kubernetes objects too. */
  readonly withKubernetes: boolean;
  /** What every cluster's scan shares: rules, configuration, exclusions. */
  readonly scan: Pick<ScanOptions, 'config' | 'configFile' | 'rules' | 'excludeNamespaces' | 'recordChecks' | 'cwd'>;
  /** `--timeout`: each cluster's reads end after this long (its deadline starts when its scan does). */
  readonly timeoutMs: number;
  /** `--request-timeout`. */
  readonly requestTimeoutMs?: number;
  /** Writes the cluster's reports; gaps it returns (a Security Hub import) join the cluster's. The result is released once it resolves. */
  readonly onResult: (target: FleetTarget, result: ScanResult) => Promise<readonly Gap[]>;
  /** After each cluster, for a progress line. */
  readonly onDone?: (row: ClusterRow, done: number, total: number) => void;
}

/** What the fleet keeps of one cluster. */
export interface ClusterRow {
  readonly account: string;
  readonly region: string;
  readonly cluster: string;
  readonly arn?: string;
  readonly findings: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  /** The weighted share of checks passed (null when nothing was checked, e.g. the cluster could not be read). */
  readonly score: number | null;
  /** Whether the Kubernetes side was read (with --with-kubernetes). */
  readonly kubernetes: 'read' | 'not-read' | 'off';
  readonly gaps: readonly Gap[];
}

const NO_FINDINGS: Readonly<Record<Severity, number>> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

function accessFix(cluster: string, principal: string | undefined): string {
  const who = principal ?? 'the audit role';
  return `create an access entry for ${who} on cluster ${cluster} with AmazonEKSViewPolicy (aws eks create-access-entry, aws eks associate-access-policy --access-scope type=cluster) and the group eksguard:readers, and apply the read-only ClusterRole of deploy/rbac.yaml (docs/fleet.md)`;
}

/** The gap of a cluster whose API server cannot be read at all: refused credentials, or no answer. */
function kubeFailureGap(target: FleetTarget, source: string, error: unknown): Gap | undefined {
  if (!(error instanceof AuditorError)) return undefined;
  if (error.code === 'ERR_KUBE_UNAUTHORIZED') {
    return { source, code: 'KUBE_FORBIDDEN', message: `the API server of cluster ${target.cluster} refused the audit identity (${error.message}); ${accessFix(target.cluster, target.access.principal)}` };
  }
  if (error.code === 'ERR_KUBE_UNREACHABLE') {
    return { source, code: 'KUBE_UNAVAILABLE', message: `${error.message}; a private endpoint answers only inside its VPC: run the fleet scan from there, or allow the auditing network in the cluster's endpoint access (docs/fleet.md)` };
  }
  return undefined;
}

async function scanCluster(target: FleetTarget, options: FleetRunOptions): Promise<ClusterRow> {
  const { access, region, cluster } = target;
  const deadline = startRunDeadline(options.timeoutMs);
  const gaps: Gap[] = [];
  const awsOptions = {
    region, env: access.env, signal: deadline.signal,
    ...(access.profile !== undefined ? { profile: access.profile } : {}),
    ...(access.roleArn !== undefined ? { roleArn: access.roleArn } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
  };
  let arn: string | undefined;
  let kubernetes: ClusterRow['kubernetes'] = options.withKubernetes ? 'not-read' : 'off';
  try {
    let kube: ScanOptions['cluster'];
    if (options.withKubernetes) {
      try {
        const described = await describeClusterLive({ ...awsOptions, limits: requestLimits({ ...options, signal: deadline.signal }), clusterName: cluster });
        arn = described.arn;
        const context = described.arn ?? `${access.account}/${region}/${cluster}`;
        const endpoint = described.endpoint;
        const caData = described.certificateAuthority?.data;
        if (endpoint === undefined || caData === undefined) {
          gaps.push({ source: `cluster:${context}`, code: 'KUBE_UNAVAILABLE', message: `cluster ${cluster} has no API endpoint or CA yet (status ${described.status ?? 'unknown'}): its Kubernetes objects were not read` });
        } else {
          const tokens = new EksTokenSource({ clusterName: cluster, region, credentials: access.credentials });
          kube = {
            env: access.env, kubeConfig: eksKubeConfig({ context, server: endpoint, caData }, tokens), signal: deadline.signal,
            ...(options.requestTimeoutMs !== undefined ? { timeoutMs: options.requestTimeoutMs } : {}),
          };
        }
      } catch (error) {
        if (!(error instanceof AuditorError)) throw error;
        gaps.push({ source: `${access.account}/${region}/${cluster}`, code: 'AWS_UNAVAILABLE', message: `${error.message}: the cluster's Kubernetes objects were not read` });
      }
    }
    const source = `cluster:${arn ?? cluster}`;
    const result = await scanManifests({
      ...options.scan, paths: [], clusterName: cluster, aws: awsOptions,
      ...(kube !== undefined ? { cluster: kube, clusterFailureAsGap: (error: unknown) => kubeFailureGap(target, source, error) } : {}),
    });
    if (kube !== undefined && result.cluster !== undefined) kubernetes = 'read';
    const refused = result.gaps.filter((g) => g.code === 'KUBE_FORBIDDEN' && g.source === source);
    if (kubernetes === 'read' && refused.length > 0) {
      gaps.push({ source, code: 'KUBE_FORBIDDEN', message: `the audit identity may not read ${refused.length} of what the rules need on cluster ${cluster} (HTTP 403); ${accessFix(cluster, access.principal)}` });
    }
    arn ??= result.inventory.aws?.clusters.find((c) => c.name === cluster)?.arn;
    gaps.push(...result.gaps, ...await options.onResult(target, result));
    return { account: access.account, region, cluster, ...(arn !== undefined ? { arn } : {}), findings: result.summary.findings, bySeverity: result.summary.bySeverity, score: result.summary.score ?? null, kubernetes, gaps };
  } catch (error) {
    // AWS that cannot be reached or credentials rejected for this account: the cluster is a gap, the fleet goes on.
    // A configuration error is the same for every cluster: it ends the run (the CLI checks the rules before any cluster).
    if (!(error instanceof AuditorError) || error instanceof ConfigError) throw error;
    gaps.push({ source: `${access.account}/${region}/${cluster}`, code: 'AWS_UNAVAILABLE', message: `cluster ${cluster} was not scanned: ${error.message}` });
    return { account: access.account, region, cluster, ...(arn !== undefined ? { arn } : {}), findings: 0, bySeverity: NO_FINDINGS, score: null, kubernetes, gaps };
  } finally {
    deadline.stop();
  }
}

/** Scans every target, `concurrency` at a time; the rows come in the targets' order. */
export async function runFleet(options: FleetRunOptions): Promise<ClusterRow[]> {
  const limit = pLimit(Math.max(1, options.concurrency));
  let done = 0;
  return Promise.all(options.targets.map((target) => limit(async () => {
    const row = await scanCluster(target, options);
    done += 1;
    options.onDone?.(row, done, options.targets.length);
    return row;
  })));
}
