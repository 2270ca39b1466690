/**
 * The source flags `scan` and `snapshot` share beyond paths: `--cluster` (with `--context`,
 * `--kubeconfig`, `--namespace`) and `--snapshot`, checked, resolved against the working
 * directory, and the progress line a long collection shows on a terminal; and the deadlines of
 * network reads (`--timeout`, `--request-timeout`, docs/limits.md), which `--aws` shares.
 */
import { resolve } from 'node:path';
import { DEFAULT_RUN_TIMEOUT_MS, startRunDeadline } from '../collect/deadline.js';
import type { ClusterSourceOptions } from '../collect/kube-sources.js';
import type { ClusterSummary, CollectProgress } from '../collect/kube/collect.js';
import { UsageError } from '../core/errors.js';
import { parseDuration } from './duration.js';
import type { Io } from './io.js';
import { terminalText } from '../core/terminal-text.js';

export interface LiveSourceFlags {
  readonly cluster: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly namespaces: readonly string[];
  readonly snapshot?: string;
  /** `--quiet`: no progress line, no summary line. */
  readonly quiet: boolean;
  /** `--timeout`: the run's network reads end by then (default 10 min). */
  readonly timeoutMs: number;
  /** `--request-timeout`: how long one request may wait for its next byte (default: the collectors' own, 30 s). */
  readonly requestTimeoutMs?: number;
  /** `--kubelet-config`: read each node's kubelet configuration too (needs `nodes/proxy`; docs/cluster.md). */
  readonly kubeletConfig: boolean;
}

export interface LiveSources {
  readonly cluster?: ClusterSourceOptions;
  readonly snapshot?: string;
  /** Whether any live source (cluster or snapshot) is given. */
  readonly any: boolean;
  /** The run's deadline (`--timeout`), started when the flags were read; for `--aws` too. */
  readonly signal?: AbortSignal;
  readonly requestTimeoutMs?: number;
  /** Clears the progress line and says what the collection read. */
  finish(summary: ClusterSummary | undefined): void;
}

const CLEAR_LINE = '\r\u001b[2K';

/** Commander's raw options to flags (`-n` repeatable or comma-separated). */
export function liveSourceFlags(opts: {
  cluster?: boolean; context?: string; kubeconfig?: string; namespace?: string[]; snapshot?: string; quiet?: boolean; timeout?: string; requestTimeout?: string;
  kubeletConfig?: boolean;
}): LiveSourceFlags {
  return {
    timeoutMs: opts.timeout !== undefined ? parseDuration(opts.timeout, '--timeout') : DEFAULT_RUN_TIMEOUT_MS,
    ...(opts.requestTimeout !== undefined ? { requestTimeoutMs: parseDuration(opts.requestTimeout, '--request-timeout') } : {}),
    cluster: opts.cluster === true,
    ...(opts.context !== undefined ? { context: opts.context } : {}),
    ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}),
    namespaces: opts.namespace ?? [],
    ...(opts.snapshot !== undefined ? { snapshot: opts.snapshot } : {}),
    quiet: opts.quiet === true,
    kubeletConfig: opts.kubeletConfig === true,
  };
}

function progressLine(progress: CollectProgress): string {
  const of = progress.total > 1 ? ` ${progress.done}/${progress.total}` : '';
  return `eksguard: reading ${progress.resource}${of}, ${progress.objects.toLocaleString('en-US')} objects (${progress.readsDone}/${progress.readsTotal} reads)`;
}

export function liveSources(flags: LiveSourceFlags | undefined, io: Io): LiveSources {
  if (flags === undefined) return { any: false, finish: () => undefined };
  if (!flags.cluster) {
    const stray = [flags.context !== undefined ? '--context' : '', flags.kubeconfig !== undefined ? '--kubeconfig' : '', flags.namespaces.length > 0 ? '--namespace' : '', flags.kubeletConfig ? '--kubelet-config' : ''].filter((f) => f !== '');
    if (stray.length > 0) throw new UsageError(`${stray.join(', ')} ${stray.length === 1 ? 'applies' : 'apply'} to the live cluster: add --cluster`);
  } else if (flags.snapshot !== undefined) {
    throw new UsageError('--snapshot scans a saved snapshot instead of the live cluster: give --cluster or --snapshot, not both');
  }
  const showProgress = flags.cluster && !flags.quiet && io.stderr.isTTY === true;
  let shown = false;
  const deadline = startRunDeadline(flags.timeoutMs);
  const requestTimeout = flags.requestTimeoutMs !== undefined ? { requestTimeoutMs: flags.requestTimeoutMs } : {};
  const cluster: ClusterSourceOptions | undefined = flags.cluster
    ? {
        signal: deadline.signal,
        ...(flags.requestTimeoutMs !== undefined ? { timeoutMs: flags.requestTimeoutMs } : {}),
        ...(flags.kubeconfig !== undefined ? { kubeconfig: resolve(io.cwd, flags.kubeconfig) } : {}),
        ...(flags.context !== undefined ? { context: flags.context } : {}),
        ...(flags.namespaces.length > 0 ? { namespaces: flags.namespaces } : {}),
        ...(flags.kubeletConfig ? { kubeletConfig: true } : {}),
        env: io.env,
        ...(showProgress
          ? {
              onProgress: (progress: CollectProgress) => {
                shown = true;
                io.stderr.write(`${CLEAR_LINE}${progressLine(progress)}`);
              },
            }
          : {}),
      }
    : undefined;
  return {
    ...(cluster !== undefined ? { cluster } : {}),
    ...(flags.snapshot !== undefined ? { snapshot: resolve(io.cwd, flags.snapshot) } : {}),
    any: cluster !== undefined || flags.snapshot !== undefined,
    signal: deadline.signal,
    ...requestTimeout,
    finish: (summary) => {
      deadline.stop();
      if (shown) io.stderr.write(CLEAR_LINE);
      if (showProgress && summary !== undefined) {
        io.stderr.write(`eksguard: read ${summary.objects.toLocaleString('en-US')} objects from context ${terminalText(summary.context)} (${terminalText(summary.server)}) in ${summary.requests} requests\n`);
      }
    },
  };
}
