#!/usr/bin/env node
// npm run bench: performance targets of DESIGN.md, each printed as a ratio to its floor measured in
// the same run. Never a pass/fail test: figures depend on the machine.
//   1. manifest scan of 10,000 resources (~3 MB multi-document YAML), every rule on,
//      against js-yaml's loadAll of the same text (target: <= 1.3x), and peak memory;
//   2. `eksguard --version` start-up time (target: < 150 ms).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsYaml from 'js-yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/index.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const { scanManifests } = await import(join(root, 'dist/index.js'));

/** A deterministic corpus: the mix of kinds a real `kubectl get -A -o yaml` holds, half the workloads insecure. */
export function corpus(count) {
  const docs = [];
  for (let i = 0; docs.length < count; i++) {
    const ns = `team-${i % 100}`;
    const insecure = i % 2 === 0;
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: ${ns}
  labels: {app: app-${i}, tier: backend}
spec:
  replicas: 2
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      serviceAccountName: sa-${i}
${insecure ? '      hostNetwork: true\n' : ''}      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: app
          image: registry.example.com/app-${i}:1.${i % 10}.0
          ports:
            - containerPort: 8080
          securityContext:
            allowPrivilegeEscalation: ${insecure ? 'true' : 'false'}
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
${insecure ? '            privileged: true\n' : ''}          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 128Mi}
`);
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: ${ns}
spec:
  selector: {app: app-${i}}
  ports:
    - port: 80
      targetPort: 8080
`);
    docs.push(`apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa-${i}
  namespace: ${ns}
automountServiceAccountToken: false
`);
    docs.push(`apiVersion: v1
kind: ConfigMap
metadata:
  name: app-${i}-config
  namespace: ${ns}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
`);
  }
  return `${docs.slice(0, count).join('---\n')}`;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

async function timeAsync(fn, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

const dir = join(root, '.bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, 'corpus-10k.yaml');
const text = corpus(10_000);
writeFileSync(file, text);
const runs = Number(process.env.BENCH_RUNS ?? 15);

// Warm both paths once, then measure medians. Like the floor's parse, each scan's result is
// dropped before the next run, so neither run carries the previous one's heap.
jsYaml.loadAll(readFileSync(file, 'utf8'));
const { summary } = await scanManifests({ paths: [file] });
// Alternated run by run, so that a neighbour's load on the machine weighs on both alike.
const floorSamples = [];
const scanSamples = [];
for (let i = 0; i < runs; i++) {
  floorSamples.push(time(() => jsYaml.loadAll(readFileSync(file, 'utf8')), 1));
  scanSamples.push(await timeAsync(() => scanManifests({ paths: [file] }), 1));
}
const floorMs = median(floorSamples);
const scanMs = median(scanSamples);

// Peak memory of a whole CLI scan, in its own process.
const cli = spawnSync(process.execPath, ['-e', `
  const { main } = await import(${JSON.stringify(join(root, 'dist/cli/main.js'))});
  const { Writable } = await import('node:stream');
  const sink = new Writable({ write(_c, _e, cb) { cb(); } });
  await main(['scan', ${JSON.stringify(file)}, '-o', 'json', '--fail-on', 'none'], { stdout: sink, stderr: process.stderr, stdin: process.stdin, env: {}, cwd: process.cwd() });
  console.log(process.resourceUsage().maxRSS);
`], { encoding: 'utf8', input: '' });
const peakMiB = Number(cli.stdout.trim()) / 1024;

const versionMs = median(Array.from({ length: 9 }, () => {
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, [join(root, 'bin/eksguard.js'), '--version']);
  return Number(process.hrtime.bigint() - start) / 1e6;
}));
const bareNodeMs = median(Array.from({ length: 9 }, () => {
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  return Number(process.hrtime.bigint() - start) / 1e6;
}));

const mb = (Buffer.byteLength(text) / 1024 / 1024).toFixed(1);
console.log(`manifest scan: ${summary.resources} resources (${mb} MB), ${summary.rulesRun} rules, ${summary.findings} findings`);
console.log(`  js-yaml loadAll (floor) ${floorMs.toFixed(0)} ms`);
console.log(`  eksguard scan           ${scanMs.toFixed(0)} ms   ratio ${(scanMs / floorMs).toFixed(2)}x (target <= 1.30x)`);
console.log(`  peak RSS of a CLI scan with -o json: ${peakMiB.toFixed(0)} MiB`);
console.log(`eksguard --version: ${versionMs.toFixed(0)} ms (bare node ${bareNodeMs.toFixed(0)} ms; target < 150 ms)`);

// RBAC: who-can over 10,000 bindings and 2,000 roles, index build and query times (scripts/bench-rbac.js).
(await import('./bench-rbac.js')).run();
