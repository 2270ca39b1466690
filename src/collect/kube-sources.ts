/**
 * The Kubernetes sources besides files: a live cluster (`--cluster`) and a saved snapshot
 * (`--snapshot`). Both modules are loaded only when used, so a manifest scan (and
 * `eksguard --version`) never loads @kubernetes/client-node.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { AwsEvidence } from '../core/aws/model.js';
import type { Evidence } from '../core/inventory.js';
import type { Gap, KubeResource, Unread } from '../core/resource.js';
import { ALL_KINDS, type KindsNeeded } from '../engine/rule-kinds.js';
import type { SourceSummary } from './files/read-sources.js';
import type { ClusterSummary, CollectProgress } from './kube/collect.js';

export interface ClusterSourceOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** A kubeconfig built in memory (fleet scans), instead of `kubeconfig`. */
  readonly kubeConfig?: KubeConfig;
  /** `--namespace`: namespaced objects of these namespaces only. */
  readonly namespaces?: readonly string[];
  /** For KUBECONFIG and HOME. */
  readonly env: NodeJS.ProcessEnv;
  readonly onProgress?: (progress: CollectProgress) => void;
  readonly concurrency?: number;
  readonly pageSize?: number;
  /** How long a request may wait for the next byte of its answer (`--request-timeout`); see docs/limits.md. */
  readonly timeoutMs?: number;
  readonly retryDelayMs?: number;
  /** Keep every replica instead of one per controller (for commands about pods: `incident`). */
  readonly keepReplicas?: boolean;
  /** Pages of one list at most, and the largest answer read (docs/limits.md). */
  readonly maxPages?: number;
  readonly maxResponseBytes?: number;
  /** The run's deadline (`--timeout`). */
  readonly signal?: AbortSignal;
  /** `--kubelet-config`: read each node's kubelet configuration through the node proxy (needs `nodes/proxy`). */
  readonly kubeletConfig?: boolean;
}

export interface KubeSourcesOptions {
  readonly cluster?: ClusterSourceOptions;
  readonly snapshot?: string;
  /** What the enabled rules need: a live collection reads only these kinds. */
  readonly kinds: KindsNeeded;
}

export interface KubeSources {
  readonly resources: KubeResource[];
  readonly gaps: Gap[];
  readonly sources: SourceSummary[];
  readonly evidence: Evidence[];
  /** AWS evidence a snapshot saved. */
  readonly aws?: AwsEvidence;
  /** How the live collection went (requests, replicas sampled), for progress and the bench. */
  readonly cluster?: ClusterSummary;
  /** Kinds the rules need that a snapshot does not hold (it was written for fewer rules): no gap, but not read either. */
  readonly notRead: Unread[];
}

/** The kinds the rules need that a snapshot's collection did not read. Pure. */
export function kindsNotInSnapshot(needed: KindsNeeded, saved: readonly string[] | undefined): string[] {
  // An older snapshot does not say what it read; a rule keyed by every kind cannot say what it needs.
  if (saved === undefined || needed === ALL_KINDS) return [];
  const held = new Set(saved);
  return [...needed].filter((kind) => !held.has(kind)).sort();
}

export async function readKubeSources(options: KubeSourcesOptions): Promise<KubeSources> {
  const result: { resources: KubeResource[]; gaps: Gap[]; sources: SourceSummary[]; evidence: Evidence[]; aws?: AwsEvidence; cluster?: ClusterSummary; notRead: Unread[] } = {
    resources: [], gaps: [], sources: [], evidence: [], notRead: [],
  };
  if (options.snapshot !== undefined) {
    const { readSnapshot } = await import('../snapshot/read.js');
    const saved = await readSnapshot(options.snapshot);
    result.resources.push(...saved.resources);
    result.gaps.push(...saved.gaps);
    result.evidence.push(...saved.evidence);
    result.sources.push({ path: options.snapshot, objects: saved.resources.length, documents: 1 });
    if (saved.aws !== undefined) result.aws = saved.aws;
    const missing = kindsNotInSnapshot(options.kinds, saved.kinds);
    if (missing.length > 0) result.notRead.push({ kinds: missing, cause: 'not in the snapshot, which was written for other rules' });
  }
  if (options.cluster !== undefined) {
    const { collectCluster } = await import('./kube/collect.js');
    const live = await collectCluster({ ...options.cluster, kinds: options.kinds });
    result.resources.push(...live.resources);
    result.gaps.push(...live.gaps);
    result.evidence.push('cluster');
    result.sources.push({ path: `cluster:${live.summary.context}`, objects: live.resources.length, documents: 0 });
    result.cluster = live.summary;
  }
  return result;
}
