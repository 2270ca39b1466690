/**
 * The inventory of the sources a command is given, read as `scan` reads them: files, directories
 * and `-`, `--aws-dump`, and `--cluster` or `--snapshot` (only the kinds the command needs). Every
 * unreadable input is a gap. Shared by the commands that look at a cluster without running the
 * rules: `rbac`, `generate network-policies`, `incident`.
 */
import { resolve } from 'node:path';
import { readAwsDump } from '../collect/aws-dump/read-dump.js';
import { readManifestSources } from '../collect/files/read-sources.js';
import { readKubeSources } from '../collect/kube-sources.js';
import type { AwsEvidence } from '../core/aws/model.js';
import { UsageError } from '../core/errors.js';
import { Inventory, type Evidence } from '../core/inventory.js';
import type { Gap, KubeResource } from '../core/resource.js';
import type { Io } from './io.js';
import { liveSources, type LiveSourceFlags } from './live-sources.js';

export interface SourceArgs {
  readonly paths: readonly string[];
  readonly awsDump?: string;
  readonly clusterName?: string;
  /** `--cluster` (with --context, --kubeconfig), `--snapshot`, `--quiet`. */
  readonly live?: LiveSourceFlags;
}

export interface SourceReadOptions {
  /** The kinds a live collection reads. */
  readonly kinds: readonly string[];
  /** The hint of the usage error when nothing is given to read. */
  readonly hint: string;
  /** Keep every replica a live collection reads, not one per controller (commands about pods). */
  readonly keepReplicas?: boolean;
}

export async function readSourcesInventory(args: SourceArgs, io: Io, options: SourceReadOptions): Promise<{ inventory: Inventory; gaps: Gap[] }> {
  const live = liveSources(args.live, io);
  if (args.paths.length === 0 && args.awsDump === undefined && !live.any) throw new UsageError('nothing to read', options.hint);
  if (args.clusterName !== undefined && args.awsDump === undefined) throw new UsageError('--cluster-name needs AWS evidence', 'Give --aws-dump DIR as well.');
  const gaps: Gap[] = [];
  const evidence: Evidence[] = [];
  const resources: KubeResource[] = [];
  if (args.paths.length > 0) {
    const read = await readManifestSources(args.paths, { stdin: io.stdin });
    resources.push(...read.resources);
    gaps.push(...read.gaps);
    evidence.push('manifests');
    if (read.resources.length === 0 && read.gaps.length === 0) gaps.push({ source: args.paths.join(', '), code: 'NO_INPUT', message: 'no Kubernetes objects found in the input' });
  }
  let aws: AwsEvidence | undefined;
  if (args.awsDump !== undefined) {
    const dump = await readAwsDump(resolve(io.cwd, args.awsDump), { ...(args.clusterName !== undefined ? { clusterName: args.clusterName } : {}), cwd: io.cwd });
    aws = dump.evidence;
    gaps.push(...dump.gaps);
  }
  if (live.any) {
    let kube: Awaited<ReturnType<typeof readKubeSources>>;
    try {
      kube = await readKubeSources({
        ...(live.cluster !== undefined ? { cluster: { ...live.cluster, ...(options.keepReplicas === true ? { keepReplicas: true } : {}) } } : {}),
        ...(live.snapshot !== undefined ? { snapshot: live.snapshot } : {}),
        kinds: new Set(options.kinds),
      });
    } finally {
      live.finish(undefined);
    }
    resources.push(...kube.resources);
    gaps.push(...kube.gaps);
    evidence.push(...kube.evidence);
    aws ??= kube.aws;
  }
  const inventory = new Inventory(resources, gaps, evidence, aws);
  return { inventory, gaps: [...gaps, ...inventory.derivedGaps] };
}

export function reportGaps(gaps: readonly Gap[], io: Io): void {
  for (const gap of gaps) io.stderr.write(`eksguard: ${gap.source}${gap.line !== undefined ? `:${gap.line}` : ''}: ${gap.message}\n`);
}
