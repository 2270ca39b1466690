import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../temp-dir.js';
import { CONFORMANCE_ENV, outsideData } from './conformance.js';
import { externalProgram, findOnPath } from './external.js';
import { isCi } from './requirement.js';

/** What a helper printed, line by line. */
function capture(): { lines: string[]; write: (line: string) => void } {
  const lines: string[] = [];
  return { lines, write: (line) => lines.push(line) };
}

describe('isCi', () => {
  it('is true for CI=true or 1, false when unset, empty, 0 or false', () => {
    expect([{ CI: 'true' }, { CI: '1' }, { CI: 'yes' }].map(isCi)).toEqual([true, true, true]);
    expect([{}, { CI: '' }, { CI: '0' }, { CI: 'false' }, { CI: 'FALSE' }].map(isCi)).toEqual([false, false, false, false, false]);
  });
});

describe('outsideData (conformance data)', () => {
  const root = makeTempDir('support');
  mkdirSync(join(root, 'pod-security-admission'));

  it('finds a directory under the one the variable names', () => {
    const out = capture();
    expect(outsideData(CONFORMANCE_ENV, 'pod-security-admission', 'the PSA tests', { [CONFORMANCE_ENV]: root }, out.write)).toEqual({ path: join(root, 'pod-security-admission'), missing: false });
    expect(out.lines).toEqual([]);
  });

  it('skips with one line saying what and how to run it when the variable is unset', () => {
    const out = capture();
    expect(outsideData(CONFORMANCE_ENV, 'pod-security-admission', 'the PSA tests', {}, out.write).missing).toBe(true);
    expect(out.lines).toEqual(['skipped: the PSA tests (EKSGUARD_CONFORMANCE_DIR is not set); to run them, set EKSGUARD_CONFORMANCE_DIR to the conformance data directory (docs/testing.md)\n']);
  });

  it('names the missing path when the variable points at a directory without it', () => {
    const out = capture();
    expect(outsideData(CONFORMANCE_ENV, 'audit-logs', 'the audit tests', { [CONFORMANCE_ENV]: root }, out.write).missing).toBe(true);
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toContain(`(${join(root, 'audit-logs')} does not exist)`);
  });

  it('fails instead when CI is set', () => {
    const out = capture();
    expect(() => outsideData(CONFORMANCE_ENV, 'pod-security-admission', 'the PSA tests', { CI: 'true' }, out.write))
      .toThrow('the PSA tests cannot run: EKSGUARD_CONFORMANCE_DIR is not set, and CI is set, so they are mandatory');
    expect(() => outsideData(CONFORMANCE_ENV, 'audit-logs', 'the audit tests', { CI: 'true', [CONFORMANCE_ENV]: root }, out.write)).toThrow(/does not exist/);
    expect(out.lines).toEqual([]);
  });
});

describe('externalProgram', () => {
  const dir = makeTempDir('support-bin');
  const kubectl = join(dir, 'kubectl');
  writeFileSync(kubectl, '#!/bin/sh\n');
  chmodSync(kubectl, 0o755);
  writeFileSync(join(dir, 'openssl'), 'not executable');

  it('finds a program on PATH by its usual names, and only executable files', () => {
    expect(findOnPath(['kubectl'], `/nonexistent:${dir}`)).toBe(kubectl);
    expect(findOnPath(['openssl'], dir)).toBeUndefined();
    const out = capture();
    expect(externalProgram('kubectl', 'the kubectl tests', { PATH: dir }, out.write)).toEqual({ path: kubectl, missing: false });
    expect(out.lines).toEqual([]);
  });

  it('takes the path its variable gives, before PATH', () => {
    const out = capture();
    expect(externalProgram('chromium', 'the browser tests', { PATH: '', EKSGUARD_CHROMIUM: kubectl }, out.write)).toEqual({ path: kubectl, missing: false });
    expect(externalProgram('chromium', 'the browser tests', { PATH: '', EKSGUARD_CHROMIUM: join(dir, 'nope') }, out.write).missing).toBe(true);
    expect(out.lines).toEqual([`skipped: the browser tests (EKSGUARD_CHROMIUM=${join(dir, 'nope')} is not an executable file); to run them, install chromium, or set EKSGUARD_CHROMIUM to its path\n`]);
  });

  it('skips with one line when absent, and fails when CI is set', () => {
    const out = capture();
    expect(externalProgram('openssl', 'the TLS tests', { PATH: dir }, out.write)).toEqual({ path: 'openssl', missing: true });
    expect(out.lines).toEqual(['skipped: the TLS tests (openssl not found on PATH); to run them, install openssl, or set EKSGUARD_OPENSSL to its path\n']);
    expect(() => externalProgram('openssl', 'the TLS tests', { PATH: dir, CI: 'true' }, out.write)).toThrow('the TLS tests cannot run: openssl not found on PATH, and CI is set');
  });
});
