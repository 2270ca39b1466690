/**
 * `eksguard scan --aws` over a fleet, as a user runs it, in process through the real CLI: the real
 * AWS SDK clients against the fake AWS endpoint standing for an organization (STS AssumeRole per
 * account, Organizations, EC2 DescribeRegions, EKS per region and account), and the real Kubernetes
 * client against two local HTTPS API servers, each with its own CA, each accepting only a token
 * that verifies as a presigned STS URL for its cluster, signed by the account it trusts. One
 * account's role cannot be assumed, one cluster refuses the identity, one private endpoint never
 * answers: each a gap naming it, and the rest is scanned.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli-harness.js';
import { fleetKeyOf, fleetSecretOf, startFakeAws, type FakeAws } from '../aws/fake-endpoint/server.js';
import { startFakeApiServer, type FakeApiServer } from '../collect/kube/fake-api-server.js';
import { clusterObjects } from '../collect/kube/fixture-cluster.js';
import { makeTempDir } from '../temp-dir.js';
import { verifyEksToken } from './sigv4.js';

const MANAGEMENT = '999988887777';
const PROD = '111122223333';
const SHOP = '444455556666';
const LOCKED = '777788889999';
const SUSPENDED = '222233334444';
const WEAK = resolve('test/fixtures/aws/weak');
const HARDENED = resolve('test/fixtures/aws/hardened');

interface FleetJson {
  schemaVersion: number;
  summary: { clusters: number; accounts: number; findings: number; gaps: number; bySeverity: Record<string, number> };
  clusters: { account: string; region: string; cluster: string; arn: string | null; findings: number; score: number | null; kubernetes: string; gaps: number; reports: string[] }[];
  gaps: { scope: string; account: string | null; region: string | null; cluster: string | null; source: string; code: string; message: string }[];
}

/** A certificate authority of its own for each fake cluster (self-signed, for 127.0.0.1). */
async function ownCertificate(): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec', curve: 'P-256', extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return { cert: pems.cert, key: pems.private };
}

/** A private endpoint seen from outside its VPC: connections are taken and never answered. */
async function blackHole(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => { for (const s of sockets) s.destroy(); server.close(() => done()); }),
  };
}

/** The EKS authenticator of one cluster: a token for this cluster, signed by the access key of the one account mapped to it. */
function authenticator(cluster: string, account: string, seen: { accepted: number; refused: string[] }) {
  return (token: string) => {
    const verdict = verifyEksToken(token, { clusterName: cluster, regions: ['eu-west-1', 'us-east-1'], secretFor: fleetSecretOf });
    const ok = verdict.ok && verdict.accessKeyId === fleetKeyOf(account);
    if (ok) seen.accepted += 1;
    else seen.refused.push(verdict.ok ? `key ${verdict.accessKeyId}` : verdict.why);
    return ok;
  };
}

describe('eksguard scan --aws over a fleet', () => {
  let fake: FakeAws;
  let weakServer: FakeApiServer;
  let hardenedServer: FakeApiServer;
  let hole: { url: string; close: () => Promise<void> };
  const weakSeen = { accepted: 0, refused: [] as string[] };
  const hardenedSeen = { accepted: 0, refused: [] as string[] };
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const [weakCert, hardenedCert] = await Promise.all([ownCertificate(), ownCertificate()]);
    weakServer = await startFakeApiServer({ objects: clusterObjects(), certificate: weakCert, acceptToken: authenticator('shop-weak', PROD, weakSeen) });
    hardenedServer = await startFakeApiServer({ objects: clusterObjects(), certificate: hardenedCert, acceptToken: authenticator('shop-hardened', SHOP, hardenedSeen) });
    hole = await blackHole();
    const ca = (pem: string) => Buffer.from(pem).toString('base64');
    fake = await startFakeAws({
      fixture: WEAK,
      fleet: {
        callerAccount: MANAGEMENT,
        regions: ['eu-west-1', 'us-east-1'],
        organization: [
          { Id: PROD, Name: 'prod', Status: 'ACTIVE' }, { Id: SHOP, Name: 'shop', Status: 'ACTIVE' },
          { Id: LOCKED, Name: 'locked', Status: 'ACTIVE' }, { Id: SUSPENDED, Name: 'gone', Status: 'SUSPENDED' },
        ],
        unassumable: [LOCKED],
        fixtures: { [PROD]: { 'eu-west-1': WEAK, 'us-east-1': HARDENED }, [SHOP]: { 'eu-west-1': WEAK, 'us-east-1': HARDENED } },
        clusters: {
          [`${PROD}/eu-west-1/shop-weak`]: { endpoint: weakServer.url, caData: ca(weakCert.cert) },
          // The same API server, but its authenticator maps only the prod account: the shop account's identity is refused.
          [`${SHOP}/eu-west-1/shop-weak`]: { endpoint: weakServer.url, caData: ca(weakCert.cert) },
          [`${SHOP}/us-east-1/shop-hardened`]: { endpoint: hardenedServer.url, caData: ca(hardenedCert.cert) },
          [`${PROD}/us-east-1/shop-hardened`]: { endpoint: hole.url, caData: ca(hardenedCert.cert) },
        },
      },
    });
    env = { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
  });
  afterAll(async () => {
    await Promise.all([fake.close(), weakServer.close(), hardenedServer.close(), hole.close()]);
  });

  it('scans every cluster of every enabled region of every ACTIVE account, the Kubernetes side with in-process EKS tokens; gaps name what could not be read', async () => {
    const cwd = makeTempDir('fleet');
    const started = Date.now();
    const run = await runCli([
      'scan', '--aws', '--region', 'us-east-1', '--all-regions', '--org-role', 'eksguard-audit', '--all-accounts', '--with-kubernetes',
      '--concurrency', '2', '--request-timeout', '4s', '-o', 'json=reports/{account}/{region}/{cluster}.json', '-o', 'json', '--allow-gaps',
    ], { env, cwd });
    const elapsed = Date.now() - started;
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const report = JSON.parse(run.stdout) as FleetJson;
    expect(report.schemaVersion).toBe(1);
    const rows = report.clusters.map((c) => `${c.account}/${c.region}/${c.cluster} k8s=${c.kubernetes}`).sort();
    expect(rows).toEqual([
      `${PROD}/eu-west-1/shop-weak k8s=read`,
      `${PROD}/us-east-1/shop-hardened k8s=not-read`,
      `${SHOP}/eu-west-1/shop-weak k8s=not-read`,
      `${SHOP}/us-east-1/shop-hardened k8s=read`,
    ]);
    // Roles assumed in each ACTIVE account, in the partition of the region; the suspended account is left alone.
    expect([...fake.assumed].sort()).toEqual([PROD, SHOP, LOCKED].map((a) => `arn:aws:iam::${a}:role/eksguard-audit`).sort());
    expect(fake.calls).toContain('organizations:ListAccounts');
    expect(fake.calls.filter((c) => c === 'ec2:DescribeRegions')).toHaveLength(1);

    const gapOf = (pattern: RegExp) => report.gaps.filter((g) => pattern.test(g.message));
    expect(gapOf(new RegExp(`cannot assume arn:aws:iam::${LOCKED}:role/eksguard-audit`))).toEqual([expect.objectContaining({ scope: 'fleet', code: 'AWS_FORBIDDEN', source: `account ${LOCKED}` })]);
    const refused = gapOf(/refused the audit identity/);
    expect(refused).toEqual([expect.objectContaining({ scope: 'cluster', account: SHOP, region: 'eu-west-1', cluster: 'shop-weak', code: 'KUBE_FORBIDDEN' })]);
    expect(refused[0]?.message).toMatch(/access entry for arn:aws:iam::444455556666:role\/eksguard-audit on cluster shop-weak with AmazonEKSViewPolicy/);
    expect(refused[0]?.message).toMatch(/deploy\/rbac\.yaml/);
    const unreachable = gapOf(/cannot reach the Kubernetes API/);
    expect(unreachable).toEqual([expect.objectContaining({ account: PROD, region: 'us-east-1', cluster: 'shop-hardened', code: 'KUBE_UNAVAILABLE' })]);
    expect(unreachable[0]?.message).toMatch(/private endpoint/);
    // The endpoint that never answers is given up on within the request timeout, not waited on (the next test times it alone).
    expect(elapsed).toBeLessThan(45_000);

    // The authenticators saw valid tokens for their own cluster, and refused the other account's.
    expect(weakSeen.accepted).toBeGreaterThan(0);
    expect(hardenedSeen.accepted).toBeGreaterThan(0);
    expect(weakSeen.refused).toContain(`key ${fleetKeyOf(SHOP)}`);
    expect(hardenedSeen.refused).toEqual([]);

    // One report per cluster, at the file its placeholders name, with the Kubernetes findings of the clusters read.
    for (const row of report.clusters) {
      const file = join(cwd, 'reports', row.account, row.region, `${row.cluster}.json`);
      expect(row.reports).toEqual([file]);
      expect(existsSync(file)).toBe(true);
    }
    const prodWeak = JSON.parse(readFileSync(join(cwd, 'reports', PROD, 'eu-west-1', 'shop-weak.json'), 'utf8')) as { findings: { origin: string | null; resource: { kind?: string } }[] };
    expect(prodWeak.findings.some((f) => f.origin === `cluster:arn:aws:eks:eu-west-1:${PROD}:cluster/shop-weak`)).toBe(true);
    expect(prodWeak.findings.some((f) => f.origin === 'aws:eu-west-1')).toBe(true);
    const shopWeak = JSON.parse(readFileSync(join(cwd, 'reports', SHOP, 'eu-west-1', 'shop-weak.json'), 'utf8')) as { findings: { origin: string | null }[]; notEvaluated: unknown[] };
    expect(shopWeak.findings.some((f) => (f.origin ?? '').startsWith('cluster:'))).toBe(false);
    expect(shopWeak.notEvaluated.length).toBeGreaterThan(0);
    expect(report.summary.findings).toBe(report.clusters.reduce((n, c) => n + c.findings, 0));
    expect(run.code).toBe(1);
  }, 60_000);

  it('gives up on a private endpoint that never answers within the request timeout', async () => {
    const started = Date.now();
    const run = await runCli(['scan', '--aws', '--regions', 'us-east-1', '--org-role', 'eksguard-audit', '--accounts', PROD, '--cluster-name', 'shop-hardened',
      '--with-kubernetes', '--request-timeout', '4s', '-o', 'json', '--rule', 'no-privileged-containers'], { env, cwd: makeTempDir('fleet-private') });
    const elapsed = Date.now() - started;
    const report = JSON.parse(run.stdout) as FleetJson;
    expect(report.clusters.map((c) => `${c.cluster} ${c.kubernetes}`)).toEqual(['shop-hardened not-read']);
    const kube = report.gaps.filter((g) => g.code.startsWith('KUBE_'));
    expect(kube.map((g) => g.code)).toEqual(['KUBE_UNAVAILABLE']);
    expect(kube[0]?.message).toMatch(/no answer within 4 s/);
    expect(run.code).toBe(2);
    // The request timeout ended the wait (the message says so); the bound here only guards against a hang.
    expect(elapsed).toBeLessThan(45_000);
  }, 60_000);

  it('without --allow-gaps the gaps make the exit code 2; the table names each cluster, and stderr each gap', async () => {
    const cwd = makeTempDir('fleet-table');
    const run = await runCli(['scan', '--aws', '--regions', 'eu-west-1', '--org-role', 'eksguard-audit', '--accounts', `${PROD},${LOCKED}`, '-o', 'table'], { env: { ...env, COLUMNS: '120' }, cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^ACCOUNT\s+REGION\s+CLUSTER\s+CRIT\s+HIGH\s+MED\s+LOW\s+INFO\s+SCORE\s+GAPS\s+K8S$/m);
    expect(run.stdout).toMatch(new RegExp(`^${PROD}\\s+eu-west-1\\s+shop-weak\\s+\\d+`, 'm'));
    expect(run.stdout).toMatch(/1 cluster in 1 account and 1 region/);
    expect(run.stderr).toMatch(new RegExp(`^eksguard: account ${LOCKED}: cannot assume`, 'm'));
  }, 60_000);

  it('refuses what a fleet scan cannot do, in one line, before any AWS call', async () => {
    const calls = fake.calls.length;
    const cases: [string[], RegExp][] = [
      [['--regions', 'eu-west-1'], /go with --aws/],
      [['--aws', '--regions', 'eu-west-1', '--all-regions'], /--regions or --all-regions/],
      [['--aws', '--region', 'eu-west-1', '--accounts', PROD], /go with --org-role/],
      [['--aws', '--region', 'eu-west-1', '--org-role', 'audit', '--accounts', '12345'], /not an AWS account id/],
      [['--aws', '--region', 'eu-west-1', '--org-role', 'a/b', '--all-accounts'], /not an IAM role name/],
      [['--aws', '--regions', 'eu-west-1', '-o', 'sarif=x.sarif'], /writes sarif per cluster/],
      [['--aws', '--regions', 'eu-west-1', '-o', 'json=reports/{region}.json'], /needs \{cluster\}/],
      [['--aws', '--regions', 'eu-west-1', '--concurrency', '0'], /--concurrency 0/],
      [['--aws', '--regions', 'eu-west-1', '--cluster'], /--cluster does not go with it/],
      [['--aws', '--regions', 'eu-west-1', '--rule', 'no-such-rule'], /--rule no-such-rule: unknown rule id/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(['scan', ...args], { env, cwd: makeTempDir('fleet-usage') });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr.trim().split('\n').length, run.stderr).toBeLessThanOrEqual(2);
    }
    expect(fake.calls.length).toBe(calls);
  });
});
