#!/usr/bin/env node
// npm run bench (audit logs): DESIGN.md's audit-log targets, measured in one run on the same file:
//   - a generated 1 GB Kubernetes audit log (JSON lines, the mix of a busy EKS cluster: controllers'
//     reads, lease renewals, kubelets, some denied requests, and a few events each detection is about);
//   - eksguard audit analyze over it, every detection on (clusterCidrs set), peak RSS of the process
//     (target < 200 MB) and throughput;
//   - jq running one equivalent `select` over the same file (target: eksguard at least 4x faster).
// Never a pass/fail test: figures depend on the machine. BENCH_AUDIT_MB sets the size (default 1024).
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism, loadavg } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/cli/main.js'))) spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const dir = join(root, '.bench');
mkdirSync(dir, { recursive: true });
const targetMb = Number(process.env.BENCH_AUDIT_MB ?? 1024);
const file = join(dir, `audit-${targetMb}m.log`);

/** A deterministic pseudo-random sequence, so every run reads the same log. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CONTROLLERS = ['replicaset-controller', 'deployment-controller', 'endpointslice-controller', 'generic-garbage-collector', 'namespace-controller', 'daemon-set-controller', 'job-controller'];
const RESOURCES = ['pods', 'configmaps', 'services', 'endpoints', 'nodes', 'deployments', 'replicasets', 'events', 'leases', 'serviceaccounts'];

/** The API server's field order (k8s.io/apiserver audit Event): timestamps and annotations last. */
const ORDER = ['kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'impersonatedUser', 'sourceIPs', 'userAgent', 'objectRef', 'responseStatus', 'requestObject', 'responseObject', 'requestReceivedTimestamp', 'stageTimestamp', 'annotations'];

function ordered(event) {
  return Object.fromEntries(ORDER.filter((key) => key in event).map((key) => [key, event[key]]));
}

function event(random, i, time) {
  const r = random();
  const id = `6f1d${String(i).padStart(8, '0')}-aa11-4c3e-9d2f-${String(i).padStart(12, '0')}`;
  const base = {
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: id, stage: 'ResponseComplete',
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding "system:controller" of ClusterRole "system:controller" to ServiceAccount "controller/kube-system"' },
    requestReceivedTimestamp: time, stageTimestamp: time,
  };
  const ns = `team-${Math.floor(random() * 40)}`;
  if (r < 0.55) {
    const resource = RESOURCES[Math.floor(random() * RESOURCES.length)];
    const controller = CONTROLLERS[Math.floor(random() * CONTROLLERS.length)];
    const verb = random() < 0.5 ? 'list' : 'watch';
    return { ...base, requestURI: `/api/v1/namespaces/${ns}/${resource}?resourceVersion=${i}&timeout=7m${verb === 'watch' ? '&watch=true' : ''}`, verb,
      user: { username: `system:serviceaccount:kube-system:${controller}`, uid: '8d5e1349-d30f-11e8-96d9-080027728ac4', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] },
      sourceIPs: ['10.0.12.34'], userAgent: `kube-controller-manager/v1.30.2 (linux/amd64) kubernetes/3c7e3cd/system:serviceaccount:kube-system:${controller}`,
      objectRef: { resource, namespace: ns, apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 200 } };
  }
  if (r < 0.8) {
    return { ...base, requestURI: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/ip-10-0-${i % 250}-${i % 200}.ec2.internal?timeout=10s`, verb: 'update',
      user: { username: `system:node:ip-10-0-${i % 250}-${i % 200}.ec2.internal`, uid: 'aws-iam-authenticator:123456789012:AROAEXAMPLE', groups: ['system:bootstrappers', 'system:nodes', 'system:authenticated'], extra: { accessKeyId: ['ASIAEXAMPLEKEYID'], arn: ['arn:aws:sts::123456789012:assumed-role/eks-node-role/i-0123456789abcdef0'], canonicalArn: ['arn:aws:iam::123456789012:role/eks-node-role'] } },
      sourceIPs: [`10.0.${i % 250}.${i % 200}`], userAgent: 'kubelet/v1.30.2-eks-1552ad0 (linux/amd64) kubernetes/1552ad0',
      objectRef: { resource: 'leases', namespace: 'kube-node-lease', name: `ip-10-0-${i % 250}-${i % 200}.ec2.internal`, apiGroup: 'coordination.k8s.io', apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 200 } };
  }
  if (r < 0.97) {
    return { ...base, requestURI: `/api/v1/namespaces/${ns}/pods/web-${i % 1000}`, verb: 'get',
      user: { username: 'eks:node-manager', groups: ['system:authenticated'] }, sourceIPs: ['10.0.0.5'], userAgent: 'eks-node-manager/v0.1',
      objectRef: { resource: 'pods', namespace: ns, name: `web-${i % 1000}`, apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 200 } };
  }
  if (r < 0.995) {
    return { ...base, requestURI: `/api/v1/namespaces/${ns}/secrets`, verb: 'list', annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' },
      user: { username: `dev-${i % 7}`, groups: ['system:authenticated'] }, sourceIPs: [`198.51.100.${i % 9}`], userAgent: 'kubectl/v1.30.0 (darwin/arm64) kubernetes/7c48c2b',
      objectRef: { resource: 'secrets', namespace: ns, apiVersion: 'v1' }, responseStatus: { metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403 } };
  }
  // The rare events the detections are about.
  const kind = Math.floor(random() * 5);
  if (kind === 0) return { ...base, stage: 'ResponseStarted', requestURI: `/api/v1/namespaces/${ns}/pods/web-1/exec?command=sh&container=app&stdin=true&tty=true`, verb: 'create', user: { username: `admin-${i % 3}`, groups: ['system:authenticated'] }, sourceIPs: ['203.0.113.10'], userAgent: 'kubectl/v1.30.0', objectRef: { resource: 'pods', namespace: ns, name: 'web-1', subresource: 'exec', apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 101 } };
  if (kind === 1) return { ...base, requestURI: `/api/v1/namespaces/${ns}/secrets/db`, verb: 'get', user: { username: `system:serviceaccount:${ns}:app`, groups: ['system:serviceaccounts', 'system:authenticated'] }, sourceIPs: [i % 2 === 0 ? '10.0.44.5' : '203.0.113.77'], userAgent: 'python-requests/2.31', objectRef: { resource: 'secrets', namespace: ns, name: 'db', apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 200 } };
  if (kind === 2) return { ...base, level: 'RequestResponse', requestURI: `/api/v1/namespaces/${ns}/pods`, verb: 'create', user: { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts', 'system:authenticated'] }, sourceIPs: ['10.0.12.34'], userAgent: 'kube-controller-manager/v1.30.2', objectRef: { resource: 'pods', namespace: ns, apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 201 }, requestObject: { kind: 'Pod', apiVersion: 'v1', metadata: { generateName: 'agent-7d9f-', namespace: ns, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'agent-7d9f', controller: true }] }, spec: { hostNetwork: i % 2 === 0, volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }], containers: [{ name: 'agent', image: 'registry.example.com/agent:1.2', securityContext: { privileged: i % 3 === 0 } }] } } };
  if (kind === 3) return { ...base, requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', verb: 'create', user: { username: 'ops-admin', groups: ['system:masters', 'system:authenticated'] }, sourceIPs: ['198.51.100.20'], userAgent: 'kubectl/v1.30.0', objectRef: { resource: 'clusterrolebindings', name: `grant-${i % 11}`, apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 201 }, requestObject: { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: i % 2 === 0 ? 'cluster-admin' : 'view' }, subjects: [{ kind: 'User', name: `contractor-${i % 4}` }] } };
  return { ...base, requestURI: '/api/v1/namespaces/kube-system/configmaps/aws-auth', verb: 'patch', user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] }, sourceIPs: ['198.51.100.21'], userAgent: 'kubectl/v1.30.0', objectRef: { resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth', apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 200 } };
}

async function generate() {
  const random = rng(42);
  const out = createWriteStream(file);
  const start = Date.parse('2024-05-01T00:00:00Z');
  let written = 0;
  let batch = [];
  for (let i = 0; written < targetMb * 1024 * 1024; i += 1) {
    const time = new Date(start + i * 37).toISOString();
    const line = `${JSON.stringify(ordered(event(random, i, time)))}\n`;
    written += line.length;
    batch.push(line);
    if (batch.length === 2000) {
      if (!out.write(batch.join(''))) await new Promise((resolve) => out.once('drain', resolve));
      batch = [];
    }
  }
  out.write(batch.join(''));
  await new Promise((resolve) => out.end(resolve));
}

if (!existsSync(file) || statSync(file).size < targetMb * 1024 * 1024) {
  console.log(`generating ${file} (${targetMb} MB) ...`);
  await generate();
}
const bytes = statSync(file).size;
const mb = bytes / 1024 / 1024;
const config = join(dir, 'eksguard-audit.yaml');
writeFileSync(config, 'audit:\n  clusterCidrs: [10.0.0.0/16]\n');

function timed(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  return { ...run, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The whole CLI in its own process, reporting its peak RSS (worker threads included) at exit. */
function runCli() {
  const cli = timed(process.execPath, ['-e', `
    const { main } = await import(${JSON.stringify(join(root, 'dist/cli/main.js'))});
    const { Writable } = await import('node:stream');
    let report = '';
    const sink = new Writable({ write(c, _e, cb) { report += c; cb(); } });
    const code = await main(['audit', 'analyze', ${JSON.stringify(file)}, '--config', ${JSON.stringify(config)}, '-o', 'json', '--fail-on', 'none'], { stdout: sink, stderr: process.stderr, stdin: process.stdin, env: {}, cwd: process.cwd() });
    const parsed = JSON.parse(report);
    console.log(JSON.stringify({ code, maxRSS: process.resourceUsage().maxRSS, events: parsed.summary.events, findings: parsed.findings.length, parallel: parsed.sources[0].parallel }));
  `], { input: '' });
  if (cli.status !== 0) {
    console.error(cli.stderr);
    process.exit(1);
  }
  return { ms: cli.ms, ...JSON.parse(cli.stdout.trim().split('\n').pop()) };
}

const jqCheck = spawnSync('jq', ['--version'], { encoding: 'utf8' });
const hasJq = !jqCheck.error;
// One select a detection needs: the denied requests (audit-auth-failures).
const runJq = () => timed('jq', ['-c', 'select(.responseStatus.code == 403 or .responseStatus.code == 401)', file], { stdio: ['ignore', 'ignore', 'pipe'] }).ms;

// The machines are shared: eksguard and jq run alternately, and each figure is the median of its runs.
const rounds = Number(process.env.BENCH_RUNS ?? 3);
const cliRuns = [];
const jqRuns = [];
for (let i = 0; i < rounds; i += 1) {
  cliRuns.push(runCli());
  if (hasJq) jqRuns.push(runJq());
}
const cliMs = median(cliRuns.map((r) => r.ms));
const stats = cliRuns[0];
const peakMiB = Math.max(...cliRuns.map((r) => r.maxRSS)) / 1024;

// The library on one thread and on two, whatever the load: what the automatic choice chose between.
const modes = {};
for (const parallel of [false, true]) {
  const run = timed(process.execPath, ['-e', `
    const { analyzeAuditLogs } = await import(${JSON.stringify(join(root, 'dist/audit-log/analyze.js'))});
    const { parseConfig } = await import(${JSON.stringify(join(root, 'dist/engine/config.js'))});
    await analyzeAuditLogs({ paths: [${JSON.stringify(file)}], config: parseConfig('c', 'audit:\\n  clusterCidrs: [10.0.0.0/16]\\n'), parallel: ${parallel} });
    console.log(process.resourceUsage().maxRSS);
  `]);
  modes[parallel ? 'two' : 'one'] = { ms: run.ms, rss: Number(run.stdout.trim()) / 1024 };
}

const threads = cliRuns.map((r) => (r.parallel ? 2 : 1)).join(', ');
console.log(`audit log: ${mb.toFixed(0)} MB, ${stats.events.toLocaleString('en')} events, ${stats.findings} findings; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
console.log(`  eksguard audit analyze  ${(cliMs / 1000).toFixed(1)} s   ${(mb / (cliMs / 1000)).toFixed(0)} MB/s   (median of ${rounds}: ${cliRuns.map((r) => (r.ms / 1000).toFixed(1)).join(', ')} s; threads ${threads})`);
console.log(`    peak RSS ${peakMiB.toFixed(0)} MiB (target < 200 MiB)`);
for (const [name, m] of Object.entries(modes)) console.log(`    library, ${name} thread${name === 'one' ? '' : 's'}: ${(m.ms / 1000).toFixed(1)} s   ${(mb / (m.ms / 1000)).toFixed(0)} MB/s   peak RSS ${m.rss.toFixed(0)} MiB`);
if (!hasJq) {
  console.log('  jq not installed (apt-get install jq): no throughput ratio');
} else {
  const jqMs = median(jqRuns);
  console.log(`  ${jqCheck.stdout.trim()} select         ${(jqMs / 1000).toFixed(1)} s   ${(mb / (jqMs / 1000)).toFixed(0)} MB/s   (median of ${rounds}: ${jqRuns.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s)`);
  console.log(`  ratio: eksguard is ${(jqMs / cliMs).toFixed(1)}x jq's throughput (target >= 4x)`);
}
