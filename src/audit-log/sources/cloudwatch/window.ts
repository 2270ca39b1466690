/**
 * The time window of a CloudWatch read: `--since 24h` / `7d` / `90m` / an ISO time, `--until` an
 * ISO time or a duration before now (default now). Pure: `now` is given.
 */
import { UsageError } from '../../../core/errors.js';

export interface TimeWindow {
  /** Inclusive, milliseconds since the epoch (CloudWatch's unit). */
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+)(s|m|h|d|w)$/;
/** ISO 8601 date or date-time; a time without a zone is read as UTC, as CloudWatch shows times. */
const ISO = /^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?$/;

/** A duration (`24h`) in milliseconds, or undefined when the text is not one. */
export function durationMs(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (m === null) return undefined;
  return Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 1_000);
}

/** A point in time from `--since`/`--until`: a duration before `now`, or an ISO time. */
export function pointInTime(flag: string, text: string, now: number): number {
  const duration = durationMs(text);
  if (duration !== undefined) return now - duration;
  const trimmed = text.trim();
  if (ISO.test(trimmed)) {
    const zoned = /T|\s/.test(trimmed) && !/(Z|[+-]\d\d:?\d\d)$/.test(trimmed) ? `${trimmed.replace(' ', 'T')}Z` : trimmed;
    const ms = Date.parse(zoned);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new UsageError(`${flag} ${text}: expected a duration (30m, 24h, 7d, 2w) or an ISO time (2026-12-01T00:00:00Z)`);
}

export function timeWindow(since: string | undefined, until: string | undefined, now: number): TimeWindow {
  if (since === undefined) throw new UsageError('--since is required with --cloudwatch', 'Say how far back to read: --since 24h, --since 7d, or an ISO time.');
  const start = pointInTime('--since', since, now);
  const end = until === undefined ? now : pointInTime('--until', until, now);
  if (start >= end) throw new UsageError(`the window is empty: --since ${since} is not before --until ${until ?? 'now'}`);
  return { start, end };
}
