/**
 * `eksguard scan --aws` as a user runs it, against the fake AWS endpoint (AWS_ENDPOINT_URL), in
 * process through the real CLI: the same findings as `--aws-dump` on the same fixtures, throttling
 * and AccessDenied never crash a scan, and credential or usage errors are one line with exit 2.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli-harness.js';
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../aws/fake-endpoint/server.js';
import { makeTempDir } from '../temp-dir.js';

interface JsonFinding { ruleId: string; severity: string; message: string; resource: Record<string, unknown>; origin: string | null; pointer: string }
interface JsonReport { findings: JsonFinding[]; gaps: { source: string; code: string; message: string }[]; notEvaluated: { ruleId: string; reason: string }[] }

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Dated rules judge as of the dumps' collectedAt (2026-11-20): a live read would otherwise judge as of today. */
function configDir(): string {
  const dir = makeTempDir('aws-live');
  writeFileSync(join(dir, 'eksguard.yaml'), [
    'rules:',
    '  require-managed-node-lifecycle: {options: {asOf: "2026-11-20"}}',
    '  require-supported-kubernetes-version: {options: {asOf: "2026-11-20"}}',
    '',
  ].join('\n'));
  return dir;
}

async function serve(options: FakeAwsOptions): Promise<NodeJS.ProcessEnv> {
  fake = await startFakeAws(options);
  return { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
}

/** Findings without where they were read from (a dump file, or aws:REGION), sorted. */
function comparable(report: JsonReport): string[] {
  return report.findings.map((f) => JSON.stringify({ ...f, origin: null })).sort();
}

describe('eksguard scan --aws', () => {
  it.each(['weak', 'hardened'])('gives the same findings as --aws-dump on the %s fixture', async (name) => {
    const dir = resolve('test/fixtures/aws', name);
    const cwd = configDir();
    const env = await serve({ fixture: dir });
    const live = await runCli(['scan', '--aws', '--region', 'eu-west-1', '-o', 'json', '--allow-gaps'], { env, cwd });
    const dump = await runCli(['scan', '--aws-dump', dir, '-o', 'json', '--allow-gaps'], { cwd });
    const liveReport = JSON.parse(live.stdout) as JsonReport;
    const dumpReport = JSON.parse(dump.stdout) as JsonReport;
    expect(comparable(liveReport)).toEqual(comparable(dumpReport));
    expect(liveReport.notEvaluated).toEqual(dumpReport.notEvaluated);
    expect(live.code).toBe(dump.code);
    if (name === 'weak') expect(liveReport.findings.length).toBeGreaterThan(20);
    expect(live.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports AccessDenied as gaps naming the IAM action (exit 2), and still reports what it could read', async () => {
    const env = await serve({ fixture: resolve('test/fixtures/aws/hardened'), deny: ['eks:DescribeNodegroup', 'iam:GetAccountAuthorizationDetails'], throttleOnce: ['ec2:DescribeSubnets'], pageSize: 100 });
    const run = await runCli(['scan', '--aws', '--region', 'eu-west-1', '-o', 'json'], { env, cwd: configDir() });
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.gaps.filter((g) => g.code === 'AWS_FORBIDDEN').map((g) => g.message.split(' ')[0]).sort()).toEqual(['eks:DescribeNodegroup', 'iam:GetAccountAuthorizationDetails']);
    expect(run.stderr).toMatch(/^eksguard: aws:eu-west-1: eks:DescribeNodegroup was denied/m);
    expect(report.notEvaluated.length).toBeGreaterThan(0);
    expect(fake?.throttled).toEqual(['ec2:DescribeSubnets']);
  });

  it('asks Inspector and ECR about the images the Kubernetes input runs, and judges them as the dump does', async () => {
    const dir = configDir();
    const image = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4.2';
    writeFileSync(join(dir, 'pods.yaml'), [
      'apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: shop }',
      `spec:\n  containers: [{ name: app, image: "${image}" }]`,
      `status:\n  containerStatuses: [{ name: app, image: "${image}", imageID: "docker-pullable://111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web@sha256:${'a1'.repeat(32)}" }]`,
    ].join('\n'));
    const fixture = resolve('test/fixtures/aws/weak');
    const env = await serve({ fixture });
    const args = [join(dir, 'pods.yaml'), '-o', 'json', '--allow-gaps', '--rule', 'no-running-critical-vulnerabilities', '--rule', 'restrict-ecr-repository-policy', '--rule', 'require-ecr-vpc-endpoints'];
    const live = JSON.parse((await runCli(['scan', '--aws', '--region', 'eu-west-1', ...args], { env, cwd: dir })).stdout) as JsonReport;
    const dump = JSON.parse((await runCli(['scan', '--aws-dump', fixture, ...args], { cwd: dir })).stdout) as JsonReport;
    expect(fake?.calls).toContain('ecr:DescribeImageScanFindings');
    expect(fake?.calls.filter((c) => c === 'inspector2:ListFindings')).toHaveLength(1);
    expect(live.notEvaluated).toEqual([]);
    expect(comparable(live)).toEqual(comparable(dump));
    expect(live.findings.map((f) => f.ruleId).sort()).toEqual([
      'no-running-critical-vulnerabilities', 'require-ecr-vpc-endpoints', 'restrict-ecr-repository-policy', 'restrict-ecr-repository-policy', 'restrict-ecr-repository-policy',
    ]);
  });

  it('reports a refused repository-policy, findings or VPC-endpoint call as a gap naming the action, and the rule needing it as not evaluated', async () => {
    const env = await serve({ fixture: resolve('test/fixtures/aws/hardened'), deny: ['ecr:GetRepositoryPolicy', 'ec2:DescribeVpcEndpoints', 'inspector2:ListFindings'] });
    const run = await runCli(['scan', '--aws', '--region', 'eu-west-1', '-o', 'json', '--rule', 'restrict-ecr-repository-policy', '--rule', 'require-ecr-vpc-endpoints'], { env, cwd: configDir() });
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.gaps.filter((g) => g.code === 'AWS_FORBIDDEN').map((g) => g.message.split(' ')[0]).sort()).toEqual(['ec2:DescribeVpcEndpoints', 'ecr:GetRepositoryPolicy', 'ecr:GetRepositoryPolicy', 'inspector2:ListFindings']);
    expect(report.notEvaluated.map((n) => n.ruleId).sort()).toEqual(['require-ecr-vpc-endpoints', 'restrict-ecr-repository-policy']);
    expect(report.findings).toEqual([]);
  });

  it('reads AWS_REGION when --region is not given, and --cluster-name works with --aws', async () => {
    const env = await serve({ fixture: resolve('test/fixtures/aws/weak') });
    const run = await runCli(['scan', '--aws', '--cluster-name', 'shop-weak', '-o', 'json', '--allow-gaps'], { env: { ...env, AWS_REGION: 'eu-west-1' }, cwd: configDir() });
    expect(run.code).toBe(1);
    expect(fake?.calls).not.toContain('eks:ListClusters');
    expect(fake?.calls).toContain('eks:DescribeCluster');
  });

  it('says in one line, exit 2, that AWS rejected the credentials', async () => {
    const env = await serve({ fixture: resolve('test/fixtures/aws/weak'), rejectCredentials: true });
    const run = await runCli(['scan', '--aws', '--region', 'eu-west-1'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/AWS rejected the credentials/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  });

  it('says in one line, exit 2, that the endpoint cannot be reached', async () => {
    const run = await runCli(['scan', '--aws', '--region', 'eu-west-1'], { env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot reach AWS in eu-west-1 at http:\/\/127\.0\.0\.1:9/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('judges storage, transit encryption and private CAs from the live read and the manifests together', async () => {
    const cwd = configDir();
    writeFileSync(join(cwd, 'k8s.yaml'), [
      'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: orders-db}\nspec: {capacity: {storage: 20Gi}, accessModes: [ReadWriteOnce], csi: {driver: ebs.csi.aws.com, volumeHandle: vol-0weak000000000001}}',
      'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: shared}\nspec: {capacity: {storage: 5Gi}, accessModes: [ReadWriteMany], csi: {driver: efs.csi.aws.com, volumeHandle: fs-0weak0000000001}}',
      'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: selfsigned}\nspec: {selfSigned: {}}',
    ].join('\n---\n'));
    const env = await serve({ fixture: resolve('test/fixtures/aws/weak') });
    const rules = ['require-ebs-encryption', 'require-efs-encryption-at-rest', 'require-encryption-in-transit', 'require-private-ca', 'require-current-node-ami', 'require-audit-log-retention'];
    const run = await runCli(['scan', join(cwd, 'k8s.yaml'), '--aws', '--region', 'eu-west-1', '-o', 'json', '--allow-gaps', '--fail-on', 'low', ...rules.flatMap((r) => ['--rule', r])], { env, cwd });
    const report = JSON.parse(run.stdout) as JsonReport;
    // The weak account's own two gaps (no event selectors, no access entry of the node role), none of these calls'.
    expect(report.gaps.map((g) => g.message.split(' ')[0]).sort()).toEqual(['cloudtrail:GetEventSelectors', 'eks:DescribeAccessEntry']);
    expect(report.notEvaluated).toEqual([]);
    const found = report.findings.map((f) => `${f.ruleId} ${String(f.resource.kind)} ${String(f.resource.name ?? f.resource.arn)}`).sort();
    expect(found).toEqual([
      'require-audit-log-retention log-group /aws/eks/shop-weak/cluster',
      'require-audit-log-retention log-group /aws/eks/shop-weak/cluster',
      'require-current-node-ami launch-template-version shop-weak-apps version 2',
      'require-current-node-ami nodegroup general',
      'require-ebs-encryption PersistentVolume orders-db',
      'require-ebs-encryption cluster shop-weak',
      'require-ebs-encryption launch-template-version shop-weak-apps version 2',
      'require-efs-encryption-at-rest PersistentVolume shared',
      'require-efs-encryption-at-rest file-system shop-weak-shared',
      'require-encryption-in-transit nodegroup general',
      'require-private-ca cluster shop-weak',
    ]);
    expect(fake?.calls).toEqual(expect.arrayContaining(['ssm:GetParameter', 'ec2:DescribeImages', 'ec2:DescribeInstanceTypes', 'acm-pca:ListCertificateAuthorities', 'efs:DescribeFileSystems', 'ec2:DescribeVolumes']));
    expect(run.code).toBe(1);
  });

  it('rejects AWS flags without --aws, --aws with --aws-dump, and --aws without a region', async () => {
    const noAws = await runCli(['scan', '--region', 'eu-west-1']);
    expect(noAws.code).toBe(2);
    expect(noAws.stderr).toMatch(/--region, --profile and --role-arn go with --aws/);
    const both = await runCli(['scan', '--aws', '--region', 'eu-west-1', '--aws-dump', 'test/fixtures/aws/weak']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give one/);
    const noRegion = await runCli(['scan', '--aws']);
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toMatch(/--aws needs a region/);
  });
});
