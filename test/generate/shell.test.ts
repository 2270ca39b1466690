import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseServiceAccountRef, shellAssign, shellCommand, shellQuote, validClusterName, validLabelValue, validNamespace, validRoleArn } from '../../src/generate/shell.js';

const SH = '/bin/sh';
const haveShell = existsSync(SH);
if (!haveShell) console.log(`skipped: ${SH} is absent, shell round trips not run`);

describe('shell quoting', () => {
  it('leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('kube-system')).toBe('kube-system');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('$(id)')).toBe("'$(id)'");
    expect(shellCommand('kubectl', 'label', 'pod', 'a b', 'x=$HOME')).toBe("kubectl label pod 'a b' 'x=$HOME'");
    expect(shellAssign('POD', "we'b")).toBe("POD='we'\\''b'");
    expect(() => shellAssign('pod; id', 'x')).toThrow();
  });

  it.runIf(haveShell || process.env.CI !== undefined)('a POSIX shell reads every quoted string back as it was (property)', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\u0000', '')), { minLength: 1, maxLength: 4 }), (args) => {
      const script = `printf '%s\\0' ${args.map(shellQuote).join(' ')}`;
      const out = execFileSync(SH, ['-c', script], { encoding: 'utf8' });
      expect(out.split('\u0000').slice(0, -1)).toEqual(args);
    }), { numRuns: 150 });
  });
});

describe('names', () => {
  it('accepts what the APIs accept', () => {
    expect(validNamespace('team-a')).toBe('team-a');
    expect(validClusterName('Prod_1-eu')).toBe('Prod_1-eu');
    expect(validLabelValue('IR-2024.01_x', 'incident')).toBe('IR-2024.01_x');
    expect(validRoleArn('arn:aws-cn:iam::111122223333:role/path/to/r+=,.@-')).toBeTruthy();
    expect(parseServiceAccountRef('shop:checkout')).toEqual({ namespace: 'shop', name: 'checkout' });
    expect(parseServiceAccountRef('shop/checkout')).toEqual({ namespace: 'shop', name: 'checkout' });
  });

  it('rejects what would smuggle anything into a command', () => {
    for (const bad of ['a;b', 'A', '-a', 'a'.repeat(64), '$(id)', 'a b']) expect(() => validNamespace(bad)).toThrow(/is not valid/);
    for (const bad of ['', '_x', 'x;y', 'a'.repeat(101)]) expect(() => validClusterName(bad)).toThrow(/is not valid/);
    for (const bad of ['-x', 'x-', 'a b', 'a'.repeat(64)]) expect(() => validLabelValue(bad, 'label')).toThrow(/is not valid/);
    for (const bad of ['arn:aws:iam::1:role/x', 'arn:aws:iam::111122223333:user/x', "arn:aws:iam::111122223333:role/x'y"]) expect(() => validRoleArn(bad)).toThrow(/is not valid/);
    expect(() => parseServiceAccountRef('shop')).toThrow(/expected NAMESPACE:NAME/);
  });
});
