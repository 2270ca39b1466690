/**
 * Temporary directories for tests, removed when the test file that made them is done. Vitest
 * evaluates this module anew for each test file, so each file that imports it gets one hook that
 * removes its own directories, and never another run's (other developers test in the same /tmp).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // A directory a test made unreadable (as a non-root user) stays; the rest are removed.
    }
  }
});

/** A new empty directory `$TMPDIR/eksguard-<prefix>-XXXXXX`, removed after this test file. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `eksguard-${prefix}-`));
  made.push(dir);
  return dir;
}
