/**
 * The `audit analyze` table at 60, 100 and 200 columns, with and without -v: what the default
 * condenses (the first event of each finding, the message's top Logs Insights rows, exemptions and
 * detections not evaluated counted, the busiest 24 timeline buckets) is there in full under -v, and
 * every line of both fits, with colour changing no column.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuditEventRef, Finding } from '../../src/core/finding.js';
import { renderAuditTable } from '../../src/audit-log/render.js';
import { reportedDetection, type AuditLogResult, type TimelineBucket } from '../../src/audit-log/result.js';
import { allDetections, detectionById } from '../../src/audit-log/registry.js';
import { displayWidth } from '../../src/report/terminal-text.js';

// eslint-disable-next-line no-control-regex -- removing the colour codes the table emits
const stripColour = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

function event(n: number, over: Partial<AuditEventRef> = {}): AuditEventRef {
  return { auditID: `id-${n}`, time: `2024-05-01T10:${String(n).padStart(2, '0')}:00Z`, user: 'alice', sourceIP: '203.0.113.7', verb: 'create', object: 'pods/exec shop/web', code: 101, file: 'audit.log', line: n, ...over };
}

const EXEC_EVENTS = [
  event(3),
  event(5, { user: 'bob', impersonatedUser: 'mallory\u001b[31m', userAgent: 'kubectl/v1.29.0 (linux/amd64) kubernetes/abc' }),
  event(9, { sourceIP: '' }),
];

function finding(over: Partial<Finding> & Pick<Finding, 'ruleId' | 'severity' | 'message'>): Finding {
  return {
    messageId: 'event', area: 'audit', title: over.ruleId, remediation: `Act on ${over.ruleId}.`, path: [],
    resource: { provider: 'kubernetes', apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web' }, ...over,
  };
}

const ROWS = ['alice', 'bob', 'carol', 'dave', 'erin'].map((user, i) => ({ user, sourceIP: `198.51.100.${i + 1}`, reads: String(10 - i) }));

const FINDINGS: Finding[] = [
  finding({
    ruleId: 'audit-auth-failures', severity: 'high', message: 'Requests from 203.0.113.7 failed authentication 57 times in 5 minutes.',
    resource: { provider: 'kubernetes', apiVersion: 'v1', kind: 'User', name: 'unknown' }, location: { file: 'audit.log', line: 20, column: 1 },
    evidence: {
      events: [event(20, { user: '', verb: 'get', object: '/api', code: 401 })], count: 57, firstSeen: '2024-05-01T10:20:00Z', lastSeen: '2024-05-01T10:24:00Z',
      windows: [{ start: '2024-05-01T10:15', count: 2, spike: false }, { start: '2024-05-01T10:20', count: 55, spike: true }],
    },
  }),
  finding({
    ruleId: 'audit-pod-exec', severity: 'medium', message: 'alice opened 14 exec sessions in pod shop/web.',
    location: { file: 'audit.log', line: 3, column: 1 },
    evidence: { events: EXEC_EVENTS, count: 14, firstSeen: '2024-05-01T10:03:00Z', lastSeen: '2024-05-01T10:40:00Z' },
  }),
  finding({
    ruleId: 'audit-secret-access', severity: 'medium',
    message: `25 matching events in 5 groups (Logs Insights over /aws/eks/prod/cluster); top: ${ROWS.slice(0, 3).map((r) => `user=${r.user} sourceIP=${r.sourceIP} reads=${r.reads}`).join('; ')}`,
    resource: { provider: 'aws', service: 'eks', type: 'cluster', region: 'eu-west-1', name: 'prod' }, origin: 'cloudwatch:/aws/eks/prod/cluster',
    evidence: { events: [], count: 25, rows: ROWS },
  }),
];

const EXEMPTED = finding({
  ruleId: 'audit-pod-exec', severity: 'medium', message: 'ci opened 2 exec sessions in pod ci/runner.',
  resource: { provider: 'kubernetes', apiVersion: 'v1', kind: 'Pod', namespace: 'ci', name: 'runner' }, location: { file: 'audit.log', line: 30, column: 1 },
  evidence: { events: [event(30, { user: 'system:serviceaccount:ci:runner', object: 'pods/exec ci/runner' })], count: 2 },
  suppressed: { kind: 'config', reason: 'the CI runner execs into its own pods' },
});

// 30 hours: more than the 24 busiest rows the default timeline shows.
const BUCKETS: TimelineBucket[] = Array.from({ length: 30 }, (_, i) => ({
  start: `2024-05-0${1 + Math.floor(i / 24)}T${String(i % 24).padStart(2, '0')}`,
  events: (i * 7) % 31 + 1,
  detections: i === 10 ? { 'audit-pod-exec': 14, 'audit-auth-failures': 57, 'audit-secret-access': 25 } : ({} as Record<string, number>),
}));

const detection = (id: string, severity: Finding['severity']) => reportedDetection(detectionById(id) ?? (() => { throw new Error(id); })(), severity);

const RESULT: AuditLogResult = {
  findings: FINDINGS,
  exempted: [EXEMPTED],
  checks: [],
  gaps: [{ source: 'audit.log', line: 44, code: 'JSON_SYNTAX', message: 'not JSON' }],
  notEvaluated: [
    { ruleId: 'audit-service-account-token-outside-cluster', reason: "needs the cluster's node and pod CIDRs: set audit.clusterCidrs in eksguard.yaml" },
    { ruleId: 'audit-anonymous-requests', reason: "needs the cluster's node and pod CIDRs: set audit.clusterCidrs in eksguard.yaml" },
  ],
  summary: { bySeverity: { critical: 0, high: 1, medium: 2, low: 0, info: 0 }, findings: 3, exempted: 1, resources: 480, rulesRun: 10, checks: 10, passed: 7 },
  sources: [
    { path: 'audit.log', format: 'lines', compressed: false, parallel: false, records: 480, events: 479, malformed: 1, notEvents: 0 },
    {
      path: 'cloudwatch:/aws/eks/prod/cluster', format: 'lines', compressed: false, parallel: false, records: 25, events: 25, malformed: 0, notEvents: 0,
      insights: { logGroup: '/aws/eks/prod/cluster', start: '2024-05-01T00:00:00Z', end: '2024-05-02T06:00:00Z', queries: 10, bytesScanned: 3_500_000, recordsScanned: 9000 },
    },
  ],
  timeline: { bucket: 'hour', buckets: BUCKETS },
  unjudged: [{ detection: 'audit-privileged-pod-created', count: 4, reason: 'the pod was logged without its body (audit level Metadata): set the audit policy to Request for pods' }],
  detections: [detection('audit-auth-failures', 'high'), detection('audit-pod-exec', 'medium'), detection('audit-secret-access', 'medium')],
  events: 504,
};
const CONTEXT = { version: '0.0.0', sources: RESULT.sources.map((s) => ({ path: s.path, documents: s.records, objects: s.events })), rules: RESULT.detections };

const render = (width: number, verbose: boolean, color = false): string => renderAuditTable(RESULT, CONTEXT, { color, width, verbose });

describe('audit table', () => {
  for (const width of [60, 100, 200]) {
    for (const verbose of [false, true]) {
      const name = `${width}${verbose ? '-v' : ''}`;
      it(`at ${width} columns${verbose ? ' with -v' : ''}: the snapshot; every line fits, colour changes no column`, async () => {
        const plain = render(width, verbose);
        await expect(plain).toMatchFileSnapshot(`./__snapshots__/audit-table-${name}.txt`);
        for (const line of plain.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
        const coloured = render(width, verbose, true);
        expect(coloured).toContain('\u001b[');
        expect(stripColour(coloured)).toBe(plain);
        // What the log says is shown, never sent to the terminal.
        expect(plain).not.toContain('\u001b');
        if (verbose) expect(plain.replace(/\n +/g, ' ')).toContain('mallory\\x1b[31m');
      });
    }
  }

  it('by default: the first event and a count, the top Insights rows in the message, counts per reason, the 24 busiest buckets', () => {
    // At 200 columns nothing wraps.
    const text = render(200, false);
    expect(text).toContain('first: 2024-05-01T10:03:00Z alice from 203.0.113.7: create pods/exec shop/web → 101 [id-3] (+13 more events)');
    expect(text).not.toContain('[id-5]');
    expect(text).not.toMatch(/docs: |Logs Insights rows|events per window|user=dave/);
    expect(text).toContain('Exempted (1):\n  1 finding: config: the CI runner execs into its own pods\n  (-v or -o json lists each exempted finding with its reason)');
    expect(text).toContain('Not evaluated (2 detections; the input lacks what they need):\n  2 detections: needs the cluster\'s node and pod CIDRs');
    expect(text).toContain('Timeline (events per hour, UTC; the 24 busiest of 30, -v or -o json has all):');
    expect(text.match(/^ {2}2024-05-0\d \d\d:00Z/gm)).toHaveLength(24);
  });

  it('-v: every event of the sample with its file:line and user agent, the windows, every Insights row, the docs link, every exemption, detection and bucket', () => {
    const text = render(200, true);
    expect(text).toContain('14 events from 2024-05-01T10:03:00Z to 2024-05-01T10:40:00Z, the first 3 in log order:');
    expect(text).toContain('2024-05-01T10:03:00Z alice from 203.0.113.7: create pods/exec shop/web → 101 [id-3] audit.log:3\n');
    expect(text).toContain('2024-05-01T10:05:00Z bob as mallory\\x1b[31m from 203.0.113.7: create pods/exec shop/web → 101 [id-5] audit.log:5 · kubectl/v1.29.0 (linux/amd64) kubernetes/abc\n');
    expect(text).toContain('2024-05-01T10:09:00Z alice from ?: create pods/exec shop/web → 101 [id-9] audit.log:9\n');
    expect(text).not.toContain('first: ');
    expect(text).toContain('events per window:\n              2024-05-01T10:15 2, 2024-05-01T10:20 55 (spike)\n');
    expect(text).toContain('Logs Insights rows (5):');
    for (const row of ROWS) expect(text).toContain(`user=${row.user} sourceIP=${row.sourceIP} reads=${row.reads}\n`);
    for (const id of ['audit-auth-failures', 'audit-pod-exec', 'audit-secret-access']) expect(text).toContain(`docs: https://github.com/eksguard/eksguard/blob/main/docs/audit-logs.md#${id}\n`);
    expect(text).toContain('Exempted (1):\n  audit.log:30 · audit-pod-exec · Pod ci/runner: config: the CI runner execs into its own pods\n');
    expect(text).toContain('Not evaluated (2 detections; the input lacks what they need):\n  audit-service-account-token-outside-cluster: needs');
    expect(text).toContain('\n  audit-anonymous-requests: needs');
    expect(text).not.toMatch(/lists each|busiest/);
    expect(text).toContain('Timeline (events per hour, UTC):');
    expect(text.match(/^ {2}2024-05-0\d \d\d:00Z/gm)).toHaveLength(30);
  });

  it("each detection's docs link names a section of docs/audit-logs.md, as a rule's names its page", () => {
    const headings = new Set(readFileSync(new URL('../../docs/audit-logs.md', import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('### ')).map((l) => l.slice(4).trim()));
    for (const d of allDetections()) {
      const url = detection(d.id, 'high').rule.meta.docs.url;
      expect(url).toBe(`https://github.com/eksguard/eksguard/blob/main/docs/audit-logs.md#${d.id}`);
      expect(headings, d.id).toContain(d.id);
    }
  });
});
