/**
 * The fleet runner: clusters scanned `concurrency` at a time (a cluster's slot is held until its
 * reports are written, then its result is let go), rows in the order of discovery, and a cluster
 * whose AWS side fails is a row with a gap while the others are scanned.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestLimits } from '../../src/collect/aws/bounds.js';
import { discoverFleet } from '../../src/fleet/discover.js';
import { runFleet } from '../../src/fleet/run.js';
import { startFakeAws } from '../aws/fake-endpoint/server.js';

const WEAK = resolve('test/fixtures/aws/weak');
const HARDENED = resolve('test/fixtures/aws/hardened');

describe('runFleet', () => {
  it('scans at most `concurrency` clusters at once, and keeps the discovery order', async () => {
    const fake = await startFakeAws({
      fixture: WEAK, pageSize: 100,
      fleet: {
        callerAccount: '999988887777',
        fixtures: { '111122223333': { 'eu-west-1': WEAK, 'us-east-1': HARDENED }, '444455556666': { 'eu-west-1': HARDENED, 'us-east-1': WEAK } },
      },
    });
    try {
      const env = { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
      const { targets } = await discoverFleet({
        home: 'eu-west-1', regions: ['eu-west-1', 'us-east-1'], allRegions: false, orgRole: 'audit', accounts: ['111122223333', '444455556666'],
        allAccounts: false, clusterNames: [], env, limits: requestLimits(),
      });
      expect(targets).toHaveLength(4);
      let inFlight = 0;
      let most = 0;
      const handed: string[] = [];
      const rows = await runFleet({
        targets, concurrency: 2, withKubernetes: false, scan: { rules: ['require-control-plane-logging'], cwd: process.cwd() }, timeoutMs: 60_000,
        onResult: async (target, result) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          handed.push(`${target.access.account}/${target.region}/${target.cluster}:${result.inventory.aws?.clusters.map((c) => c.arn).join(',') ?? ''}`);
          await new Promise((done) => setTimeout(done, 300));
          inFlight -= 1;
          return [];
        },
      });
      expect(most).toBe(2);
      expect(rows.map((r) => `${r.account}/${r.region}/${r.cluster}`)).toEqual(targets.map((t) => `${t.access.account}/${t.region}/${t.cluster}`));
      // Each cluster's scan reads its own account and region, through that account's assumed credentials.
      expect(handed.sort()).toEqual([
        '111122223333/eu-west-1/shop-weak:arn:aws:eks:eu-west-1:111122223333:cluster/shop-weak',
        '111122223333/us-east-1/shop-hardened:arn:aws:eks:us-east-1:111122223333:cluster/shop-hardened',
        '444455556666/eu-west-1/shop-hardened:arn:aws:eks:eu-west-1:444455556666:cluster/shop-hardened',
        '444455556666/us-east-1/shop-weak:arn:aws:eks:us-east-1:444455556666:cluster/shop-weak',
      ]);
      expect(fake.accessKeys).toContain('ASIA444455556666');
    } finally {
      await fake.close();
    }
  }, 60_000);
});
