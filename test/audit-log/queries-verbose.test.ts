/**
 * `audit queries --run -v`: the message of an Insights finding names its top three result rows;
 * -v lists every row the finding holds (as -o json has them) and the detection's docs link, through
 * the real CLI and CloudWatch Logs client against the loopback Logs endpoint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli-harness.js';
import { tempDir } from './events.js';
import { startFakeLogs, type FakeLogs } from './fake-logs/server.js';

const ROWS = ['mallory', 'trudy', 'oscar', 'eve', 'peggy'].map((user, i) => ({ 'user.username': user, 'sourceIPs.0': `203.0.113.${i + 1}`, denied: String(50 - i) }));

let fake: FakeLogs | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('audit queries --run -v', () => {
  it('lists every Logs Insights row of a finding and its docs link; without -v the message names the top three', async () => {
    fake = await startFakeLogs({ clusters: ['prod'], answer: (query) => (query.includes('responseStatus.code = 401') ? { rows: ROWS } : { rows: [] }) });
    fake.addEvents('/aws/eks/prod/cluster', []);
    const env = { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'eu-west-1', NO_COLOR: '1' };
    const args = ['audit', 'queries', '--run', '--cluster-name', 'prod', '--since', '24h', '--detection', 'audit-auth-failures', '--fail-on', 'none'];
    const line = (row: Record<string, string>): string => Object.entries(row).map(([k, v]) => `${k}=${v}`).join(' ');

    const plain = await runCli(args, { cwd: tempDir(), env, columns: 200 });
    expect(plain.code).toBe(0);
    // The message wraps: read it with its continuation lines joined.
    expect(plain.stdout.replace(/\n {12}(?=\S)/g, ' ')).toContain(`top: ${ROWS.slice(0, 3).map(line).join('; ')} fix: `);
    expect(plain.stdout).not.toMatch(/peggy|Logs Insights rows|docs:/);

    const verbose = await runCli([...args, '-v'], { cwd: tempDir(), env, columns: 200 });
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toContain(`            Logs Insights rows (5):\n${ROWS.map((r) => `              ${line(r)}\n`).join('')}`);
    expect(verbose.stdout).toContain('            docs: https://github.com/eksguard/eksguard/blob/main/docs/audit-logs.md#audit-auth-failures\n');
  });
});
