import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeAuditLogs } from '../../src/audit-log/analyze.js';
import { sniffFormat } from '../../src/audit-log/sources/consume.js';
import type { AuditLogResult } from '../../src/audit-log/result.js';
import { ValueSplitter } from '../../src/audit-log/sources/splitter.js';
import { parseConfig } from '../../src/engine/config.js';
import { auditEvent, jsonLines, tempDir, writeLog } from './events.js';

const EXEC = auditEvent({ verb: 'create', subresource: 'exec', namespace: 'shop', name: 'web-1', code: 101, stage: 'ResponseStarted', auditID: 'exec-1', time: '2024-05-01T10:00:05Z' });
const SECRET = auditEvent({ verb: 'get', resource: 'secrets', namespace: 'shop', name: 'db', auditID: 'secret-1', time: '2024-05-01T10:01:00Z' });
const QUIET = auditEvent({ verb: 'list', resource: 'pods', namespace: 'shop', auditID: 'quiet-1', time: '2024-05-01T10:02:00Z' });

function summary(result: AuditLogResult) {
  return result.findings.map((f) => [f.ruleId, f.evidence?.count, f.evidence?.events[0]?.auditID]).sort();
}

const expected = [['audit-pod-exec', 1, 'exec-1'], ['audit-secret-access', 1, 'secret-1']].sort();

async function analyzeText(text: string | Buffer, name = 'audit.log') {
  return analyzeAuditLogs({ paths: [writeLog(name, text)] });
}

/** What `aws logs filter-log-events --output json` prints. */
function cloudWatchOutput(events: readonly unknown[]): string {
  return JSON.stringify({
    events: events.map((e, i) => ({ logStreamName: 'kube-apiserver-audit-0123', timestamp: 1714557600000 + i, message: JSON.stringify(e), ingestionTime: 1714557601000, eventId: String(i) })),
    searchedLogStreams: [{ logStreamName: 'kube-apiserver-audit-0123', searchedCompletely: true }],
  }, null, 4);
}

describe('reading audit logs', () => {
  it('JSON lines: a truncated line and a non-event are gaps with their line numbers, and the rest is read', async () => {
    const text = `${JSON.stringify(EXEC)}\n${JSON.stringify(QUIET).slice(0, 80)}\n\n{"kind": 0}\n${JSON.stringify(SECRET)}\n`;
    const file = writeLog('audit.log', text);
    const result = await analyzeAuditLogs({ paths: [file] });
    expect(summary(result)).toEqual(expected);
    expect(result.gaps).toEqual([
      { source: file, line: 2, code: 'JSON_SYNTAX', message: expect.stringContaining('not valid JSON (a truncated or corrupted line?)') },
      { source: file, line: 4, code: 'NOT_AN_AUDIT_EVENT', message: 'kind 0 is not an audit Event' },
    ]);
    expect(result.sources[0]).toMatchObject({ format: 'lines', records: 4, events: 2, malformed: 1, notEvents: 1 });
    expect(result.findings.find((f) => f.ruleId === 'audit-secret-access')?.location).toEqual({ file, line: 5, column: 1 });
  });

  it('v1beta1 events and events without apiVersion, and a byte order mark', async () => {
    const beta = { ...EXEC, apiVersion: 'audit.k8s.io/v1beta1' };
    const bare = Object.fromEntries(Object.entries(SECRET).filter(([key]) => key !== 'apiVersion'));
    const result = await analyzeText(`\uFEFF${jsonLines([beta, bare])}`);
    expect(summary(result)).toEqual(expected);
    expect(result.gaps).toEqual([]);
  });

  it('CloudWatch filter-log-events output (pretty JSON, events as escaped messages)', async () => {
    const result = await analyzeText(cloudWatchOutput([EXEC, QUIET, SECRET]), 'export.json');
    expect(summary(result)).toEqual(expected);
    expect(result.sources[0]).toMatchObject({ format: 'documents', events: 3 });
  });

  it('a truncated message inside a CloudWatch export is a gap at its line', async () => {
    const text = cloudWatchOutput([EXEC, SECRET]).replace(/"message": "(\{[^\n]*?)",\n/, (_m, message: string) => `"message": "${message.slice(0, 40)}",\n`);
    const file = writeLog('export.json', text);
    const result = await analyzeAuditLogs({ paths: [file] });
    expect(summary(result)).toEqual([['audit-secret-access', 1, 'secret-1']]);
    expect(result.gaps).toEqual([{ source: file, line: 3, code: 'JSON_SYNTAX', message: expect.stringContaining("CloudWatch record's message is not valid JSON") }]);
  });

  it('CloudWatch exports with one record per line', async () => {
    const lines = [EXEC, QUIET, SECRET].map((e, i) => JSON.stringify({ timestamp: 1714557600000 + i, message: JSON.stringify(e), logStreamName: 'kube-apiserver-audit-1' })).join('\n');
    const result = await analyzeText(lines);
    expect(summary(result)).toEqual(expected);
    expect(result.sources[0]).toMatchObject({ format: 'lines', events: 3 });
  });

  it('an EventList, a JSON array, and concatenated pretty-printed events (jq . output)', async () => {
    const list = await analyzeText(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: [EXEC, QUIET, SECRET] }));
    expect(summary(list)).toEqual(expected);
    const array = await analyzeText(JSON.stringify([EXEC, QUIET, SECRET], null, 2));
    expect(summary(array)).toEqual(expected);
    const concatenated = await analyzeText([EXEC, QUIET, SECRET].map((e) => JSON.stringify(e, null, 2)).join('\n'));
    expect(summary(concatenated)).toEqual(expected);
    expect(concatenated.sources[0]).toMatchObject({ format: 'documents', records: 3 });
  });

  it('gzip, recognised by its magic bytes whatever the name, from a file or standard input', async () => {
    const zipped = gzipSync(jsonLines([EXEC, QUIET, SECRET]));
    const fromFile = await analyzeText(zipped, 'audit.log');
    expect(summary(fromFile)).toEqual(expected);
    expect(fromFile.sources[0]).toMatchObject({ compressed: true });
    const fromStdin = await analyzeAuditLogs({ paths: ['-'], stdin: Readable.from([zipped.subarray(0, 10), zipped.subarray(10)]) });
    expect(summary(fromStdin)).toEqual(expected);
  });

  it('a truncated gzip file keeps the events before the break and reports it', async () => {
    const many = Array.from({ length: 400 }, (_, i) => auditEvent({ verb: 'get', resource: 'secrets', namespace: 'shop', name: `s${i}` }));
    const zipped = gzipSync(jsonLines([EXEC, ...many]));
    const file = writeLog('audit.log.gz', zipped.subarray(0, Math.floor(zipped.length * 0.7)));
    const result = await analyzeAuditLogs({ paths: [file] });
    expect(result.findings.map((f) => f.ruleId)).toContain('audit-pod-exec');
    expect(result.gaps).toContainEqual({ source: file, code: 'UNREADABLE', message: expect.stringContaining('gzip data is truncated or corrupt') });
  });

  it('several files and directories; a missing file is a gap and the others are read', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'day1'));
    writeLog('a.log', jsonLines([EXEC]), join(dir, 'day1'));
    writeLog('b.log.gz', gzipSync(jsonLines([SECRET])), dir);
    const result = await analyzeAuditLogs({ paths: [dir, join(dir, 'missing.log')] });
    expect(summary(result)).toEqual(expected);
    expect(result.sources.map((s) => s.path)).toEqual([join(dir, 'b.log.gz'), join(dir, 'day1', 'a.log')]);
    expect(result.gaps).toEqual([{ source: join(dir, 'missing.log'), code: 'NOT_FOUND', message: 'no such file or directory' }]);
  });

  it('an empty input is a gap, not a clean bill of health', async () => {
    const file = writeLog('empty.log', '');
    expect((await analyzeAuditLogs({ paths: [file] })).gaps).toEqual([{ source: file, code: 'NO_INPUT', message: 'no audit events in this input' }]);
  });

  it('lists the first 50 unreadable lines and counts the rest', async () => {
    const text = `${Array.from({ length: 120 }, () => '{"broken": ').join('\n')}\n${JSON.stringify(SECRET)}\n`;
    const result = await analyzeText(text);
    expect(summary(result)).toEqual([['audit-secret-access', 1, 'secret-1']]);
    expect(result.gaps).toHaveLength(51);
    expect(result.gaps[50]?.message).toBe('70 more unreadable records (the first 50 are listed)');
  });

  it('counts events per minute for the timeline, parsed or not', async () => {
    const result = await analyzeText(jsonLines([EXEC, SECRET, QUIET]));
    expect(result.timeline).toEqual({
      bucket: 'minute',
      buckets: [
        { start: '2024-05-01T10:00', events: 1, detections: { 'audit-pod-exec': 1 } },
        { start: '2024-05-01T10:01', events: 1, detections: { 'audit-secret-access': 1 } },
        { start: '2024-05-01T10:02', events: 1, detections: {} },
      ],
    });
  });
});

describe('format sniffing', () => {
  it('tells JSON lines from documents by the first line', () => {
    expect(sniffFormat(Buffer.from('{"kind":"Event"}\n{"kind":"Event"}\n'))).toBe('lines');
    expect(sniffFormat(Buffer.from('\n\n{"kind":"Event"}\n'))).toBe('lines');
    expect(sniffFormat(Buffer.from('{\n  "events": []\n}'))).toBe('documents');
    expect(sniffFormat(Buffer.from('{"events":[{"message":"{}"}]}\n'))).toBe('documents');
    expect(sniffFormat(Buffer.from('{"kind":"EventList","items":[]}'))).toBe('documents');
    expect(sniffFormat(Buffer.from('[{"kind":"Event"}]'))).toBe('documents');
  });
});

describe('ValueSplitter', () => {
  function split(chunks: readonly Buffer[]): { values: [unknown, number][]; problems: string[] } {
    const values: [unknown, number][] = [];
    const problems: string[] = [];
    const splitter = new ValueSplitter({ value: (text, line) => values.push([JSON.parse(text), line]), problem: (message, line) => problems.push(`${line}: ${message}`) });
    for (const chunk of chunks) splitter.push(chunk);
    splitter.end();
    return { values, problems };
  }

  const doc = Buffer.from([
    '{"events": [',
    '  {"message": "{\\"a\\": \\"]}\\"}", "n": 1},',
    '  {"message": "x", "n": 2}',
    '], "searchedLogStreams": [{"x": 1}]}',
    '[{"n": 3}, {"n": [4]}]',
    '{"n": 5,',
    ' "nested": {"items": [6]}}',
  ].join('\n'));

  it('yields wrapper elements, array elements and other top-level values, with their lines', () => {
    expect(split([doc])).toEqual({
      values: [
        [{ message: '{"a": "]}"}', n: 1 }, 2],
        [{ message: 'x', n: 2 }, 3],
        [{ n: 3 }, 5],
        [{ n: [4] }, 5],
        [{ n: 5, nested: { items: [6] } }, 6],
      ],
      problems: [],
    });
  });

  it('gives the same values whatever the chunk boundaries', () => {
    const whole = split([doc]);
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: doc.length - 1 }), { maxLength: 12 }), (cuts) => {
      const sorted = [0, ...[...cuts].sort((a, b) => a - b), doc.length];
      const chunks = sorted.slice(1).map((end, i) => doc.subarray(sorted[i], end));
      expect(split(chunks)).toEqual(whole);
    }), { numRuns: 200 });
  });

  it('reports text that is not JSON and a value cut off at the end', () => {
    expect(split([Buffer.from('garbage here\n{"n": 1}\n{"n": ')]).problems).toEqual([
      '1: not JSON: text outside any object or array',
      '3: the input ends inside a JSON value (truncated?) that starts on line 3',
    ]);
  });
});

describe('the raw-line pre-filter', () => {
  const users = ['alice', 'system:anonymous', 'system:serviceaccount:ci:deployer', 'system:node:ip-1', 'system:serviceaccount:kube-system:replicaset-controller'];
  const resources = ['pods', 'secrets', 'configmaps', 'clusterroles', 'rolebindings', 'clusterrolebindings', 'validatingwebhookconfigurations', 'deployments', 'namespaces'];
  const arbitraryEvent = fc.record({
    verb: fc.constantFrom('get', 'list', 'watch', 'create', 'update', 'patch', 'delete'),
    user: fc.constantFrom(...users),
    resource: fc.constantFrom(...resources),
    subresource: fc.constantFrom(undefined, 'exec', 'attach', 'status', 'ephemeralcontainers'),
    namespace: fc.constantFrom(undefined, 'kube-system', 'shop'),
    name: fc.constantFrom(undefined, 'aws-auth', 'web', 'cluster-admin'),
    code: fc.constantFrom(200, 201, 101, 401, 403, 404),
    stage: fc.constantFrom('ResponseComplete', 'ResponseStarted', 'RequestReceived'),
    ip: fc.constantFrom('10.0.0.5', '203.0.113.7', '::1'),
    privileged: fc.boolean(),
    roleRef: fc.constantFrom('cluster-admin', 'view'),
  }).map((r) => auditEvent({
    verb: r.verb, user: r.user, resource: r.resource, code: r.code, stage: r.stage, ip: r.ip,
    ...(r.subresource ? { subresource: r.subresource } : {}),
    ...(r.namespace ? { namespace: r.namespace } : {}),
    ...(r.name ? { name: r.name } : {}),
    ...(r.resource.endsWith('rolebindings') ? { apiGroup: 'rbac.authorization.k8s.io', requestObject: { roleRef: { kind: 'ClusterRole', name: r.roleRef }, subjects: [] } } : {}),
    ...(r.resource === 'clusterroles' ? { apiGroup: 'rbac.authorization.k8s.io' } : {}),
    ...(r.resource.endsWith('webhookconfigurations') ? { apiGroup: 'admissionregistration.k8s.io' } : {}),
    ...(r.resource === 'pods' && !r.subresource ? { requestObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', securityContext: { privileged: r.privileged } }] } } } : {}),
  }));

  const sortedKeys = (event: Record<string, unknown>) => Object.fromEntries(Object.entries(event).sort((a, b) => (a[0] < b[0] ? -1 : 1)));

  it('never skips a line a detection would match: pre-filtered JSON lines (in the API server\'s key order, sorted keys, CloudWatch records) and an array (all parsed) agree', async () => {
    const config = parseConfig('eksguard.yaml', 'audit:\n  clusterCidrs: [10.0.0.0/16]\n');
    await fc.assert(fc.asyncProperty(fc.array(arbitraryEvent, { minLength: 1, maxLength: 25 }), async (events) => {
      const read = (text: string) => analyzeAuditLogs({ paths: ['-'], stdin: Readable.from([Buffer.from(text)]), config });
      const shape = (r: AuditLogResult) => r.findings.map((f) => [f.ruleId, f.message, f.severity, f.evidence?.count]);
      const expected = shape(await read(JSON.stringify(events)));
      const lines = await read(jsonLines(events));
      expect(shape(lines)).toEqual(expected);
      expect(lines.events).toBe(events.length);
      expect(shape(await read(jsonLines(events.map(sortedKeys))))).toEqual(expected);
      expect(shape(await read(events.map((e) => JSON.stringify({ timestamp: 1, message: JSON.stringify(e) })).join('\n')))).toEqual(expected);
    }), { numRuns: 60 });
  });

  it('finds the objectRef key, not the word in a request path: exec into a pod named objectRef is reported', async () => {
    const exec = (name: string) => auditEvent({ verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop', name, code: 101, stage: 'ResponseStarted', query: 'command=sh' });
    const events = [exec('objectRef'), exec('web')];
    const read = async (text: string) => (await analyzeAuditLogs({ paths: ['-'], stdin: Readable.from([Buffer.from(text)]) })).findings.map((f) => [f.ruleId, f.resource.name]);
    const expected = await read(JSON.stringify(events));
    expect(expected).toContainEqual(['audit-pod-exec', 'objectRef']);
    expect(await read(jsonLines(events))).toEqual(expected);
    expect(await read(events.map((e) => JSON.stringify({ timestamp: 1, message: JSON.stringify(e) })).join('\n'))).toEqual(expected);
  });
});
