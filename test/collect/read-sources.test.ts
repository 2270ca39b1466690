import { mkdirSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readManifestSources } from '../../src/collect/files/read-sources.js';
import { makeTempDir } from '../temp-dir.js';

const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;

function tree(files: Record<string, string | Buffer>): string {
  const root = makeTempDir('read');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('readManifestSources', () => {
  it('walks directories recursively in a stable order, reading only manifest extensions', async () => {
    const root = tree({ 'b/two.yml': ns('two'), 'a.yaml': ns('one'), 'c/three.json': JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'three' } }), 'notes.txt': 'hello', '.git/x.yaml': ns('hidden') });
    const result = await readManifestSources([root]);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['one', 'two', 'three']);
    expect(result.gaps).toEqual([]);
  });

  it('lists values.yaml and kustomization.yaml as skipped, not silently dropped', async () => {
    const root = tree({ 'values.yaml': 'replicaCount: 1\n', 'kustomization.yaml': 'resources: [a.yaml]\n', 'a.yaml': ns('a') });
    const result = await readManifestSources([root]);
    expect(result.gaps).toEqual([]);
    expect(result.sources.filter((s) => s.skipped).map((s) => s.path.split('/').pop())).toEqual(['kustomization.yaml', 'values.yaml']);
  });

  it('reports a Helm chart as a gap telling the user to render it', async () => {
    const root = tree({ 'chart/Chart.yaml': 'name: x\n', 'chart/templates/d.yaml': '{{ .Values.x }}', 'ok.yaml': ns('ok') });
    const result = await readManifestSources([root]);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['ok']);
    expect(result.gaps[0]?.message).toContain('helm template');
  });

  it('turns missing, binary, non-UTF-8 and unreadable files into gaps and keeps going', async () => {
    const root = tree({ 'bin.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]), 'latin1.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]), 'good.yaml': ns('good'), 'locked.yaml': ns('locked') });
    chmodSync(join(root, 'locked.yaml'), 0o000);
    const result = await readManifestSources([join(root, 'missing.yaml'), root]);
    const codes = result.gaps.map((g) => `${g.source.split('/').pop()}:${g.code}`);
    expect(codes).toContain('missing.yaml:NOT_FOUND');
    expect(codes).toContain('bin.yaml:BINARY');
    expect(codes).toContain('latin1.yaml:BINARY');
    expect(result.resources.map((r) => r.ref.name)).toContain('good');
    // root can read anything; elsewhere the unreadable file is a gap too.
    if (process.getuid?.() !== 0) expect(codes).toContain('locked.yaml:UNREADABLE');
  });

  it('survives symlink loops', async () => {
    const root = tree({ 'd/a.yaml': ns('a') });
    symlinkSync(join(root, 'd'), join(root, 'd', 'loop'));
    const result = await readManifestSources([root]);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['a']);
  });

  it('reads standard input for -', async () => {
    const result = await readManifestSources(['-'], { stdin: Readable.from([Buffer.from(`${ns('x')}---\n${ns('z')}`)]) });
    expect(result.resources.map((r) => r.ref.name)).toEqual(['x', 'z']);
    expect(result.sources).toEqual([{ path: '-', objects: 2, documents: 2 }]);
  });
});
