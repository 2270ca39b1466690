/**
 * The CLI's bundle (dist/cli-bundle/, scripts/bundle.js; `npm test` builds it first): what its
 * modules find relative to themselves is there, its worker threads run from it, and a stack trace
 * through it is printed in the sources' terms when its source maps are there. The commands
 * themselves are run through it by every test that spawns bin/eksguard.js.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as RangeWorkers from '../../src/audit-log/sources/files/range-worker.js';
import type { JobSpec } from '../../src/audit-log/jobs.js';
import { chunksOf } from '../../src/collect/files/documents.js';
import type { WorkerAnswer } from '../../src/collect/files/parse-parallel.js';
import { sourceMappedStack } from '../../src/cli/stack-trace.js';
import { auditEvent, jsonLines, writeLog } from '../audit-log/events.js';
import { makeTempDir } from '../temp-dir.js';

const BUNDLE = resolve('dist/cli-bundle');
let modules: Record<string, string[]>;

/** The file of the CLI's part of the bundle that holds a source module (the workers are bundles of their own). */
function fileHolding(source: string): string {
  const file = Object.keys(modules).find((name) => !['parse-worker.js', 'worker.js'].includes(name) && modules[name]?.includes(source));
  if (file === undefined) throw new Error(`no file of the bundle holds ${source}`);
  return join(BUNDLE, file);
}

beforeAll(() => {
  modules = JSON.parse(readFileSync(join(BUNDLE, 'modules.json'), 'utf8')) as Record<string, string[]>;
});

describe('the CLI bundle', () => {
  it('finds every file its modules name relative to themselves: package.json, docs, validators, workers', () => {
    const named: string[] = [];
    for (const file of readdirSync(BUNDLE).filter((name) => name.endsWith('.js'))) {
      const text = readFileSync(join(BUNDLE, file), 'utf8');
      for (const match of text.matchAll(/new URL\("([^"`]+)", (?:new URL\("([^"]+)", import\.meta\.url\)\.href|import\.meta\.url)\)/g)) {
        const base = new URL(match[2] ?? file, pathToFileURL(join(BUNDLE, file)));
        const target = fileURLToPath(new URL(match[1] as string, base));
        named.push(target);
        expect(existsSync(target), `${file}: ${match[0]}`).toBe(true);
      }
    }
    // The modules' own places under dist/ (where tsc wrote them) and the package root.
    expect(named).toEqual(expect.arrayContaining([resolve('package.json'), resolve('dist/core/json-schema.js'), join(BUNDLE, 'parse-worker.js'), join(BUNDLE, 'worker.js')]));
    // The rule docs, named by a template: from the place of rule-docs.js under dist/.
    expect(readFileSync(fileHolding('src/cli/rule-docs.ts'), 'utf8')).toContain('new URL("../cli/rule-docs.js", import.meta.url).href');
  });

  it('runs the manifest parser\'s worker from its own file, which holds no more than it needs', async () => {
    expect(modules['parse-worker.js']).toContain('src/collect/files/parse-worker.ts');
    expect(modules['parse-worker.js']?.some((path) => path.startsWith('src/rules/') || path.startsWith('src/cli/'))).toBe(false);
    const chunks = chunksOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n');
    const answer = await new Promise<WorkerAnswer>((resolveAnswer, reject) => {
      const worker = new Worker(join(BUNDLE, 'parse-worker.js'), { workerData: { chunks, positions: true } });
      worker.once('message', (message: WorkerAnswer) => {
        resolveAnswer(message);
        void worker.terminate();
      });
      worker.once('error', reject);
    });
    expect((JSON.parse(answer.loaded) as { value: unknown }[]).map((loaded) => loaded.value)).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } },
    ]);
    expect(answer.positions?.size).toBeGreaterThan(0);
  });

  it('reads audit-log ranges on the worker thread the bundled range reader starts beside itself', async () => {
    const { startRangeWorker } = (await import(pathToFileURL(fileHolding('src/audit-log/sources/files/range-worker.ts')).href)) as typeof RangeWorkers;
    const spec: JobSpec = { kind: 'analyze', settings: { detections: [{ id: 'audit-auth-failures', severity: 'high', options: { windowMinutes: 5, baseline: 20, ignoreUsers: [] } }], clusterCidrs: [] } };
    const lines = jsonLines([auditEvent({ code: 403 }), auditEvent({ code: 200 }), auditEvent({ code: 401 })]);
    const file = writeLog('bundle.log', lines);
    const worker = startRangeWorker<unknown>(spec);
    expect(worker).toBeDefined();
    try {
      const read = await worker?.read(file, 'bundle.log', 0, Buffer.byteLength(lines));
      expect(read?.stats).toMatchObject({ records: 3, events: 3, lines: 3 });
    } finally {
      worker?.close();
    }
  });

  it('starts the audit worker early through the same module the read adopts it from', async () => {
    // bin/eksguard.js imports audit-prestart.js before the CLI loads; a copy of the range reader's
    // module of its own there would start a worker the read never adopts (and then a second one).
    const early = (await import(pathToFileURL(join(BUNDLE, 'audit-prestart.js')).href)) as typeof RangeWorkers;
    const read = (await import(pathToFileURL(fileHolding('src/audit-log/sources/files/range-worker.ts')).href)) as typeof RangeWorkers;
    expect(early.prestartRangeWorker).toBe(read.prestartRangeWorker);
    expect(early.startRangeWorker).toBe(read.startRangeWorker);
    expect(readFileSync('bin/eksguard.js', 'utf8')).toContain("import('../dist/cli-bundle/audit-prestart.js')");
  });

  it('prints a stack through the bundle in the sources\' terms where its source maps are, and as it is elsewhere', () => {
    const main = join(BUNDLE, 'main.js');
    const line = readFileSync(main, 'utf8').split('\n').findIndex((text) => text.startsWith('async function main(')) + 1;
    const sourceLine = readFileSync('src/cli/main.ts', 'utf8').split('\n').findIndex((text) => text.startsWith('export async function main(')) + 1;
    expect(line).toBeGreaterThan(0);
    expect(sourceLine).toBeGreaterThan(0);
    const url = pathToFileURL(main).href;
    const stack = `Error: boom\n    at main (${url}:${line}:1)\n    at async ${url}:${line}:1\n    at run (node:internal/modules/run_main:1:2)\n    at x (file:///elsewhere/dist/cli/main.js:3:4)`;
    expect(sourceMappedStack(stack)).toBe(`Error: boom\n    at main (${resolve('src/cli/main.ts')}:${sourceLine}:1)\n    at async ${resolve('src/cli/main.ts')}:${sourceLine}:1\n    at run (node:internal/modules/run_main:1:2)\n    at x (file:///elsewhere/dist/cli/main.js:3:4)`);
    // An npm install: the same file without its map beside it.
    const copy = join(makeTempDir('bundle'), 'cli-bundle');
    mkdirSync(copy);
    copyFileSync(main, join(copy, 'main.js'));
    const unmapped = `Error: boom\n    at main (${pathToFileURL(join(copy, 'main.js')).href}:${line}:1)`;
    expect(sourceMappedStack(unmapped)).toBe(unmapped);
  });

  it('an internal error of the CLI prints its stack through the bundle as places in src/', () => {
    // A bug planted in node:crypto, which the SARIF report's fingerprints call.
    const plant = join(makeTempDir('bundle'), 'plant.mjs');
    writeFileSync(plant, `import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
crypto.createHash = () => { throw new TypeError('planted bug'); };
crypto.hash = () => { throw new TypeError('planted bug'); };
syncBuiltinESMExports();
`);
    const run = spawnSync(process.execPath, ['--import', plant, 'bin/eksguard.js', 'scan', 'examples/', '-o', 'sarif'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('eksguard: internal error: planted bug');
    expect(run.stderr).toMatch(new RegExp(`at \\S+ \\(${resolve('src/report').replace(/[/.]/g, '\\$&')}/sarif\\.ts:\\d+:\\d+\\)`));
    expect(run.stderr).not.toContain('cli-bundle');
  });
});
