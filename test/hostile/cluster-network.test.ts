/**
 * `--cluster` against hostile API servers (docs/limits.md): the real CLI and the real Kubernetes
 * client, against a local HTTPS API server whose chosen paths never answer, trickle, stream for
 * ever or hand out continue tokens for ever; and a black hole. Each run ends within its bounds,
 * exits 2, names the read cut short, and still writes its report. Small bounds keep them short.
 */
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectCluster } from '../../src/collect/kube/collect.js';
import { runCli, type CliRun } from '../cli-harness.js';
import { startFakeApiServer, type FakeApiServer } from '../collect/kube/fake-api-server.js';
import { clusterObjects } from '../collect/kube/fixture-cluster.js';
import { writeKubeconfig } from '../collect/kube/kubeconfig.js';
import { makeTempDir } from '../temp-dir.js';
import { peakHeapGrowth } from './memory.js';
import { answerWith, startBlackHole, type BlackHole, type Hostility } from './servers.js';

interface JsonReport { findings: unknown[]; gaps: { source: string; code: string; message: string }[] }

const TOKEN = 'hostile-token';
const CLUSTER_ROLES = '/apis/rbac.authorization.k8s.io/v1/clusterroles';

let server: FakeApiServer | undefined;
let hole: BlackHole | undefined;
afterEach(async () => {
  await server?.close();
  await hole?.close();
  server = undefined;
  hole = undefined;
});

/** A fake cluster whose ClusterRole list is answered by `intercept`; returns the kubeconfig. */
async function serve(intercept: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean): Promise<string> {
  server = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN, intercept });
  return writeKubeconfig(makeTempDir('hostile-cluster'), { server: server.url, ca: server.ca, token: TOKEN });
}

function clusterRolesAnswered(hostility: Hostility): (req: IncomingMessage, res: ServerResponse, url: URL) => boolean {
  return (req, res, url) => {
    if (url.pathname !== CLUSTER_ROLES) return false;
    answerWith(hostility, req, res);
    return true;
  };
}

/**
 * ClusterRole pages for ever: one ClusterRole and a fresh continue token of `tokenBytes` each.
 * The old collector remembered every token it was given, in full.
 */
function endlessContinue(tokenBytes: number): (req: IncomingMessage, res: ServerResponse, url: URL) => boolean {
  let page = 0;
  return (_req, res, url) => {
    if (url.pathname !== CLUSTER_ROLES) return false;
    page += 1;
    const token = `${page}-`.padEnd(tokenBytes, 'x');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({
      kind: 'ClusterRoleList', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { continue: token },
      items: [{ metadata: { name: `role-${page}` }, rules: [] }],
    }));
    return true;
  };
}

async function timed(run: () => Promise<CliRun>): Promise<CliRun & { seconds: number }> {
  const started = performance.now();
  const result = await run();
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

function gapLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('eksguard: cluster:fake-eks: ')).map((line) => line.slice('eksguard: cluster:fake-eks: '.length));
}

describe('--cluster against an API server that accepts connections and never answers', () => {
  it('says in one line, within the request timeout, that it got no answer (exit 2)', async () => {
    hole = await startBlackHole();
    const kubeconfig = writeKubeconfig(makeTempDir('hostile-cluster'), { server: hole.url.replace('http:', 'https:'), token: TOKEN });
    const run = await timed(() => runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--request-timeout', '1s']));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^eksguard: cannot reach the Kubernetes API of context "fake-eks" \(https:\/\/127\.0\.0\.1:\d+\): no answer within 1 s\n/);
    expect(run.stdout).toBe('');
    // A second of timeout; the rest is loading the Kubernetes client on a busy machine.
    expect(run.seconds).toBeLessThan(20);
  });
});

describe('--cluster against an API server that misbehaves on one list', () => {
  it('reports a list that never answers as a gap naming it, after bounded retries, and reads the rest', async () => {
    const kubeconfig = await serve(clusterRolesAnswered('silent'));
    // 3 s: short, yet long enough for the lists that do answer on a busy machine.
    const run = await timed(() => runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--request-timeout', '3s', '-o', 'json']));
    expect(run.code).toBe(2);
    expect(gapLines(run.stderr)).toEqual(['cannot list clusterroles.rbac.authorization.k8s.io: no answer within 3 s']);
    expect(server?.requests.filter((r) => r.path === CLUSTER_ROLES)).toHaveLength(3);
    expect((JSON.parse(run.stdout) as JsonReport).findings.length).toBeGreaterThan(0);
    // Three attempts of 3 s, and two back-offs.
    expect(run.seconds).toBeLessThan(20);
  });

  it('cuts a list whose answer trickles one byte a second at 4 request timeouts, never at the idle timeout', async () => {
    const kubeconfig = await serve(clusterRolesAnswered('drip'));
    const run = await timed(() => runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--request-timeout', '3s', '-o', 'json']));
    expect(run.code).toBe(2);
    expect(gapLines(run.stderr)).toEqual(['cannot list clusterroles.rbac.authorization.k8s.io: the answer did not finish within 12 s']);
    expect(server?.requests.filter((r) => r.path === CLUSTER_ROLES)).toHaveLength(1);
    expect(run.seconds).toBeGreaterThan(11);
    expect(run.seconds).toBeLessThan(25);
  });

  it('cuts a body that never ends at the size bound', async () => {
    const kubeconfig = await serve(clusterRolesAnswered('endless'));
    const read = await collectCluster({ kubeconfig, env: {}, kinds: new Set(['ClusterRole', 'Role']), maxResponseBytes: 1024 * 1024 });
    expect(read.gaps.map((g) => g.message)).toEqual(['cannot list clusterroles.rbac.authorization.k8s.io: the answer is larger than 1 MiB']);
    expect(read.gaps[0]?.unread?.kinds).toEqual(['ClusterRole']);
    expect(read.resources.some((r) => r.object.kind === 'Role')).toBe(true);
  });

  it('gives up a list that hands out fresh continue tokens for ever after its page bound, as a gap', async () => {
    const kubeconfig = await serve(endlessContinue(100));
    const read = await collectCluster({ kubeconfig, env: {}, kinds: new Set(['ClusterRole']), maxPages: 50 });
    expect(read.gaps.map((g) => g.message)).toEqual(['cannot list clusterroles.rbac.authorization.k8s.io: the server handed out continue tokens for more than 50 pages; the rest was not read']);
    // The pages read are kept; the gap marks ClusterRoles as unread, so rules that need them all are not evaluated.
    expect(read.resources).toHaveLength(50);
    expect(read.gaps[0]?.unread?.kinds).toEqual(['ClusterRole']);
    expect(server?.requests.filter((r) => r.path === CLUSTER_ROLES)).toHaveLength(50);
  });

  it('refuses a continue token longer than 64 KiB instead of sending it back', async () => {
    const kubeconfig = await serve(endlessContinue(64 * 1024 + 1));
    const read = await collectCluster({ kubeconfig, env: {}, kinds: new Set(['ClusterRole']) });
    expect(read.gaps.map((g) => g.message)).toEqual(['cannot list clusterroles.rbac.authorization.k8s.io: the server sent a continue token longer than 64 KiB; the rest was not read']);
    expect(server?.requests.filter((r) => r.path === CLUSTER_ROLES)).toHaveLength(1);
  });

  it('keeps memory bounded while a server hands out 60 KiB tokens for ever: tokens are remembered as digests', async () => {
    const kubeconfig = await serve(endlessContinue(60 * 1024));
    // 250 pages of 60 KiB tokens: 15 MiB, all of which a collector remembering tokens in full would hold at once.
    const { result, growth } = await peakHeapGrowth(() => collectCluster({ kubeconfig, env: {}, kinds: new Set(['ClusterRole']), maxPages: 250 }), 1000);
    expect(result.gaps.map((g) => g.message)).toEqual(['cannot list clusterroles.rbac.authorization.k8s.io: the server handed out continue tokens for more than 250 pages; the rest was not read']);
    expect(growth).toBeLessThan(6 * 1024 * 1024);
  });
});

describe('--cluster with a credential plugin that never answers', () => {
  it('stops with one line once the plugin has had a whole request\'s time, and the plugin is left to end on its own', async () => {
    server = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN });
    const dir = makeTempDir('hostile-plugin');
    const plugin = join(dir, 'hung-get-token.mjs');
    // Hangs well past its bound, and ends by itself so that no test leaves it running.
    writeFileSync(plugin, 'setTimeout(() => undefined, 15_000);\n');
    const kubeconfig = writeKubeconfig(dir, { server: server.url, ca: server.ca, exec: { command: process.execPath, args: [plugin] } });
    const run = await timed(() => runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--request-timeout', '1s']));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^eksguard: cannot get credentials for context "fake-eks" \(https:\/\/127\.0\.0\.1:\d+\), user "eksguard": the kubeconfig's credential plugin gave none within 4 s\n/);
    expect(run.seconds).toBeLessThan(12);
  });
});

describe('--timeout with --cluster', () => {
  it.each([
    ['scan', ['scan']],
    ['snapshot', ['snapshot', '--output-file', 'SNAPSHOT']],
    ['rbac who-can', ['rbac', 'who-can', 'get', 'secrets']],
  ])('%s ends the run at its deadline: the read in flight is a gap naming it, and the report is written', async (_name, command) => {
    const kubeconfig = await serve(clusterRolesAnswered('silent'));
    const snapshot = `${makeTempDir('hostile-snapshot')}/snapshot.json`;
    const args = [...command.map((a) => (a === 'SNAPSHOT' ? snapshot : a)), '--cluster', '--kubeconfig', kubeconfig, '--timeout', '2s', '--request-timeout', '1m'];
    const run = await timed(() => runCli(args));
    expect(run.code).toBe(2);
    expect(gapLines(run.stderr)).toContain("cannot list clusterroles.rbac.authorization.k8s.io: the run's deadline of 2 s passed (--timeout)");
    expect(run.seconds).toBeLessThan(6);
    if (command[0] === 'snapshot') expect(run.stderr).toMatch(/saved \d+ objects and \d+ gaps? to/);
    else expect(run.stdout).not.toBe('');
  });

  it('rejects a duration it cannot read, in one line', async () => {
    const run = await runCli(['scan', '--cluster', '--timeout', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--timeout soon: expected a duration such as 90s, 10m or 1h30m/);
  });
});
