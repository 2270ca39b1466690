/**
 * `scan --security-hub` with the real @aws-sdk/client-securityhub against a loopback Security Hub
 * (REST-JSON): batches of at most 100, a throttled call retried, refused findings reported as
 * gaps, findings fixed since the last import resolved (and only those of the same target), none
 * resolved by an incomplete scan; deploy/iam-policy-security-hub.json holds exactly the calls made.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECURITY_HUB_CALLS } from '../../src/security-hub/calls.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';
import { startFakeSecurityHub, type FakeSecurityHub, type FakeSecurityHubOptions } from './fake-security-hub.js';

const ACCOUNT = '111122223333';
const PRODUCT = `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`;

let fake: FakeSecurityHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function serve(options: FakeSecurityHubOptions = {}): Promise<NodeJS.ProcessEnv> {
  fake = await startFakeSecurityHub(options);
  return { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
}

/** `count` privileged pods: about a dozen findings each. */
function pods(count: number, from = 0): string {
  return Array.from({ length: count }, (_, i) => `apiVersion: v1
kind: Pod
metadata: {name: app-${from + i}, namespace: shop}
spec:
  hostPID: true
  containers:
    - {name: c, image: "busybox:1.36", securityContext: {privileged: true}}
`).join('---\n');
}



function workdir(manifests: string): string {
  const dir = makeTempDir('security-hub');
  writeFileSync(join(dir, 'k8s.yaml'), manifests);
  return dir;
}

describe('eksguard scan --security-hub', () => {
  it('imports every finding in batches of at most 100, retrying a throttled call', async () => {
    const env = await serve({ throttleFirstImport: true });
    const dir = workdir(pods(20));
    const run = await runCli(['scan', join(dir, 'k8s.yaml'), '--security-hub', '--aws-account', ACCOUNT, '--region', 'eu-west-1', '-o', 'json=report.json'], { cwd: dir, env });
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { findings: { fingerprint: string }[] };
    expect(run.stderr).toMatch(new RegExp(`Security Hub \\(${ACCOUNT}, eu-west-1\\): ${report.findings.length} findings imported, 0 resolved`));
    expect(run.code).toBe(1);
    expect(report.findings.length).toBeGreaterThan(200);
    expect(Math.max(...(fake?.importSizes ?? []))).toBeLessThanOrEqual(100);
    expect(fake?.importSizes.reduce((a, b) => a + b, 0)).toBe(report.findings.length);
    expect(fake?.calls.filter((c) => c === 'securityhub:BatchImportFindings').length).toBe(Math.ceil(report.findings.length / 100) + 1);
    expect([...(fake?.findings.keys() ?? [])].sort()).toEqual(report.findings.map((f) => f.fingerprint).sort());
  });

  it('resolves the findings of the last import that are fixed now, and only those of the same target', async () => {
    const env = await serve();
    const dir = workdir(pods(3));
    expect((await runCli(['scan', join(dir, 'k8s.yaml'), '--security-hub', '--aws-account', ACCOUNT, '--region', 'eu-west-1', '--fail-on', 'none'], { cwd: dir, env })).code).toBe(0);
    // Another target's findings (another directory scanned into the same account) must stay open.
    const other = workdir(pods(1, 50));
    await runCli(['scan', join(other, 'k8s.yaml'), join(other, 'extra.yaml'), '--security-hub', '--aws-account', ACCOUNT, '--region', 'eu-west-1', '--fail-on', 'none', '--allow-gaps'], { cwd: other, env });
    const before = new Map([...(fake?.findings ?? [])].map(([id, f]) => [id, (f.ProductFields as Record<string, string>)['eksguard/target']]));
    writeFileSync(join(dir, 'k8s.yaml'), pods(2));
    const run = await runCli(['scan', join(dir, 'k8s.yaml'), '--security-hub', '--aws-account', ACCOUNT, '--region', 'eu-west-1', '--fail-on', 'none', '-o', 'json=after.json'], { cwd: dir, env });
    expect(run.code).toBe(0);
    const after = JSON.parse(readFileSync(join(dir, 'after.json'), 'utf8')) as { findings: { fingerprint: string }[] };
    const current = new Set(after.findings.map((f) => f.fingerprint));
    const resolved = [...(fake?.findings ?? [])].filter(([, f]) => (f.Workflow as { Status: string }).Status === 'RESOLVED').map(([id]) => id);
    const expected = [...before].filter(([id, target]) => target === `files:${join(dir, 'k8s.yaml')}` && !current.has(id)).map(([id]) => id);
    expect(expected.length).toBeGreaterThan(5);
    expect(resolved.sort()).toEqual(expected.sort());
    expect(run.stderr).toContain(`${expected.length} resolved as fixed`);
    expect(fake?.calls).toContain('securityhub:GetFindings');
    expect(fake?.calls).toContain('securityhub:BatchUpdateFindings');
  });

  it('reports refused findings as gaps (exit 2), and resolves nothing after an incomplete scan', async () => {
    const env = await serve({ refuse: (id) => id.endsWith('0') });
    const dir = workdir(pods(2));
    const first = await runCli(['scan', join(dir, 'k8s.yaml'), '--security-hub', '--aws-account', ACCOUNT, '--region', 'eu-west-1', '--fail-on', 'none'], { cwd: dir, env });
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/^eksguard: securityhub: finding v1:[0-9a-f]+0 was not imported \(InvalidInput: refused by the test\)$/m);
    writeFileSync(join(dir, 'k8s.yaml'), `${pods(1)}---\nkind: [broken\n`);
    const second = await runCli(['scan', join(dir, 'k8s.yaml'), '--security-hub', '--aws-account', ACCOUNT, '--region', 'eu-west-1', '--fail-on', 'none'], { cwd: dir, env });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('findings of the earlier import were left open');
    expect(fake?.calls).not.toContain('securityhub:BatchUpdateFindings');
    expect([...(fake?.findings.values() ?? [])].every((f) => (f.Workflow as { Status: string }).Status === 'NEW')).toBe(true);
  });

  it('says in one line that it needs the account and region, before writing anything', async () => {
    const dir = workdir(pods(1));
    const run = await runCli(['scan', join(dir, 'k8s.yaml'), '--security-hub', '-o', 'json=r.json'], { cwd: dir, env: {} });
    expect(existsSync(join(dir, 'r.json'))).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/need the AWS account and region of the findings/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const asff = await runCli(['scan', join(dir, 'k8s.yaml'), '-o', 'asff', '--region', 'eu-west-1'], { cwd: dir, env: {} });
    expect(asff.code).toBe(2);
    expect(asff.stderr).toMatch(/no account/);
  });
});

describe('deploy/iam-policy-security-hub.json', () => {
  const policy = JSON.parse(readFileSync('deploy/iam-policy-security-hub.json', 'utf8')) as { Statement: { Effect: string; Action: string | string[] }[] };
  const granted = policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

  it('grants exactly the calls --security-hub makes, each once; the read-only policy grants none of them', async () => {
    expect([...granted].sort()).toEqual([...SECURITY_HUB_CALLS].sort());
    expect(new Set(granted).size).toBe(granted.length);
    expect(policy.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
    const readOnly = readFileSync('deploy/iam-policy.json', 'utf8');
    expect(readOnly).not.toMatch(/securityhub/i);
    // A full run (import, find the earlier ones, resolve) makes every call, and no other.
    const env = await serve();
    const dir = workdir(pods(2));
    await runCli(['scan', join(dir, 'k8s.yaml'), '--security-hub', '--aws-account', ACCOUNT, '--region', 'eu-west-1'], { cwd: dir, env });
    writeFileSync(join(dir, 'k8s.yaml'), pods(1));
    await runCli(['scan', join(dir, 'k8s.yaml'), '--security-hub', '--aws-account', ACCOUNT, '--region', 'eu-west-1'], { cwd: dir, env });
    expect([...new Set(fake?.calls)].sort()).toEqual([...SECURITY_HUB_CALLS].sort());
    expect([...(fake?.findings.values() ?? [])].every((f) => f.ProductArn === PRODUCT)).toBe(true);
  });
});

describe('the Security Hub client', () => {
  it('gives up on a server that never answers within the run\'s request timeout: a gap naming each call and the bound, never a hang', async () => {
    const { createServer } = await import('node:net');
    const { createSecurityHubClient, syncSecurityHub } = await import('../../src/security-hub/sync.js');
    const silent = createServer(() => { /* accepts, never answers */ });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const { requestLimits } = await import('../../src/collect/aws/bounds.js');
    const client = await createSecurityHubClient({ region: 'eu-west-1', limits: requestLimits({ requestTimeoutMs: 200 }), env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' } });
    const started = Date.now();
    try {
      const outcome = await syncSecurityHub(client, { findings: [{ Id: 'a' }], productArn: PRODUCT, target: 't', complete: true }, 'eu-west-1');
      expect(outcome.imported).toBe(0);
      expect(outcome.gaps.map((g) => g.message)).toEqual([
        'securityhub:BatchImportFindings failed (got no answer within 200 ms): 1 finding not imported',
        'securityhub:GetFindings failed (got no answer within 200 ms): fixed findings of the earlier import were not resolved',
      ]);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      client.destroy();
      silent.close();
    }
  }, 30_000);
});
