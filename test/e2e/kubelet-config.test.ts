/**
 * `scan --cluster --kubelet-config` and `snapshot --kubelet-config` as a user runs them: the real
 * CLI and Kubernetes client against a local HTTPS API server whose node proxy serves `/configz`
 * for a weak node and a hardened one, and never answers for a third (docs/rules/require-secure-kubelet-config.md).
 */
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/resource.js';
import { runCli } from '../cli-harness.js';
import { startFakeApiServer, type FakeApiServer } from '../collect/kube/fake-api-server.js';
import { writeKubeconfig } from '../collect/kube/kubeconfig.js';
import { HARDENED_CONFIGZ, WEAK_CONFIGZ } from '../fixtures/kubelet/configz.js';
import { makeTempDir } from '../temp-dir.js';

const TOKEN = 'kubelet-token';
const RULE = 'require-secure-kubelet-config';
const WEAK = 'ip-10-0-1-1.ec2.internal';
const HARDENED = 'ip-10-0-1-2.ec2.internal';
const SILENT = 'ip-10-0-1-3.ec2.internal';

interface JsonReport {
  findings: { ruleId: string; severity: string; message: string; path: string; resource: { kind: string; name: string } }[];
  gaps: { source: string; code: string; message: string }[];
  notEvaluated: { ruleId: string; reason: string }[];
}

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'eks.amazonaws.com/nodegroup': 'ng-1' } } });
const CONFIGZ = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/configz$/;

/** The node proxy: /configz of each node, after a short delay (to see how many are in flight), or never. */
function nodeProxy(bodies: Readonly<Record<string, unknown>>, stats: { inFlight: number; max: number }, status = 200) {
  return (_req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    const match = CONFIGZ.exec(url.pathname);
    if (match === null) return false;
    const name = decodeURIComponent(match[1] ?? '');
    const body = bodies[name];
    if (body === undefined) return true; // a kubelet that does not answer: the request hangs
    stats.inFlight += 1;
    stats.max = Math.max(stats.max, stats.inFlight);
    setTimeout(() => {
      stats.inFlight -= 1;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? body : { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: `nodes "${name}" is forbidden: User "eksguard" cannot get resource "nodes/proxy"` }));
    }, 40);
    return true;
  };
}

function report(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

describe('scan --cluster --kubelet-config', () => {
  let server: FakeApiServer;
  let kubeconfig: string;
  let dir: string;
  const stats = { inFlight: 0, max: 0 };
  const extra = Array.from({ length: 6 }, (_, i) => `ip-10-0-2-${i}.ec2.internal`);
  beforeAll(async () => {
    const bodies: Record<string, unknown> = { [WEAK]: WEAK_CONFIGZ, [HARDENED]: HARDENED_CONFIGZ };
    for (const name of extra) bodies[name] = HARDENED_CONFIGZ;
    server = await startFakeApiServer({ objects: [WEAK, HARDENED, SILENT, ...extra].map(node), token: TOKEN, intercept: nodeProxy(bodies, stats) });
    dir = makeTempDir('e2e-kubelet');
    kubeconfig = writeKubeconfig(dir, { server: server.url, ca: server.ca, token: TOKEN });
  });
  afterAll(() => server.close());

  const configzRequests = (from: number) => server.requests.slice(from).filter((r) => CONFIGZ.test(r.path)).map((r) => decodeURIComponent(CONFIGZ.exec(r.path)?.[1] ?? '')).sort();

  it('reports each CIS setting of the weak node as its own finding, nothing on the hardened ones, and the silent node as a gap naming it', async () => {
    const before = server.requests.length;
    const run = await runCli(['scan', '--cluster', '--kubelet-config', '--kubeconfig', kubeconfig, '--rule', RULE, '--request-timeout', '1s', '-o', 'json', '--quiet']);
    const result = report(run.stdout);
    expect(run.code).toBe(2); // a gap: the audit is incomplete
    expect(result.notEvaluated).toEqual([]);
    expect(new Set(result.findings.map((f) => f.resource.name))).toEqual(new Set([WEAK]));
    expect(result.findings.every((f) => f.ruleId === RULE && f.resource.kind === 'KubeletConfiguration')).toBe(true);
    const cis = result.findings.map((f) => /\(CIS EKS (3\.2\.\d)\)\.$/.exec(f.message)?.[1]).sort();
    expect(cis).toEqual(['3.2.1', '3.2.2', '3.2.3', '3.2.4', '3.2.5', '3.2.6', '3.2.7', '3.2.8', '3.2.9']);
    expect(result.findings.find((f) => f.path === 'authentication.anonymous.enabled')?.severity).toBe('critical');
    expect(result.gaps).toHaveLength(1);
    expect(result.gaps[0]?.code).toBe('KUBE_UNAVAILABLE');
    expect(result.gaps[0]?.message).toContain(`node ${SILENT}: cannot read the kubelet configuration (get nodes/proxy ${SILENT}/configz): no answer within 1`);
    // Every node asked once (no retry for a silent kubelet), at most 4 at a time.
    expect(configzRequests(before)).toEqual([WEAK, HARDENED, SILENT, ...extra].sort());
    expect(stats.max).toBeGreaterThan(1);
    expect(stats.max).toBeLessThanOrEqual(4);
  }, 60_000);

  it('without --kubelet-config, never calls the node proxy and leaves the rule not evaluated, saying what it needs', async () => {
    const before = server.requests.length;
    const run = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--rule', RULE, '-o', 'json', '--quiet']);
    expect(report(run.stdout).notEvaluated).toEqual([{ ruleId: RULE, reason: expect.stringContaining('needs --kubelet-config') }]);
    expect(configzRequests(before)).toEqual([]);
    expect(run.code).toBe(2); // the only rule run judged nothing: no verdict
  }, 60_000);

  it('snapshot --kubelet-config saves the configurations, so the rule judges the snapshot as it judged the cluster', async () => {
    const file = join(dir, 'with.json');
    const saved = await runCli(['snapshot', '--cluster', '--kubelet-config', '--kubeconfig', kubeconfig, '--request-timeout', '1s', '--allow-gaps', '--quiet', '--output-file', file]);
    expect(saved.code).toBe(0);
    const offline = report((await runCli(['scan', '--snapshot', file, '--rule', RULE, '-o', 'json'])).stdout);
    expect(offline.findings.map((f) => f.path).sort()).toHaveLength(9);
    expect(offline.gaps.map((g) => g.message)).toEqual([expect.stringContaining(`node ${SILENT}`)]);

    const without = join(dir, 'without.json');
    expect((await runCli(['snapshot', '--cluster', '--kubeconfig', kubeconfig, '--quiet', '--output-file', without])).code).toBe(0);
    const plain = report((await runCli(['scan', '--snapshot', without, '--rule', RULE, '-o', 'json'])).stdout);
    expect(plain.notEvaluated).toEqual([{ ruleId: RULE, reason: expect.stringContaining('needs --kubelet-config') }]);
  }, 60_000);

  it('--kubelet-config without --cluster is a usage error', async () => {
    const run = await runCli(['scan', 'deploy/rbac.yaml', '--kubelet-config']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--kubelet-config applies to the live cluster: add --cluster');
  });
});

describe('scan --cluster --kubelet-config without nodes/proxy', () => {
  it('names each node and the permission, and leaves the rule not evaluated rather than passed', async () => {
    const server = await startFakeApiServer({ objects: [node(WEAK), node(HARDENED)], token: TOKEN, intercept: nodeProxy({ [WEAK]: WEAK_CONFIGZ, [HARDENED]: HARDENED_CONFIGZ }, { inFlight: 0, max: 0 }, 403) });
    try {
      const kubeconfig = writeKubeconfig(makeTempDir('e2e-kubelet-403'), { server: server.url, ca: server.ca, token: TOKEN });
      const run = await runCli(['scan', '--cluster', '--kubelet-config', '--kubeconfig', kubeconfig, '--rule', RULE, '-o', 'json', '--quiet']);
      const result = report(run.stdout);
      expect(run.code).toBe(2);
      expect(result.findings).toEqual([]);
      expect(result.notEvaluated).toEqual([{ ruleId: RULE, reason: 'KubeletConfigurations could not be read (HTTP 403 Forbidden)' }]);
      expect(result.gaps.map((g) => g.code)).toEqual(['KUBE_FORBIDDEN', 'KUBE_FORBIDDEN']);
      expect(result.gaps[0]?.message).toBe(`node ${WEAK}: cannot read the kubelet configuration (get nodes/proxy ${WEAK}/configz): HTTP 403 Forbidden; needs verb "get" on resource "nodes/proxy" (a ClusterRole); deploy/rbac-kubelet-config.yaml grants it`);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('rules --cis', () => {
  it('finds the kubelet rule for each of CIS EKS 3.2.1 to 3.2.9', async () => {
    for (const id of ['3.2.1', '3.2.5', '3.2.9']) {
      const run = await runCli(['rules', '--cis', id, '-o', 'json']);
      expect((JSON.parse(run.stdout) as { id: string }[]).map((r) => r.id), id).toEqual([RULE]);
    }
  });
});
