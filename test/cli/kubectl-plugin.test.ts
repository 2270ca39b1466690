/**
 * The kubectl plugin: how kubectl's flags map onto eksguard's options, and — with the real kubectl
 * — that kubectl finds `kubectl-eksguard` on PATH and runs it against a local API server with the
 * context, kubeconfig and namespace given as kubectl flags.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { pluginArgs } from '../../src/cli/kubectl-plugin.js';
import { documentSchema } from '../../src/schemas/documents.js';
import { startFakeApiServer, type FakeApiServer } from '../collect/kube/fake-api-server.js';
import { clusterObjects } from '../collect/kube/fixture-cluster.js';
import { writeKubeconfig } from '../collect/kube/kubeconfig.js';
import { externalProgram } from '../support/external.js';
import { makeTempDir } from '../temp-dir.js';

describe('pluginArgs: kubectl flags to eksguard options', () => {
  it.each([
    [['scan', '--cluster'], ['scan', '--cluster']],
    [['scan', '--cluster', '--context', 'prod'], ['scan', '--cluster', '--context', 'prod']],
    [['scan', '--context=prod', '--cluster'], ['scan', '--cluster', '--context', 'prod']],
    [['--context', 'prod', 'scan', '--cluster'], ['scan', '--cluster', '--context', 'prod']],
    [['scan', '--cluster', '--kubeconfig=/k/config', '-n', 'shop'], ['scan', '--cluster', '--kubeconfig', '/k/config', '--namespace', 'shop']],
    [['-nshop', 'scan', '--cluster'], ['scan', '--cluster', '--namespace', 'shop']],
    [['scan', '-n=shop', '--namespace=payments', '--cluster'], ['scan', '--cluster', '--namespace', 'shop', '--namespace', 'payments']],
    [['rbac', 'who-can', 'get', 'secrets', '--cluster', '-n', 'prod'], ['rbac', 'who-can', 'get', 'secrets', '--cluster', '--namespace', 'prod']],
    [['scan', '--cluster', '-A'], ['scan', '--cluster']],
    [['scan', '--cluster', '--all-namespaces'], ['scan', '--cluster']],
    // eksguard's own options, also those kubectl has too with the same meaning, pass as they are.
    [['scan', 'k8s/', '-o', 'json', '--request-timeout', '10s', '--rule', 'no-host-namespaces'], ['scan', 'k8s/', '-o', 'json', '--request-timeout', '10s', '--rule', 'no-host-namespaces']],
    // After --, nothing is a flag.
    [['scan', '--context', 'a', '--', '-n', '--context'], ['scan', '--context', 'a', '--', '-n', '--context']],
    [['--help'], ['--help']],
    [[], []],
  ])('%j → %j', (argv, expected) => {
    expect(pluginArgs(argv)).toEqual(expected);
  });

  it.each([
    [['scan', '--cluster', '--as', 'bob'], '--as'],
    [['scan', '--cluster', '--user=admin'], '--user'],
    [['scan', '--cluster', '--token', 't'], '--token'],
    [['scan', '--cluster', '-s', 'https://1.2.3.4'], '-s'],
    [['scan', '--cluster=prod-cluster'], '--cluster=prod-cluster'],
    [['scan', '--cluster', '--insecure-skip-tls-verify'], '--insecure-skip-tls-verify'],
  ])('refuses %j, a kubectl flag eksguard cannot honour, naming %s', (argv, flag) => {
    expect(() => pluginArgs(argv)).toThrow(UsageError);
    expect(() => pluginArgs(argv)).toThrow(`${flag}: kubectl's flag is not supported by kubectl eksguard`);
  });

  it.each([
    [['scan', '--cluster', '--context']],
    [['scan', '--cluster', '-n', '--context', 'x']],
    [['scan', '--cluster', '--namespace=']],
  ])('refuses %j: a flag without its value', (argv) => {
    expect(() => pluginArgs(argv)).toThrow(/needs a value$/);
  });

  it('refuses -A with -n', () => {
    expect(() => pluginArgs(['scan', '--cluster', '-A', '-n', 'shop'])).toThrow('-A/--all-namespaces and -n/--namespace together');
  });
});

describe('the package installs kubectl-eksguard', () => {
  it('as a bin that is executable and runs the mapping', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin['kubectl-eksguard']).toBe('bin/kubectl-eksguard.js');
    expect(readFileSync('bin/kubectl-eksguard.js', 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(readFileSync('bin/kubectl-eksguard.js', 'utf8')).toContain('pluginArgs');
    expect(() => accessSync('bin/kubectl-eksguard.js', constants.X_OK)).not.toThrow();
  });
});

const kubectl = externalProgram('kubectl', 'the kubectl plugin tests');

interface Run { readonly code: number | null; readonly stdout: string; readonly stderr: string }

/** Runs the real kubectl without blocking: the fake API server answers from this process. */
function run(program: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill(), 50_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

describe.skipIf(kubectl.missing)('kubectl eksguard, with the real kubectl (uses dist/: npm run build)', () => {
  let server: FakeApiServer;
  let dir: string;
  let kubeconfig: string;
  let env: NodeJS.ProcessEnv;
  const TOKEN = 'plugin-test-token';

  beforeAll(async () => {
    expect(existsSync('dist/cli-bundle/kubectl-plugin.js'), 'run npm run build first').toBe(true);
    server = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN });
    dir = makeTempDir('kubectl-plugin');
    // A context that is not the current one (there is none): only --context reaches it.
    kubeconfig = writeKubeconfig(dir, { server: server.url, ca: server.ca, token: TOKEN, context: 'prod', noCurrentContext: true });
    const bin = join(dir, 'bin');
    // What npm does with package.json's bin: a link named kubectl-eksguard on PATH.
    mkdirSync(bin);
    symlinkSync(resolve('bin/kubectl-eksguard.js'), join(bin, 'kubectl-eksguard'));
    env = { PATH: [bin, dirname(process.execPath), dirname(kubectl.path), '/usr/bin', '/bin'].join(':'), HOME: dir };
  });
  afterAll(() => server?.close());

  it('kubectl plugin list finds it', async () => {
    const list = await run(kubectl.path, ['plugin', 'list'], env);
    expect(list.stdout).toContain(join(dir, 'bin', 'kubectl-eksguard'));
    expect(list.stderr).not.toMatch(/warning|error/i);
  });

  it('kubectl eksguard --help prints eksguard\'s help', async () => {
    const help = await run(kubectl.path, ['eksguard', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: eksguard');
    expect(help.stdout).toMatch(/^\s+scan \[options\] \[paths\.\.\.\]/m);
  });

  it('kubectl eksguard scan --cluster reads the cluster of kubectl\'s --context, --kubeconfig and -n', async () => {
    const scan = await run(kubectl.path, ['eksguard', '--context', 'prod', 'scan', '--cluster', '-n', 'team-a', `--kubeconfig=${kubeconfig}`, '-o', 'json', '-q'], env);
    expect(scan.stderr).toBe('');
    expect(scan.code).toBe(1);
    const report = JSON.parse(scan.stdout) as { sources: { path: string }[]; findings: { resource: { kind: string; namespace: string | null } }[] };
    expect(report.sources.map((s) => s.path)).toEqual(['cluster:prod']);
    // A live scan's document (origin cluster:prod, no files) is a scan document like any other.
    const validate = new Ajv({ allErrors: true }).compile(documentSchema('scan', { closed: true }));
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    // -n team-a: namespaced objects of team-a only, besides the two kube-system ConfigMaps read by
    // name (aws-auth maps IAM identities cluster-wide; docs/cluster.md). team-b's hostPID Pod is not read.
    const namespaces = (list: readonly { kind: string; namespace: string | null }[]) => new Set(list.filter((r) => r.namespace !== null && !(r.kind === 'ConfigMap' && r.namespace === 'kube-system')).map((r) => r.namespace));
    expect(namespaces(report.findings.map((f) => f.resource))).toEqual(new Set(['team-a']));
    const reads = server.requests.flatMap((r) => {
      const match = /\/namespaces\/([^/]+)\/([a-z]+)/.exec(r.path);
      return match ? [{ namespace: match[1] ?? '', kind: match[2] === 'configmaps' ? 'ConfigMap' : match[2] ?? '' }] : [];
    });
    expect(reads.length).toBeGreaterThan(0);
    expect(namespaces(reads)).toEqual(new Set(['team-a']));
  }, 60_000);

  it('without --context, the kubeconfig has no current context: the flag is what chose it', async () => {
    const scan = await run(kubectl.path, ['eksguard', 'scan', '--cluster', '--kubeconfig', kubeconfig, '-q'], env);
    expect(scan.code).toBe(2);
    expect(scan.stderr).toMatch(/^eksguard: .*context/m);
  }, 60_000);

  it('a kubectl flag eksguard cannot honour is refused in one line, exit 2', async () => {
    const refused = await run(kubectl.path, ['eksguard', 'scan', '--cluster', '--as', 'admin'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n')[0]).toBe("eksguard: --as: kubectl's flag is not supported by kubectl eksguard");
  }, 60_000);
});
