/**
 * Hostile text on the terminal: names, file names and messages from the input are shown, never
 * obeyed; each problem stays one line.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gapLine } from '../../src/core/gap-text.js';
import { formatError, UsageError } from '../../src/core/errors.js';
import { MAX_TERMINAL_MESSAGE, terminalMessage, terminalText } from '../../src/core/terminal-text.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function privilegedPod(name: string, namespace: string): unknown {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace },
    spec: { containers: [{ name: `c${name}`, image: 'busybox', securityContext: { privileged: true } }] },
  };
}

function writeJson(value: unknown, fileName = 'pod.json'): string {
  const file = join(makeTempDir('terminal'), fileName);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('terminalText', () => {
  it('shows C0, DEL, C1 and bidi controls as escapes', () => {
    expect(terminalText('a\x1b]0;pwned\x07b')).toBe('a\\x1b]0;pwned\\x07b');
    expect(terminalText('x\r\n\0\b\x7f\x9b')).toBe('x\\x0d\\x0a\\x00\\x08\\x7f\\x9b');
    expect(terminalText('evil\u202eexe.txt\u2066')).toBe('evil\\u202eexe.txt\\u2066');
    expect(terminalText('plain ünïcode → ok')).toBe('plain ünïcode → ok');
  });

  it(`caps a quoted message at ${MAX_TERMINAL_MESSAGE} characters`, () => {
    const shown = terminalMessage('x'.repeat(1_000_000));
    expect(shown).toBe(`${'x'.repeat(MAX_TERMINAL_MESSAGE)}…`);
  });

  it('keeps a gap and an error to one line each', () => {
    expect(gapLine({ source: 'a\nb.yaml', line: 3, code: 'NOT_A_KUBE_OBJECT', message: 'bad\r\n\x1b[2Jthing' })).toBe('eksguard: a\\x0ab.yaml:3: bad\\x0d\\x0a\\x1b[2Jthing\n');
    const text = formatError(new UsageError(`server said: ${'\x1b[31m'.repeat(10)}\n${'y'.repeat(2_000_000)}`));
    expect(text.split('\n')).toHaveLength(1);
    expect(text.length).toBeLessThan(MAX_TERMINAL_MESSAGE * 2);
    expect(text).not.toMatch(CONTROL);
  });
});

describe('the table and stderr of scan', () => {
  it('escape an OSC sequence in a name, a newline in a namespace and a bidi override', async () => {
    const file = writeJson({ apiVersion: 'v1', kind: 'List', items: [privilegedPod('web\x1b]0;pwned\x07', 'prod\nHIGH forged'), privilegedPod('gpj.\u202eexe', 'default')] });
    const run = await runCli(['scan', file, '-o', 'table', '--no-color']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('web\\x1b]0;pwned\\x07');
    expect(run.stdout).toContain('prod\\x0aHIGH forged');
    expect(run.stdout).toContain('gpj.\\u202eexe');
    expect(run.stdout).not.toMatch(CONTROL);
    // No line of the table starts with the text that followed the newline.
    expect(run.stdout.split('\n').some((line) => line.startsWith('HIGH forged'))).toBe(false);
  });

  it('escape control characters in a file name and in a parse error quoting the file', async () => {
    const dir = makeTempDir('terminal-gap');
    const file = join(dir, 'bad\x1b[2J\r.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata: {name: "\x1b]0;x\x07\n');
    const run = await runCli(['scan', dir, '-o', 'table', '--no-color']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bad\\x1b[2J\\x0d.yaml');
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.stdout).not.toMatch(CONTROL);
    for (const line of run.stderr.trimEnd().split('\n')) expect(line.startsWith('eksguard: ')).toBe(true);
  });

  it('never carry a control character from the input (property)', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', '-', '\x1b', '\x07', '\r', '\n', '\0', '\b', '\x9b', '\u202e', '\u2066', ']', '['), minLength: 1, maxLength: 16 });
    await fc.assert(
      fc.asyncProperty(text, text, async (name, namespace) => {
        const file = writeJson({ apiVersion: 'v1', kind: 'List', items: [privilegedPod(`p${name}`, `n${namespace}`), { apiVersion: 'v1', kind: name }] }, `f${name.replace(/[\0/]/g, '')}.json`);
        const run = await runCli(['scan', file, '-o', 'table', '--no-color']);
        expect(run.stdout).not.toMatch(CONTROL);
        expect(run.stderr).not.toMatch(CONTROL);
      }),
      { numRuns: 25 },
    );
  });

  it('never carry a control character in the new gap and skip lines (nesting, entries, special files, conflicting AWS evidence) (property)', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', '-', '\x1b', '\x07', '\r', '\n', '\b', '\x9b', '\u202e', '\u2066', ']', '['), minLength: 1, maxLength: 12 });
    const cluster = (endpointPublicAccess: boolean, name: string) => JSON.stringify({ cluster: { name: `c${name}`, arn: `arn:aws:eks:eu-west-1:111122223333:cluster/c${name}`, resourcesVpcConfig: { endpointPublicAccess, endpointPrivateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } } });
    await fc.assert(
      fc.asyncProperty(text, async (name) => {
        const dir = makeTempDir('terminal-gaps');
        const safe = name.replace(/[\0/]/g, '');
        writeFileSync(join(dir, `deep${safe}.yaml`), `a: ${'['.repeat(600)}${']'.repeat(600)}\n`);
        writeFileSync(join(dir, `pod${safe}.json`), JSON.stringify(privilegedPod(`p${name}`, 'default')));
        symlinkSync('/dev/null', join(dir, `dev${safe}.yaml`));
        const dump = makeTempDir('terminal-dump');
        writeFileSync(join(dump, `a${safe}.json`), cluster(false, name));
        writeFileSync(join(dump, `b${safe}.json`), cluster(true, name));
        writeFileSync(join(dump, `deep${safe}.json`), `{"cluster":${'['.repeat(600)}${']'.repeat(600)}}`);
        const run = await runCli(['scan', dir, '--aws-dump', dump, '-o', 'table', '--no-color']);
        expect(run.stdout + run.stderr).toMatch(/nesting deeper than|TOO_DEEP/);
        expect(run.stdout).not.toMatch(CONTROL);
        expect(run.stderr).not.toMatch(CONTROL);
      }),
      { numRuns: 8 },
    );
  }, 120_000);
});
