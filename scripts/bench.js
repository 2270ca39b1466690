#!/usr/bin/env node
// npm run bench: the manifest scan's performance targets (issue #20), every figure a whole process
// as a user runs it (`node bin/eksguard.js scan FILE -o json=OUT`, every rule on), each ratio taken
// against a floor measured in the same run, alternated run by run. Never a pass/fail test: the
// figures depend on the machine, whose load is printed beside them.
//   1. scan of 10,000 resources in each corpus (block, mixed block/flow, `kubectl get -o json`
//      List) against a bare js-yaml `loadAll` process of the same file (target <= 2x);
//   2. time and peak RSS at 10k, 30k and 100k resources (target: 100k <= 11x the 10k time, < 1 GB);
//   3. start-up: `eksguard scan` of the hardened example against `node -e 0` (target <= 3x).
// Inputs: scripts/corpora.js, written once into .bench/. BENCH_RUNS sets the runs per figure.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPORA, writeManifestCorpora } from './corpora.js';
import { RSS_SOURCE, checked, interleaved, machine, measure, mib, secs } from './bench-process.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/cli-bundle/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const dir = join(root, '.bench');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const bin = join(root, 'bin/eksguard.js');
const out = join(dir, 'report.json');

// Every rule on: the two rules off by default turned on at their default severity.
const { builtinRules } = await import(join(root, 'dist/rules/index.js'));
const config = join(dir, 'eksguard-all-rules.yaml');
const offByDefault = Object.values(builtinRules).filter((rule) => rule.meta.enabledByDefault === false);
writeFileSync(config, `rules:\n${offByDefault.map((rule) => `  ${rule.id}: ${rule.meta.severity}\n`).join('')}`);

const scan = (file) => () => checked(measure(process.execPath, [bin, 'scan', file, '--config', config, '-o', `json=${out}`, '--fail-on', 'none', '--quiet'], { cwd: root }), `eksguard scan ${file}`);
const floor = (file) => () => checked(measure(process.execPath, ['-e', `require('js-yaml').loadAll(require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`], { cwd: root }), `js-yaml loadAll ${file}`);
const size = (file) => `${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`;

console.log(`manifest scan, whole process, every rule on (${Object.keys(builtinRules).length} rules), -o json to a file; median of ${runs}`);
console.log(`  ${machine()}; peak RSS: ${RSS_SOURCE}`);

// 1. Ratio to a bare js-yaml parse, per corpus.
const small = await writeManifestCorpora(dir, 10_000);
for (const kind of CORPORA) {
  const file = small[kind];
  const [base, ours] = interleaved([floor(file), scan(file)], runs);
  console.log(`  ${kind.padEnd(5)} 10k (${size(file)}): js-yaml loadAll ${secs(base.ms)} ${mib(base.rssMiB)}, eksguard scan ${secs(ours.ms)} ${mib(ours.rssMiB)}   ratio ${(ours.ms / base.ms).toFixed(2)}x (target <= 2x)`);
}

// 2. Growth, on the hand-written corpus: any super-linear step shows in the ratios.
const growth = [];
for (const count of [10_000, 30_000, 100_000]) {
  const { mixed } = await writeManifestCorpora(dir, count, ['mixed']);
  const [result] = interleaved([scan(mixed)], count === 100_000 ? Math.max(1, Math.min(runs, 3)) : runs);
  growth.push({ count, ...result });
  const ratio = (result.ms / growth[0].ms).toFixed(2);
  console.log(`  mixed ${String(count / 1000).padStart(3)}k (${size(mixed)}): ${secs(result.ms)}, peak RSS ${mib(result.rssMiB)}   ${ratio}x the 10k time${count === 100_000 ? ' (target <= 11x, < 1024 MiB)' : ''}`);
}
console.log(`  ${machine()}`);

// 3. Start-up: one small file, table to the terminal replaced by a file so both sides write nothing.
const example = join(root, 'examples/hardened/web.yaml');
const [bare, startup] = interleaved([
  () => checked(measure(process.execPath, ['-e', '0']), 'node -e 0'),
  () => checked(measure(process.execPath, [bin, 'scan', example, '-o', `json=${out}`, '--fail-on', 'none', '--quiet'], { cwd: root }), 'eksguard scan example'),
], Math.max(runs, 9));
console.log(`start-up: eksguard scan examples/hardened/web.yaml ${startup.ms.toFixed(0)} ms, node -e 0 ${bare.ms.toFixed(0)} ms   ratio ${(startup.ms / bare.ms).toFixed(2)}x (target <= 3x)`);

// RBAC: who-can over 10,000 bindings and 2,000 roles, index build and query times (scripts/bench-rbac.js).
(await import('./bench-rbac.js')).run();
