import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCluster, type ClusterCollectOptions } from '../../../src/collect/kube/collect.js';
import { METADATA_ACCEPT } from '../../../src/collect/kube/list.js';
import { AuditorError } from '../../../src/core/errors.js';
import { ALL_KINDS } from '../../../src/engine/rule-kinds.js';
import { CILIUM, KYVERNO, startFakeApiServer, type FakeApiOptions, type FakeApiServer } from './fake-api-server.js';
import { clusterObjects, SECRET_MARKER } from './fixture-cluster.js';
import { writeExecPlugin, writeKubeconfig } from './kubeconfig.js';
import { makeTempDir } from '../../temp-dir.js';

const TOKEN = 'fake-token-for-tests';
const dir = makeTempDir('kube');

async function withServer<T>(options: Partial<FakeApiOptions>, run: (server: FakeApiServer, kubeconfig: string) => Promise<T>): Promise<T> {
  const server = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN, ...options });
  try {
    const kubeconfig = writeKubeconfig(mkdtempSync(join(dir, 'kc-')), { server: server.url, ca: server.ca, token: TOKEN });
    return await run(server, kubeconfig);
  } finally {
    await server.close();
  }
}

function collect(kubeconfig: string, options: Partial<ClusterCollectOptions> = {}) {
  return collectCluster({ kubeconfig, env: {}, kinds: ALL_KINDS, retryDelayMs: 1, ...options });
}

function names(resources: readonly { ref: { kind: string; namespace?: string; name: string } }[], kind: string): string[] {
  return resources.filter((r) => r.ref.kind === kind).map((r) => `${r.ref.namespace ?? ''}/${r.ref.name}`).sort();
}

describe('collectCluster against a local API server', () => {
  let server: FakeApiServer;
  let kubeconfig: string;
  beforeAll(async () => {
    server = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN, addOns: [KYVERNO] });
    kubeconfig = writeKubeconfig(dir, { server: server.url, ca: server.ca, token: TOKEN });
  });
  afterAll(() => server.close());

  it('reads every kind as kubectl prints it, paging with limit and continue', async () => {
    server.requests.length = 0;
    const { resources, gaps, summary } = await collect(kubeconfig, { pageSize: 2 });
    expect(gaps).toEqual([]);
    expect(summary).toMatchObject({ context: 'fake-eks', server: server.url, version: 'v1.31.4-eks-fake' });
    expect(summary.requests).toBe(server.requests.length);
    const deployment = resources.find((r) => r.ref.kind === 'Deployment');
    expect(deployment?.object.apiVersion).toBe('apps/v1');
    expect(deployment?.origin).toEqual({ type: 'cluster', context: 'fake-eks' });
    expect(names(resources, 'Namespace')).toEqual(['/default', '/kube-system', '/team-a', '/team-b']);
    expect(names(resources, 'ClusterRoleBinding')).toEqual(['/ci-admin']);
    // Four namespaces at two per page: three pages, the last two with the continue token of the one before.
    const namespaceLists = server.requests.filter((r) => r.path === '/api/v1/namespaces');
    expect(namespaceLists.map((r) => r.query.limit)).toEqual(['2', '2']);
    expect(namespaceLists[0]?.query.continue).toBeUndefined();
    expect(namespaceLists[1]?.query.continue).toBeTypeOf('string');
    // No managedFields kept, as kubectl hides them.
    expect(resources.some((r) => r.object.metadata?.managedFields !== undefined)).toBe(false);
    // Only GETs, ever.
    expect(new Set(server.requests.map((r) => r.method))).toEqual(new Set(['GET']));
  });

  it('keeps one replica per controller it read, and every Pod without one', async () => {
    const { resources, summary } = await collect(kubeconfig);
    // The current ReplicaSet of web (the one scaled to zero is history), one of its three Pods.
    expect(names(resources, 'ReplicaSet')).toEqual(['team-a/web-7d9f6c']);
    expect(names(resources, 'Pod')).toEqual(['kube-system/aws-node-p1', 'team-a/backup-28000000-x7k2p', 'team-a/db-0', 'team-a/web-7d9f6c-aaaaa', 'team-b/debug']);
    expect(summary.sampledOut).toBe(4); // web-5c4b8d, web-7d9f6c-bbbbb and -ccccc, aws-node-p2
    const all = await collect(kubeconfig, { keepReplicas: true });
    expect(names(all.resources, 'Pod')).toHaveLength(8);
    expect(names(all.resources, 'ReplicaSet')).toHaveLength(2);
  });

  it('lists Secrets as metadata only, of the token type only, and keeps no value', async () => {
    server.requests.length = 0;
    const { resources } = await collect(kubeconfig);
    const secretRequests = server.requests.filter((r) => r.path.endsWith('/secrets') || r.path.includes('/secrets/'));
    expect(secretRequests.length).toBeGreaterThan(0);
    for (const request of secretRequests) {
      expect(request.accept).toBe(METADATA_ACCEPT);
      expect(request.query.fieldSelector).toBe('type=kubernetes.io/service-account-token');
    }
    expect(server.secretBodiesServed()).toBe(0);
    expect(names(resources, 'Secret')).toEqual(['team-a/web-token']);
    const secret = resources.find((r) => r.ref.kind === 'Secret');
    expect(secret?.object).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token' });
    expect(secret?.object.metadata?.annotations).toEqual({ 'kubernetes.io/service-account.name': 'web' });
    expect(JSON.stringify(resources)).not.toContain(SECRET_MARKER);
    expect(JSON.stringify(resources)).not.toContain('c3VwZXItc2VjcmV0LXZhbHVl');
  });

  it('gets the aws-auth ConfigMap by name and lists no ConfigMaps', async () => {
    server.requests.length = 0;
    const { resources, gaps } = await collect(kubeconfig);
    expect(names(resources, 'ConfigMap')).toEqual(['kube-system/aws-auth']);
    const configMapRequests = server.requests.filter((r) => r.path.includes('/configmaps'));
    expect(configMapRequests.map((r) => r.path).sort()).toEqual(['/api/v1/namespaces/kube-system/configmaps/amazon-vpc-cni', '/api/v1/namespaces/kube-system/configmaps/aws-auth']);
    expect(gaps).toEqual([]); // amazon-vpc-cni is absent (404): that is an answer, not a gap
  });

  it('reads only the kinds the rules need', async () => {
    server.requests.length = 0;
    const { resources } = await collect(kubeconfig, { kinds: new Set(['Role', 'ClusterRole']) });
    expect(new Set(resources.map((r) => r.ref.kind))).toEqual(new Set(['Role', 'ClusterRole']));
    expect(server.requests.map((r) => r.path).sort()).toEqual(['/apis', '/apis/rbac.authorization.k8s.io/v1/clusterroles', '/apis/rbac.authorization.k8s.io/v1/roles', '/version']);
  });

  it('reads add-ons the cluster serves and skips, without a gap, those it does not', async () => {
    server.requests.length = 0;
    const { gaps } = await collect(kubeconfig, { kinds: new Set(['ClusterPolicy', 'CiliumNetworkPolicy']) });
    expect(gaps).toEqual([]);
    const paths = server.requests.map((r) => r.path);
    expect(paths).toContain('/apis/kyverno.io/v1/clusterpolicies');
    expect(paths.some((p) => p.includes('cilium'))).toBe(false);
  });

  it('with --namespace, lists namespaced kinds in those namespaces and gets their Namespace objects', async () => {
    server.requests.length = 0;
    const { resources, gaps } = await collect(kubeconfig, { namespaces: ['team-b', 'nope'], kinds: new Set(['Pod', 'Namespace', 'ClusterRole', 'ConfigMap']) });
    expect(names(resources, 'Pod')).toEqual(['team-b/debug']);
    expect(names(resources, 'Namespace')).toEqual(['/team-b']);
    expect(names(resources, 'ClusterRole')).toEqual(['/everything']); // cluster-scoped kinds are still read
    expect(names(resources, 'ConfigMap')).toEqual(['kube-system/aws-auth']); // cluster configuration, wherever it lives
    expect(server.requests.map((r) => r.path)).toContain('/api/v1/namespaces/team-b/pods');
    expect(server.requests.map((r) => r.path)).not.toContain('/api/v1/pods');
    expect(gaps).toEqual([expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('Namespace nope does not exist') })]);
  });
});

describe('collectCluster when reads fail', () => {
  it('turns a 403 into a gap naming the call and the permission, and reads the rest', async () => {
    await withServer({ refuse: [{ verb: 'list', resource: 'secrets' }, { verb: 'list', resource: 'rolebindings', namespace: '*' }] }, async (server, kubeconfig) => {
      const { resources, gaps } = await collect(kubeconfig);
      expect(gaps.map((g) => g.code)).toEqual(['KUBE_FORBIDDEN', 'KUBE_FORBIDDEN']);
      expect(gaps[0]?.source).toBe('cluster:fake-eks');
      expect(gaps.map((g) => g.message)).toEqual([
        'cannot list secrets in all namespaces (HTTP 403 Forbidden): needs verb "list" on resource "secrets" in every namespace (a ClusterRole); deploy/rbac.yaml grants what eksguard reads',
        'cannot list rolebindings.rbac.authorization.k8s.io in all namespaces (HTTP 403 Forbidden): needs verb "list" on resource "rolebindings" (API group rbac.authorization.k8s.io) in every namespace (a ClusterRole); deploy/rbac.yaml grants what eksguard reads',
      ]);
      expect(names(resources, 'Deployment')).toEqual(['team-a/web']);
      expect(server.secretBodiesServed()).toBe(0);
    });
  });

  it('names the namespace of a refused per-namespace list', async () => {
    await withServer({ refuse: [{ verb: 'list', resource: 'pods', namespace: 'team-a' }] }, async (_server, kubeconfig) => {
      const { resources, gaps } = await collect(kubeconfig, { namespaces: ['team-a', 'team-b'], kinds: new Set(['Pod']) });
      expect(names(resources, 'Pod')).toEqual(['team-b/debug']);
      expect(gaps).toHaveLength(1);
      expect(gaps[0]?.message).toContain('cannot list pods in namespace team-a (HTTP 403 Forbidden): needs verb "list" on resource "pods" in namespace team-a');
    });
  });

  it('retries throttling and server errors a bounded number of times', async () => {
    await withServer({ failures: [{ path: /^\/api\/v1\/pods$/, status: 429, times: 2 }, { path: /^\/apis\/apps\/v1\/deployments$/, status: 503, times: 5 }] }, async (server, kubeconfig) => {
      const { resources, gaps } = await collect(kubeconfig, { kinds: new Set(['Pod', 'Deployment']) });
      expect(names(resources, 'Pod').length).toBeGreaterThan(0);
      expect(server.requests.filter((r) => r.path === '/api/v1/pods').map((r) => r.status)).toEqual([429, 429, 200]);
      expect(server.requests.filter((r) => r.path === '/apis/apps/v1/deployments')).toHaveLength(3);
      expect(gaps.map((g) => g.message)).toEqual(['cannot list deployments.apps in all namespaces: injected failure (HTTP 503)']);
    });
  });

  it('reports a list whose continue token expired', async () => {
    await withServer({ expireContinue: true }, async (_server, kubeconfig) => {
      const { gaps } = await collect(kubeconfig, { kinds: new Set(['Namespace']), pageSize: 1 });
      expect(gaps.map((g) => g.message)).toEqual([expect.stringContaining('cannot list namespaces: the list expired while paging (HTTP 410)')]);
    });
  });

  it('keeps nothing when the server answers a metadata-only list with full objects', async () => {
    await withServer({ ignoreMetadataAccept: true }, async (server, kubeconfig) => {
      const { resources, gaps } = await collect(kubeconfig, { kinds: new Set(['Secret']) });
      expect(server.secretBodiesServed()).toBeGreaterThan(0); // the broken server did send them...
      expect(resources).toEqual([]); // ...and none was kept
      expect(gaps.map((g) => g.message)).toEqual(['cannot list secrets in all namespaces: the server answered with full objects instead of metadata only; nothing was kept']);
    });
  });
});

describe('collectCluster connection errors', () => {
  function expectAuditorError(error: unknown, code: string, message: RegExp): void {
    expect(error).toBeInstanceOf(AuditorError);
    expect((error as AuditorError).code).toBe(code);
    expect((error as AuditorError).message).toMatch(message);
    expect((error as AuditorError).message).not.toContain('\n');
  }

  it('names the context and server of a cluster that cannot be reached', async () => {
    const kubeconfig = writeKubeconfig(mkdtempSync(join(dir, 'kc-')), { server: 'https://127.0.0.1:1', token: TOKEN, context: 'prod' });
    const error = await collect(kubeconfig).catch((e: unknown) => e);
    expectAuditorError(error, 'ERR_KUBE_UNREACHABLE', /^cannot reach the Kubernetes API of context "prod" \(https:\/\/127\.0\.0\.1:1\): connection refused \(ECONNREFUSED\)$/);
  });

  it('says when credentials are rejected', async () => {
    await withServer({}, async (server) => {
      const kubeconfig = writeKubeconfig(mkdtempSync(join(dir, 'kc-')), { server: server.url, ca: server.ca, token: 'expired' });
      const error = await collect(kubeconfig).catch((e: unknown) => e);
      expectAuditorError(error, 'ERR_KUBE_UNAUTHORIZED', /rejected the credentials \(HTTP 401\)/);
    });
  });

  it('refuses a server whose certificate the kubeconfig does not trust', async () => {
    await withServer({}, async (server) => {
      const kubeconfig = writeKubeconfig(mkdtempSync(join(dir, 'kc-')), { server: server.url, token: TOKEN });
      const error = await collect(kubeconfig).catch((e: unknown) => e);
      expectAuditorError(error, 'ERR_KUBE_UNREACHABLE', /certificate/);
    });
  });

  it('explains kubeconfig problems in one line', async () => {
    const missing = await collect(join(dir, 'no-such-kubeconfig')).catch((e: unknown) => e);
    expectAuditorError(missing, 'ERR_KUBECONFIG', /no such file/);
    const kubeconfig = writeKubeconfig(mkdtempSync(join(dir, 'kc-')), { server: 'https://127.0.0.1:1', token: TOKEN });
    const wrongContext = await collect(kubeconfig, { context: 'staging' }).catch((e: unknown) => e);
    expectAuditorError(wrongContext, 'ERR_KUBECONFIG', /context "staging" is not in kubeconfig/);
    expect((wrongContext as AuditorError).hint).toBe('Contexts: fake-eks.');
    const noCurrent = writeKubeconfig(mkdtempSync(join(dir, 'kc-')), { server: 'https://127.0.0.1:1', token: TOKEN, noCurrentContext: true });
    expectAuditorError(await collect(noCurrent).catch((e: unknown) => e), 'ERR_KUBECONFIG', /sets no current-context/);
    const garbage = join(dir, 'garbage-kubeconfig');
    writeFileSync(garbage, 'clusters: [ {');
    expectAuditorError(await collect(garbage).catch((e: unknown) => e), 'ERR_KUBECONFIG', /^kubeconfig .*garbage-kubeconfig: /);
  });

  it('finds the kubeconfig through KUBECONFIG and HOME as kubectl does', async () => {
    await withServer({}, async (server) => {
      const home = mkdtempSync(join(dir, 'home-'));
      const { mkdirSync } = await import('node:fs');
      mkdirSync(join(home, '.kube'));
      writeKubeconfig(join(home, '.kube'), { server: server.url, ca: server.ca, token: TOKEN, context: 'from-home' }, 'config');
      const fromHome = await collectCluster({ env: { HOME: home }, kinds: new Set(['Namespace']) });
      expect(fromHome.summary.context).toBe('from-home');
      const listed = writeKubeconfig(mkdtempSync(join(dir, 'kc-')), { server: server.url, ca: server.ca, token: TOKEN, context: 'from-env' });
      const fromEnv = await collectCluster({ env: { HOME: home, KUBECONFIG: `${join(dir, 'absent')}:${listed}` }, kinds: new Set(['Namespace']) });
      expect(fromEnv.summary.context).toBe('from-env');
    });
  });
});

describe('exec credential plugins', () => {
  it('runs the plugin as kubectl does and sends its token', async () => {
    await withServer({ addOns: [CILIUM] }, async (server) => {
      const pluginDir = mkdtempSync(join(dir, 'exec-'));
      const log = join(pluginDir, 'runs.log');
      const kubeconfig = writeKubeconfig(pluginDir, { server: server.url, ca: server.ca, exec: writeExecPlugin(pluginDir, TOKEN, log) });
      const { resources, gaps } = await collect(kubeconfig, { kinds: new Set(['Namespace', 'CiliumNetworkPolicy']) });
      expect(gaps).toEqual([]);
      expect(names(resources, 'Namespace')).toHaveLength(4);
      expect(server.requests.every((r) => r.status === 200)).toBe(true);
      // The credential is cached until it expires: one run of the plugin for the whole collection.
      expect(readFileSync(log, 'utf8')).toBe('run\n');
    });
  });

  it('reports a failing plugin in one line', async () => {
    await withServer({}, async (server) => {
      const pluginDir = mkdtempSync(join(dir, 'exec-'));
      const script = join(pluginDir, 'fail.mjs');
      writeFileSync(script, "process.stderr.write('Unable to locate credentials. You can configure credentials by running \"aws configure\".\\n'); process.exit(255);");
      const kubeconfig = writeKubeconfig(pluginDir, { server: server.url, ca: server.ca, exec: { command: process.execPath, args: [script] } });
      const error = await collect(kubeconfig).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuditorError);
      expect((error as AuditorError).code).toBe('ERR_KUBE_UNAUTHORIZED');
      expect((error as AuditorError).message).toBe('cannot get credentials for context "fake-eks" (' + server.url + '), user "eksguard": Unable to locate credentials. You can configure credentials by running "aws configure".');
    });
  });
});
