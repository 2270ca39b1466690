/**
 * `audit analyze --cloudwatch`, `audit rbac --cloudwatch` and `audit queries --run` as a user runs
 * them, through the real CLI and the real CloudWatch Logs SDK client against a loopback endpoint
 * speaking the Logs JSON protocol: the findings equal those from the same events in a file, filter
 * patterns are pushed down without losing a finding, checkpoints neither skip nor double-count, and
 * throttling, refusals and missing log groups end as gaps, never hangs or stack traces.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli-harness.js';
import { auditEvent, container, jsonLines, pod, tempDir, writeLog } from './events.js';
import { startFakeLogs, type FakeLogs, type FakeLogsOptions, type StoredEvent } from './fake-logs/server.js';

const GROUP = '/aws/eks/prod/cluster';
const T0 = Date.parse('2026-12-01T10:00:00Z');

let fake: FakeLogs | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Events that trigger every detection, and ordinary traffic around them, a few seconds apart. */
function corpus(): Record<string, unknown>[] {
  const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace('.000Z', '.000000Z');
  const specs: Parameters<typeof auditEvent>[0][] = [
    ...Array.from({ length: 30 }, (_, i) => ({ user: 'mallory', verb: 'list', resource: 'secrets', code: 403, ip: '203.0.113.9', time: at(i) })),
    { user: 'system:anonymous', groups: ['system:unauthenticated'], verb: 'list', resource: 'configmaps', namespace: 'prod', time: at(40) },
    { verb: 'create', subresource: 'exec', namespace: 'shop', name: 'web-1', code: 101, stage: 'ResponseStarted', time: at(50) },
    { verb: 'create', resource: 'pods', namespace: 'default', code: 201, requestObject: pod({ containers: [container('app', { privileged: true })] }), time: at(60) },
    { verb: 'create', resource: 'pods', namespace: 'default', code: 201, requestObject: pod({ containers: [container('app')], volumes: [{ name: 'h', hostPath: { path: '/' } }] }), time: at(61) },
    { verb: 'create', resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io', name: 'oops', code: 201, time: at(70),
      requestObject: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'oops' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'bob' }] } },
    { verb: 'patch', resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth', user: 'arn-admin', time: at(80) },
    { verb: 'delete', resource: 'validatingwebhookconfigurations', apiGroup: 'admissionregistration.k8s.io', apiVersion: 'v1', name: 'policy', time: at(90) },
    { verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db', user: 'eve', time: at(100) },
    { verb: 'get', resource: 'pods', namespace: 'prod', user: 'system:serviceaccount:ci:deployer', ip: '198.51.100.20', time: at(110) },
    ...Array.from({ length: 40 }, (_, i) => ({ verb: 'get', resource: 'pods', namespace: 'shop', name: `web-${i}`, time: at(120 + i) })),
  ];
  return specs.map((spec) => auditEvent(spec));
}

/** The events as CloudWatch holds them: spread over two audit streams (and one other stream), with event ids. */
function stored(events: readonly Record<string, unknown>[], offsetMs = 0): StoredEvent[] {
  return events.map((event, i) => ({
    logStreamName: i % 2 === 0 ? 'kube-apiserver-audit-aaaa' : 'kube-apiserver-audit-bbbb',
    timestamp: Date.parse(String(event.requestReceivedTimestamp).replace(/(\.\d{3})\d+Z$/, '$1Z')) + offsetMs,
    message: JSON.stringify(event),
    eventId: `${String(Date.parse(String(event.requestReceivedTimestamp))).padStart(20, '0')}${String(i).padStart(8, '0')}`,
  }));
}

function configDir(): string {
  const dir = tempDir();
  // audit-service-account-token-outside-cluster needs the cluster's CIDRs.
  writeFileSync(join(dir, 'eksguard.yaml'), 'audit:\n  clusterCidrs: [10.0.0.0/16]\n');
  return dir;
}

async function serve(options: FakeLogsOptions, events: readonly StoredEvent[] = stored(corpus())): Promise<NodeJS.ProcessEnv> {
  fake = await startFakeLogs(options);
  fake.addEvents(GROUP, [...events, { logStreamName: 'kube-scheduler-1234', timestamp: T0, message: 'I1201 scheduler line, not JSON', eventId: 'x1' }]);
  return { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'eu-west-1' };
}

interface Finding { ruleId: string; severity: string; message: string; resource: unknown; evidence: { count: number; events: { file: string | null; line: number | null }[]; rows?: Record<string, string>[] } }
interface Report { findings: Finding[]; gaps: { code: string; message: string; source: string }[]; summary: { events: number }; sources: { path: string; events: number; cloudWatch?: { bytes: number; pages: number; filterPattern?: string; skippedByCheckpoint: number }; insights?: { bytesScanned: number } }[] }

/**
 * Findings without where their events were read: a file's name and line, or the log group and the
 * event's place in what CloudWatch sent (which the pushed-down filter pattern shortens).
 */
function comparable(report: Report): string[] {
  return report.findings.map((f) => JSON.stringify({
    ...f,
    resource: { ...(f.resource as object), file: null, line: null },
    evidence: { ...f.evidence, events: f.evidence.events.map((e) => ({ ...e, file: null, line: null })) },
  })).sort();
}

const WINDOW = ['--since', '2026-12-01T09:00:00Z', '--until', '2026-12-01T12:00:00Z'];

describe('audit analyze --cloudwatch', () => {
  it('finds exactly what the same events in a file give, over pages and streams, with the filter pattern pushed down', async () => {
    const cwd = configDir();
    const file = writeLog('audit.log', jsonLines(corpus().map((e) => e)), cwd);
    // Same auditIDs as the file: build both from one corpus.
    const events = corpus();
    writeFileSync(file, jsonLines(events));
    const env = await serve({ pageSize: 7, emptyPages: true }, stored(events));
    const fromFile = await runCli(['audit', 'analyze', file, '-o', 'json', '--allow-gaps'], { cwd });
    const live = await runCli(['audit', 'analyze', '--cloudwatch', '--cluster-name', 'prod', ...WINDOW, '-o', 'json'], { cwd, env });
    expect(live.stderr).toBe('');
    const fileReport = JSON.parse(fromFile.stdout) as Report;
    const liveReport = JSON.parse(live.stdout) as Report;
    expect(new Set(fileReport.findings.map((f) => f.ruleId)).size).toBeGreaterThanOrEqual(10);
    expect(comparable(liveReport)).toEqual(comparable(fileReport));
    expect(live.code).toBe(fromFile.code);
    // Every detection has a filter term: CloudWatch sent only the events some detection can match.
    const pattern = fake?.patterns[0];
    expect(pattern).toMatch(/^\{ \(.*\) \}$/);
    expect(fake?.sent.events).toBeLessThan(events.length);
    const source = liveReport.sources[0];
    expect(source?.path).toBe(`cloudwatch:${GROUP}`);
    expect(source?.cloudWatch?.pages).toBeGreaterThan(2);
    expect(source?.cloudWatch?.bytes).toBe(fake?.sent.bytes);
    expect(source?.cloudWatch?.filterPattern).toBe(pattern);
    // Only the audit streams are asked for, and only FilterLogEvents is called.
    expect(new Set(fake?.calls)).toEqual(new Set(['logs:FilterLogEvents']));
  });

  it('pushes down a narrow pattern for one detection, and reads everything when a detection has none to give', async () => {
    const cwd = configDir();
    const env = await serve({});
    const run = await runCli(['audit', 'analyze', '--cloudwatch', '--cluster-name', 'prod', ...WINDOW, '--detection', 'audit-auth-failures', '-o', 'json'], { cwd, env });
    const report = JSON.parse(run.stdout) as Report;
    expect(fake?.patterns).toEqual(['{ $.responseStatus.code = 401 || $.responseStatus.code = 403 }']);
    expect(fake?.sent.events).toBe(30);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['audit-auth-failures']);
    expect(report.findings[0]?.evidence.count).toBe(30);
  });

  it('prints what was read, the window and the bytes in the table summary', async () => {
    const env = await serve({});
    const run = await runCli(['audit', 'analyze', '--cloudwatch', '--cluster-name', 'prod', ...WINDOW, '--no-color', '--fail-on', 'none'], { cwd: configDir(), env });
    expect(run.code).toBe(0);
    // The line wraps to the table's width (100 on a pipe): read it with its continuation lines joined.
    expect(run.stdout.replace(/\n {4}/g, ' ')).toMatch(/CloudWatch Logs:\n {2}\/aws\/eks\/prod\/cluster: \d+ events, [\d.]+ KB in 1 page, 2026-12-01T09:00:00\.000Z to 2026-12-01T12:00:00\.000Z, filtered by CloudWatch/);
  });

  it('backs off and retries when CloudWatch throttles, and the findings are the same', async () => {
    const cwd = configDir();
    const env = await serve({ throttle: { FilterLogEvents: 2 }, pageSize: 50 });
    const run = await runCli(['audit', 'analyze', '--cloudwatch', '--cluster-name', 'prod', ...WINDOW, '-o', 'json'], { cwd, env });
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as Report).findings.length).toBeGreaterThan(5);
    expect(fake?.calls.filter((c) => c === 'logs:FilterLogEvents').length).toBeGreaterThanOrEqual(3);
  });

  it('AccessDenied is a gap naming the IAM action and its policy file (exit 2); the report is still written', async () => {
    const env = await serve({ deny: ['FilterLogEvents'] });
    const run = await runCli(['audit', 'analyze', '--cloudwatch', '--cluster-name', 'prod', ...WINDOW, '-o', 'json'], { cwd: configDir(), env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^eksguard: cloudwatch:\/aws\/eks\/prod\/cluster: logs:FilterLogEvents was denied on \/aws\/eks\/prod\/cluster: grant it \(deploy\/iam-policy-audit-logs\.json\)/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect((JSON.parse(run.stdout) as Report).gaps[0]?.code).toBe('AWS_FORBIDDEN');
  });

  it('a missing log group says that audit logging is off and points at require-control-plane-logging', async () => {
    const env = await serve({});
    const run = await runCli(['audit', 'analyze', '--cloudwatch', '--cluster-name', 'stage', ...WINDOW], { cwd: configDir(), env });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('eksguard: cloudwatch:/aws/eks/stage/cluster: control-plane audit logging is off for stage: log group /aws/eks/stage/cluster does not exist in eu-west-1 (rule require-control-plane-logging)\n');
  });

  it('an empty window is an answer: no events, no finding, no gap', async () => {
    const env = await serve({});
    const run = await runCli(['audit', 'analyze', '--cloudwatch', '--cluster-name', 'prod', '--since', '2025-01-01T00:00:00Z', '--until', '2025-01-02T00:00:00Z', '-o', 'json'], { cwd: configDir(), env });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings).toEqual([]);
    expect(report.gaps).toEqual([]);
    expect(report.summary.events).toBe(0);
  });

  it('--checkpoint: the next run reads only new events, none twice and none missed, also at the same millisecond', async () => {
    const cwd = configDir();
    const checkpoint = join(cwd, 'prod.checkpoint');
    const first = corpus().slice(0, 30); // the 30 denied requests
    const env = await serve({ pageSize: 4 }, stored(first));
    const run1 = await runCli(['audit', 'analyze', '--cloudwatch', '--cluster-name', 'prod', ...WINDOW, '--checkpoint', checkpoint, '--detection', 'audit-auth-failures', '-o', 'json'], { cwd, env });
    expect((JSON.parse(run1.stdout) as Report).findings[0]?.evidence.count).toBe(30);
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { logGroup: string; timestamp: number; eventIds: string[] };
    expect(saved.logGroup).toBe(GROUP);
    // Five more: two at the checkpoint's very millisecond (one of them a new event id), three later.
    const more = Array.from({ length: 5 }, () => auditEvent({ user: 'mallory', verb: 'list', resource: 'secrets', code: 403, ip: '203.0.113.9' }));
    fake?.addEvents(GROUP, more.map((event, i) => ({ logStreamName: 'kube-apiserver-audit-cccc', timestamp: saved.timestamp + (i < 1 ? 0 : 1000 * i), message: JSON.stringify(event), eventId: `new-${i}` })));
    const run2 = await runCli(['audit', 'analyze', '--cloudwatch', '--cluster-name', 'prod', ...WINDOW, '--checkpoint', checkpoint, '--detection', 'audit-auth-failures', '-o', 'json'], { cwd, env });
    const report2 = JSON.parse(run2.stdout) as Report;
    expect(report2.findings[0]?.evidence.count).toBe(5);
    expect(report2.sources[0]?.cloudWatch?.skippedByCheckpoint).toBeGreaterThanOrEqual(1);
    const run3 = await runCli(['audit', 'analyze', '--cloudwatch', '--cluster-name', 'prod', ...WINDOW, '--checkpoint', checkpoint, '--detection', 'audit-auth-failures', '-o', 'json'], { cwd, env });
    expect((JSON.parse(run3.stdout) as Report).findings).toEqual([]);
  });

  it('a failed read leaves the checkpoint where it was', async () => {
    const cwd = configDir();
    const checkpoint = join(cwd, 'prod.checkpoint');
    const env = await serve({ deny: ['FilterLogEvents'] });
    await runCli(['audit', 'analyze', '--cloudwatch', '--cluster-name', 'prod', ...WINDOW, '--checkpoint', checkpoint], { cwd, env });
    expect(existsSync(checkpoint)).toBe(false);
  });

  it('usage errors are one line: no window, files and --cloudwatch together, a bad cluster name, a checkpoint of another log group', async () => {
    const cwd = configDir();
    const env = await serve({});
    const cases: [string[], RegExp][] = [
      [['--cloudwatch', '--cluster-name', 'prod'], /--since is required with --cloudwatch/],
      [['x.log', '--cloudwatch', '--cluster-name', 'prod', '--since', '1h'], /give log files or --cloudwatch, not both/],
      [['--cloudwatch', '--cluster-name', 'prod;rm -rf /', '--since', '1h'], /not an EKS cluster name/],
      [['--cloudwatch', '--since', '1h'], /needs --cluster-name NAME or --log-group GROUP/],
      [['--cluster-name', 'prod', 'x.log'], /go with --cloudwatch/],
      [['--cloudwatch', '--cluster-name', 'prod', '--since', 'yesterday'], /--since yesterday: expected a duration/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(['audit', 'analyze', ...args], { cwd, env });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    const other = join(cwd, 'other.checkpoint');
    writeFileSync(other, JSON.stringify({ version: 1, logGroup: '/aws/eks/stage/cluster', timestamp: 1, eventIds: [] }));
    const run = await runCli(['audit', 'analyze', '--cloudwatch', '--cluster-name', 'prod', '--since', '1h', '--checkpoint', other], { cwd, env });
    expect(run.stderr).toMatch(/it is for log group \/aws\/eks\/stage\/cluster, not \/aws\/eks\/prod\/cluster/);
  });
});

describe('audit rbac --cloudwatch', () => {
  it('generates the same Role from CloudWatch as from the file, asking CloudWatch for the subject only', async () => {
    const cwd = configDir();
    const events = [
      auditEvent({ user: 'system:serviceaccount:ci:deployer', verb: 'get', resource: 'deployments', apiGroup: 'apps', namespace: 'ci', name: 'web', time: '2026-12-01T10:00:01.000000Z' }),
      auditEvent({ user: 'system:serviceaccount:ci:deployer', verb: 'patch', resource: 'deployments', apiGroup: 'apps', namespace: 'ci', name: 'web', time: '2026-12-01T10:00:02.000000Z' }),
      auditEvent({ user: 'alice', verb: 'delete', resource: 'pods', namespace: 'ci', time: '2026-12-01T10:00:03.000000Z' }),
    ];
    const file = writeLog('audit.log', jsonLines(events), cwd);
    const env = await serve({}, stored(events));
    const fromFile = await runCli(['audit', 'rbac', file, '--serviceaccount', 'ci:deployer'], { cwd });
    const live = await runCli(['audit', 'rbac', '--cloudwatch', '--cluster-name', 'prod', ...WINDOW, '--serviceaccount', 'ci:deployer'], { cwd, env });
    expect(live.code).toBe(0);
    expect(live.stdout).toBe(fromFile.stdout);
    expect(live.stdout).toContain('- patch');
    expect(fake?.patterns).toEqual(['{ $.user.username = "system:serviceaccount:ci:deployer" || $.impersonatedUser.username = "system:serviceaccount:ci:deployer" }']);
  });
});

describe('audit queries --run', () => {
  const answer: FakeLogsOptions['answer'] = (query, logGroup) => {
    if (query.includes('responseStatus.code = 401')) {
      return logGroup === GROUP
        ? { rows: [{ 'user.username': 'mallory', 'sourceIPs.0': '203.0.113.9', userAgent: 'curl/8', window: '2026-12-01 10:00', denied: '30' }], bytesScanned: 52_000_000, recordsScanned: 90_000, runningPolls: 2 }
        : { rows: [], bytesScanned: 1_000, recordsScanned: 10 };
    }
    if (query.includes('objectRef.resource = "secrets"')) return { rows: [], status: 'Failed' };
    return { rows: [], bytesScanned: 10_000, recordsScanned: 100 };
  };

  it('starts each detection\'s query per cluster, reports rows as findings of the detection and the bytes scanned', async () => {
    fake = await startFakeLogs({ answer, clusters: ['prod', 'stage', 'dev'] });
    fake.addEvents(GROUP, []);
    fake.addEvents('/aws/eks/stage/cluster', []);
    const env = { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'eu-west-1' };
    const run = await runCli(['audit', 'queries', '--run', '--all-clusters', '--since', '24h', '--detection', 'audit-auth-failures,audit-secret-access,audit-pod-exec', '-o', 'json'], { cwd: configDir(), env });
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings).toHaveLength(1);
    const finding = report.findings[0];
    expect(finding?.ruleId).toBe('audit-auth-failures');
    expect(finding?.resource).toMatchObject({ service: 'eks', kind: 'cluster', name: 'prod', region: 'eu-west-1' });
    expect(finding?.evidence.count).toBe(30);
    expect(finding?.evidence.rows?.[0]).toEqual({ 'user.username': 'mallory', 'sourceIPs.0': '203.0.113.9', userAgent: 'curl/8', window: '2026-12-01 10:00', denied: '30' });
    expect(finding?.message).toMatch(/^30 matching events in 1 group \(Logs Insights over \/aws\/eks\/prod\/cluster\); top: user\.username=mallory/);
    expect(report.sources.find((s) => s.path === `insights:${GROUP}`)?.insights?.bytesScanned).toBe(52_000_000 + 10_000);
    // dev has no log group: audit logging is off there; the secrets query failed in both clusters.
    expect(report.gaps.map((g) => g.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/control-plane audit logging is off for dev/),
      expect.stringMatching(/Logs Insights query of audit-secret-access ended Failed/),
    ]));
    expect(run.code).toBe(2);
    expect(fake.calls.filter((c) => c === 'logs:StartQuery')).toHaveLength(6);
    expect(fake.calls).toContain('eks:ListClusters');
  });

  it('prints queries without --run, and --cluster still works with a deprecation notice', async () => {
    const run = await runCli(['audit', 'queries', '--cluster', 'prod', '--detection', 'audit-pod-exec'], { cwd: configDir() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('/aws/eks/prod/cluster');
    expect(run.stderr).toMatch(/--cluster NAME is deprecated in audit queries: use --cluster-name NAME/);
    const bad = await runCli(['audit', 'queries', '--cluster-name', 'prod\nrm -rf'], { cwd: configDir() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not an EKS cluster name/);
  });
});

describe('deploy/iam-policy-audit-logs.json', () => {
  it('grants exactly the calls the CloudWatch features make, and nothing that writes but StopQuery', async () => {
    const policy = JSON.parse(readFileSync('deploy/iam-policy-audit-logs.json', 'utf8')) as { Statement: { Action: string[] | string }[] };
    const granted = new Set(policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
    const made = new Set<string>();
    const cwd = configDir();
    let env = await serve({ pageSize: 10 });
    await runCli(['audit', 'analyze', '--cloudwatch', '--cluster-name', 'prod', ...WINDOW], { cwd, env });
    for (const c of fake?.calls ?? []) made.add(c);
    await fake?.close();
    let hang = true;
    fake = await startFakeLogs({ clusters: ['prod'], answer: () => ({ rows: [], hang }) });
    fake.addEvents(GROUP, []);
    env = { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'eu-west-1' };
    const { queryAuditLogs } = await import('../../src/audit-log/analyze.js');
    const { createLogsApi } = await import('../../src/audit-log/sources/cloudwatch/logs-api.js');
    const { requestLimits } = await import('../../src/collect/aws/bounds.js');
    const api = await createLogsApi({ region: 'eu-west-1', env, limits: requestLimits() });
    // A query that never finishes is stopped at its deadline (a gap), and the run goes on.
    const result = await queryAuditLogs({
      api, env, targets: [{ cluster: 'prod', logGroup: GROUP }], window: { start: T0, end: T0 + 3_600_000 }, detections: ['audit-pod-exec'],
      run: { pollMs: 1, deadlineMs: 20 },
    });
    expect(result.gaps[0]?.message).toMatch(/did not finish within 0.02 s and was stopped/);
    expect(fake.stopped).toEqual(['query-1']);
    hang = false;
    const run = await runCli(['audit', 'queries', '--run', '--all-clusters', '--since', '1h', '--detection', 'audit-pod-exec'], { cwd, env });
    expect(run.code).toBe(0);
    for (const c of fake.calls) made.add(c);
    expect([...made].sort()).toEqual([...granted].sort());
  });
});
