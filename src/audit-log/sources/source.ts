/**
 * What every source of audit events (files and standard input, CloudWatch Logs) hands the one
 * analyzer: the job's state after reading, the counts, a summary per source, and the gaps.
 */
import type { Gap } from '../../core/resource.js';
import type { ReadStats } from './consume.js';

/** Where events were read from CloudWatch Logs, and how much was transferred (for cost). */
export interface CloudWatchReadSummary {
  readonly logGroup: string;
  /** The time window read, as ISO times (start inclusive, end exclusive). */
  readonly start: string;
  readonly end: string;
  /** `FilterLogEvents` pages fetched. */
  readonly pages: number;
  /** Bytes of event messages received. */
  readonly bytes: number;
  /** The filter pattern pushed down to CloudWatch, when the selected detections allowed one. */
  readonly filterPattern?: string;
  /** Events skipped because the checkpoint had counted them already. */
  readonly skippedByCheckpoint: number;
}

export interface LogSource {
  /** The file, `-` for standard input, or `cloudwatch:<log group>`. */
  readonly path: string;
  readonly format: 'lines' | 'documents';
  readonly compressed: boolean;
  /** Read on two threads. */
  readonly parallel: boolean;
  readonly records: number;
  readonly events: number;
  readonly malformed: number;
  readonly notEvents: number;
  readonly cloudWatch?: CloudWatchReadSummary;
  readonly insights?: InsightsSummary;
}

/** What Logs Insights scanned for one log group (`audit queries --run`): nothing was downloaded. */
export interface InsightsSummary {
  readonly logGroup: string;
  readonly start: string;
  readonly end: string;
  readonly queries: number;
  readonly bytesScanned: number;
  readonly recordsScanned: number;
}

export interface ReadLogsResult<S> {
  readonly state: S;
  /** Events per minute over all sources, and the totals. */
  readonly stats: ReadStats;
  readonly sources: readonly LogSource[];
  readonly gaps: readonly Gap[];
}
