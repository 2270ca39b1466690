/**
 * `eksguard webhook --cluster`: the rules that look at other objects run against a read-only view
 * of a (local, HTTPS) API server, kept current by watches; Secrets are never asked for.
 */
import { writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/resource.js';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { generateWebhookCerts, WEBHOOK_DEFAULTS, type WebhookCerts } from '../../src/webhook/certs.js';
import { startClusterView } from '../../src/webhook/cluster-view.js';
import { startWebhook, type RunningWebhook } from '../../src/webhook/index.js';
import { writeKubeconfig } from '../collect/kube/kubeconfig.js';
import { makeTempDir } from '../temp-dir.js';
import { hardenedPodSpec, pod, review } from './reviews.js';
import { startWatchableApi, type WatchableApi } from './watchable-api.js';

const TOKEN = 'view-token';

function binding(namespace: string, serviceAccount: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding',
    metadata: { name: `${serviceAccount}-reader`, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
    subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
  } as KubeObject;
}

const CLUSTER: KubeObject[] = [
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] } as KubeObject,
  binding('shop', 'web'),
  { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'shop' }, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '64Mi' }, default: { memory: '128Mi' } }] } } as KubeObject,
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'shop' }, type: 'Opaque', data: { a: 'c2VjcmV0' } } as KubeObject,
];

/** A pod that mounts its ServiceAccount's token and sets no resources. */
function podAs(serviceAccount: string, namespace = 'shop'): KubeObject {
  const spec = hardenedPodSpec();
  const [container] = spec.containers as Record<string, unknown>[];
  const bare = { ...container };
  delete bare.resources;
  const object = pod(`p-${serviceAccount}`, { ...spec, serviceAccountName: serviceAccount, automountServiceAccountToken: undefined, containers: [bare] });
  return { ...object, metadata: { ...object.metadata, namespace } };
}

describe('eksguard webhook --cluster', () => {
  let api: WatchableApi;
  let tls: WebhookCerts;
  let webhook: RunningWebhook;
  const logs: string[] = [];

  const ask = (object: KubeObject, namespace = 'shop'): Promise<{ allowed: boolean; warnings?: string[] }> => new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: webhook.port, method: 'POST', path: '/validate/warn', ca: tls.caCert, servername: 'eksguard-webhook.eksguard.svc', headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve((JSON.parse(text) as { response: { allowed: boolean; warnings?: string[] } }).response));
    });
    req.on('error', reject);
    req.end(JSON.stringify(review({ object, namespace })));
  });
  const rulesWarned = async (object: KubeObject, namespace?: string) => ((await ask(object, namespace)).warnings ?? []).map((w) => w.split(':')[0]);
  const readyz = (): Promise<number> => new Promise((resolve, reject) => {
    https.get({ host: '127.0.0.1', port: webhook.port, path: '/readyz', ca: tls.caCert, servername: 'eksguard-webhook.eksguard.svc' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });

  beforeAll(async () => {
    api = await startWatchableApi(CLUSTER, TOKEN);
    tls = await generateWebhookCerts({ ...WEBHOOK_DEFAULTS, days: 1 });
    const dir = makeTempDir('webhook-cluster');
    writeFileSync(join(dir, 'tls.crt'), tls.cert);
    writeFileSync(join(dir, 'tls.key'), tls.key);
    const kubeconfig = writeKubeconfig(dir, { server: api.url, ca: api.ca, token: TOKEN });
    webhook = await startWebhook({
      certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key'), port: 0, host: '127.0.0.1', mode: 'enforce', failOn: 'high', config: EMPTY_CONFIG,
      cluster: (plan) => startClusterView({ kinds: plan.viewKinds, env: {}, kubeconfig, log: (line) => logs.push(line), retryMs: 100 }),
      log: (line) => logs.push(line),
    });
  });
  afterAll(async () => {
    await webhook.close();
    await api.close();
  });

  it('is ready once every kind is listed, and watches each', async () => {
    const deadline = Date.now() + 10_000;
    while ((await readyz()) !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await readyz()).toBe(200);
    // Each watch starts from the resourceVersion of its list, right after it.
    const watchedNow = () => new Set(api.requests.filter((r) => r.includes('watch=true')).map((r) => r.split('?')[0]?.split('/').pop()));
    while (watchedNow().size < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const watched = watchedNow();
    expect(watched).toEqual(new Set(['serviceaccounts', 'services', 'limitranges', 'configmaps', 'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings', 'ingresses', 'ingressclasses', 'namespaces', 'networkpolicies']));
    expect(api.requests.filter((r) => r.includes('/configmaps')).every((r) => r.includes('fieldSelector=metadata.name'))).toBe(true);
    expect(api.requests.some((r) => r.includes('secrets'))).toBe(false);
  });

  it("runs the rules that look at other objects: a ServiceAccount's bindings, a namespace's LimitRange defaults", async () => {
    expect(await rulesWarned(podAs('api'))).toContain('no-automounted-service-account-token');
    expect(await rulesWarned(podAs('web'))).not.toContain('no-automounted-service-account-token');
    expect(await rulesWarned(podAs('web'))).not.toContain('require-resource-requests');
    expect(await rulesWarned(podAs('web', 'other'), 'other')).toContain('require-resource-requests');
  });

  it('keeps the view current from the watch', async () => {
    api.add(binding('shop', 'api'));
    const deadline = Date.now() + 10_000;
    let warned = await rulesWarned(podAs('api'));
    while (warned.includes('no-automounted-service-account-token') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      warned = await rulesWarned(podAs('api'));
    }
    expect(warned).not.toContain('no-automounted-service-account-token');
  });
});

describe('the cluster view', () => {
  it('stops answering past its object bound, and says so once, rather than grow', async () => {
    const api = await startWatchableApi(CLUSTER, TOKEN);
    const dir = makeTempDir('webhook-view');
    const logs: string[] = [];
    const view = startClusterView({ kinds: new Set(['Role', 'RoleBinding', 'LimitRange']), env: {}, kubeconfig: writeKubeconfig(dir, { server: api.url, ca: api.ca, token: TOKEN }), log: (line) => logs.push(line), maxObjects: 2 });
    try {
      const deadline = Date.now() + 10_000;
      while (!view.ready && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(view.ready).toBe(true);
      expect(view.objectsAround('shop')).toBeUndefined();
      api.add(binding('shop', 'more'));
      await new Promise((r) => setTimeout(r, 100));
      expect(logs.filter((l) => l.includes('cluster view holds over 2 objects'))).toHaveLength(1);
    } finally {
      view.stop();
      await api.close();
    }
  });

  it('holds the listed objects of the namespace asked about and the cluster-scoped ones', async () => {
    const api = await startWatchableApi([...CLUSTER, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'view', managedFields: [{ manager: 'x' }] }, rules: [] } as KubeObject], TOKEN);
    const dir = makeTempDir('webhook-view');
    const view = startClusterView({ kinds: new Set(['Role', 'ClusterRole', 'LimitRange']), env: {}, kubeconfig: writeKubeconfig(dir, { server: api.url, ca: api.ca, token: TOKEN }), log: () => undefined });
    try {
      const deadline = Date.now() + 10_000;
      while (!view.ready && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const names = (ns: string | undefined) => view.objectsAround(ns)?.map((o) => `${o.ref.kind} ${o.ref.namespace ?? ''}/${o.ref.name}`).sort();
      expect(names('shop')).toEqual(['ClusterRole /view', 'LimitRange shop/defaults', 'Role shop/reader']);
      expect(names('other')).toEqual(['ClusterRole /view']);
      // What no rule reads is not kept.
      expect(view.objectsAround(undefined)?.find((o) => o.ref.kind === 'ClusterRole')?.object.metadata?.managedFields).toBeUndefined();
    } finally {
      view.stop();
      await api.close();
    }
  });
});
