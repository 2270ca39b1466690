/**
 * `scan --aws` against hostile endpoints (docs/limits.md): real SDK clients, pointed through
 * AWS_ENDPOINT_URL at loopback servers that never answer, trickle, stream for ever or hand out
 * tokens for ever. Each run ends within its bounds, exits 2, names the calls cut short, and still
 * writes its report. Small bounds (`--request-timeout 1s`) keep the tests short.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectAws } from '../../src/collect/aws/collect.js';
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../aws/fake-endpoint/server.js';
import { runCli, type CliRun } from '../cli-harness.js';
import { answerWith, startBlackHole, type BlackHole, type Hostility } from './servers.js';

interface JsonReport { findings: unknown[]; gaps: { source: string; code: string; message: string }[]; notEvaluated: { ruleId: string; reason: string }[] }

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
const WEAK = resolve('test/fixtures/aws/weak');

let fake: FakeAws | undefined;
let hole: BlackHole | undefined;
afterEach(async () => {
  await fake?.close();
  await hole?.close();
  fake = undefined;
  hole = undefined;
});

/** The fake endpoint serving the weak fixture, with `hostile` calls answered with hostility. */
async function serve(hostile: Readonly<Record<string, Hostility>>, options: Partial<FakeAwsOptions> = {}): Promise<NodeJS.ProcessEnv> {
  fake = await startFakeAws({
    fixture: WEAK,
    pageSize: 100,
    intercept: (action, req, res) => {
      const hostility = hostile[action];
      if (hostility === undefined) return false;
      answerWith(hostility, req, res);
      return true;
    },
    ...options,
  });
  return { AWS_ENDPOINT_URL: fake.url, ...CREDENTIALS };
}

async function timed(run: () => Promise<CliRun>): Promise<CliRun & { seconds: number }> {
  const started = performance.now();
  const result = await run();
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

/** The gap lines of a run, without the two the weak fixture always gives (calls it has no answer for). */
function gapLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('eksguard: aws:eu-west-1: ') && !line.endsWith(': not in the fixture'))
    .map((line) => line.slice('eksguard: aws:eu-west-1: '.length));
}

describe('scan --aws against an endpoint that accepts connections and never answers', () => {
  it('ends after a few rounds of request timeouts, exit 2, naming every call that got no answer, and writes the report', async () => {
    hole = await startBlackHole();
    const run = await timed(() => runCli(['scan', '--aws', '--region', 'eu-west-1', '--request-timeout', '1s', '-o', 'json'], { env: { AWS_ENDPOINT_URL: hole?.url, ...CREDENTIALS } }));
    expect(run.code).toBe(2);
    // ListClusters first; then the account- and region-wide calls, at most 8 in flight (two rounds).
    expect(gapLines(run.stderr).sort()).toEqual([
      'acm-pca:ListCertificateAuthorities got no answer within 1 s',
      'cloudtrail:DescribeTrails got no answer within 1 s',
      'cloudwatch:DescribeAlarms got no answer within 1 s',
      'ec2:DescribeVolumes (PersistentVolume volumes) got no answer within 1 s',
      'ec2:GetEbsEncryptionByDefault got no answer within 1 s',
      'ecr:DescribeRepositories got no answer within 1 s',
      'ecr:GetRegistryScanningConfiguration got no answer within 1 s',
      'efs:DescribeAccessPoints got no answer within 1 s',
      'efs:DescribeFileSystems got no answer within 1 s',
      'eks:ListClusters got no answer within 1 s',
      'guardduty:ListDetectors got no answer within 1 s',
      'iam:GetAccountAuthorizationDetails got no answer within 1 s',
      'inspector2:BatchGetAccountStatus got no answer within 1 s',
    ]);
    // Not retried: one connection per call.
    expect(hole.connections()).toBe(13);
    expect(run.seconds).toBeLessThan(20);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.gaps.map((g) => g.code)).toEqual(Array(13).fill('AWS_UNAVAILABLE'));
    expect(report.notEvaluated.some((n) => /eks:ListClusters got no answer within 1 s/.test(n.reason))).toBe(true);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('scan --aws against an endpoint that misbehaves on one call', () => {
  it('reports a call that never answers as a gap naming it, and reads the rest', async () => {
    const env = await serve({ 'eks:DescribeCluster': 'silent' });
    // 3 s: short, yet long enough for the calls that do answer on a busy machine.
    const run = await timed(() => runCli(['scan', '--aws', '--region', 'eu-west-1', '--request-timeout', '3s', '-o', 'json'], { env }));
    expect(run.code).toBe(2);
    expect(gapLines(run.stderr)).toEqual(['eks:DescribeCluster (cluster shop-weak) got no answer within 3 s']);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.length).toBeGreaterThan(0);
    expect(run.seconds).toBeLessThan(15);
  });

  it('cuts a call whose answer trickles one byte a second at 4 request timeouts, never at the idle timeout', async () => {
    const env = await serve({ 'iam:GetAccountAuthorizationDetails': 'drip' });
    const run = await timed(() => runCli(['scan', '--aws', '--region', 'eu-west-1', '--request-timeout', '3s', '-o', 'json'], { env }));
    expect(run.code).toBe(2);
    expect(gapLines(run.stderr)).toEqual(['iam:GetAccountAuthorizationDetails did not finish answering within 12 s']);
    expect(run.seconds).toBeGreaterThan(11);
    expect(run.seconds).toBeLessThan(25);
    // Not retried.
    expect(fake?.calls.filter((c) => c === 'iam:GetAccountAuthorizationDetails')).toHaveLength(1);
  });

  it('cuts a body that never ends at the size bound', async () => {
    const env = await serve({ 'cloudwatch:DescribeAlarms': 'endless' });
    const read = await collectAws({ region: 'eu-west-1', env, requestTimeoutMs: 5000, maxResponseBytes: 1024 * 1024 });
    const cut = read.gaps.filter((g) => !g.message.endsWith(': not in the fixture'));
    expect(cut.map((g) => g.message)).toEqual(['cloudwatch:DescribeAlarms answered with more than 1 MiB']);
    expect(cut[0]?.unread?.awsCalls).toEqual(['cloudwatch:DescribeAlarms']);
    expect(read.evidence.eks?.clusters.length).toBeGreaterThan(0);
  });

  it('gives up a listing that hands out fresh tokens for ever at its page bound (1,000 by default), as a gap', async () => {
    const env = await serve({}, { endlessTokens: ['ecr:DescribeRepositories'], pageSize: 1 });
    const read = await collectAws({ region: 'eu-west-1', env, maxPages: 100 });
    const cut = read.gaps.filter((g) => !g.message.endsWith(': not in the fixture'));
    expect(cut.map((g) => g.message)).toEqual(['ecr:DescribeRepositories returned more than 100 pages; the listing was not kept']);
    // Nor were the calls about the repositories it would have listed.
    expect(cut[0]?.unread?.awsCalls).toEqual(['ecr:DescribeRepositories', 'ecr:GetRepositoryPolicy', 'ecr:DescribeImageScanFindings', 'inspector2:ListFindings']);
    // 100 pages read, one more asked for to learn there are more; then no more requests. The SDK's
    // paginator remembers no tokens: what a listing holds is its pages, and those are bounded.
    expect(fake?.calls.filter((c) => c === 'ecr:DescribeRepositories')).toHaveLength(101);
    expect(read.evidence.ecr.repositories).toEqual([]);
  });

  it('ends the run at --timeout: the call in flight and the calls not started are gaps naming the deadline', async () => {
    const env = await serve({ 'eks:DescribeCluster': 'silent' });
    const run = await timed(() => runCli(['scan', '--aws', '--region', 'eu-west-1', '--timeout', '3s', '--request-timeout', '1m', '-o', 'json'], { env }));
    expect(run.code).toBe(2);
    const lines = gapLines(run.stderr);
    expect(lines).toContain("eks:DescribeCluster (cluster shop-weak) was not read: the run's deadline of 3 s passed (--timeout)");
    expect(lines.every((line) => line.endsWith("was not read: the run's deadline of 3 s passed (--timeout)"))).toBe(true);
    expect(run.seconds).toBeLessThan(8);
    expect((JSON.parse(run.stdout) as JsonReport).gaps.filter((g) => /deadline/.test(g.message)).length).toBe(lines.length);
  });
});

describe('the AWS SDK on a supported Node', () => {
  it('prints no Node-version warning during an --aws run (bin/eksguard.js, built)', async () => {
    const env = await serve({});
    const child = spawn(process.execPath, ['bin/eksguard.js', 'scan', '--aws', '--region', 'eu-west-1', '-o', 'json', '--allow-gaps'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    child.stdout.resume();
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(1);
    // On Node 20 and 21 the SDK would print it; from 22 on it has nothing to say, and this passes trivially.
    expect(stderr).not.toMatch(/NodeVersionSupportWarning|will require node|Warning/);
    expect(stderr.split('\n').filter((line) => line !== '' && !line.startsWith('eksguard: aws:eu-west-1: '))).toEqual([]);
  });
});
