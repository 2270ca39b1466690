/**
 * Audit events straight from CloudWatch Logs: `FilterLogEvents` pages over the EKS audit streams
 * (`kube-apiserver-audit-*`) of a log group, streamed into the same line consumer that reads files,
 * so the detections see exactly what they would see in an export of the same events. The next page
 * is requested while the current one is analysed; memory holds two pages at most, whatever the
 * volume. Only `api` does I/O.
 */
import type { Gap } from '../../../core/resource.js';
import { emptyStats, LineConsumer, type LogJob } from '../consume.js';
import type { ReadLogsResult } from '../source.js';
import { CheckpointTracker, type Checkpoint } from './checkpoint.js';
import { classifyLogsError, type FilterPage, type LogsApi } from './logs-api.js';
import type { TimeWindow } from './window.js';

/** EKS writes the API server's audit log to streams named `kube-apiserver-audit-<id>`. */
export const AUDIT_STREAM_PREFIX = 'kube-apiserver-audit';
/** Pages read at most from one log group (10,000 events each at most): past it the read stops with a gap. */
export const DEFAULT_MAX_PAGES = 100_000;

export interface CloudWatchReadOptions {
  readonly logGroup: string;
  readonly window: TimeWindow;
  readonly filterPattern?: string;
  readonly checkpoint?: Checkpoint;
  readonly maxPages?: number;
  readonly env: NodeJS.ProcessEnv;
}

export interface CloudWatchReadResult<S> extends ReadLogsResult<S> {
  /** Where the read stopped; saved only when the read was complete. */
  readonly checkpoint?: Checkpoint;
  /** Every page of the window was read. */
  readonly complete: boolean;
}

/** `/aws/eks/NAME/cluster` → NAME. */
export function clusterOfLogGroup(logGroup: string): string | undefined {
  return /^\/aws\/eks\/([^/]+)\/cluster$/.exec(logGroup)?.[1];
}

export function logGroupOfCluster(cluster: string): string {
  return `/aws/eks/${cluster}/cluster`;
}

/** The gap for a failed call on a log group, in words: a missing group means audit logging is off. */
export function logsGap(error: unknown, action: string, logGroup: string, api: Pick<LogsApi, 'region'>, env: NodeJS.ProcessEnv): Gap {
  const failure = classifyLogsError(error, api, env);
  const source = `cloudwatch:${logGroup}`;
  switch (failure.kind) {
    case 'fatal': throw failure.error;
    case 'not-found': {
      const cluster = clusterOfLogGroup(logGroup);
      return {
        source, code: 'NOT_FOUND',
        message: cluster !== undefined
          ? `control-plane audit logging is off for ${cluster}: log group ${logGroup} does not exist in ${api.region} (rule require-control-plane-logging)`
          : `log group ${logGroup} does not exist in ${api.region}`,
      };
    }
    case 'denied': return { source, code: 'AWS_FORBIDDEN', message: `${action} was denied on ${logGroup}: grant it (deploy/iam-policy-audit-logs.json) [${failure.detail}]` };
    case 'throttled': return { source, code: 'AWS_UNAVAILABLE', message: `${action} on ${logGroup} was still throttled after the retries [${failure.detail}]` };
    case 'unavailable': return { source, code: 'AWS_UNAVAILABLE', message: `${action} on ${logGroup} failed [${failure.detail}]` };
    case 'cut': return { source, code: 'AWS_UNAVAILABLE', message: `${action} on ${logGroup} ${failure.words}` };
  }
}

/** One page's messages as JSON lines (a message with a line break inside JSON whitespace stays one line). */
function pageLines(page: FilterPage, tracker: CheckpointTracker, counts: { bytes: number; skipped: number }): string {
  let text = '';
  for (const event of page.events) {
    if (tracker.seen(event.timestamp, event.eventId)) {
      counts.skipped += 1;
      continue;
    }
    tracker.add(event.timestamp, event.eventId);
    counts.bytes += Buffer.byteLength(event.message);
    text += `${event.message.includes('\n') ? event.message.replace(/\r?\n/g, ' ') : event.message}\n`;
  }
  return text;
}

export async function readCloudWatchEvents<S>(api: LogsApi, job: LogJob<S>, options: CloudWatchReadOptions): Promise<CloudWatchReadResult<S>> {
  const { logGroup, window } = options;
  const source = `cloudwatch:${logGroup}`;
  const state = job.init();
  const stats = emptyStats();
  const consumer = new LineConsumer(job, state, stats, source);
  const tracker = new CheckpointTracker(logGroup, options.checkpoint);
  // A checkpoint inside the window moves its start: what came before was read by the previous run.
  const start = Math.max(window.start, options.checkpoint?.timestamp ?? window.start);
  const counts = { bytes: 0, skipped: 0 };
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const gaps: Gap[] = [];
  let pages = 0;
  let complete = false;
  const fetchPage = (nextToken?: string) => api.filterLogEvents({
    logGroupName: logGroup,
    logStreamNamePrefix: AUDIT_STREAM_PREFIX,
    startTime: start,
    // CloudWatch's end time is inclusive; the window's end is not.
    endTime: window.end - 1,
    ...(options.filterPattern !== undefined ? { filterPattern: options.filterPattern } : {}),
    ...(nextToken !== undefined ? { nextToken } : {}),
  });
  let pending: Promise<FilterPage> | undefined = fetchPage();
  try {
    while (pending !== undefined) {
      const page: FilterPage = await pending;
      pages += 1;
      // Fetch ahead: the next page travels while this one is analysed.
      pending = page.nextToken !== undefined && pages < maxPages ? fetchPage(page.nextToken) : undefined;
      const text = pageLines(page, tracker, counts);
      if (text !== '') consumer.push(Buffer.from(text));
      if (page.nextToken !== undefined && pending === undefined) {
        gaps.push({ source, code: 'TOO_LARGE', message: `stopped after ${maxPages} pages of FilterLogEvents; events after ${new Date(tracker.current()?.timestamp ?? start).toISOString()} were not read (narrow --since/--until)` });
      }
    }
    complete = gaps.length === 0;
  } catch (error) {
    gaps.push(logsGap(error, 'logs:FilterLogEvents', logGroup, api, options.env));
  } finally {
    // A page still in flight when the read stopped must not reject unobserved.
    void pending?.catch(() => undefined);
  }
  consumer.end();
  // Lines that were not audit events (an empty window is an answer, not a gap: the summary says 0 events).
  gaps.unshift(...stats.gaps);
  if (stats.omittedGaps > 0) gaps.push({ source, code: 'JSON_SYNTAX', message: `${stats.omittedGaps} more unreadable events (the first ${stats.gaps.length} are listed)` });
  const checkpoint = tracker.current() ?? options.checkpoint;
  return {
    state,
    stats,
    gaps,
    complete,
    ...(checkpoint !== undefined ? { checkpoint } : {}),
    sources: [{
      path: source, format: 'lines', compressed: false, parallel: false,
      records: stats.records, events: stats.events, malformed: stats.malformed, notEvents: stats.notEvents,
      cloudWatch: {
        logGroup,
        start: new Date(start).toISOString(),
        end: new Date(window.end).toISOString(),
        pages,
        bytes: counts.bytes,
        ...(options.filterPattern !== undefined ? { filterPattern: options.filterPattern } : {}),
        skippedByCheckpoint: counts.skipped,
      },
    }],
  };
}
