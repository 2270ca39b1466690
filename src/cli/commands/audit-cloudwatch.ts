/**
 * The CloudWatch side of the audit commands: which log group, which window, the region and
 * credentials, and the checkpoint file (read before the run, written after it, atomically).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { requestLimits } from '../../collect/aws/bounds.js';
import { checkClusterName, checkLogGroupName } from '../../core/eks-names.js';
import { UsageError } from '../../core/errors.js';
import type { EventSource } from '../../audit-log/analyze.js';
import { parseCheckpoint, renderCheckpoint, type Checkpoint } from '../../audit-log/sources/cloudwatch/checkpoint.js';
import { createLogsApi, type LogsApi } from '../../audit-log/sources/cloudwatch/logs-api.js';
import { logGroupOfCluster } from '../../audit-log/sources/cloudwatch/read.js';
import { timeWindow, type TimeWindow } from '../../audit-log/sources/cloudwatch/window.js';
import type { Io } from '../io.js';

export interface CloudWatchArgs {
  readonly clusterNames: readonly string[];
  readonly logGroup?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly roleArn?: string;
  readonly since?: string;
  readonly until?: string;
}

/**
 * With a checkpoint and no `--until`, the window ends this long before now: CloudWatch may still
 * receive events stamped earlier (delivery takes seconds to minutes), and a checkpoint past them
 * would skip them for good. The next run reads them.
 */
export const CHECKPOINT_SETTLE_MS = 5 * 60_000;

export function regionOf(args: Pick<CloudWatchArgs, 'region'>, io: Io, flag: string): string {
  const region = args.region ?? (io.env.AWS_REGION || undefined) ?? (io.env.AWS_DEFAULT_REGION || undefined);
  if (region === undefined) throw new UsageError(`${flag} needs a region`, 'Give --region REGION, or set AWS_REGION.');
  return region;
}

export async function logsApi(args: CloudWatchArgs, io: Io, flag: string): Promise<LogsApi> {
  return createLogsApi({
    region: regionOf(args, io, flag),
    env: io.env,
    limits: requestLimits(),
    ...(args.profile !== undefined ? { profile: args.profile } : {}),
    ...(args.roleArn !== undefined ? { roleArn: args.roleArn } : {}),
  });
}

/** The one log group `--cluster-name` or `--log-group` names. */
export function singleLogGroup(args: CloudWatchArgs): string {
  if (args.logGroup !== undefined && args.clusterNames.length > 0) throw new UsageError('give --cluster-name or --log-group, not both');
  if (args.logGroup !== undefined) return checkLogGroupName('--log-group', args.logGroup);
  if (args.clusterNames.length !== 1) {
    throw new UsageError(args.clusterNames.length === 0 ? '--cloudwatch needs --cluster-name NAME or --log-group GROUP' : '--cloudwatch reads one cluster: give one --cluster-name', 'For many clusters, run eksguard audit queries --run (Logs Insights).');
  }
  return logGroupOfCluster(checkClusterName('--cluster-name', args.clusterNames[0] ?? ''));
}

export async function readCheckpointFile(file: string, cwd: string, logGroup: string): Promise<Checkpoint | undefined> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`--checkpoint ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseCheckpoint(text, file, logGroup);
}

/** Written beside the target, then renamed over it: a run that dies leaves the old checkpoint whole. */
export async function writeCheckpointFile(file: string, cwd: string, checkpoint: Checkpoint): Promise<void> {
  const target = resolve(cwd, file);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, renderCheckpoint(checkpoint));
    await rename(temporary, target);
  } catch (error) {
    throw new UsageError(`--checkpoint ${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'The report was written; the next run will read this window again.');
  }
}

export function windowOf(args: CloudWatchArgs, withCheckpoint: boolean, now: number): TimeWindow {
  const window = timeWindow(args.since, args.until, now);
  if (!withCheckpoint || args.until !== undefined) return window;
  return { start: window.start, end: Math.max(window.start + 1, window.end - CHECKPOINT_SETTLE_MS) };
}

export async function cloudWatchSource(args: CloudWatchArgs, checkpointFile: string | undefined, io: Io): Promise<EventSource> {
  const logGroup = singleLogGroup(args);
  const window = windowOf(args, checkpointFile !== undefined, Date.now());
  const checkpoint = checkpointFile !== undefined ? await readCheckpointFile(checkpointFile, io.cwd, logGroup) : undefined;
  const api = await logsApi(args, io, '--cloudwatch');
  return { kind: 'cloudwatch', api, logGroup, window, env: io.env, ...(checkpoint !== undefined ? { checkpoint } : {}) };
}
