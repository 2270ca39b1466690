/**
 * The parts of an `audit analyze` report that `scan` reports do not have: the timeline, the events
 * no detection could judge, and the JSON document around the shared finding shape. Pure functions.
 */
import { createColors } from 'picocolors';
import { findingJson, gapJson, type ReportContext } from '../report/json.js';
import { renderTable } from '../report/table.js';
import type { AuditLogResult, Timeline } from './result.js';
import { displayBucket } from './time.js';
import { SCHEMA_VERSIONS } from '../schemas/versions.js';
import { wrapText } from '../report/terminal-text.js';

/** Rows of the timeline table; busier logs show the busiest buckets (JSON and `-v` have them all). */
const MAX_TIMELINE_ROWS = 24;
const BAR_WIDTH = 20;
/** Fewest columns the counts per detection keep beside the bar; narrower, they go under the row. */
const MIN_LAST_COLUMN = 30;

/** How the appendix is drawn: as the findings table above it (src/report/table.ts). */
export interface AppendixStyle {
  readonly color: boolean;
  /** Columns to wrap to (100 when not given, 40 at least, as the findings table). */
  readonly width?: number;
  /** `-v`: every bucket of the timeline, not only the busiest. */
  readonly verbose?: boolean;
}

const widthOf = (style: AppendixStyle): number => Math.max(40, style.width ?? 100);

function bar(n: number, max: number, width: number): string {
  if (max === 0 || n === 0) return '';
  return '█'.repeat(Math.max(1, Math.round((n / max) * width)));
}

/** Events per bucket with a bar, and how many each detection matched in it; wrapped to the width like every table. */
export function renderTimelineTable(timeline: Timeline, style: AppendixStyle): string {
  const c = createColors(style.color);
  if (timeline.buckets.length === 0) return '';
  const all = style.verbose === true || timeline.buckets.length <= MAX_TIMELINE_ROWS;
  const rows = all
    ? timeline.buckets
    : [...timeline.buckets].sort((a, b) => b.events - a.events || (a.start < b.start ? -1 : 1)).slice(0, MAX_TIMELINE_ROWS).sort((a, b) => (a.start < b.start ? -1 : 1));
  const max = Math.max(...rows.map((r) => r.events));
  const digits = String(max).length;
  const heading = all
    ? `Timeline (events per ${timeline.bucket}, UTC):`
    : `Timeline (events per ${timeline.bucket}, UTC; the ${MAX_TIMELINE_ROWS} busiest of ${timeline.buckets.length}, -v or -o json has all):`;
  const width = widthOf(style);
  const out = wrapText(heading, width, '', '  ', c.bold);
  for (const row of rows) {
    const b = bar(row.events, max, BAR_WIDTH);
    const lead = `  ${displayBucket(row.start).padEnd(18)} ${String(row.events).padStart(digits)} `;
    const detections = Object.entries(row.detections).sort((x, y) => y[1] - x[1]).map(([id, n]) => `${id} ${n}`).join(', ');
    if (detections === '') { out.push(`${lead}${c.cyan(b)}`); continue; }
    // The counts per detection beside the bar when they have room, else under the row (as every table's last column).
    const at = lead.length + BAR_WIDTH + 2;
    const beside = width - at >= MIN_LAST_COLUMN;
    const text = wrapText(detections, width, beside ? ' '.repeat(at) : '      ', beside ? ' '.repeat(at) : '      ', c.yellow);
    if (beside) out.push(`${lead}${c.cyan(b)}${' '.repeat(BAR_WIDTH - b.length + 2)}${(text[0] ?? '').slice(at)}`, ...text.slice(1));
    else out.push(`${lead}${c.cyan(b)}`, ...text);
  }
  return `${out.join('\n')}\n`;
}

export function renderUnjudgedTable(result: AuditLogResult, style: AppendixStyle): string {
  if (result.unjudged.length === 0) return '';
  const c = createColors(style.color);
  const out = [c.bold('Not judged:')];
  for (const u of result.unjudged) out.push(...wrapText(`${u.detection}: ${u.count} event${u.count === 1 ? '' : 's'}, ${u.reason}`, widthOf(style), '  ', '    '));
  return `${out.join('\n')}\n`;
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** What was read from CloudWatch, or scanned by Logs Insights, so a user can judge the cost. */
export function renderCloudWatchSummary(result: AuditLogResult, style: AppendixStyle): string {
  const c = createColors(style.color);
  const out: string[] = [];
  const line = (text: string): void => { out.push(...wrapText(text, widthOf(style), '  ', '    ')); };
  for (const source of result.sources) {
    const w = source.cloudWatch;
    if (w !== undefined) {
      line(`${w.logGroup}: ${source.events} event${source.events === 1 ? '' : 's'}, ${megabytes(w.bytes)} in ${w.pages} page${w.pages === 1 ? '' : 's'}, ${w.start} to ${w.end}`
        + `${w.filterPattern !== undefined ? `, filtered by CloudWatch (${w.filterPattern})` : ''}${w.skippedByCheckpoint > 0 ? `, ${w.skippedByCheckpoint} already counted by the checkpoint` : ''}`);
    }
    const q = source.insights;
    if (q !== undefined) {
      line(`${q.logGroup}: Logs Insights scanned ${megabytes(q.bytesScanned)} (${q.recordsScanned} records) in ${q.queries} quer${q.queries === 1 ? 'y' : 'ies'}, ${q.start} to ${q.end}`);
    }
  }
  return out.length > 0 ? `${c.bold('CloudWatch Logs:')}\n${out.join('\n')}\n` : '';
}

/** What the table report adds after the findings: what CloudWatch sent, events no detection could judge, and the timeline. */
export function auditAppendix(result: AuditLogResult, style: AppendixStyle): string {
  return [renderCloudWatchSummary(result, style), renderUnjudgedTable(result, style), renderTimelineTable(result.timeline, style)].filter((s) => s !== '').join('\n');
}

/**
 * `audit analyze -o table` (and `audit queries --run`): scan's table of findings, each with its
 * detection's docs link under `-v` as a scan finding has its rule's, then the appendix above.
 */
export function renderAuditTable(result: AuditLogResult, context: ReportContext, style: AppendixStyle): string {
  const docs = new Map(result.detections.map((d) => [d.rule.id, d.rule.meta.docs.url]));
  return renderTable(result, context, { ...style, noun: 'event', checker: 'detection', docs, appendix: auditAppendix(result, style) });
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
