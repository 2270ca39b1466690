/**
 * `eksguard webhook` over real HTTPS, as the API server calls it: AdmissionReview bodies for
 * CREATE, UPDATE with oldObject, dry runs, a ReplicaSet's Pod and a Deployment; the HTTP errors
 * for bad bodies; health, readiness and metrics; and a certificate rotated under a running server.
 */
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG, parseConfig } from '../../src/engine/config.js';
import { defineRule, type AnyRule } from '../../src/rules/define-rule.js';
import { builtinRules } from '../../src/rules/index.js';
import { generateWebhookCerts, WEBHOOK_DEFAULTS, type WebhookCerts } from '../../src/webhook/certs.js';
import { startWebhook, type RunningWebhook } from '../../src/webhook/index.js';
import { makeTempDir } from '../temp-dir.js';
import { deployment, hardenedPodSpec, pod, privilegedPod, replicaPod, review } from './reviews.js';

const SERVER_NAME = 'eksguard-webhook.eksguard.svc';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

async function certs(): Promise<WebhookCerts> {
  return generateWebhookCerts({ ...WEBHOOK_DEFAULTS, days: 30 });
}

function call(port: number, ca: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, method, path, ca, servername: SERVER_NAME, headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

function postReview(port: number, ca: string, body: unknown, path = '/validate'): Promise<Reply> {
  return call(port, ca, 'POST', path, JSON.stringify(body), { 'Content-Type': 'application/json' });
}

function responseOf(reply: Reply): { uid: string; allowed: boolean; status?: { code: number; message: string }; warnings?: string[] } {
  expect(reply.status).toBe(200);
  expect(reply.headers['content-type']).toBe('application/json');
  const parsed = JSON.parse(reply.body) as { apiVersion: string; kind: string; response: ReturnType<typeof responseOf> };
  expect(parsed.apiVersion).toBe('admission.k8s.io/v1');
  expect(parsed.kind).toBe('AdmissionReview');
  return parsed.response;
}

/** The serving certificate a fresh TLS connection is shown. */
function servedCertificate(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: SERVER_NAME, ca }, () => {
      const fingerprint = socket.getPeerX509Certificate()?.fingerprint256 ?? '';
      socket.end();
      resolve(fingerprint);
    });
    socket.on('error', reject);
  });
}

describe('eksguard webhook over HTTPS', () => {
  let tls: WebhookCerts;
  let webhook: RunningWebhook;
  const logs: string[] = [];
  let dir: string;

  beforeAll(async () => {
    tls = await certs();
    dir = makeTempDir('webhook-server');
    writeFileSync(join(dir, 'tls.crt'), tls.cert);
    writeFileSync(join(dir, 'tls.key'), tls.key);
    const crash = defineRule({
      id: 'test-crash-on-configmap',
      meta: { area: 'workload', severity: 'critical', docs: { description: 'Crash' }, evidence: ['manifests', 'cluster'], messages: { found: 'found' }, rationale: 'r', remediation: 'R.' },
      defaultOptions: {},
      create: () => ({
        *ConfigMap(target) {
          if (target.ref.name === 'boom') throw new Error('unexpected shape');
          yield* [];
        },
      }),
    });
    webhook = await startWebhook({
      certFile: join(dir, 'tls.crt'),
      keyFile: join(dir, 'tls.key'),
      port: 0,
      host: '127.0.0.1',
      mode: 'enforce',
      failOn: 'high',
      config: parseConfig('eksguard.yaml', 'webhook:\n  allowUsers: ["system:serviceaccount:kube-system:*"]\n'),
      registry: { ...builtinRules, 'test-crash-on-configmap': crash as AnyRule },
      log: (line) => logs.push(line),
      certPollMs: 50,
    });
  });
  afterAll(() => webhook.close());

  it('says once at start-up which rules it does not run, and why', () => {
    const lines = logs.map((l) => JSON.parse(l) as { level: string; msg: string; rules?: string[] });
    const skipped = lines.filter((l) => l.msg.includes('not run at admission'));
    expect(skipped.map((l) => l.msg)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\d+ rules not run at admission: looks at other objects \(needs --cluster\)$/),
      expect.stringMatching(/^\d+ rules not run at admission: judges AWS resources/),
    ]));
    expect(skipped.flatMap((l) => l.rules)).toContain('no-automounted-service-account-token');
    expect(lines.some((l) => l.msg === 'listening')).toBe(true);
  });

  it('denies a privileged Pod on CREATE with a 403 naming the rules, and answers the same uid', async () => {
    const response = responseOf(await postReview(webhook.port, tls.caCert, review({ object: privilegedPod(), uid: 'uid-create' })));
    expect(response.uid).toBe('uid-create');
    expect(response.allowed).toBe(false);
    expect(response.status?.code).toBe(403);
    expect(response.status?.message).toContain('[no-privileged-containers]');
    expect(logs.some((l) => l.includes('"msg":"denied"') && l.includes('"object":"Pod shop/debug"'))).toBe(true);
  });

  it('warns instead on /validate/warn and /validate?mode=warn', async () => {
    for (const path of ['/validate/warn', '/validate?mode=warn']) {
      const response = responseOf(await postReview(webhook.port, tls.caCert, review({ object: privilegedPod() }), path));
      expect(response.allowed).toBe(true);
      expect(response.warnings?.length).toBe(2);
      expect(response.warnings?.every((w) => w.length < 120)).toBe(true);
    }
    expect(responseOf(await postReview(webhook.port, tls.caCert, review({ object: privilegedPod() }), '/validate/enforce')).allowed).toBe(false);
  });

  it('allows an UPDATE that keeps old findings, denies one that adds them, and answers dry runs alike', async () => {
    const old = privilegedPod();
    const relabel = review({ operation: 'UPDATE', object: { ...old, metadata: { ...old.metadata, labels: { a: 'b' } } }, oldObject: old });
    expect(responseOf(await postReview(webhook.port, tls.caCert, relabel)).allowed).toBe(true);
    const worsen = review({ operation: 'UPDATE', object: privilegedPod(), oldObject: pod('debug'), dryRun: true });
    const dry = responseOf(await postReview(webhook.port, tls.caCert, worsen));
    expect(dry.allowed).toBe(false);
    const real = responseOf(await postReview(webhook.port, tls.caCert, { ...worsen, request: { ...(worsen.request as object), dryRun: false } }));
    expect(real).toEqual(dry);
  });

  it("judges a ReplicaSet's Pod and a Deployment, and allows hardened ones", async () => {
    const replica = replicaPod('web', 'shop', { ...hardenedPodSpec(), hostNetwork: true });
    const denied = responseOf(await postReview(webhook.port, tls.caCert, review({ object: replica })));
    expect(denied.status?.message).toMatch(/^eksguard denied Pod shop\/web-5d9c7b8f6d-\*: \[no-host-namespaces\]/);
    expect(responseOf(await postReview(webhook.port, tls.caCert, review({ object: deployment('web') })))).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true });
    const bad = responseOf(await postReview(webhook.port, tls.caCert, review({ object: deployment('web', { ...hardenedPodSpec(), hostPID: true }) })));
    expect(bad.status?.message).toMatch(/^eksguard denied Deployment shop\/web: \[no-host-namespaces\]/);
  });

  it('allows allow-listed users, unknown kinds and objects a rule crashes on, logging and counting the crash', async () => {
    expect(responseOf(await postReview(webhook.port, tls.caCert, review({ object: privilegedPod(), username: 'system:serviceaccount:kube-system:replicaset-controller' }))).allowed).toBe(true);
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' }, spec: {} };
    expect(responseOf(await postReview(webhook.port, tls.caCert, review({ object: widget }))).allowed).toBe(true);
    const boom = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'boom', namespace: 'shop' }, data: {} };
    expect(responseOf(await postReview(webhook.port, tls.caCert, review({ object: boom }))).allowed).toBe(true);
    expect(logs.some((l) => l.includes('"rule":"test-crash-on-configmap"') && l.includes('unexpected shape') && l.includes('ConfigMap shop/boom'))).toBe(true);
    const metrics = await call(webhook.port, tls.caCert, 'GET', '/metrics');
    expect(metrics.body).toContain('eksguard_webhook_evaluation_errors_total{rule="test-crash-on-configmap"} 1');
  });

  it('refuses bad requests with a 4xx and a one-line reason, and keeps serving', async () => {
    const json = { 'Content-Type': 'application/json' };
    const cases: [Promise<Reply>, number, RegExp][] = [
      [call(webhook.port, tls.caCert, 'POST', '/validate', '{"apiVersion":', json), 400, /^the body is not JSON$/],
      [postReview(webhook.port, tls.caCert, { ...review({ object: pod('a') }), apiVersion: 'admission.k8s.io/v1beta1' }), 400, /^expected apiVersion admission.k8s.io\/v1/],
      [postReview(webhook.port, tls.caCert, review({ object: pod('a') }), '/validate?mode=audit'), 400, /^mode "audit": expected enforce or warn$/],
      [postReview(webhook.port, tls.caCert, review({ object: pod('a') }), '/validate/warn?mode=enforce'), 400, /^mode "warn\?mode=enforce": expected enforce or warn$/],
      [postReview(webhook.port, tls.caCert, review({ object: pod('a') }), '/validate/audit'), 404, /^not found$/],
      [call(webhook.port, tls.caCert, 'POST', '/validate', JSON.stringify(review({ object: pod('a') })), { 'Content-Type': 'text/plain' }), 415, /^expected Content-Type: application\/json$/],
      [call(webhook.port, tls.caCert, 'POST', '/validate', Buffer.alloc(3 * 1024 * 1024 + 1, 0x20), json), 413, /^request body over 3145728 bytes$/],
      [call(webhook.port, tls.caCert, 'GET', '/validate'), 405, /^method not allowed$/],
      [call(webhook.port, tls.caCert, 'GET', '/nope'), 404, /^not found$/],
    ];
    for (const [reply, status, message] of cases) {
      const answer = await reply;
      expect(answer.status).toBe(status);
      expect(answer.body.trim()).toMatch(message);
    }
    expect(responseOf(await postReview(webhook.port, tls.caCert, review({ object: pod('after') }))).allowed).toBe(true);
  });

  it('refuses an oversized body sent without Content-Length (chunked) as soon as it passes the limit', async () => {
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port: webhook.port, method: 'POST', path: '/validate', ca: tls.caCert, servername: SERVER_NAME, headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      // 4 MiB in chunks; the server answers 413 before the end and closes the connection.
      let sent = 0;
      const pump = (): void => {
        while (sent < 16) {
          sent += 1;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    expect(reply.status).toBe(413);
    expect(reply.headers.connection).toBe('close');
  });

  it('serves health, readiness and Prometheus metrics by decision, rule and latency', async () => {
    expect((await call(webhook.port, tls.caCert, 'GET', '/healthz')).status).toBe(200);
    expect((await call(webhook.port, tls.caCert, 'GET', '/readyz')).status).toBe(200);
    const metrics = await call(webhook.port, tls.caCert, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.body).toMatch(/^eksguard_webhook_requests_total\{decision="denied",mode="enforce"\} [1-9]/m);
    expect(metrics.body).toMatch(/^eksguard_webhook_requests_total\{decision="warned",mode="warn"\} 2$/m);
    expect(metrics.body).toMatch(/^eksguard_webhook_requests_total\{decision="415",mode="enforce"\} 1$/m);
    expect(metrics.body).toMatch(/^eksguard_webhook_requests_total\{decision="400",mode="invalid"\} 2$/m);
    expect(metrics.body).not.toContain('audit');
    expect(metrics.body).toMatch(/^eksguard_webhook_rule_findings_total\{rule="no-privileged-containers",decision="denied"\} [1-9]/m);
    expect(metrics.body).toMatch(/^eksguard_webhook_request_duration_seconds_count [1-9]/m);
    expect(metrics.body).toContain('eksguard_webhook_process_resident_memory_bytes');
  });

  it('serves a rotated certificate without a restart, and keeps the old one when the new pair is broken', async () => {
    const before = await servedCertificate(webhook.port, tls.caCert);
    expect(before).toBe(new X509Certificate(tls.cert).fingerprint256);
    const next = await certs();
    writeFileSync(join(dir, 'tls.key'), 'not a key');
    await new Promise((r) => setTimeout(r, 300));
    expect(logs.some((l) => l.includes('serving certificate not reloaded'))).toBe(true);
    expect(await servedCertificate(webhook.port, tls.caCert)).toBe(before);
    writeFileSync(join(dir, 'tls.crt'), next.cert);
    writeFileSync(join(dir, 'tls.key'), next.key);
    const deadline = Date.now() + 5000;
    let served = before;
    while (served === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      served = await servedCertificate(webhook.port, next.caCert).catch(() => before);
    }
    expect(served).toBe(new X509Certificate(next.cert).fingerprint256);
    expect(logs.some((l) => l.includes('serving certificate reloaded'))).toBe(true);
  });
});

describe('startWebhook', () => {
  it('fails with one line naming a missing certificate file', async () => {
    await expect(startWebhook({ certFile: '/nonexistent/tls.crt', keyFile: '/nonexistent/tls.key', port: 0, host: '127.0.0.1', mode: 'enforce', failOn: 'high', config: EMPTY_CONFIG, log: () => undefined }))
      .rejects.toThrow('--tls-cert /nonexistent/tls.crt: no such file');
  });
});
