/**
 * A plain clone has no steering folder beside it: no test, script or document may reach outside the
 * repository for data except through the variables of test/support (docs/testing.md).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, keep) : keep(name) ? [path] : [];
  });
}

// Built from pieces so that this file does not match itself.
const OUTSIDE = new RegExp(['\\.\\./', 'shared/', '|/wo', 'rk/', '|shared/', 'conformance|shared/', 'design'].join(''));

describe('a plain clone', () => {
  it('has no test or script that reads the steering folder beside the repository', () => {
    const code = [...filesUnder('test', (n) => /\.(ts|js)$/.test(n)), ...filesUnder('scripts', (n) => /\.(ts|js)$/.test(n)), 'vitest.config.ts'];
    expect(code.length).toBeGreaterThan(100);
    expect(code.filter((file) => OUTSIDE.test(readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('tracks no symbolic link (a clone would point it at whatever the cloning machine has there)', () => {
    // git ls-files -s prints `mode object stage\tpath`; 120000 is a symbolic link. A copy of the
    // sources without git history has nothing to check.
    let listing: string;
    try {
      listing = execFileSync('git', ['ls-files', '-s'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    } catch {
      console.log('skipped: not a git checkout, so tracked symbolic links cannot be listed');
      return;
    }
    const links = listing.split('\n').filter((line) => line.startsWith('120000 ')).map((line) => line.slice(line.indexOf('\t') + 1));
    expect(links).toEqual([]);
  });

  it('has no document that sends users to files outside the repository', () => {
    const docs = ['README.md', ...filesUnder('docs', (n) => n.endsWith('.md')), ...filesUnder('examples', (n) => n.endsWith('.md'))];
    expect(docs.filter((file) => OUTSIDE.test(readFileSync(file, 'utf8')))).toEqual([]);
  });
});
