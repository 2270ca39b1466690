#!/usr/bin/env node
// npm run bench, the webhook part: figures printed as ratios, never a pass/fail test.
//   1. p99 latency of a privileged-pod AdmissionReview (denied) with 16 concurrent keep-alive
//      clients in a closed loop on loopback, against a bare Node HTTPS server that reads the same
//      body, parses it (for the uid, as any webhook must) and answers allowed: true (target <= 3x);
//   2. resident memory of the webhook over 100,000 such requests (target: flat).
// Each server runs in a child process of its own (its RSS is its own); the clients run here.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLIENTS = 16;
const WARMUP = 3_000;
const MEASURED = 30_000;
const MEMORY_RUN = 100_000;
const SERVER_NAME = 'eksguard-webhook.eksguard.svc';

function privilegedPodReview(i) {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `bench-${i}`,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      namespace: 'shop',
      operation: 'CREATE',
      userInfo: { username: 'alice@example.com', groups: ['system:authenticated'] },
      object: {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: `debug-${i}`, namespace: 'shop', labels: { app: 'debug' } },
        spec: {
          serviceAccountName: 'debug',
          containers: [{ name: 'shell', image: 'busybox:1.36', command: ['sleep', '3600'], securityContext: { privileged: true }, resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
        },
      },
      oldObject: null,
      dryRun: false,
    },
  });
}

// --- child: one server ------------------------------------------------------------------------
if (process.argv[2] === 'serve') {
  const [, , , kind, certFile, keyFile] = process.argv;
  let port;
  if (kind === 'eksguard') {
    const { startWebhook } = await import(join(root, 'dist/webhook/index.js'));
    const { EMPTY_CONFIG } = await import(join(root, 'dist/engine/config.js'));
    const webhook = await startWebhook({ certFile, keyFile, port: 0, host: '127.0.0.1', mode: 'enforce', failOn: 'high', config: EMPTY_CONFIG, log: () => undefined });
    port = webhook.port;
  } else {
    const { readFileSync } = await import('node:fs');
    const server = https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile), keepAliveTimeout: 65_000 }, (req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: true } });
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = server.address().port;
  }
  process.on('message', (message) => {
    if (message === 'rss') {
      globalThis.gc?.();
      process.send({ rss: process.memoryUsage().rss });
    }
  });
  process.send({ port });
} else {
  // --- parent: certificates, servers, clients --------------------------------------------------
  if (!existsSync(join(root, 'dist/webhook/index.js'))) throw new Error('run npm run build first');
  const { generateWebhookCerts, WEBHOOK_DEFAULTS } = await import(join(root, 'dist/webhook/certs.js'));
  const certs = await generateWebhookCerts({ ...WEBHOOK_DEFAULTS, days: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'eksguard-bench-webhook-'));
  writeFileSync(join(dir, 'tls.crt'), certs.cert);
  writeFileSync(join(dir, 'tls.key'), certs.key);

  const start = (kind) => new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['serve', kind, join(dir, 'tls.crt'), join(dir, 'tls.key')], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve({ child, port: m.port }));
    child.once('error', reject);
  });
  const rssOf = (child) => new Promise((resolve) => {
    child.once('message', (m) => resolve(m.rss));
    child.send('rss');
  });

  /** `total` requests from CLIENTS closed loops over keep-alive connections; the latency of each. */
  async function load(port, total, onProgress) {
    const agent = new https.Agent({ keepAlive: true, maxSockets: CLIENTS, ca: certs.caCert, servername: SERVER_NAME });
    const latencies = new Float64Array(total);
    let next = 0;
    const one = (i) => new Promise((resolve, reject) => {
      const body = privilegedPodReview(i);
      const t0 = performance.now();
      const req = https.request({ host: '127.0.0.1', port, method: 'POST', path: '/validate', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
          latencies[i] = performance.now() - t0;
          resolve();
        });
      });
      req.on('error', reject);
      req.end(body);
    });
    const client = async () => {
      while (next < total) {
        const i = next++;
        await one(i);
        if (onProgress && (i + 1) % 10_000 === 0) await onProgress(i + 1);
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const seconds = (performance.now() - t0) / 1000;
    agent.destroy();
    return { latencies, seconds };
  }

  const percentile = (values, p) => {
    const sorted = Float64Array.from(values).sort();
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  };

  const results = {};
  for (const kind of ['bare', 'eksguard']) {
    const { child, port } = await start(kind);
    await load(port, WARMUP);
    const { latencies, seconds } = await load(port, MEASURED);
    results[kind] = { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), rps: MEASURED / seconds };
    if (kind === 'eksguard') {
      const samples = [await rssOf(child)];
      await load(port, MEMORY_RUN, async () => {
        samples.push(await rssOf(child));
      });
      results.rss = samples;
    }
    child.kill();
  }
  const mib = (b) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  const ms = (v) => `${v.toFixed(2)} ms`;
  const { bare, eksguard, rss } = results;
  console.log(`webhook: ${CLIENTS} keep-alive clients, closed loop, loopback, ${MEASURED.toLocaleString('en-US')} privileged-pod reviews after ${WARMUP.toLocaleString('en-US')} warm-up`);
  console.log(`  bare https (parse, allowed: true): p50 ${ms(bare.p50)}  p99 ${ms(bare.p99)}  ${Math.round(bare.rps).toLocaleString('en-US')} req/s`);
  console.log(`  eksguard webhook (denied, 2 rules): p50 ${ms(eksguard.p50)}  p99 ${ms(eksguard.p99)}  ${Math.round(eksguard.rps).toLocaleString('en-US')} req/s`);
  console.log(`  p99 ratio ${(eksguard.p99 / bare.p99).toFixed(2)}x (target <= 3x)`);
  const first = rss[0];
  const last = rss[rss.length - 1];
  const peak = Math.max(...rss);
  console.log(`  webhook RSS over ${MEMORY_RUN.toLocaleString('en-US')} requests (after GC, every 10,000): ${rss.map(mib).join(' → ')}`);
  console.log(`  start ${mib(first)}, end ${mib(last)}, peak ${mib(peak)}: ${(((last - first) / first) * 100).toFixed(1)}% change (target: flat)`);
}
