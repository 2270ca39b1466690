/**
 * `eksguard scan --cluster` and `eksguard snapshot`, as a user runs them: the real CLI and the real
 * Kubernetes client against a local HTTPS API server serving a fixture cluster.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../cli-harness.js';
import { startFakeApiServer, type FakeApiServer } from '../collect/kube/fake-api-server.js';
import { asManifestFile, clusterObjects, SECRET_MARKER } from '../collect/kube/fixture-cluster.js';
import { writeKubeconfig } from '../collect/kube/kubeconfig.js';
import { makeTempDir } from '../temp-dir.js';

const TOKEN = 'e2e-token';

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  path: string;
  origin: string | null;
  resource: { apiVersion: string; kind: string; namespace: string | null; name: string; file: string | null; line: number | null };
}
interface JsonReport {
  findings: JsonFinding[];
  gaps: { source: string; code: string; message: string }[];
  notEvaluated: { ruleId: string; reason: string }[];
  sources: { path: string; objects: number }[];
}

/** What a finding says, whatever source the object came from. */
function essence(f: JsonFinding): string {
  const r = f.resource;
  return `${f.ruleId} ${f.severity} ${r.apiVersion} ${r.kind} ${r.namespace ?? ''}/${r.name} ${f.path} ${f.message}`;
}

function report(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

describe('eksguard scan --cluster', () => {
  let server: FakeApiServer;
  let dir: string;
  let kubeconfig: string;
  let dump: string;
  beforeAll(async () => {
    server = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN, maxPageSize: 3 });
    dir = makeTempDir('e2e-cluster');
    kubeconfig = writeKubeconfig(dir, { server: server.url, ca: server.ca, token: TOKEN });
    dump = join(dir, 'cluster-dump.yaml');
    writeFileSync(dump, asManifestFile(clusterObjects()));
  });
  afterAll(() => server.close());

  it('gives the same findings as scanning the same objects from files', async () => {
    const live = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '-o', 'json']);
    const files = await runCli(['scan', dump, '-o', 'json']);
    expect(live.stderr).toBe('');
    expect(live.code).toBe(1);
    expect(files.code).toBe(1);
    const liveReport = report(live.stdout);
    const fileReport = report(files.stdout);
    expect(liveReport.gaps).toEqual([]);
    expect(liveReport.findings.length).toBeGreaterThan(10);
    // A live scan gets two ConfigMaps by name and lists no others (least privilege): the literal
    // credential of the dump's app-config ConfigMap is seen in files only (docs/rules/no-hardcoded-credentials.md).
    const configMapData = (f: { ruleId: string; resource: { kind: string } }) => f.ruleId === 'no-hardcoded-credentials' && f.resource.kind === 'ConfigMap';
    expect(fileReport.findings.filter(configMapData).map(essence)).toEqual([expect.stringContaining('ConfigMap team-a/app-config data.DATABASE_URL')]);
    expect(liveReport.findings.map(essence).sort()).toEqual(fileReport.findings.filter((f) => !configMapData(f)).map(essence).sort());
    expect(liveReport.notEvaluated).toEqual(fileReport.notEvaluated);
    // Live findings name their cluster context and have no file.
    expect(new Set(liveReport.findings.map((f) => f.origin))).toEqual(new Set(['cluster:fake-eks']));
    expect(liveReport.findings.every((f) => f.resource.file === null)).toBe(true);
    expect(liveReport.sources).toEqual([{ path: 'cluster:fake-eks', documents: 0, objects: expect.any(Number), skipped: null, duplicates: 0 }]);
    // The rules that judge what replicas and old ReplicaSets would have duplicated report once per controller.
    expect(liveReport.findings.filter((f) => f.ruleId === 'no-privileged-containers').map((f) => `${f.resource.kind} ${f.resource.name}`)).toEqual(['Deployment web']);
  });

  it('never asks for a Secret body and never prints a Secret value', async () => {
    const before = server.secretBodiesServed();
    const live = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '-o', 'json']);
    expect(server.secretBodiesServed()).toBe(before);
    expect(server.secretBodiesServed()).toBe(0);
    expect(live.stdout).not.toContain(SECRET_MARKER);
    expect(report(live.stdout).findings.some((f) => f.ruleId === 'no-long-lived-service-account-tokens')).toBe(true);
  });

  it('reads only what the chosen rules need', async () => {
    server.requests.length = 0;
    const run = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--rule', 'no-wildcard-rbac', '-o', 'json']);
    expect(run.code).toBe(1);
    const resources = new Set(server.requests.map((r) => r.path.split('/').pop()));
    expect(resources).toEqual(new Set(['version', 'apis', 'roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']));
  });

  it('combines files and the cluster in one inventory', async () => {
    const extra = join(dir, 'extra.yaml');
    writeFileSync(extra, 'apiVersion: v1\nkind: Pod\nmetadata: {name: from-file, namespace: team-c}\nspec: {hostIPC: true, containers: [{name: c, image: busybox:1.36}]}\n');
    const run = await runCli(['scan', extra, '--cluster', '--kubeconfig', kubeconfig, '-o', 'json', '--rule', 'no-host-namespaces']);
    const names = report(run.stdout).findings.map((f) => `${f.resource.name} ${f.origin ?? f.resource.file ?? ''}`).sort();
    expect(names).toEqual(['backup cluster:fake-eks', 'debug cluster:fake-eks', `from-file ${extra}`]);
  });

  it('reports a partial RBAC grant as gaps, exits 2, and still writes the report', async () => {
    const refusing = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN, refuse: [{ verb: 'list', resource: 'secrets' }, { verb: 'list', resource: 'clusterroles' }] });
    try {
      const config = writeKubeconfig(mkdtempSync(join(dir, 'partial-')), { server: refusing.url, ca: refusing.ca, token: TOKEN });
      const run = await runCli(['scan', '--cluster', '--kubeconfig', config, '-o', 'json']);
      expect(run.code).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toEqual([
        'eksguard: cluster:fake-eks: cannot list secrets in all namespaces (HTTP 403 Forbidden): needs verb "list" on resource "secrets" in every namespace (a ClusterRole); deploy/rbac.yaml grants what eksguard reads',
        'eksguard: cluster:fake-eks: cannot list clusterroles.rbac.authorization.k8s.io (HTTP 403 Forbidden): needs verb "list" on resource "clusterroles" (API group rbac.authorization.k8s.io); deploy/rbac.yaml grants what eksguard reads',
      ]);
      const partial = report(run.stdout);
      expect(partial.gaps.map((g) => g.code)).toEqual(['KUBE_FORBIDDEN', 'KUBE_FORBIDDEN']);
      expect(partial.findings.some((f) => f.ruleId === 'no-privileged-containers')).toBe(true);
      const accepted = await runCli(['scan', '--cluster', '--kubeconfig', config, '--allow-gaps']);
      expect(accepted.code).toBe(1);
    } finally {
      await refusing.close();
    }
  });

  it('stops with one line naming the context and server when the cluster cannot be reached', async () => {
    const config = writeKubeconfig(mkdtempSync(join(dir, 'down-')), { server: 'https://127.0.0.1:1', token: TOKEN, context: 'prod' });
    const run = await runCli(['scan', '--cluster', '--kubeconfig', config]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('eksguard: cannot reach the Kubernetes API of context "prod" (https://127.0.0.1:1): connection refused (ECONNREFUSED)\nhint: Check the endpoint and the network path to it (VPN, private endpoint, proxy), or pick another --context.\n');
  });

  it('says which flags need --cluster, and that --snapshot replaces it', async () => {
    const stray = await runCli(['scan', dump, '--context', 'prod']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toBe('eksguard: --context applies to the live cluster: add --cluster\n');
    const both = await runCli(['scan', '--cluster', '--snapshot', 'x.json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --cluster or --snapshot, not both');
    const nothing = await runCli(['scan']);
    expect(nothing.stderr).toContain('--cluster, --snapshot FILE');
  });

  it('shows progress per resource type on a terminal, and not with --quiet or off a terminal', async () => {
    const run = async (args: string[], tty: boolean) => {
      const stdout = new PassThrough();
      const stderr = Object.assign(new PassThrough(), { isTTY: tty });
      const err: Buffer[] = [];
      stderr.on('data', (chunk: Buffer) => err.push(chunk));
      stdout.resume();
      const code = await main(args, { stdout, stderr, stdin: Readable.from([]), env: {}, cwd: process.cwd() });
      return { code, stderr: Buffer.concat(err).toString('utf8') };
    };
    const shown = await run(['scan', '--cluster', '--kubeconfig', kubeconfig, '-o', 'json'], true);
    expect(shown.stderr).toContain('\r\u001b[2Keksguard: reading pods, ');
    expect(shown.stderr).toMatch(/eksguard: reading pods, \d+ objects \(\d+\/\d+ reads\)/);
    expect(shown.stderr).toMatch(/eksguard: read \d+ objects from context fake-eks \(https:\/\/127\.0\.0\.1:\d+\) in \d+ requests\n$/);
    expect((await run(['scan', '--cluster', '--kubeconfig', kubeconfig, '-o', 'json', '--quiet'], true)).stderr).toBe('');
    expect((await run(['scan', '--cluster', '--kubeconfig', kubeconfig, '-o', 'json'], false)).stderr).toBe('');
  });
});

describe('eksguard snapshot', () => {
  let server: FakeApiServer;
  let dir: string;
  let kubeconfig: string;
  beforeAll(async () => {
    server = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN });
    dir = makeTempDir('e2e-snapshot');
    kubeconfig = writeKubeconfig(dir, { server: server.url, ca: server.ca, token: TOKEN });
  });
  afterAll(() => server.close());

  it('round-trips: scanning the snapshot gives the findings of the live scan', async () => {
    const file = join(dir, 'snapshots', 'prod.json');
    const saved = await runCli(['snapshot', '--cluster', '--kubeconfig', kubeconfig, '--output-file', file]);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toMatch(/^eksguard: saved \d+ objects to .*prod\.json\n$/);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(SECRET_MARKER);
    const document = JSON.parse(text) as { kind: string; version: number; evidence: string[]; objects: { origin: unknown }[] };
    expect(document).toMatchObject({ kind: 'EksguardSnapshot', version: 1, evidence: ['cluster'] });
    expect(document.objects[0]?.origin).toEqual({ type: 'cluster', context: 'fake-eks' });

    const live = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '-o', 'json']);
    const offline = await runCli(['scan', '--snapshot', file, '-o', 'json']);
    expect(offline.code).toBe(live.code);
    const liveReport = report(live.stdout);
    const offlineReport = report(offline.stdout);
    expect(offlineReport.findings).toEqual(liveReport.findings);
    expect(offlineReport.notEvaluated).toEqual(liveReport.notEvaluated);
    expect(offlineReport.gaps).toEqual([]);
  });

  it('keeps the gaps of the collection: a partial snapshot stays a partial audit', async () => {
    const refusing = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN, refuse: [{ verb: 'list', resource: 'roles' }] });
    try {
      const config = writeKubeconfig(mkdtempSync(join(dir, 'partial-')), { server: refusing.url, ca: refusing.ca, token: TOKEN });
      const file = join(dir, 'partial.json');
      const saved = await runCli(['snapshot', '--cluster', '--kubeconfig', config, '--output-file', file]);
      expect(saved.code).toBe(2);
      expect(saved.stderr).toContain('cannot list roles.rbac.authorization.k8s.io in all namespaces (HTTP 403 Forbidden)');
      const scanned = await runCli(['scan', '--snapshot', file, '-o', 'json']);
      expect(scanned.code).toBe(2);
      expect(report(scanned.stdout).gaps).toEqual([expect.objectContaining({ source: 'cluster:fake-eks', code: 'KUBE_FORBIDDEN' })]);
    } finally {
      await refusing.close();
    }
  });

  it('saves Secrets from files as metadata only, and scans like the files, at document lines', async () => {
    const dump = join(dir, 'dump.yaml');
    writeFileSync(dump, asManifestFile(clusterObjects()));
    const file = join(dir, 'from-files.json');
    expect((await runCli(['snapshot', dump, '--output-file', file, '--quiet'])).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('c3VwZXItc2VjcmV0LXZhbHVl'); // the Secrets' base64 data
    expect(text).not.toContain('last-applied-configuration'); // which repeats it in clear
    const saved = (JSON.parse(text) as { objects: { object: Record<string, unknown> }[] }).objects.map((o) => o.object).filter((o) => o.kind === 'Secret');
    expect(saved.map((o) => Object.keys(o).sort())).toEqual([['apiVersion', 'kind', 'metadata', 'type'], ['apiVersion', 'kind', 'metadata', 'type']]);
    const fromFiles = report((await runCli(['scan', dump, '-o', 'json'])).stdout);
    const fromSnapshot = report((await runCli(['scan', '--snapshot', file, '-o', 'json'])).stdout);
    // A snapshot keeps each object's file and document line, not the line of each field.
    const withFile = (f: JsonFinding) => `${essence(f)} ${f.resource.file ?? ''}`;
    expect(fromSnapshot.findings.map(withFile).sort()).toEqual(fromFiles.findings.map(withFile).sort());
  });

  it('saves AWS evidence too, and scans it to the same findings', async () => {
    const file = join(dir, 'aws.json');
    const saved = await runCli(['snapshot', '--aws-dump', 'test/fixtures/aws/weak', '--output-file', file, '--quiet']);
    expect(saved.code).toBe(0);
    const direct = report((await runCli(['scan', '--aws-dump', 'test/fixtures/aws/weak', '-o', 'json'])).stdout);
    const offline = report((await runCli(['scan', '--snapshot', file, '-o', 'json'])).stdout);
    expect(direct.findings.length).toBeGreaterThan(0);
    expect(offline.findings).toEqual(direct.findings);
    expect(offline.notEvaluated).toEqual(direct.notEvaluated);
  });

  it('refuses what is not a snapshot, in one line', async () => {
    const cases: [string, string, RegExp][] = [
      ['garbage.json', '{not json', /^eksguard: .*garbage\.json: not an eksguard snapshot \(not JSON: /],
      ['manifest.json', '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}', /manifest\.json: not an eksguard snapshot \(kind is Pod; expected EksguardSnapshot\)\nhint: /],
      ['future.json', '{"kind":"EksguardSnapshot","version":7}', /future\.json: snapshot format version 7 is newer than this eksguard reads \(1\)/],
      ['broken.json', '{"kind":"EksguardSnapshot","version":1,"tool":{"name":"eksguard","version":"0"},"createdAt":"x","evidence":[],"sources":[],"gaps":[],"objects":[{"origin":{"type":"cluster","context":"c"},"object":{"kind":"Pod"}}]}', /broken\.json: snapshot part \/objects\/0 is not valid \(at \/object: `object` needs `apiVersion`\); not used\n/],
    ];
    for (const [name, content, message] of cases) {
      writeFileSync(join(dir, name), content);
      const run = await runCli(['scan', '--snapshot', join(dir, name)]);
      expect(run.code, name).toBe(2);
      expect(run.stderr, name).toMatch(message);
      expect(run.stderr, name).not.toMatch(/\n\s+at /); // no stack trace
    }
    const missing = await runCli(['scan', '--snapshot', join(dir, 'absent.json')]);
    expect(missing.stderr).toMatch(/^eksguard: snapshot .*absent\.json: no such file\n$/);
  });

  it('needs something to save and a file to save it to', async () => {
    expect((await runCli(['snapshot', '--output-file', join(dir, 'x.json')])).stderr).toContain('nothing to save');
    const noFile = await runCli(['snapshot', '--cluster']);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("required option '--output-file <file>' not specified");
  });
});
