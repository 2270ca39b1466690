#!/usr/bin/env tsx
// npm run bench (part 2): the live collector against a local API server holding a 1,000-namespace,
// 10,000-pod cluster. Prints collection time against a floor measured in the same run (fetching
// the same pages with a bare HTTPS client, parsing only what paging needs), requests made, objects
// kept, and peak memory with and without replica sampling. Figures, never pass/fail.
// The server runs in this process; each measurement runs in a child `node` on dist/, so its
// memory and time are its own (started asynchronously: the server must keep answering).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeApiServer } from '../test/collect/kube/fake-api-server.js';
import { writeKubeconfig } from '../test/collect/kube/kubeconfig.js';
import type { KubeObject } from '../src/core/resource.js';

const run = promisify(execFile);

/** Runs ES module code in a child node and returns the JSON it prints last. */
async function child<T>(code: string): Promise<T> {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as T;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/collect/kube/collect.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

const NAMESPACES = 1000;
const DEPLOYMENTS_PER_NAMESPACE = 2;
const REPLICAS = 5;
const OLD_REPLICASETS = 2;

function managedFields(manager: string): unknown[] {
  return [{ manager, operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } } } } }];
}

/** ownerReferences as controllers set them (with apiVersion and uid, which the core types leave open). */
function owner(kind: string, name: string, uid: string): Record<string, unknown> {
  return { ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid, controller: true, blockOwnerDeletion: true }] };
}

function podSpec(i: number, insecure: boolean): Record<string, unknown> {
  return {
    serviceAccountName: `sa-${i % 2}`,
    ...(insecure ? { hostNetwork: true } : {}),
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'app', image: `registry.example.com/app-${i}:1.${i % 10}.0`, ports: [{ containerPort: 8080, protocol: 'TCP' }],
      env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
      securityContext: { allowPrivilegeEscalation: insecure, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, ...(insecure ? { privileged: true } : {}) },
      volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
    }],
    volumes: [{ name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] } }],
    dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30,
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  };
}

function cluster(): KubeObject[] {
  const objects: KubeObject[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `team-${n}`;
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns }, managedFields: managedFields('kubectl') } });
    for (let s = 0; s < 2; s++) objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${s}`, namespace: ns } });
    objects.push({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'legacy-token', namespace: ns, annotations: { 'kubernetes.io/service-account.name': 'sa-0' } }, data: { token: 'dG9rZW4=' } });
    objects.push({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'app', namespace: ns }, data: { password: 'cGFzc3dvcmQ=' } });
    objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'edit', namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'Group', name: `${ns}-devs`, apiGroup: 'rbac.authorization.k8s.io' }] });
    objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    for (let d = 0; d < DEPLOYMENTS_PER_NAMESPACE; d++) {
      const i = n * DEPLOYMENTS_PER_NAMESPACE + d;
      const name = `app-${d}`;
      const insecure = i % 2 === 0;
      const spec = podSpec(i, insecure);
      objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } });
      objects.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, managedFields: managedFields('kubectl') }, spec: { replicas: REPLICAS, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } } });
      const hashes = [...Array.from({ length: OLD_REPLICASETS }, (_, k) => `old${k}`), 'cur'];
      for (const hash of hashes) {
        objects.push({
          apiVersion: 'apps/v1', kind: 'ReplicaSet',
          metadata: { name: `${name}-${hash}`, namespace: ns, labels: { app: name, 'pod-template-hash': hash }, ...owner('Deployment', name, `u-${ns}-${name}`), managedFields: managedFields('kube-controller-manager') },
          spec: { replicas: hash === 'cur' ? REPLICAS : 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, 'pod-template-hash': hash } }, spec } },
        });
      }
      for (let r = 0; r < REPLICAS; r++) {
        objects.push({
          apiVersion: 'v1', kind: 'Pod',
          metadata: { name: `${name}-cur-${r}`, namespace: ns, labels: { app: name, 'pod-template-hash': 'cur' }, ...owner('ReplicaSet', `${name}-cur`, `u-${ns}-${name}-cur`), managedFields: managedFields('kubelet') },
          spec: { ...spec, nodeName: `ip-10-0-${r}-${n % 250}.ec2.internal` },
          status: {
            phase: 'Running', qosClass: 'Burstable', podIP: `10.1.${n % 250}.${r}`, hostIP: `10.0.${r}.${n % 250}`, startTime: '2026-01-01T00:00:00Z',
            conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' })),
            containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: `registry.example.com/app-${i}:1.${i % 10}.0`, imageID: `registry.example.com/app-${i}@sha256:${'0'.repeat(64)}`, containerID: `containerd://${'a'.repeat(64)}`, started: true, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }],
          },
        });
      }
    }
  }
  return objects;
}

interface Measure { readonly ms: number; readonly requests: number; readonly objects: number; readonly sampledOut: number; readonly maxRssMiB: number; readonly heapMiB: number; readonly baseHeapMiB: number; readonly gaps: number }

/** Runs the collector in a fresh node process on dist/: time, requests, objects, peak RSS. */
function collectInChild(kubeconfig: string, keepReplicas: boolean): Promise<Measure> {
  const code = `
    const { collectCluster } = await import(${JSON.stringify(join(root, 'dist/collect/kube/collect.js'))});
    const { kindsNeeded } = await import(${JSON.stringify(join(root, 'dist/engine/rule-kinds.js'))});
    const { builtinRules } = await import(${JSON.stringify(join(root, 'dist/rules/index.js'))});
    const kinds = kindsNeeded(Object.values(builtinRules).map((rule) => ({ rule, handlers: rule.create(rule.defaultOptions) })));
    globalThis.gc();
    const baseHeap = process.memoryUsage().heapUsed;
    const start = process.hrtime.bigint();
    const result = await collectCluster({ kubeconfig: ${JSON.stringify(kubeconfig)}, env: {}, kinds, keepReplicas: ${keepReplicas} });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    globalThis.gc();
    const heap = process.memoryUsage().heapUsed; // what the inventory keeps, once the pages are garbage
    console.log(JSON.stringify({ ms, requests: result.summary.requests, objects: result.resources.length, sampledOut: result.summary.sampledOut, gaps: result.gaps.length,
      maxRssMiB: process.resourceUsage().maxRSS / 1024, heapMiB: (heap - baseHeap) / 1048576, baseHeapMiB: baseHeap / 1048576 }));`;
  return child<Measure>(code);
}

/**
 * The floor: the same list requests, paged the same way, four in flight over keep-alive HTTPS,
 * each page parsed for its continue token and nothing else kept.
 */
function floorInChild(server: string, ca: string, token: string, paths: readonly string[]): Promise<{ ms: number; requests: number }> {
  const code = `
    const https = await import('node:https');
    const { gunzipSync } = await import('node:zlib');
    const agent = new https.Agent({ keepAlive: true, maxSockets: 4, ca: ${JSON.stringify(ca)} });
    let requests = 0;
    const get = (path, cont) => new Promise((resolve, reject) => {
      const url = new URL(${JSON.stringify(server)} + path);
      url.searchParams.set('limit', '500');
      if (cont) url.searchParams.set('continue', cont);
      requests++;
      https.get(url, { agent, headers: { Authorization: 'Bearer ${token}', 'Accept-Encoding': 'gzip', Accept: path.endsWith('/secrets') ? 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' : 'application/json' } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve(JSON.parse((res.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString()));
        });
        res.on('error', reject);
      }).on('error', reject);
    });
    const paths = ${JSON.stringify(paths)};
    const start = process.hrtime.bigint();
    let next = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < paths.length) {
        const path = paths[next++];
        let cont;
        do { cont = (await get(path, cont)).metadata?.continue; } while (cont);
      }
    }));
    console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - start) / 1e6, requests }));
    agent.destroy();`;
  return child<{ ms: number; requests: number }>(code);
}

async function repeat<T>(times: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < times; i++) out.push(await fn());
  return out;
}

function median<T>(runs: readonly T[], key: (t: T) => number): T {
  return [...runs].sort((a, b) => key(a) - key(b))[Math.floor(runs.length / 2)] as T;
}

const objects = cluster();
const pods = objects.filter((o) => o.kind === 'Pod').length;
const token = 'bench-token';
const server = await startFakeApiServer({ objects, token });
try {
  const dir = join(root, '.bench');
  mkdirSync(dir, { recursive: true });
  const kubeconfig = writeKubeconfig(dir, { server: server.url, ca: server.ca, token }, 'kubeconfig-bench');
  const runs = Number(process.env.BENCH_RUNS ?? 3);

  await collectInChild(kubeconfig, false); // warm the server's code paths
  server.requests.length = 0;
  const sampled = median(await repeat(runs, () => collectInChild(kubeconfig, false)), (m) => m.ms);
  const listPaths = [...new Set(server.requests.filter((r) => r.query.limit !== undefined).map((r) => r.path))];
  const full = await collectInChild(kubeconfig, true);
  const floor = median(await repeat(runs, () => floorInChild(server.url, server.ca, token, listPaths)), (m) => m.ms);

  // The whole CLI: collection, every rule, the JSON report.
  const cliCode = `
    const { main } = await import(${JSON.stringify(join(root, 'dist/cli/main.js'))});
    const { Writable, Readable } = await import('node:stream');
    const sink = new Writable({ write(_c, _e, cb) { cb(); } });
    const start = process.hrtime.bigint();
    const code = await main(['scan', '--cluster', '--kubeconfig', ${JSON.stringify(kubeconfig)}, '-o', 'json', '--fail-on', 'none'], { stdout: sink, stderr: process.stderr, stdin: Readable.from([]), env: {}, cwd: process.cwd() });
    console.log(JSON.stringify({ code, ms: Number(process.hrtime.bigint() - start) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));`;
  const cliRun = await child<{ code: number; ms: number; maxRssMiB: number }>(cliCode);

  console.log(`live cluster: ${NAMESPACES} namespaces, ${pods} pods, ${objects.length} objects served (local HTTPS API server, every built-in rule's kinds, page size 500, 4 in flight)`);
  console.log(`  collection             ${sampled.ms.toFixed(0)} ms, ${sampled.requests} requests, ${sampled.gaps} gaps`);
  console.log(`  floor (bare GETs)      ${floor.ms.toFixed(0)} ms, ${floor.requests} requests   ratio ${(sampled.ms / floor.ms).toFixed(2)}x`);
  console.log(`  kept ${sampled.objects} objects (${sampled.sampledOut} replicas judged through their controller): heap kept ${sampled.heapMiB.toFixed(0)} MiB, peak RSS ${sampled.maxRssMiB.toFixed(0)} MiB (heap before collecting ${sampled.baseHeapMiB.toFixed(0)} MiB)`);
  console.log(`  keeping every replica: ${full.objects} objects, heap kept ${full.heapMiB.toFixed(0)} MiB, peak RSS ${full.maxRssMiB.toFixed(0)} MiB`);
  console.log(`  eksguard scan --cluster -o json: ${cliRun.ms.toFixed(0)} ms (exit ${cliRun.code}), peak RSS ${cliRun.maxRssMiB.toFixed(0)} MiB`);
} finally {
  await server.close();
}
