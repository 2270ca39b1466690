/**
 * The parts of an `audit analyze` report that `scan` reports do not have: the timeline, the events
 * no detection could judge, and the JSON document around the shared finding shape. Pure functions.
 */
import { createColors } from 'picocolors';
import { findingJson, gapJson } from '../report/json.js';
import type { AuditLogResult, Timeline } from './result.js';
import { displayBucket } from './time.js';
import { SCHEMA_VERSIONS } from '../schemas/versions.js';

/** Rows of the timeline table; busier logs show the busiest buckets (JSON has them all). */
const MAX_TIMELINE_ROWS = 24;

function bar(n: number, max: number, width: number): string {
  if (max === 0 || n === 0) return '';
  return '█'.repeat(Math.max(1, Math.round((n / max) * width)));
}

/** Events per bucket with a bar, and how many each detection matched in it. */
export function renderTimelineTable(timeline: Timeline, color: boolean): string {
  const c = createColors(color);
  if (timeline.buckets.length === 0) return '';
  const rows = timeline.buckets.length <= MAX_TIMELINE_ROWS
    ? timeline.buckets
    : [...timeline.buckets].sort((a, b) => b.events - a.events || (a.start < b.start ? -1 : 1)).slice(0, MAX_TIMELINE_ROWS).sort((a, b) => (a.start < b.start ? -1 : 1));
  const max = Math.max(...rows.map((r) => r.events));
  const width = String(max).length;
  const heading = timeline.buckets.length <= MAX_TIMELINE_ROWS
    ? `Timeline (events per ${timeline.bucket}, UTC):`
    : `Timeline (events per ${timeline.bucket}, UTC; the ${MAX_TIMELINE_ROWS} busiest of ${timeline.buckets.length}, -o json has all):`;
  const out = [c.bold(heading)];
  for (const row of rows) {
    const detections = Object.entries(row.detections).sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id} ${n}`).join(', ');
    const b = bar(row.events, max, 20);
    const line = `  ${displayBucket(row.start).padEnd(18)} ${String(row.events).padStart(width)} ${c.cyan(b)}${detections ? `${' '.repeat(20 - b.length)}  ${c.yellow(detections)}` : ''}`;
    out.push(line);
  }
  return `${out.join('\n')}\n`;
}

export function renderUnjudgedTable(result: AuditLogResult, color: boolean): string {
  if (result.unjudged.length === 0) return '';
  const c = createColors(color);
  const out = [c.bold('Not judged:')];
  for (const u of result.unjudged) out.push(`  ${u.detection}: ${u.count} event${u.count === 1 ? '' : 's'}, ${u.reason}`);
  return `${out.join('\n')}\n`;
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** What was read from CloudWatch, or scanned by Logs Insights, so a user can judge the cost. */
export function renderCloudWatchSummary(result: AuditLogResult, color: boolean): string {
  const c = createColors(color);
  const out: string[] = [];
  for (const source of result.sources) {
    const w = source.cloudWatch;
    if (w !== undefined) {
      out.push(`  ${w.logGroup}: ${source.events} event${source.events === 1 ? '' : 's'}, ${megabytes(w.bytes)} in ${w.pages} page${w.pages === 1 ? '' : 's'}, ${w.start} to ${w.end}`
        + `${w.filterPattern !== undefined ? `, filtered by CloudWatch (${w.filterPattern})` : ''}${w.skippedByCheckpoint > 0 ? `, ${w.skippedByCheckpoint} already counted by the checkpoint` : ''}`);
    }
    const q = source.insights;
    if (q !== undefined) {
      out.push(`  ${q.logGroup}: Logs Insights scanned ${megabytes(q.bytesScanned)} (${q.recordsScanned} records) in ${q.queries} quer${q.queries === 1 ? 'y' : 'ies'}, ${q.start} to ${q.end}`);
    }
  }
  return out.length > 0 ? `${c.bold('CloudWatch Logs:')}\n${out.join('\n')}\n` : '';
}

/** What the table report adds after the findings: what CloudWatch sent, events no detection could judge, and the timeline. */
export function auditAppendix(result: AuditLogResult, color: boolean): string {
  return [renderCloudWatchSummary(result, color), renderUnjudgedTable(result, color), renderTimelineTable(result.timeline, color)].filter((s) => s !== '').join('\n');
}

/**
 * `-o json` for audit logs: `scan`'s document (docs/json-output.md) with the log sources, the
 * events no detection could judge, and the timeline; each finding has `evidence`.
 */
export function renderAuditJson(result: AuditLogResult, version: string): string {
  return `${JSON.stringify({
    schemaVersion: SCHEMA_VERSIONS['audit-analyze'],
    tool: { name: 'eksguard', version },
    sources: result.sources.map((s) => ({
      path: s.path, format: s.format, compressed: s.compressed, parallel: s.parallel, records: s.records, events: s.events, malformed: s.malformed, notEvents: s.notEvents,
      ...(s.cloudWatch !== undefined ? { cloudWatch: s.cloudWatch } : {}),
      ...(s.insights !== undefined ? { insights: s.insights } : {}),
    })),
    summary: { ...result.summary, events: result.events },
    findings: result.findings.map(findingJson),
    exempted: result.exempted.map(findingJson),
    gaps: result.gaps.map(gapJson),
    notEvaluated: result.notEvaluated,
    unjudged: result.unjudged,
    timeline: result.timeline,
  }, null, 2)}\n`;
}
