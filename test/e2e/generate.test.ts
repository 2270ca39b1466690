/** `eksguard generate ...` as a user runs it: in-process, through main(). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli-harness.js';
import { startFakeAws, type FakeAws } from '../aws/fake-endpoint/server.js';
import { ACCOUNT, ISSUER, describeCluster } from '../builders-aws.js';
import { compliantDeployment, parseYamlDocuments, validateKube, yamlOf } from '../generate/support.js';
import { makeTempDir } from '../temp-dir.js';

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('eksguard generate tenant', () => {
  it('prints a kit that eksguard scan --fail-on low and pss check accept', async () => {
    const dir = makeTempDir('gen-tenant');
    const out = await runCli(['generate', 'tenant', 'team-a', '--admin-group', 'team-a-admins', '--allow-from', 'ingress-nginx,monitoring', '--output-file', 'kit.yaml'], { cwd: dir });
    expect(out).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const kit = join(dir, 'kit.yaml');
    for (const doc of parseYamlDocuments(readFileSync(kit, 'utf8'))) expect(() => validateKube(doc)).not.toThrow();
    const scan = await runCli(['scan', kit, '--fail-on', 'low']);
    expect(scan.code).toBe(0);
    expect(scan.stdout).toMatch(/No findings .* 1 exempted/);
    // The kit with a hardened workload passes Pod Security at the level it enforces; a privileged one does not.
    writeFileSync(join(dir, 'app.yaml'), yamlOf(compliantDeployment('team-a')));
    expect((await runCli(['pss', 'check', kit, join(dir, 'app.yaml')])).code).toBe(0);
    writeFileSync(join(dir, 'bad.yaml'), yamlOf(compliantDeployment('team-a', 'bad', { hostPID: true })));
    const denied = await runCli(['pss', 'check', kit, join(dir, 'bad.yaml')]);
    expect(denied.code).toBe(1);
  });

  it('JSON output, and the access entry as CloudFormation', async () => {
    const json = await runCli(['generate', 'tenant', 'team-a', '--admin-role-arn', `arn:aws:iam::${ACCOUNT}:role/team-a`, '--cluster-name', 'prod', '-o', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ accessEntry: { commands: [expect.stringContaining('aws eks create-access-entry'), expect.stringContaining('AmazonEKSAdminPolicy')] } });
    const cfn = await runCli(['generate', 'tenant', 'team-a', '--admin-role-arn', `arn:aws:iam::${ACCOUNT}:role/team-a`, '--cluster-name', 'prod', '--access-entry-format', 'cloudformation']);
    expect(cfn.stdout).toContain('#         Type: STANDARD');
  });

  it('without an admin, says the Role is bound to no one', async () => {
    const run = await runCli(['generate', 'tenant', 'team-a']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('eksguard: no --admin-group or --admin-role-arn: the tenant-admin Role is not bound to anyone\n');
  });

  it.each([
    [['generate', 'tenant', 'Team A'], 'eksguard: tenant name "Team A" is not valid'],
    [['generate', 'tenant', 'a', '--pods', 'many'], 'eksguard: --pods many: expected a whole number'],
    [['generate', 'tenant', 'a', '--admin-role-arn', `arn:aws:iam::${ACCOUNT}:role/x`], 'eksguard: --admin-role-arn needs --cluster-name'],
  ])('bad input %j: one line, exit 2, nothing printed', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('eksguard generate network-policies', () => {
  it('reads standard input and prints policies the scan then accepts', async () => {
    const input = yamlOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, compliantDeployment('shop'));
    const run = await runCli(['generate', 'network-policies', '-'], { stdin: input });
    expect(run.code).toBe(0);
    const docs = parseYamlDocuments(run.stdout);
    expect(docs.map((d) => (d.metadata as { name: string }).name)).toEqual(['default-deny', 'allow-dns-egress']);
    const dir = makeTempDir('gen-netpol');
    writeFileSync(join(dir, 'all.yaml'), input + run.stdout);
    const scan = await runCli(['scan', join(dir, 'all.yaml'), '--rule', 'require-default-deny-network-policy,require-dns-egress-policy', '--fail-on', 'low']);
    expect(scan.code).toBe(0);
  });

  it('nothing to read: a usage error', async () => {
    const run = await runCli(['generate', 'network-policies']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^eksguard: nothing to read\n/);
  });

  it('unreadable input: a gap, exit 2 unless --allow-gaps', async () => {
    const run = await runCli(['generate', 'network-policies', 'no-such-file.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no-such-file.yaml');
  });
});

describe('eksguard generate trust-policy', () => {
  function dumpDir(): string {
    const dir = makeTempDir('gen-trust');
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify(describeCluster()));
    return dir;
  }

  it('from an AWS evidence directory', async () => {
    const run = await runCli(['generate', 'trust-policy', '--service-account', 'app:reports', '--cluster-name', 'demo', '--aws-dump', dumpDir(), '-o', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { irsa: { trustPolicy: { Statement: { Condition: unknown }[] } } };
    expect(json.irsa.trustPolicy.Statement[0]?.Condition).toEqual({ StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:app:reports', [`${ISSUER}:aud`]: 'sts.amazonaws.com' } });
  });

  it('live: one eks:DescribeCluster against the (loopback) EKS endpoint', async () => {
    fake = await startFakeAws({ fixture: dumpDir() });
    const env = { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
    const run = await runCli(['generate', 'trust-policy', '--service-account', 'app:reports', '--cluster-name', 'demo', '--aws', '--region', 'eu-west-1'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(fake.calls).toEqual(['eks:DescribeCluster']);
    expect(run.stdout).toContain(`"${ISSUER}:sub": "system:serviceaccount:app:reports"`);
    const missing = await runCli(['generate', 'trust-policy', '--service-account', 'app:reports', '--cluster-name', 'other', '--aws', '--region', 'eu-west-1'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^eksguard: --aws: eks:DescribeCluster of other failed/);
  });

  it('from the flags', async () => {
    const run = await runCli(['generate', 'trust-policy', '--service-account', 'app:reports', '--cluster-name', 'demo', '--oidc-issuer', `https://${ISSUER}`, '--account', ACCOUNT]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('aws eks create-pod-identity-association --cluster-name demo --namespace app --service-account reports');
  });

  it.each([
    [['--service-account', 'app:reports', '--cluster-name', 'demo'], /where is the cluster's OIDC issuer/],
    [['--service-account', 'app', '--cluster-name', 'demo', '--oidc-issuer', `https://${ISSUER}`, '--account', ACCOUNT], /expected NAMESPACE:NAME/],
    [['--service-account', 'app:reports', '--cluster-name', 'demo;id', '--oidc-issuer', `https://${ISSUER}`, '--account', ACCOUNT], /--cluster-name "demo;id": not an EKS cluster name/],
    [['--service-account', 'app:reports', '--cluster-name', 'demo', '--oidc-issuer', `https://${ISSUER}`], /--oidc-issuer needs --account/],
    [['--service-account', 'app:reports', '--cluster-name', 'nope', '--aws-dump', 'DUMP'], /^eksguard: --cluster-name nope: /],
  ])('bad input %j', async (args, message) => {
    const run = await runCli(['generate', 'trust-policy', ...args.map((a) => (a === 'DUMP' ? dumpDir() : a))]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});

describe('eksguard generate cloudwatch-alarms', () => {
  it('still works from its new home in the generate module; --cluster NAME still works with a deprecation notice', async () => {
    const run = await runCli(['generate', 'cloudwatch-alarms', '--cluster', 'prod']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('/aws/eks/prod/cluster');
    expect(run.stderr).toMatch(/--cluster NAME is deprecated in generate cloudwatch-alarms: use --cluster-name NAME/);
  });
});
