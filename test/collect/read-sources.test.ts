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

  it('reports a Helm chart named on the command line as a gap telling the user to render it', async () => {
    const root = tree({ 'chart/Chart.yaml': 'name: x\n', 'chart/templates/d.yaml': '{{ .Values.x }}', 'ok.yaml': ns('ok') });
    const result = await readManifestSources([join(root, 'chart'), join(root, 'ok.yaml')]);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['ok']);
    expect(result.gaps.map((g) => g.message)).toEqual([expect.stringContaining('helm template')]);
  });

  it('lists a Helm chart and loose templates met in a directory walk as skipped with the same hint, never as objects', async () => {
    const template = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\nspec: {}\n{{- end }}\n';
    const root = tree({ 'chart/Chart.yaml': 'apiVersion: v2\nname: x\n', 'chart/templates/d.yaml': template, 'other/templates/t.yaml': template, 'ok.yaml': ns('ok') });
    const result = await readManifestSources([root]);
    expect(result.gaps).toEqual([]);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['ok']);
    const skipped = Object.fromEntries(result.sources.filter((s) => s.skipped).map((s) => [s.path.slice(root.length + 1), s.skipped]));
    expect(skipped).toEqual({ chart: expect.stringContaining('helm template'), 'other/templates/t.yaml': expect.stringContaining('helm template') });
    // Named, a template is a gap: the user meant it to be scanned.
    const named = await readManifestSources([join(root, 'other/templates/t.yaml')]);
    expect(named.gaps.map((g) => g.message)).toEqual([expect.stringContaining('helm template')]);
    expect(named.resources).toEqual([]);
  });

  it('reads each file once by real path: named twice, inside a directory also named, or through a symlink (listed as already read)', async () => {
    const root = tree({ 'k8s/a.yaml': ns('a'), 'k8s/b.yaml': ns('b') });
    symlinkSync(join(root, 'k8s', 'a.yaml'), join(root, 'k8s', 'link.yaml'));
    const result = await readManifestSources([join(root, 'k8s', 'a.yaml'), join(root, 'k8s'), join(root, 'k8s', 'a.yaml'), join(root, 'k8s')]);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['a', 'b']);
    expect(result.empty).toEqual([]);
    expect(result.sources.filter((s) => s.skipped).map((s) => [s.path.slice(root.length + 1), s.skipped])).toEqual([
      ['k8s/link.yaml', `already read as ${join(root, 'k8s', 'a.yaml')}`],
    ]);
  });

  it('skips files not meant for Kubernetes with the reason, and keeps a document naming apiVersion or kind a gap', async () => {
    const root = tree({
      'docker-compose.yaml': 'services:\n  web:\n    image: nginx\n',
      'cfn.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Name\n',
      'policy.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
      'list.yaml': '- one\n- two\n',
      'no-kind.yaml': 'apiVersion: v1\nmetadata:\n  name: x\n',
      'no-api.yaml': 'kind: ConfigMap\nmetadata:\n  name: x\n',
      'tagged-kube.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: !Ref x\n',
    });
    const result = await readManifestSources([root]);
    const skipped = Object.fromEntries(result.sources.filter((s) => s.skipped).map((s) => [s.path.slice(root.length + 1), s.skipped]));
    expect(skipped).toEqual({
      'cfn.yaml': 'not a Kubernetes manifest (looks like a CloudFormation template)',
      'docker-compose.yaml': 'not a Kubernetes manifest (looks like a Docker Compose file)',
      'list.yaml': 'not a Kubernetes manifest (no apiVersion or kind)',
      'policy.json': 'not a Kubernetes manifest (looks like an IAM policy document)',
    });
    expect(result.gaps.map((g) => `${g.source.slice(root.length + 1)}:${g.code}`).sort()).toEqual(['no-api.yaml:NOT_A_KUBE_OBJECT', 'no-kind.yaml:NOT_A_KUBE_OBJECT', 'tagged-kube.yaml:YAML_SYNTAX']);
  });

  it('says which given paths held nothing to judge, and whether anything was read at all', async () => {
    const root = tree({ 'repo/docker-compose.yml': 'services: {}\n', 'empty.yaml': '# nothing\n', 'broken.yaml': 'a: [\n' });
    mkdirSync(join(root, 'nothing'));
    const none = await readManifestSources([join(root, 'missing'), join(root, 'nothing'), join(root, 'repo'), join(root, 'empty.yaml')]);
    expect(none.anyRead).toBe(false);
    expect(none.empty.map((e) => [e.path.slice(root.length + 1), e.reason])).toEqual([
      ['nothing', 'no manifests in it (no .yaml, .yml or .json files)'],
      ['repo', 'no Kubernetes manifests in it (1 file skipped as not meant for Kubernetes)'],
      ['empty.yaml', 'no Kubernetes objects in it'],
    ]);
    expect((await readManifestSources([join(root, 'broken.yaml')])).anyRead).toBe(true);
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
