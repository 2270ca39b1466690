/**
 * deploy/iam-policy-fleet.json is exactly what the fleet's discovery calls with the auditing
 * identity's credentials (FLEET_CALLS), beside deploy/iam-policy.json for what each account's scan
 * reads; a full discovery against the fake organization makes no other call.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIVE_CALLS } from '../../src/collect/aws/calls.js';
import { requestLimits } from '../../src/collect/aws/bounds.js';
import { discoverFleet, FLEET_CALLS } from '../../src/fleet/discover.js';
import { startFakeAws } from '../aws/fake-endpoint/server.js';

interface Statement { Effect: string; Action?: string | string[]; NotAction?: unknown; Resource?: string | string[]; NotResource?: unknown }
const policy = JSON.parse(readFileSync('deploy/iam-policy-fleet.json', 'utf8')) as { Version: string; Statement: Statement[] };
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : s.Action !== undefined ? [s.Action] : []);
const granted = policy.Statement.flatMap(actionsOf);

describe('deploy/iam-policy-fleet.json', () => {
  it('grants exactly the fleet\'s own calls, each once, allow-only', () => {
    expect([...granted].sort()).toEqual([...FLEET_CALLS].sort());
    expect(new Set(granted).size).toBe(granted.length);
    expect(policy.Version).toBe('2012-10-17');
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.NotAction).toBeUndefined();
      expect(statement.NotResource).toBeUndefined();
    }
  });

  it('lets the auditing identity assume the audit role only, by name, in any account', () => {
    const assume = policy.Statement.filter((s) => actionsOf(s).includes('sts:AssumeRole'));
    expect(assume.map((s) => s.Resource)).toEqual(['arn:aws:iam::*:role/eksguard-audit']);
  });

  it('matches the calls in the discovery\'s code', () => {
    const source = readFileSync('src/fleet/discover.ts', 'utf8');
    const commands = new Set([...source.matchAll(/sdk\.(\w+)\.(?:(\w+)Command|paginate(\w+))\b/g)].map((m) => `${m[1] ?? ''}:${m[2] ?? m[3] ?? ''}`));
    expect([...commands].sort()).toEqual([...FLEET_CALLS, 'eks:ListClusters', 'sts:GetCallerIdentity'].sort());
  });

  it('covers every request a full discovery makes; eks:ListClusters is the audit role\'s (deploy/iam-policy.json), GetCallerIdentity needs no permission', async () => {
    const fake = await startFakeAws({
      fixture: resolve('test/fixtures/aws/weak'),
      fleet: {
        callerAccount: '999988887777', regions: ['eu-west-1', 'us-east-1'], unassumable: ['777788889999'],
        organization: [{ Id: '111122223333', Name: 'a', Status: 'ACTIVE' }, { Id: '777788889999', Name: 'b', Status: 'ACTIVE' }],
        fixtures: { '111122223333': { 'eu-west-1': resolve('test/fixtures/aws/weak') } },
      },
    });
    try {
      const found = await discoverFleet({
        home: 'us-east-1', regions: [], allRegions: true, orgRole: 'eksguard-audit', allAccounts: true, clusterNames: [],
        env: { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, limits: requestLimits(),
      });
      expect(found.targets.map((t) => `${t.access.account}/${t.region}/${t.cluster}`)).toEqual(['111122223333/eu-west-1/shop-weak']);
      expect(found.callerAccount).toBe('999988887777');
      const made = new Set(fake.calls);
      expect([...made].sort()).toEqual([...FLEET_CALLS, 'eks:ListClusters', 'sts:GetCallerIdentity'].sort());
      expect(LIVE_CALLS).toContain('eks:ListClusters');
    } finally {
      await fake.close();
    }
  });
});
