/**
 * `scan --aws --security-hub` over a fleet: each cluster's findings go to Security Hub in its own
 * account and region (the real client against a loopback Security Hub), named by the cluster.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli-harness.js';
import { startFakeAws } from '../aws/fake-endpoint/server.js';
import { startFakeSecurityHub } from '../security-hub/fake-security-hub.js';
import { makeTempDir } from '../temp-dir.js';

describe('fleet scan with --security-hub', () => {
  it('imports each cluster\'s findings into its own account and region', async () => {
    const weak = resolve('test/fixtures/aws/weak');
    const aws = await startFakeAws({ fixture: weak, pageSize: 100, fleet: { callerAccount: '999988887777', fixtures: { '111122223333': { 'eu-west-1': weak }, '444455556666': { 'us-east-1': weak } } } });
    const hub = await startFakeSecurityHub();
    try {
      const env = { AWS_ENDPOINT_URL: aws.url, AWS_ENDPOINT_URL_SECURITYHUB: hub.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
      const run = await runCli(['scan', '--aws', '--regions', 'eu-west-1,us-east-1', '--org-role', 'audit', '--accounts', '111122223333,444455556666',
        '--security-hub', '--allow-gaps', '--fail-on', 'none', '-o', 'json'], { env, cwd: makeTempDir('fleet-hub') });
      expect(run.code).toBe(0);
      const imported = [...hub.findings.values()];
      expect(imported.length).toBeGreaterThan(10);
      const scopes = new Set(imported.map((f) => `${String(f.AwsAccountId)} ${String(f.Region)} ${String(f.ProductArn)}`));
      expect([...scopes].sort()).toEqual([
        '111122223333 eu-west-1 arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
        '444455556666 us-east-1 arn:aws:securityhub:us-east-1:444455556666:product/444455556666/default',
      ]);
      expect(run.stderr).toMatch(/Security Hub \(111122223333, eu-west-1\): \d+ findings imported/);
      expect(run.stderr).toMatch(/Security Hub \(444455556666, us-east-1\): \d+ findings imported/);
    } finally {
      await Promise.all([aws.close(), hub.close()]);
    }
  }, 60_000);
});
