/**
 * The fleet summary: a row per cluster (findings by severity, score, gaps), the totals, and every
 * gap (the fleet's own, then each cluster's), as JSON and as a table for the terminal. Pure: rows
 * in, text out. Names and messages come from AWS and the clusters, so on the terminal each goes
 * through the one sanitiser (src/core/terminal-text.ts).
 */
import { SEVERITIES, type Severity } from '../core/finding.js';
import { gapText } from '../core/gap-text.js';
import type { Gap } from '../core/resource.js';
import { terminalText } from '../core/terminal-text.js';
import { displayWidth, wrap } from '../report/terminal-text.js';
import type { ClusterRow } from './run.js';

export const FLEET_SCHEMA_VERSION = 1;

export interface FleetGap {
  /** `fleet`: discovery (an account not assumed, a region not listed); `cluster`: one cluster's scan. */
  readonly scope: 'fleet' | 'cluster';
  readonly account: string | null;
  readonly region: string | null;
  readonly cluster: string | null;
  readonly source: string;
  readonly code: string;
  readonly message: string;
}

export interface FleetReport {
  readonly schemaVersion: number;
  readonly tool: { readonly name: 'eksguard'; readonly version: string };
  readonly generatedAt: string;
  readonly summary: {
    readonly clusters: number;
    readonly accounts: number;
    readonly regions: number;
    readonly findings: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    /** Clusters with at least one gap. */
    readonly clustersWithGaps: number;
    readonly gaps: number;
  };
  readonly clusters: readonly {
    readonly account: string;
    readonly region: string;
    readonly cluster: string;
    readonly arn: string | null;
    readonly findings: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly score: number | null;
    readonly kubernetes: ClusterRow['kubernetes'];
    readonly gaps: number;
    /** The report files written for the cluster. */
    readonly reports: readonly string[];
  }[];
  readonly gaps: readonly FleetGap[];
}

export function fleetReport(rows: readonly ClusterRow[], fleetGaps: readonly Gap[], extras: { readonly version: string; readonly generatedAt: string; readonly reports: (row: ClusterRow) => readonly string[] }): FleetReport {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const row of rows) for (const s of SEVERITIES) bySeverity[s] += row.bySeverity[s];
  const gaps: FleetGap[] = [
    ...fleetGaps.map((g) => ({ scope: 'fleet' as const, account: null, region: null, cluster: null, source: g.source, code: g.code, message: g.message })),
    ...rows.flatMap((row) => row.gaps.map((g) => ({ scope: 'cluster' as const, account: row.account, region: row.region, cluster: row.cluster, source: g.source, code: g.code, message: g.message }))),
  ];
  return {
    schemaVersion: FLEET_SCHEMA_VERSION,
    tool: { name: 'eksguard', version: extras.version },
    generatedAt: extras.generatedAt,
    summary: {
      clusters: rows.length,
      accounts: new Set(rows.map((r) => r.account)).size,
      regions: new Set(rows.map((r) => r.region)).size,
      findings: rows.reduce((n, r) => n + r.findings, 0),
      bySeverity,
      clustersWithGaps: rows.filter((r) => r.gaps.length > 0).length,
      gaps: gaps.length,
    },
    clusters: rows.map((row) => ({
      account: row.account, region: row.region, cluster: row.cluster, arn: row.arn ?? null, findings: row.findings, bySeverity: row.bySeverity,
      score: row.score, kubernetes: row.kubernetes, gaps: row.gaps.length, reports: extras.reports(row),
    })),
    gaps,
  };
}

export function renderFleetJson(report: FleetReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const SEVERITY_HEADERS: Readonly<Record<Severity, string>> = { critical: 'CRIT', high: 'HIGH', medium: 'MED', low: 'LOW', info: 'INFO' };
const RED = '\u001b[31m';
const RESET = '\u001b[0m';

/** `account/region/cluster` of a gap, for the lines under the table. */
function gapScope(gap: FleetGap): string {
  return gap.scope === 'fleet' ? 'fleet' : `${gap.account ?? ''}/${gap.region ?? ''}/${gap.cluster ?? ''}`;
}

/**
 * The table: one row per cluster, numbers right-aligned; the CLUSTER column takes what the terminal
 * leaves and a longer name continues on the next lines. Then the totals, then every gap, wrapped.
 */
export function renderFleetTable(report: FleetReport, options: { readonly width: number; readonly color: boolean }): string {
  const headers = ['ACCOUNT', 'REGION', 'CLUSTER', ...SEVERITIES.map((s) => SEVERITY_HEADERS[s]), 'SCORE', 'GAPS', 'K8S'];
  const rows = report.clusters.map((c) => [
    terminalText(c.account), terminalText(c.region), terminalText(c.cluster),
    ...SEVERITIES.map((s) => String(c.bySeverity[s])), c.score === null ? '-' : String(c.score), String(c.gaps),
    c.kubernetes === 'off' ? '-' : c.kubernetes === 'read' ? 'read' : 'not read',
  ]);
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const others = widths.reduce((n, w, i) => (i === 2 ? n : n + w + 2), 0);
  widths[2] = Math.max(8, Math.min(widths[2] ?? 8, options.width - others - 2));
  const cell = (text: string, i: number) => (i >= 3 && i <= 9 ? text.padStart((widths[i] ?? 0) + text.length - displayWidth(text)) : text + ' '.repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(text))));
  const lines = [headers.map(cell).join('  ').trimEnd()];
  for (const [index, row] of rows.entries()) {
    const name = wrap(row[2] ?? '', widths[2] ?? 8, '');
    const first = row.map((text, i) => cell(i === 2 ? (name[0] ?? '') : text, i)).join('  ').trimEnd();
    const failing = (report.clusters[index]?.bySeverity.critical ?? 0) + (report.clusters[index]?.bySeverity.high ?? 0) > 0;
    lines.push(options.color && failing ? `${RED}${first}${RESET}` : first);
    const indent = ' '.repeat((widths[0] ?? 0) + (widths[1] ?? 0) + 4);
    for (const more of name.slice(1)) lines.push(`${indent}${more}`);
  }
  const s = report.summary;
  lines.push('', ...wrap(`${s.clusters} cluster${s.clusters === 1 ? '' : 's'} in ${s.accounts} account${s.accounts === 1 ? '' : 's'} and ${s.regions} region${s.regions === 1 ? '' : 's'}: ${s.findings} finding${s.findings === 1 ? '' : 's'} (${SEVERITIES.map((sev) => `${s.bySeverity[sev]} ${sev}`).join(', ')}), ${s.gaps} gap${s.gaps === 1 ? '' : 's'}`, options.width, '', '  '));
  if (report.gaps.length > 0) {
    lines.push('', 'Gaps:');
    for (const gap of report.gaps) {
      lines.push(...wrap(`${terminalText(gapScope(gap))}: ${gapText({ source: gap.source, code: gap.code as Gap['code'], message: gap.message })}`, options.width, '  ', '    '));
    }
  }
  return `${lines.join('\n')}\n`;
}
