#!/usr/bin/env node
// npm run bench (audit logs): the audit-log targets of issue #20, whole process as a user runs it
// (start-up and the report written included), alternated run by run with jq on the same file:
//   - a generated Kubernetes audit log of 200,000 events (scripts/corpora.js: JSON lines, the mix
//     of a busy EKS cluster, and a few events each detection is about);
//   - `eksguard audit analyze FILE -o json=OUT`, every detection on (clusterCidrs set): time and
//     peak RSS (target < 200 MiB);
//   - jq (/usr/bin/jq) running one `select` a detection needs over the same file (target: eksguard
//     at least 3x faster).
// Never a pass/fail test. BENCH_AUDIT_EVENTS sets the size; BENCH_AUDIT_MB instead writes a log
// of that many megabytes (the throughput of DESIGN.md's 1 GB figure).
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAuditLog, writeAuditLogOfSize } from './corpora.js';
import { RSS_SOURCE, checked, interleaved, machine, measure, mib, secs } from './bench-process.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/cli-bundle/main.js'))) spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const dir = join(root, '.bench');
const file = process.env.BENCH_AUDIT_MB
  ? await writeAuditLogOfSize(dir, Number(process.env.BENCH_AUDIT_MB))
  : await writeAuditLog(dir, Number(process.env.BENCH_AUDIT_EVENTS ?? 200_000));
const mb = statSync(file).size / 1024 / 1024;
const config = join(dir, 'eksguard-audit.yaml');
writeFileSync(config, 'audit:\n  clusterCidrs: [10.0.0.0/16]\n');
const out = join(dir, 'audit-report.json');
const runs = Number(process.env.BENCH_RUNS ?? 5);

const JQ = '/usr/bin/jq';
const eksguard = () => checked(measure(process.execPath, [join(root, 'bin/eksguard.js'), 'audit', 'analyze', file, '--config', config, '-o', `json=${out}`, '--fail-on', 'none'], { cwd: root }), 'eksguard audit analyze');
// One select a detection needs: the denied requests (audit-auth-failures).
const jq = () => checked(measure(JQ, ['-c', 'select(.responseStatus.code == 403 or .responseStatus.code == 401)', file]), 'jq');

console.log(`audit log: ${file.slice(root.length + 1)} (${mb.toFixed(0)} MB); whole process, median of ${runs}; peak RSS: ${RSS_SOURCE}`);
if (!existsSync(JQ)) {
  const [ours] = interleaved([eksguard], runs);
  console.log(`  eksguard audit analyze ${secs(ours.ms)} ${(mb / (ours.ms / 1000)).toFixed(0)} MB/s, peak RSS ${mib(ours.rssMiB)} (target < 200 MiB)`);
  console.log('  jq not at /usr/bin/jq (apt-get install jq): no ratio');
} else {
  const [ours, theirs] = interleaved([eksguard, jq], runs);
  console.log(`  eksguard audit analyze ${secs(ours.ms)} ${(mb / (ours.ms / 1000)).toFixed(0)} MB/s, peak RSS ${mib(ours.rssMiB)} (target < 200 MiB)`);
  console.log(`  jq select              ${secs(theirs.ms)} ${(mb / (theirs.ms / 1000)).toFixed(0)} MB/s, peak RSS ${mib(theirs.rssMiB)}`);
  console.log(`  ratio: eksguard is ${(theirs.ms / ours.ms).toFixed(2)}x as fast as jq (target >= 3x)`);
}
const { events, findings } = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8')).summary ?? {};
console.log(`  ${events?.toLocaleString('en') ?? '?'} events, ${findings ?? '?'} findings; ${machine()}`);
