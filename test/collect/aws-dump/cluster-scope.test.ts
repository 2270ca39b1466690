/** A failed call about one cluster of a multi-cluster dump counts for that cluster only. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli-harness.js';
import { makeTempDir } from '../../temp-dir.js';

interface Report { gaps: { source: string; code: string; message: string }[]; notEvaluated: { ruleId: string; reason: string }[] }

const DENIED_NODEGROUPS = 'An error occurred (AccessDeniedException) when calling the ListNodegroups operation: not authorized';

function write(root: string, path: string, doc: unknown): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), JSON.stringify(doc));
}

function cluster(name: string) {
  return { cluster: { name, arn: `arn:aws:eks:eu-west-1:111122223333:cluster/${name}`, version: '1.31', accessConfig: { authenticationMode: 'API' } } };
}

/** Two cluster directories as the dump script writes them; cluster b's node-group listing was refused. */
function twoClusterDump(record: Record<string, unknown>): string {
  const root = makeTempDir('cluster-scope');
  for (const name of ['a', 'b']) {
    write(root, `${name}/dump-info.json`, { collectedAt: '2026-11-01T00:00:00Z', region: 'eu-west-1', clusterName: name });
    write(root, `${name}/eks/describe-cluster.json`, cluster(name));
  }
  write(root, 'b/eks/list-nodegroups.failed.json', { eksguardFailedCall: 'eks list-nodegroups', ...record, error: DENIED_NODEGROUPS });
  return root;
}

async function scan(dir: string, ...args: string[]): Promise<{ code: number; report: Report }> {
  const run = await runCli(['scan', '--aws-dump', dir, '-o', 'json', ...args]);
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

const fromNodegroups = (report: Report) => ({
  gaps: report.gaps.filter((g) => g.message.includes('eks:ListNodegroups')).map((g) => g.code),
  notEvaluated: report.notEvaluated.filter((n) => n.reason.includes('eks:ListNodegroups')).map((n) => n.ruleId),
});

describe('--cluster-name with failed calls of other clusters', () => {
  // Records the current script writes (clusterName) and older ones (attributed by dump-info.json).
  for (const [label, record] of [['naming its cluster', { clusterName: 'b' }], ['of an older script, attributed by dump-info.json', {}]] as const) {
    it(`drops cluster b's refused node-group listing when judging a, and keeps it for b (record ${label})`, async () => {
      const dir = twoClusterDump(record);
      const a = await scan(dir, '--cluster-name', 'a', '--allow-gaps');
      expect(fromNodegroups(a.report)).toEqual({ gaps: [], notEvaluated: [] });

      const b = await scan(dir, '--cluster-name', 'b', '--allow-gaps');
      expect(fromNodegroups(b.report).gaps).toEqual(['AWS_FORBIDDEN']);
      expect(fromNodegroups(b.report).notEvaluated.length).toBeGreaterThan(0);

      const all = await scan(dir, '--allow-gaps');
      expect(fromNodegroups(all.report)).toEqual(fromNodegroups(b.report));
    });
  }

  it('exits 0 for a when b\'s failure is its only gap, and 2 without --cluster-name', async () => {
    const dir = twoClusterDump({ clusterName: 'b' });
    const a = await scan(dir, '--cluster-name', 'a', '--fail-on', 'none');
    expect(a.report.gaps).toEqual([]);
    expect(a.code).toBe(0);
    expect((await scan(dir, '--fail-on', 'none')).code).toBe(2);
  });

  it('keeps account-wide failures written in another cluster\'s directory', async () => {
    const dir = twoClusterDump({ clusterName: 'b' });
    write(dir, 'b/iam/get-account-authorization-details.failed.json', {
      eksguardFailedCall: 'iam get-account-authorization-details', clusterName: 'b',
      error: 'An error occurred (AccessDenied) when calling the GetAccountAuthorizationDetails operation: not authorized',
    });
    const a = await scan(dir, '--cluster-name', 'a', '--allow-gaps');
    expect(a.report.gaps.map((g) => g.code)).toEqual(['AWS_FORBIDDEN']);
    expect(a.report.gaps[0]?.message).toContain('iam:GetAccountAuthorizationDetails');
    expect(a.report.notEvaluated.some((n) => n.reason.includes('iam:GetAccountAuthorizationDetails'))).toBe(true);
  });

  it('counts a record attributed to no cluster (no clusterName, no dump-info.json) for every cluster', async () => {
    const root = makeTempDir('cluster-scope');
    write(root, 'eks/a.json', cluster('a'));
    write(root, 'eks/b.json', cluster('b'));
    write(root, 'eks/list-nodegroups.failed.json', { eksguardFailedCall: 'eks list-nodegroups', error: DENIED_NODEGROUPS });
    const a = await scan(root, '--cluster-name', 'a', '--allow-gaps');
    expect(fromNodegroups(a.report).gaps).toEqual(['AWS_FORBIDDEN']);
  });
});
