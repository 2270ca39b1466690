/** Per-cluster report file names: placeholders filled with path-safe values, never outside the pattern's directory. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandOutputFile, hasPlaceholder, pathSafe, placeholdersOf } from '../../src/fleet/output-names.js';

const cwd = '/srv/eksguard';
const values = { account: '111122223333', region: 'eu-west-1', cluster: 'prod' };

describe('fleet report file names', () => {
  it('fills {account}, {region} and {cluster}, relative to the working directory', () => {
    expect(expandOutputFile('reports/{account}/{region}/{cluster}.json', values, cwd)).toBe(join(cwd, 'reports/111122223333/eu-west-1/prod.json'));
    expect(expandOutputFile('eks-{cluster}-{region}.sarif', values, cwd)).toBe(join(cwd, 'eks-prod-eu-west-1.sarif'));
    expect(hasPlaceholder('a/{cluster}.json')).toBe(true);
    expect(hasPlaceholder('a/{clusters}.json')).toBe(false);
    expect([...placeholdersOf('{region}/{cluster}.json')].sort()).toEqual(['cluster', 'region']);
  });

  it('keeps a hostile cluster name inside the directory: no separators, no dot-dot, no control characters', () => {
    for (const cluster of ['../../etc/passwd', '..', '/abs', 'a\u0000b', 'x\\..\\y', 'név', '']) {
      const file = expandOutputFile('reports/{cluster}.json', { ...values, cluster }, cwd);
      expect(file.startsWith(join(cwd, 'reports') + '/'), `${JSON.stringify(cluster)} -> ${file}`).toBe(true);
      expect(file.slice(join(cwd, 'reports').length + 1)).toMatch(/^[A-Za-z0-9_-]+\.json$/);
    }
    expect(pathSafe('../x')).toBe('___x');
    expect(pathSafe('')).toBe('_');
    expect(pathSafe('a'.repeat(300))).toHaveLength(100);
  });

  it('leaves names of real clusters, regions and accounts as they are', () => {
    for (const name of ['prod', 'shop_weak-2', 'us-gov-west-1', '111122223333']) expect(pathSafe(name)).toBe(name);
  });
});
