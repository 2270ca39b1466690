/** The fleet summary: totals, gaps of the fleet and of each cluster, and the terminal table (width, sanitised names). */
import { describe, expect, it } from 'vitest';
import type { Gap } from '../../src/core/resource.js';
import { displayWidth } from '../../src/report/terminal-text.js';
import type { ClusterRow } from '../../src/fleet/run.js';
import { fleetReport, renderFleetJson, renderFleetTable } from '../../src/fleet/summary.js';

const row = (cluster: string, overrides: Partial<ClusterRow> = {}): ClusterRow => ({
  account: '111122223333', region: 'eu-west-1', cluster, findings: 3, bySeverity: { critical: 1, high: 1, medium: 1, low: 0, info: 0 },
  score: 80, kubernetes: 'read', gaps: [], ...overrides,
});
const accountGap: Gap = { source: 'account 777788889999', code: 'AWS_FORBIDDEN', message: 'cannot assume arn:aws:iam::777788889999:role/audit' };
const clusterGap: Gap = { source: 'cluster:arn', code: 'KUBE_FORBIDDEN', message: 'the API server of cluster b refused the audit identity' };

function report(rows: ClusterRow[]) {
  return fleetReport(rows, [accountGap], { version: '9.9.9', generatedAt: '2026-12-07T12:00:00.000Z', reports: (r) => [`/r/${r.cluster}.json`] });
}

describe('fleet summary', () => {
  it('adds up the clusters, and lists the fleet\'s gaps then each cluster\'s', () => {
    const r = report([row('a'), row('b', { account: '444455556666', findings: 1, bySeverity: { critical: 0, high: 0, medium: 0, low: 1, info: 0 }, score: null, kubernetes: 'not-read', gaps: [clusterGap] })]);
    expect(r.schemaVersion).toBe(1);
    expect(r.summary).toEqual({ clusters: 2, accounts: 2, regions: 1, findings: 4, bySeverity: { critical: 1, high: 1, medium: 1, low: 1, info: 0 }, clustersWithGaps: 1, gaps: 2 });
    expect(r.gaps.map((g) => `${g.scope} ${g.cluster ?? '-'} ${g.code}`)).toEqual(['fleet - AWS_FORBIDDEN', 'cluster b KUBE_FORBIDDEN']);
    expect(r.clusters.map((c) => [c.cluster, c.gaps, c.reports])).toEqual([['a', 0, ['/r/a.json']], ['b', 1, ['/r/b.json']]]);
    expect(JSON.parse(renderFleetJson(r))).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('fits the terminal: a long cluster name continues on the next line, and every line fits', () => {
    const text = renderFleetTable(report([row('c'.repeat(90)), row('short')]), { width: 100, color: false });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+REGION\s+CLUSTER\s+CRIT\s+HIGH\s+MED\s+LOW\s+INFO\s+SCORE\s+GAPS\s+K8S$/);
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(100);
    const first = lines.findIndex((l) => /^111122223333\s+eu-west-1\s+c+\s/.test(l));
    const pieces = [/\s(c+)\s/.exec(lines[first] ?? '')?.[1] ?? '', ...lines.slice(first + 1).map((l) => /^\s+(c+)$/.exec(l)?.[1]).filter((p) => p !== undefined)];
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('c'.repeat(90));
    expect(text).toMatch(/^111122223333\s+eu-west-1\s+short\s+1\s+1\s+1\s+0\s+0\s+80\s+0\s+read$/m);
    expect(text).toMatch(/2 clusters in 1 account and 1 region: 6 findings/);
    expect(text).toMatch(/^ {2}fleet: account 777788889999: cannot assume/m);
  });

  it('escapes control characters and bidi overrides in names and messages', () => {
    const hostile = row('x\u001b[2Jy\u202ez', { gaps: [{ source: 's', code: 'KUBE_UNAVAILABLE', message: 'bad\nline' }] });
    const text = renderFleetTable(report([hostile]), { width: 120, color: false });
    expect(text).not.toContain('\u001b[2J');
    expect(text).not.toContain('\u202e');
    expect(text).not.toContain('bad\nline');
    expect(text).toContain('\\x1b');
  });
});
