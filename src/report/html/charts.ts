/**
 * Inline SVG charts for the HTML page: horizontal bars (findings by severity, area, namespace,
 * rule) and, for audit logs, a timeline with one lane per detection. Colours come from CSS
 * classes, so dark mode and print restyle them. Every label is escaped. Pure.
 */
import type { Timeline } from '../../audit-log/result.js';
import { escapeHtml } from './escape.js';

export interface Bar {
  readonly label: string;
  readonly count: number;
  /** A CSS class for the bar (`sev-high`); `bar` otherwise. */
  readonly tone?: string;
}

const BAR_HEIGHT = 18;
const LABEL_WIDTH = 185;
const CHART_WIDTH = 420;
const MAX_LABEL = 24;

function clip(label: string): string {
  return label.length <= MAX_LABEL ? label : `${label.slice(0, MAX_LABEL - 1)}…`;
}

/** A bar chart; an empty list gives a chart that says so, so the grid of charts keeps its shape. */
export function barChart(title: string, bars: readonly Bar[]): string {
  const max = Math.max(1, ...bars.map((b) => b.count));
  const height = Math.max(1, bars.length) * (BAR_HEIGHT + 6) + 6;
  const room = CHART_WIDTH - LABEL_WIDTH - 50;
  const rows = bars.map((b, i) => {
    const y = 6 + i * (BAR_HEIGHT + 6);
    const w = b.count === 0 ? 0 : Math.max(2, Math.round((b.count / max) * room));
    return `<g><title>${escapeHtml(`${b.label}: ${b.count}`)}</title>`
      + `<text class="chart-label" x="${LABEL_WIDTH - 6}" y="${y + 13}" text-anchor="end">${escapeHtml(clip(b.label))}</text>`
      + `<rect class="${escapeHtml(b.tone ?? 'bar')}" x="${LABEL_WIDTH}" y="${y}" width="${w}" height="${BAR_HEIGHT}" rx="2"></rect>`
      + `<text class="chart-value" x="${LABEL_WIDTH + w + 6}" y="${y + 13}">${b.count}</text></g>`;
  }).join('');
  const empty = bars.length === 0 ? `<text class="chart-label" x="6" y="20">none</text>` : '';
  return `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption>`
    + `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}">${rows}${empty}</svg></figure>`;
}

/** The `limit` largest counts of a tally, largest first (ties by label). */
export function topBars(counts: ReadonlyMap<string, number>, limit: number): Bar[] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit).map(([label, count]) => ({ label, count }));
}

const LANE_HEIGHT = 22;
const TIMELINE_WIDTH = 860;
const TIMELINE_LABEL = 210;

/**
 * Events per bucket on top, then one lane per detection with a bar in each bucket where it
 * matched events (taller for more): when each detection fired, against the log's traffic.
 */
export function timelineChart(timeline: Timeline): string {
  const buckets = timeline.buckets;
  if (buckets.length === 0) return '';
  const detections = [...new Set(buckets.flatMap((b) => Object.keys(b.detections)))].sort();
  const lanes = ['all events', ...detections];
  const room = TIMELINE_WIDTH - TIMELINE_LABEL - 10;
  const step = room / buckets.length;
  const height = lanes.length * (LANE_HEIGHT + 4) + 24;
  const parts: string[] = [];
  lanes.forEach((lane, i) => {
    const y = 4 + i * (LANE_HEIGHT + 4);
    const counts = buckets.map((b) => (i === 0 ? b.events : b.detections[lane] ?? 0));
    const max = Math.max(1, ...counts);
    parts.push(`<text class="chart-label" x="${TIMELINE_LABEL - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(clip(lane))}</text>`);
    parts.push(`<rect class="lane" x="${TIMELINE_LABEL}" y="${y}" width="${room}" height="${LANE_HEIGHT}"></rect>`);
    counts.forEach((n, j) => {
      if (n === 0) return;
      const h = Math.max(2, Math.round((n / max) * LANE_HEIGHT));
      const x = (TIMELINE_LABEL + j * step).toFixed(1);
      parts.push(`<rect class="${i === 0 ? 'bar' : 'sev-high'}" x="${x}" y="${y + LANE_HEIGHT - h}" width="${Math.max(1, step - 1).toFixed(1)}" height="${h}"><title>${escapeHtml(`${lane}, ${buckets[j]?.start ?? ''}: ${n}`)}</title></rect>`);
    });
  });
  const axisY = height - 6;
  const first = buckets[0]?.start ?? '';
  const last = buckets[buckets.length - 1]?.start ?? '';
  parts.push(`<text class="chart-label" x="${TIMELINE_LABEL}" y="${axisY}">${escapeHtml(first)}</text>`);
  parts.push(`<text class="chart-label" x="${TIMELINE_WIDTH - 10}" y="${axisY}" text-anchor="end">${escapeHtml(last)}</text>`);
  const title = `Timeline: events per ${timeline.bucket} (UTC), and per detection`;
  return `<figure class="chart wide"><figcaption>${escapeHtml(title)}</figcaption><svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${TIMELINE_WIDTH} ${height}" width="${TIMELINE_WIDTH}" height="${height}">${parts.join('')}</svg></figure>`;
}
