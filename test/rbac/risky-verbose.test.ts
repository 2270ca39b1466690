/**
 * `rbac risky -v`: the default table names three of the bindings a risk comes through and says how
 * many it leaves out; -v names every one (as -o json has them) and the catalogue's docs link.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';
import { clusterRole, clusterRoleBinding, rule, user } from '../builders-rbac.js';
import { toYaml } from './realistic-cluster.js';

/** User dev reads Secrets cluster-wide through five bindings. */
const READERS = [1, 2, 3, 4, 5].flatMap((n) => [clusterRole(`reader-${n}`, [rule(['get', 'list'], [''], ['secrets'])]), clusterRoleBinding(`reader-${n}`, `reader-${n}`, [user('dev')])]);

let dump = '';
beforeAll(() => {
  dump = join(makeTempDir('risky-verbose'), 'rbac.yaml');
  writeFileSync(dump, toYaml(READERS));
});

const bindingLines = (text: string): string[] => text.split('\n').filter((l) => /^ {10}ClusterRoleBinding reader-\d → ClusterRole reader-\d \S+rbac\.yaml:\d+$/.test(l));

describe('rbac risky -v', () => {
  it('lists every binding of a risk and its docs link; without -v, three and a count', async () => {
    const json = JSON.parse((await runCli(['rbac', 'risky', dump, '-o', 'json', '--fail-on', 'none'])).stdout) as { risks: { id: string; via: unknown[] }[] };
    expect(json.risks.map((r) => [r.id, r.via.length])).toEqual([['secrets-read', 5]]);

    const plain = await runCli(['rbac', 'risky', dump, '--fail-on', 'none'], { columns: 200, env: { NO_COLOR: '1' } });
    expect(bindingLines(plain.stdout)).toHaveLength(3);
    expect(plain.stdout).toContain('\n          (+2 more bindings: -v or -o json lists them)\n');
    expect(plain.stdout).not.toContain('docs:');

    for (const flag of ['-v', '--verbose']) {
      const verbose = await runCli(['rbac', 'risky', dump, '--fail-on', 'none', flag], { columns: 200, env: { NO_COLOR: '1' } });
      expect(bindingLines(verbose.stdout).map((l) => l.trim().split(' ')[1])).toEqual(['reader-1', 'reader-2', 'reader-3', 'reader-4', 'reader-5']);
      expect(verbose.stdout).not.toContain('more binding');
      expect(verbose.stdout).toContain('\n          docs: https://github.com/eksguard/eksguard/blob/main/docs/rbac.md#risky\n');
    }
  });
});
