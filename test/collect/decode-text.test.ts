/**
 * Input files in UTF-16 with a byte-order mark (PowerShell's `>` writes them) are decoded, in
 * either byte order, and scanned exactly as their UTF-8 originals; NUL bytes without a UTF-16 mark
 * and invalid text stay binary.
 */
import { cpSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/collect/files/decode-text.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

const MANIFEST = readFileSync('examples/insecure/shop.yaml', 'utf8');

function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

function utf16be(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
}

describe('decodeText', () => {
  it('decodes UTF-16 LE and BE with a byte-order mark, and UTF-8 with or without one', () => {
    const text = 'kind: Pod\nmetadata: {name: café-☕}\n';
    expect(decodeText(utf16le(text))).toEqual({ text });
    expect(decodeText(utf16be(text))).toEqual({ text });
    expect(decodeText(Buffer.from(`\uFEFF${text}`))).toEqual({ text });
    expect(decodeText(Buffer.from(text))).toEqual({ text });
  });

  it('keeps refusing binary: NUL bytes without a UTF-16 mark, invalid UTF-8, odd or broken UTF-16', () => {
    expect(decodeText(Buffer.from('kind: Pod\n', 'utf16le'))).toEqual({ binary: 'binary file (contains NUL bytes), not a manifest' });
    expect(decodeText(Buffer.from([0x6b, 0xc3, 0x28]))).toEqual({ binary: 'not UTF-8 text, not a manifest' });
    expect(decodeText(Buffer.from([0xff, 0xfe, 0x6b, 0x00, 0x69]))).toEqual({ binary: 'UTF-16 text with an odd number of bytes, not a manifest' });
    expect(decodeText(Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]))).toEqual({ binary: 'not valid UTF-16 text, not a manifest' });
  });
});

describe('eksguard scan on UTF-16 files', () => {
  it('reports the same findings, at the same lines, as for the UTF-8 file', async () => {
    const dir = makeTempDir('utf16');
    writeFileSync(join(dir, 'utf8.yaml'), MANIFEST);
    writeFileSync(join(dir, 'le.yaml'), utf16le(MANIFEST));
    writeFileSync(join(dir, 'be.yaml'), utf16be(MANIFEST));
    const scan = async (name: string) => {
      const run = await runCli(['scan', join(dir, name), '-o', 'json']);
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout) as { findings: { ruleId: string; resource: { line?: number } }[] };
      return report.findings.map((f) => `${f.ruleId}@${f.resource.line ?? '?'}`).sort();
    };
    const expected = await scan('utf8.yaml');
    expect(expected.length).toBeGreaterThan(3);
    expect(await scan('le.yaml')).toEqual(expected);
    expect(await scan('be.yaml')).toEqual(expected);
  });

  it('reads AWS CLI output saved as UTF-16 (aws ... > file.json in PowerShell) as the UTF-8 dump', async () => {
    const dir = makeTempDir('utf16-aws');
    cpSync('test/fixtures/aws/weak', dir, { recursive: true });
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
    const files = walk(dir).filter((f) => f.endsWith('.json'));
    files.forEach((file, i) => writeFileSync(file, (i % 2 === 0 ? utf16le : utf16be)(readFileSync(file, 'utf8'))));
    const original = await runCli(['scan', '--aws-dump', 'test/fixtures/aws/weak', '-o', 'json']);
    const converted = await runCli(['scan', '--aws-dump', dir, '-o', 'json']);
    expect(converted.stderr).toBe(original.stderr);
    const ids = (out: string) => (JSON.parse(out) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId).sort();
    expect(ids(converted.stdout)).toEqual(ids(original.stdout));
    expect(ids(original.stdout).length).toBeGreaterThan(5);
  });
});
