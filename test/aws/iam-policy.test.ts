/**
 * deploy/iam-policy.json is exactly what the live collector needs: the actions of its call table
 * (src/collect/aws/calls.ts), which is every action its code calls and that a full read against the
 * fake endpoint performs — nothing more, read-only, no action wildcards.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIVE_CALLS } from '../../src/collect/aws/calls.js';
import { collectAws } from '../../src/collect/aws/collect.js';
import { ecrImageOf } from '../../src/core/aws/ecr-image.js';
import { startFakeAws } from './fake-endpoint/server.js';

interface Statement { Effect: string; Action?: string | string[]; NotAction?: unknown; Resource?: string | string[]; NotResource?: unknown; Condition?: unknown }
const policy = JSON.parse(readFileSync('deploy/iam-policy.json', 'utf8')) as { Version: string; Statement: Statement[] };
const granted = policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : s.Action !== undefined ? [s.Action] : []));

describe('deploy/iam-policy.json', () => {
  it('grants exactly the actions of the collector\'s call table, each once', () => {
    expect([...granted].sort()).toEqual([...LIVE_CALLS].sort());
    expect(new Set(granted).size).toBe(granted.length);
  });

  it('grants SSM parameters only under AWS\'s public /aws/service/ tree', () => {
    const ssm = policy.Statement.filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => a?.startsWith('ssm:')));
    expect(ssm.map((s) => s.Resource)).toEqual(['arn:*:ssm:*::parameter/aws/service/*']);
  });

  it('is an allow-only, read-only policy without action wildcards', () => {
    expect(policy.Version).toBe('2012-10-17');
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.NotAction).toBeUndefined();
      expect(statement.NotResource).toBeUndefined();
    }
    for (const action of granted) {
      expect(action).toMatch(/^[a-z0-9-]+:(Describe|List|Get|BatchGet)[A-Za-z]+$/);
    }
  });

  it('matches the calls in the collector\'s code: every call is in the table, and the table holds no unused action', () => {
    // collect.ts and the modules it hands its reader to (read-*.ts): `call('...` or `reader.call('...`.
    const source = readdirSync('src/collect/aws').filter((f) => f.endsWith('.ts')).map((f) => readFileSync(`src/collect/aws/${f}`, 'utf8')).join('\n');
    const called = new Set([...source.matchAll(/call\('([a-z0-9-]+:[A-Za-z]+)'/g)].map((m) => m[1]));
    expect([...called].sort()).toEqual([...LIVE_CALLS].sort());
  });

  it('covers every request a full read makes (fake endpoint, both fixtures)', async () => {
    const seen = new Set<string>();
    // The weak account's read knows the image a pod runs (as a scan with Kubernetes input does): its ECR scan findings are read too.
    const running = ecrImageOf('111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4.2', `docker-pullable://x@sha256:${'a1'.repeat(32)}`);
    for (const [fixture, images] of [['test/fixtures/aws/weak', running ? [running] : []], ['test/fixtures/aws/hardened', undefined]] as const) {
      const fake = await startFakeAws({ fixture });
      try {
        await collectAws({ region: 'eu-west-1', env: { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, ...(images !== undefined ? { images } : {}) });
        for (const call of fake.calls) seen.add(call);
      } finally {
        await fake.close();
      }
    }
    expect([...seen].filter((action) => !granted.includes(action))).toEqual([]);
    // The fixtures exercise every action but none: all of them are really called.
    expect([...LIVE_CALLS].filter((action) => !seen.has(action))).toEqual([]);
  });
});
