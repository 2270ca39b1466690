/**
 * Hostile shapes and special files for the manifest and snapshot readers: deep nesting, huge
 * mappings, FIFOs and devices, endless standard input, malformed snapshot parts. Each is a gap
 * (or a skipped source) for that input alone, in bounded time, never a stack trace.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifestSources } from '../../src/collect/files/read-sources.js';
import { checkShape, MAX_ALIASED_ENTRIES, MAX_ENTRIES, MAX_NESTING } from '../../src/core/input-bounds.js';
import { redactSecret } from '../../src/core/redact.js';
import type { KubeObject } from '../../src/core/resource.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: evil\n  namespace: default\nspec:\n  containers:\n  - name: c\n    image: busybox\n    securityContext:\n      privileged: true\n';

function blockNesting(levels: number): string {
  let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n';
  for (let i = 0; i < levels; i++) text += `${' '.repeat(2 + i)}a:\n`;
  return `${text}${' '.repeat(2 + levels)}b: c\n`;
}

const HOSTILE: Record<string, string> = {
  'flow.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: ${'['.repeat(3000)}${']'.repeat(3000)}\n`,
  'flowmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: ${'{a: '.repeat(3000)}1${'}'.repeat(3000)}\n`,
  'block.yaml': blockNesting(3000),
  'dashes.yaml': `apiVersion: v1\nkind: List\nitems:\n${'- '.repeat(3000)}1\n`,
  'deep.json': `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
  'aliased.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: x}\nx: *m\ndata: ${'['.repeat(3000)}${']'.repeat(3000)}\n`,
};

describe(`nesting deeper than ${MAX_NESTING} levels`, () => {
  it('in flow, block and JSON collections (with and without aliases): a gap for that file, the other files judged, no stack trace', async () => {
    const dir = makeTempDir('deep');
    for (const [name, text] of Object.entries(HOSTILE)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'pod.yaml'), pod);
    const run = await runCli(['scan', dir, '-o', 'json']);
    expect(run.stderr).not.toMatch(/Maximum call stack|\n\s+at /);
    const report = JSON.parse(run.stdout) as { findings: { resource: { name: string } }[]; gaps: { source: string; code: string; message: string }[] };
    expect(report.gaps.map((g) => [g.source.slice(dir.length + 1), g.code, g.message]).sort()).toEqual(
      Object.keys(HOSTILE).sort().map((name) => [name, 'TOO_DEEP', `nesting deeper than ${MAX_NESTING} levels; not read`]),
    );
    expect(report.findings.some((f) => f.resource.name === 'evil')).toBe(true);
    expect(run.code).toBe(2);
  });

  it(`admits ${MAX_NESTING} levels, and every walker after the reader (redaction, scan, snapshot) handles them`, async () => {
    const dir = makeTempDir('deep-ok');
    const text = blockNesting(MAX_NESTING - 6);
    expect(checkShape(text)).toBeUndefined();
    expect(checkShape(blockNesting(MAX_NESTING))).toMatchObject({ code: 'TOO_DEEP' });
    writeFileSync(join(dir, 'ok.yaml'), text.replace('kind: ConfigMap', 'kind: Secret'));
    const read = await readManifestSources([join(dir, 'ok.yaml')]);
    expect(read.gaps).toEqual([]);
    expect(JSON.stringify(redactSecret(read.resources[0]?.object as KubeObject))).not.toContain('"b":"c"');
    const out = join(dir, 'snap.json');
    const saved = await runCli(['snapshot', join(dir, 'ok.yaml'), '--output-file', out]);
    expect(saved.stderr).toContain('saved 1 object');
    const scan = await runCli(['scan', '--snapshot', out, '-o', 'json', '--allow-gaps']);
    expect(scan.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('mappings and sequences past the entry bound', () => {
  it(`a mapping of more than ${MAX_ENTRIES.toLocaleString('en-US')} keys is a gap within seconds; a List of 100,000 objects is read`, async () => {
    let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata:\n';
    const keys: string[] = [];
    for (let i = 0; i <= MAX_ENTRIES; i++) keys.push(`  k${i}: v`);
    text += keys.join('\n');
    const started = Date.now();
    expect(checkShape(text)).toMatchObject({ code: 'TOO_LARGE', line: MAX_ENTRIES + 6 });
    const flow = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"w"},"data":{${keys.map((_, i) => `"k${i}":"v"`).join(',')}}}`;
    expect(checkShape(flow)).toMatchObject({ code: 'TOO_LARGE' });
    expect(Date.now() - started).toBeLessThan(20_000);
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Array.from({ length: 100_000 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } })) });
    expect(checkShape(list)).toBeUndefined();
  }, 60_000);

  it('the excess is a gap naming the file in a scan, with aliases too (where the YAML parser would take hours)', async () => {
    const dir = makeTempDir('wide');
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: &m', '  name: wide', 'x: *m', 'data:'];
    for (let i = 0; i <= MAX_ENTRIES; i++) lines.push(`  k${i}: v`);
    writeFileSync(join(dir, 'wide.yaml'), lines.join('\n'));
    writeFileSync(join(dir, 'pod.yaml'), pod);
    const read = await readManifestSources([dir]);
    expect(read.gaps).toEqual([expect.objectContaining({ source: join(dir, 'wide.yaml'), code: 'TOO_LARGE' })]);
    expect(read.resources.map((r) => r.ref.name)).toEqual(['evil']);
  }, 60_000);

  it(`a document with aliases holding more than ${MAX_ALIASED_ENTRIES.toLocaleString('en-US')} keys is a gap at once`, async () => {
    const dir = makeTempDir('wide-aliased');
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: &m', '  name: wide', 'x: *m', 'data:'];
    for (let i = 0; i <= MAX_ALIASED_ENTRIES; i++) lines.push(`  k${i}: v`);
    writeFileSync(join(dir, 'wide.yaml'), lines.join('\n'));
    const started = Date.now();
    const read = await readManifestSources([dir]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(read.gaps).toEqual([expect.objectContaining({ code: 'TOO_LARGE', message: `a mapping or sequence with more than ${MAX_ALIASED_ENTRIES.toLocaleString('en-US')} entries; not read (a document with anchors and aliases)` })]);
  });
});

describe('special files', () => {
  it('in a scanned directory: a symlink to /dev/zero, a FIFO, a socket and a symlink to a FIFO are skipped with the reason, never read', async () => {
    const dir = makeTempDir('special');
    writeFileSync(join(dir, 'pod.yaml'), pod);
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    symlinkSync(join(dir, 'fifo.yaml'), join(dir, 'link-to-fifo.yml'));
    const started = Date.now();
    const read = await readManifestSources([dir]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(read.resources.map((r) => r.ref.name)).toEqual(['evil']);
    expect(read.sources.filter((s) => s.skipped !== undefined).map((s) => [s.path.slice(dir.length + 1), s.skipped])).toEqual([
      ['fifo.yaml', 'not a regular file (a FIFO (named pipe)); not read'],
      ['link-to-fifo.yml', 'not a regular file (a FIFO (named pipe)); not read'],
      ['zero.yaml', 'not a regular file (a character device); not read'],
    ]);
  });

  it('standard input past the size cap is a gap, read no further; /dev/zero on stdin stops at once', async () => {
    const endless = async function* () {
      for (;;) yield Buffer.alloc(64 * 1024, 'a: b\n');
    };
    const capped = await readManifestSources(['-'], { stdin: endless(), maxFileBytes: 1024 * 1024 });
    expect(capped.gaps).toEqual([{ source: '-', code: 'TOO_LARGE', message: 'more than 1 MiB, the limit for one file; the rest was not read (split it or pipe it per namespace)' }]);
    const zero = await readManifestSources(['-'], { stdin: createReadStream('/dev/zero') });
    expect(zero.gaps).toEqual([{ source: '-', code: 'BINARY', message: 'binary input (contains NUL bytes), not a manifest' }]);
  });
});

describe('a snapshot with a malformed part', () => {
  it('a malformed aws section is a gap naming it; the objects are still used, nothing crashes', async () => {
    const dir = makeTempDir('snap');
    writeFileSync(join(dir, 'pod.yaml'), pod);
    const out = join(dir, 'snap.json');
    await runCli(['snapshot', join(dir, 'pod.yaml'), '--output-file', out]);
    const lines = (await import('node:fs')).readFileSync(out, 'utf8');
    const document = JSON.parse(lines) as Record<string, unknown>;
    document.aws = { collected: ['eks:DescribeCluster'], eks: { clusters: 'nope' } };
    document.evidence = ['manifests', 'aws'];
    writeFileSync(out, JSON.stringify(document));
    const run = await runCli(['scan', '--snapshot', out, '-o', 'json']);
    expect(run.stderr).not.toMatch(/Cannot read properties|\n\s+at /);
    const report = JSON.parse(run.stdout) as { findings: { resource: { name: string } }[]; gaps: { message: string }[] };
    expect(report.gaps.map((g) => g.message)).toContainEqual(expect.stringMatching(/^snapshot part \/aws is not valid \(at \/aws\/.*the AWS evidence was not used$/));
    expect(report.findings.some((f) => f.resource.name === 'evil')).toBe(true);
  });

  it('an object nested too deep is a gap naming the part; the rest is used', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < MAX_NESTING + 10; i++) deep = [deep];
    const text = JSON.stringify({
      kind: 'EksguardSnapshot', version: 1, tool: { name: 'eksguard', version: '0' }, createdAt: '2026-01-01T00:00:00Z', evidence: ['manifests'], sources: [], gaps: [],
      objects: [
        { origin: { type: 'cluster', context: 'c' }, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deep' }, data: deep } },
        { origin: { type: 'cluster', context: 'c' }, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fine' } } },
      ],
    });
    const read = parseSnapshot(text, 's.json');
    expect(read.resources.map((r) => r.ref.name)).toEqual(['fine']);
    expect(read.gaps).toEqual([{ source: 's.json', code: 'UNREADABLE', message: `snapshot part /objects/0 nests deeper than ${MAX_NESTING} levels; not used` }]);
  });
});
