import { plural } from '../../core/plural.js';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { EMPTY_CONFIG } from '../../engine/config.js';
import { kindsNeeded } from '../../engine/rule-kinds.js';
import { resolveRules } from '../../engine/rule-set.js';
import { builtinRules } from '../../rules/index.js';
import { readInventory } from '../../scan.js';
import { serializeSnapshot, toSnapshot } from '../../snapshot/write.js';
import { VERSION } from '../../version.js';
import { ExitCode, stdinFor, type Io } from '../io.js';
import { prepareOutputFile, writeOutputFile } from '../output-file.js';
import { liveSources, type LiveSourceFlags } from '../live-sources.js';
import { gapLine } from '../../core/gap-text.js';

export interface SnapshotArgs {
  readonly paths: readonly string[];
  readonly outputFile: string;
  /** `--rule`: read only what these rules need (default: what every built-in rule needs, on or off). */
  readonly rules: readonly string[];
  readonly live: LiveSourceFlags;
  readonly awsDump?: string;
  readonly clusterName?: string;
  readonly allowGaps: boolean;
}

/**
 * `eksguard snapshot`: reads the sources a scan would read and saves the Inventory, Secrets as
 * metadata only. A snapshot is for scanning later with any configuration, so by default it holds
 * what every built-in rule needs, not only the rules on by default.
 */
/** The snapshot's `kinds` field: every kind the collector knows is read when a rule is keyed by any object. */
function kindsField(kinds: ReturnType<typeof kindsNeeded>): { kinds?: Iterable<string> } {
  return typeof kinds === 'string' ? {} : { kinds };
}

export async function runSnapshot(args: SnapshotArgs, io: Io): Promise<ExitCode> {
  const live = liveSources(args.live, io);
  if (args.paths.length === 0 && args.awsDump === undefined && !live.any) {
    throw new UsageError('nothing to save', 'Give --cluster, files or directories (- for standard input), or --aws-dump DIR.');
  }
  await prepareOutputFile(resolve(io.cwd, args.outputFile), 'the snapshot');
  const enabled = resolveRules(builtinRules, { config: EMPTY_CONFIG, only: args.rules.length > 0 ? args.rules : Object.keys(builtinRules) });
  const read = await readInventory({
    paths: args.paths,
    ...stdinFor(args.paths, io),
    cwd: io.cwd,
    ...(args.awsDump !== undefined ? { awsDump: resolve(io.cwd, args.awsDump) } : {}),
    ...(args.clusterName !== undefined ? { clusterName: args.clusterName } : {}),
    ...(live.cluster !== undefined ? { cluster: live.cluster } : {}),
    ...(live.snapshot !== undefined ? { snapshot: live.snapshot } : {}),
  }, enabled).catch((error: unknown) => {
    live.finish(undefined);
    throw error;
  });
  live.finish(read.cluster);
  const { inventory } = read;
  const document = toSnapshot({
    objects: inventory.objects,
    gaps: inventory.gaps,
    sources: read.sources,
    evidence: inventory.evidence,
    ...(inventory.aws !== undefined ? { aws: inventory.aws.evidence } : {}),
    // What the live read asked for, so a scan with rules needing more says so instead of passing them.
    ...(live.cluster !== undefined ? kindsField(kindsNeeded(enabled)) : {}),
    toolVersion: VERSION,
    createdAt: new Date().toISOString(),
  });
  // Owner-only: a snapshot holds no Secret values, but it maps the whole cluster.
  await writeOutputFile(resolve(io.cwd, args.outputFile), serializeSnapshot(document), { what: 'the snapshot', mode: 0o600 });
  for (const gap of inventory.gaps) io.stderr.write(gapLine(gap));
  if (!args.live.quiet) {
    const gaps = inventory.gaps.length;
    io.stderr.write(`eksguard: saved ${plural(document.objects.length, 'object')}${gaps > 0 ? ` and ${plural(gaps, 'gap')}` : ''} to ${args.outputFile}\n`);
  }
  return inventory.gaps.length > 0 && !args.allowGaps ? ExitCode.Fatal : ExitCode.Ok;
}
