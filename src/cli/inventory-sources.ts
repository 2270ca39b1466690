/**
 * The inventory of the sources a command is given, read as `scan` reads them: files, directories
 * and `-`, `--aws-dump`, and `--cluster` or `--snapshot` (only the kinds the command needs). Every
 * unreadable input is a gap. Shared by the commands that look at a cluster without running the
 * rules: `rbac`, `generate network-policies`, `incident`.
 */
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Inventory } from '../core/inventory.js';
import type { Gap } from '../core/resource.js';
import { readInventory } from '../scan.js';
import { defaultRules } from './default-rules.js';
import { stdinFor, type Io } from './io.js';
import { liveSources, type LiveSourceFlags } from './live-sources.js';
import { gapLine } from '../core/gap-text.js';

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
  let inventory: Inventory;
  try {
    // scan's own reader: each file once, duplicates merged, conflicting versions a gap (docs/inputs.md).
    ({ inventory } = await readInventory({
      paths: args.paths,
      ...stdinFor(args.paths, io),
      cwd: io.cwd,
      ...(args.awsDump !== undefined ? { awsDump: resolve(io.cwd, args.awsDump) } : {}),
      ...(args.clusterName !== undefined ? { clusterName: args.clusterName } : {}),
      ...(live.cluster !== undefined ? { cluster: { ...live.cluster, ...(options.keepReplicas === true ? { keepReplicas: true } : {}) } } : {}),
      ...(live.snapshot !== undefined ? { snapshot: live.snapshot } : {}),
      kinds: new Set(options.kinds),
    }, defaultRules()));
  } finally {
    live.finish(undefined);
  }
  return { inventory, gaps: [...inventory.gaps, ...inventory.derivedGaps] };
}

export function reportGaps(gaps: readonly Gap[], io: Io): void {
  for (const gap of gaps) io.stderr.write(gapLine(gap));
}
