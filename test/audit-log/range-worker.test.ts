/**
 * The second reading thread: started early by the CLI, it never keeps the process alive when no
 * read adopts it, and a worker that fails or dies hands its ranges back (undefined) instead of
 * leaving the read waiting. Runs the built modules (`npm test` builds first): the worker is
 * compiled JavaScript.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as RangeWorkers from '../../src/audit-log/sources/files/range-worker.js';
import type * as Analyze from '../../src/audit-log/analyze.js';
import type { JobSpec } from '../../src/audit-log/jobs.js';
import { idleCoreFor } from '../../src/audit-log/sources/files/range-worker.js';
import { auditEvent, jsonLines, tempDir, writeLog } from './events.js';

const built = fileURLToPath(new URL('../../dist/audit-log/sources/files/range-worker.js', import.meta.url));
const builtAnalyze = fileURLToPath(new URL('../../dist/audit-log/analyze.js', import.meta.url));
const load = async () => (await import(pathToFileURL(built).href)) as typeof RangeWorkers;

/** A file as large as the ones read on two threads, without writing 64 MiB (sparse). */
function largeFile(): string {
  const file = join(tempDir(), 'large.log');
  writeFileSync(file, '');
  truncateSync(file, 64 * 1024 * 1024);
  return file;
}

const analyzeSpec: JobSpec = { kind: 'analyze', settings: { detections: [{ id: 'audit-auth-failures', severity: 'high', options: { windowMinutes: 5, baseline: 20, ignoreUsers: [] } }], clusterCidrs: [] } };

describe('whether a core is idle for the second thread', () => {
  it('only when fewer threads are runnable than there are cores (this one among them), or when that is unknown', () => {
    expect(idleCoreFor(2, 1)).toBe(true);
    expect(idleCoreFor(2, 2)).toBe(false);
    expect(idleCoreFor(2, 9)).toBe(false);
    expect(idleCoreFor(8, 5)).toBe(true);
    expect(idleCoreFor(8, 8)).toBe(false);
    expect(idleCoreFor(2, undefined)).toBe(true);
  });
});

describe.skipIf(!existsSync(built))('the second reading thread', () => {
  it('started early for a large file and never adopted, does not keep the process alive', () => {
    // A script file: a worker inherits the process's flags, and `--input-type` would stop it.
    const script = writeLog('prestart.mjs', `const m = await import(${JSON.stringify(pathToFileURL(built).href)}); console.log(m.prestartRangeWorker([${JSON.stringify(largeFile())}], '/', true));`);
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('true');
  });

  it('is not started for small files, standard input or missing files', async () => {
    const { prestartRangeWorker } = await load();
    const small = writeLog('small.log', jsonLines([auditEvent()]));
    expect(prestartRangeWorker([small, '-', join(tempDir(), 'missing.log')], '/', true)).toBe(false);
  });

  it('is not started for a large file when no core is idle for it', async () => {
    const { prestartRangeWorker } = await load();
    expect(prestartRangeWorker([largeFile()], '/', false)).toBe(false);
  });

  it('reads a range; one it cannot read, or a worker that dies, resolves undefined instead of hanging', async () => {
    const { startRangeWorker } = await load();
    const lines = jsonLines([auditEvent({ code: 403 }), auditEvent({ code: 200 })]);
    const file = writeLog('two.log', lines);
    const worker = startRangeWorker<unknown>(analyzeSpec);
    expect(worker).toBeDefined();
    try {
      const read = await worker?.read(file, 'two.log', 0, Buffer.byteLength(lines));
      expect(read?.stats).toMatchObject({ records: 2, events: 2, lines: 2 });
      expect(await worker?.read(join(tempDir(), 'missing.log'), 'missing.log', 0, 10)).toBeUndefined();
      // Failed once: the rest of the ranges are this thread's.
      expect(await worker?.read(file, 'two.log', 0, Buffer.byteLength(lines))).toBeUndefined();
    } finally {
      worker?.close();
    }
    // A job the worker cannot build throws in the worker thread: it dies, and the read is answered.
    const broken = startRangeWorker<unknown>({ kind: 'analyze' } as unknown as JobSpec);
    try {
      expect(await broken?.read(file, 'two.log', 0, 10)).toBeUndefined();
    } finally {
      broken?.close();
    }
  });

  it('answers reads asked before the previous ones are answered, in order; a failure answers every one waiting', async () => {
    const { startRangeWorker } = await load();
    const first = jsonLines([auditEvent({ code: 403 })]);
    const second = jsonLines([auditEvent({ code: 200 }), auditEvent({ code: 401 }), auditEvent({ code: 200 })]);
    const file = writeLog('queued.log', first + second);
    const worker = startRangeWorker<unknown>(analyzeSpec);
    try {
      const size = Buffer.byteLength(first);
      const answers = await Promise.all([worker?.read(file, 'queued.log', 0, size), worker?.read(file, 'queued.log', size, size + Buffer.byteLength(second))]);
      expect(answers.map((a) => a?.stats.lines)).toEqual([1, 3]);
      const failing = await Promise.all([worker?.read(join(tempDir(), 'missing.log'), 'missing.log', 0, 10), worker?.read(file, 'queued.log', 0, size)]);
      expect(failing).toEqual([undefined, undefined]);
    } finally {
      worker?.close();
    }
  });

  it('keeps ranges asked from the end backwards and sends them joined, as one read of the whole would', async () => {
    const { startRangeWorker } = await load();
    const parts = [
      jsonLines([auditEvent({ user: 'a', code: 403, auditID: 'one' })]),
      jsonLines([auditEvent({ user: 'a', code: 200, auditID: 'two' }), auditEvent({ user: 'b', code: 401, auditID: 'three' })]),
      jsonLines([auditEvent({ user: 'a', code: 403, auditID: 'four' })]),
    ];
    const file = writeLog('kept.log', parts.join(''));
    const ends = parts.map((_, i) => Buffer.byteLength(parts.slice(0, i + 1).join('')));
    const worker = startRangeWorker<unknown>(analyzeSpec);
    try {
      const whole = await worker?.read(file, 'kept.log', 0, ends[2] ?? 0);
      expect(await worker?.keep(file, 'kept.log', ends[1] ?? 0, ends[2] ?? 0)).toBe(true);
      expect(await worker?.keep(file, 'kept.log', ends[0] ?? 0, ends[1] ?? 0)).toBe(true);
      expect(await worker?.keep(file, 'kept.log', 0, ends[0] ?? 0)).toBe(true);
      const joined = await worker?.flush();
      expect(joined?.stats.lines).toBe(4);
      expect(joined).toEqual(whole);
      // Nothing kept any more: a flush now is a failure, and the worker is done.
      expect(await worker?.flush()).toBeUndefined();
      expect(await worker?.keep(file, 'kept.log', 0, ends[0] ?? 0)).toBe(false);
    } finally {
      worker?.close();
    }
  });

  it.skipIf(!existsSync(builtAnalyze))('a worker started early is adopted by the read, with the same results as one thread', async () => {
    const { prestartRangeWorker } = await load();
    const { analyzeAuditLogs } = (await import(pathToFileURL(builtAnalyze).href)) as typeof Analyze;
    const events = Array.from({ length: 400 }, (_, i) => auditEvent({ user: `user${i % 4}`, code: i % 3 === 0 ? 403 : 200, time: `2024-05-01T10:${String(i % 60).padStart(2, '0')}:00Z` }));
    const file = writeLog('log.jsonl', jsonLines(events));
    expect(prestartRangeWorker([largeFile()], '/', true)).toBe(true);
    const parallel = await analyzeAuditLogs({ paths: [file], parallel: true, parallelMinBytes: 0, rangeBytes: 4096 });
    expect(prestartRangeWorker([], '/', true)).toBe(false);
    const single = await analyzeAuditLogs({ paths: [file], parallel: false });
    expect(parallel.sources[0]?.parallel).toBe(true);
    expect(parallel.findings).toEqual(single.findings);
    expect(parallel.timeline).toEqual(single.timeline);
  });
});
