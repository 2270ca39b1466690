/**
 * The fleet path: each selected detection's Logs Insights query (artefacts/queries.ts) started
 * where the logs are, over every cluster's log group, many at a time within the service's
 * concurrency limit, polled to completion, and read back as findings of the same detection ids.
 * Nothing is downloaded but the result rows; the bytes Insights scanned are reported for cost.
 */
import pLimit from 'p-limit';
import type { Finding } from '../../../core/finding.js';
import type { Gap } from '../../../core/resource.js';
import type { InsightsQuery } from '../../artefacts/queries.js';
import { logsGap } from './read.js';
import type { LogsApi, QueryResults, QueryStatus } from './logs-api.js';
import { classifyLogsError } from './logs-api.js';
import type { TimeWindow } from './window.js';

/** Logs Insights runs 30 queries at once per account and region (Standard log class); leave room for people at the console. */
export const DEFAULT_CONCURRENCY = 10;
export const DEFAULT_POLL_MS = 1_000;
/** Insights itself stops a query after 60 minutes; a fleet run gives each query this long. */
export const DEFAULT_QUERY_DEADLINE_MS = 15 * 60_000;
/** Rows returned per query; the findings cite the top few. */
export const DEFAULT_ROW_LIMIT = 1_000;
/** `StartQuery` refused for too many running queries: tried again this often, waiting longer each time. */
const START_ATTEMPTS = 6;

export interface ClusterLogGroup {
  readonly cluster: string;
  readonly logGroup: string;
}

export interface InsightsRunOptions {
  readonly api: LogsApi;
  readonly targets: readonly ClusterLogGroup[];
  readonly queries: readonly InsightsQuery[];
  readonly window: TimeWindow;
  readonly env: NodeJS.ProcessEnv;
  readonly concurrency?: number;
  readonly pollMs?: number;
  readonly deadlineMs?: number;
  readonly rowLimit?: number;
  /** Waits between polls (injected so tests need not wait). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export interface QueryRun {
  readonly detection: string;
  readonly target: ClusterLogGroup;
  readonly results?: QueryResults;
  readonly gap?: Gap;
}

const TERMINAL: ReadonlySet<QueryStatus> = new Set(['Complete', 'Failed', 'Cancelled', 'Timeout', 'Unknown']);

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function startWithBackoff(options: InsightsRunOptions, target: ClusterLogGroup, query: InsightsQuery, sleep: (ms: number) => Promise<void>): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await options.api.startQuery({
        logGroupName: target.logGroup,
        startTime: options.window.start,
        endTime: options.window.end,
        queryString: query.query,
        limit: options.rowLimit ?? DEFAULT_ROW_LIMIT,
      });
    } catch (error) {
      if (attempt >= START_ATTEMPTS || classifyLogsError(error, options.api, options.env).kind !== 'throttled') throw error;
      await sleep(Math.min(30_000, 1_000 * 2 ** attempt));
    }
  }
}

async function runOne(options: InsightsRunOptions, target: ClusterLogGroup, query: InsightsQuery, sleep: (ms: number) => Promise<void>, now: () => number): Promise<QueryRun> {
  const base = { detection: query.detection, target };
  let queryId: string;
  try {
    queryId = await startWithBackoff(options, target, query, sleep);
  } catch (error) {
    return { ...base, gap: logsGap(error, 'logs:StartQuery', target.logGroup, options.api, options.env) };
  }
  const deadline = now() + (options.deadlineMs ?? DEFAULT_QUERY_DEADLINE_MS);
  for (;;) {
    await sleep(options.pollMs ?? DEFAULT_POLL_MS);
    let results: QueryResults;
    try {
      results = await options.api.getQueryResults(queryId);
    } catch (error) {
      return { ...base, gap: logsGap(error, 'logs:GetQueryResults', target.logGroup, options.api, options.env) };
    }
    if (results.status === 'Complete') return { ...base, results };
    if (TERMINAL.has(results.status)) {
      return { ...base, gap: { source: `cloudwatch:${target.logGroup}`, code: 'AWS_UNAVAILABLE', message: `Logs Insights query of ${query.detection} ended ${results.status} (query ${queryId}); its findings are missing` } };
    }
    if (now() >= deadline) {
      // Stop it: a query left running keeps scanning, and is billed for it.
      await options.api.stopQuery(queryId).catch(() => undefined);
      const ms = options.deadlineMs ?? DEFAULT_QUERY_DEADLINE_MS;
      const limit = ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${ms / 1000} s`;
      return { ...base, gap: { source: `cloudwatch:${target.logGroup}`, code: 'AWS_UNAVAILABLE', message: `Logs Insights query of ${query.detection} did not finish within ${limit} and was stopped (query ${queryId}); narrow --since` } };
    }
  }
}

/** Every query over every target, `concurrency` at a time; results in target, then query order. */
export async function runInsightsQueries(options: InsightsRunOptions): Promise<QueryRun[]> {
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const jobs = options.targets.flatMap((target) => options.queries.map((query) => limit(() => runOne(options, target, query, sleep, now))));
  return Promise.all(jobs);
}

/** Stats columns of the queries that count events (artefacts/queries.ts names them). */
const COUNT_FIELDS = ['denied', 'requests', 'sessions', 'created', 'changes', 'reads'];
/** Result rows a finding cites. */
const EVIDENCE_ROWS = 10;
/** Rows its message names. */
const MESSAGE_ROWS = 3;

function rowCount(row: Readonly<Record<string, string>>): number {
  for (const field of COUNT_FIELDS) {
    const value = row[field];
    if (value !== undefined && /^\d+$/.test(value)) return Number(value);
  }
  return 1;
}

function describeRow(row: Readonly<Record<string, string>>): string {
  return Object.entries(row).map(([field, value]) => `${field}=${value}`).join(' ');
}

export interface DetectionInfo {
  readonly title: string;
  readonly remediation: string;
  readonly severity: Finding['severity'];
}

/** A run with result rows as a finding of its detection, about the cluster whose log it read. */
export function insightsFinding(run: QueryRun, info: DetectionInfo, region: string): Finding | undefined {
  const rows = run.results?.rows ?? [];
  if (rows.length === 0) return undefined;
  const count = rows.reduce((sum, row) => sum + rowCount(row), 0);
  const top = rows.slice(0, MESSAGE_ROWS).map(describeRow).join('; ');
  return {
    ruleId: run.detection,
    messageId: 'insights',
    message: `${count} matching event${count === 1 ? '' : 's'} in ${rows.length} group${rows.length === 1 ? '' : 's'} (Logs Insights over ${run.target.logGroup}); top: ${top}`,
    severity: info.severity,
    area: 'audit',
    title: info.title,
    remediation: info.remediation,
    resource: { provider: 'aws', service: 'eks', type: 'cluster', region, name: run.target.cluster },
    path: [],
    origin: `cloudwatch:${run.target.logGroup}`,
    evidence: { events: [], count, rows: rows.slice(0, EVIDENCE_ROWS) },
  };
}
