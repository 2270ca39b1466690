import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/collect/files/parse-manifests.js';

const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n`;

describe('parseManifests', () => {
  it('reads multi-document YAML, skipping empty documents, and keeps each document line', () => {
    const text = `# comment\n---\n${pod('a')}---\n---\n${pod('b')}...\n`;
    const result = parseManifests('m.yaml', text);
    expect(result.gaps).toEqual([]);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['a', 'b']);
    expect(result.resources.map((r) => r.origin.type === 'file' && r.origin.line)).toEqual([3, 13]);
  });

  it('locates fields to the line, falling back to the nearest existing ancestor', () => {
    const text = `${pod('a')}---\n${pod('b')}`;
    const second = parseManifests('m.yaml', text).resources[1];
    const locate = second?.origin.type === 'file' ? second.origin.locate : undefined;
    expect(locate?.(['spec', 'containers', 0, 'image'])).toEqual({ line: 17, column: 7 });
    expect(locate?.(['spec', 'containers', 0, 'securityContext', 'privileged'])).toEqual({ line: 16, column: 7 });
  });

  it('reads a YAML stream of JSON-style documents (`{...}` then `---` then `{...}`), each at its own line', () => {
    const json = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } }, null, 2);
    const text = `${json('a')}\n---\n${json('b')}\n`;
    const result = parseManifests('m.yaml', text);
    expect(result.gaps).toEqual([]);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['a', 'b']);
    const second = result.resources[1];
    expect(second?.origin.type === 'file' && second.origin.line).toBe(17);
    const locate = second?.origin.type === 'file' ? second.origin.locate : undefined;
    expect(locate?.(['spec', 'containers', 0, 'image'])?.line).toBe(27);
    // One JSON document stays one document, a `---` inside a string included.
    expect(parseManifests('m.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { x: '---' } }, null, 2)).resources).toHaveLength(1);
  });

  it('flattens kind: List and typed lists, inferring item kinds', () => {
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'x' } }))] });
    const typed = 'apiVersion: v1\nkind: PodList\nitems:\n  - metadata: {name: p1}\n    spec: {containers: []}\n  - metadata: {name: p2}\n    spec: {containers: []}\n';
    expect(parseManifests('l.json', list).resources.map((r) => `${r.ref.kind}/${r.ref.name}`)).toEqual(['ServiceAccount/sa']);
    const items = parseManifests('l.yaml', typed).resources;
    expect(items.map((r) => `${r.ref.kind}/${r.ref.name}`)).toEqual(['Pod/p1', 'Pod/p2']);
    expect(items.map((r) => r.origin.type === 'file' && r.origin.line)).toEqual([4, 6]);
  });

  it('reports a syntax error as a gap with its line, and reads the other documents', () => {
    const text = `${pod('a')}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\n---\n${pod('c')}`;
    const result = parseManifests('m.yaml', text);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['a', 'c']);
    expect(result.gaps).toHaveLength(1);
    expect(result.gaps[0]).toMatchObject({ source: 'm.yaml', code: 'YAML_SYNTAX' });
    expect(result.gaps[0]?.line).toBeGreaterThanOrEqual(10);
    expect(result.gaps[0]?.line).toBeLessThanOrEqual(14);
  });

  it('reports documents without apiVersion or kind, and non-mappings, as gaps', () => {
    const result = parseManifests('m.yaml', `replicaCount: 3\n---\n- a\n- b\n---\n${pod('ok')}---\nkind: Pod\nmetadata: {name: x}\n`);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['ok']);
    expect(result.gaps.map((g) => [g.code, g.line])).toEqual([['NOT_A_KUBE_OBJECT', 1], ['NOT_A_KUBE_OBJECT', 3], ['NOT_A_KUBE_OBJECT', 15]]);
    expect(result.gaps[2]?.message).toContain('no apiVersion');
  });

  it('refuses a YAML alias bomb without expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
    }
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
    const result = parseManifests('bomb.yaml', `${bomb}---\n${pod('after')}`);
    expect(result.gaps.map((g) => g.code)).toEqual(['EXCESSIVE_ALIASING']);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['after']);
  });

  it('says two objects run together when a duplicated key starts an object (a missing "---"), with or without anchors', () => {
    const hint = ' (a "---" line may be missing before it: two objects run together)';
    const runTogether = parseManifests('m.yaml', `${pod('a')}${pod('b')}`);
    expect(runTogether.gaps.map((g) => [g.code, g.line, g.message])).toEqual([['YAML_SYNTAX', 9, `duplicated mapping key${hint}`]]);
    const anchored = parseManifests('m.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: &v "1"}\nkind: ConfigMap\ndata: {y: *v}\n`);
    expect(anchored.gaps.map((g) => [g.code, g.line, g.message])).toEqual([['YAML_SYNTAX', 5, `Map keys must be unique${hint}`]]);
    // A key repeated inside an object is only a duplicated key.
    const inside = parseManifests('m.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n');
    expect(inside.gaps.map((g) => [g.code, g.line, g.message])).toEqual([['YAML_SYNTAX', 5, 'duplicated mapping key']]);
  });

  it('reports an alias of an anchor not set before it as a syntax error on its line, not as aliasing', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: *later\n  b: &later "1"\n---\n${pod('after')}`;
    const result = parseManifests('m.yaml', text);
    expect(result.gaps.map((g) => [g.code, g.line, g.message])).toEqual([['YAML_SYNTAX', 5, "unknown anchor 'later' referenced"]]);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['after']);
  });

  it('accepts modest aliasing, as Kubernetes does', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\nx-common: &labels {app: web}\ndata:\n  a: "1"\nextra:\n  labels: *labels\n';
    const result = parseManifests('ok.yaml', text);
    expect(result.gaps).toEqual([]);
    expect(result.resources[0]?.object.extra).toEqual({ labels: { app: 'web' } });
  });

  it('reads JSON, and reports broken JSON with a line', () => {
    expect(parseManifests('p.json', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } })).resources).toHaveLength(1);
    const broken = parseManifests('p.json', '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "x"\n');
    expect(broken.resources).toEqual([]);
    expect(broken.gaps[0]?.code).toBe('YAML_SYNTAX');
  });

  it('reads directives (%YAML, %TAG) with the document they precede, at the stream start and after `...`', () => {
    const text = `# head\n%YAML 1.2\n# note\n---\n${pod('a')}---\n${pod('b')}...\n%YAML 1.1\n---\n${pod('c')}`;
    const result = parseManifests('d.yaml', text);
    expect(result.gaps).toEqual([]);
    expect(result.resources.map((r) => [r.ref.name, r.origin.type === 'file' && r.origin.line])).toEqual([['a', 5], ['b', 14], ['c', 25]]);
    // A `%` line inside a document is content (or the parser's error), never a place to split.
    const inside = parseManifests('e.yaml', `${pod('x')}---\n# c\n%YAML 1.2\n---\n${pod('z')}`);
    expect(inside.resources.map((r) => r.ref.name)).toEqual(['x', 'z']);
    expect(inside.gaps.map((g) => [g.code, g.line])).toEqual([['YAML_SYNTAX', 11]]);
  });

  it('does not split on --- inside a value that is not at column 0', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  script: |\n    echo a\n    ---\n    echo b\n';
    const result = parseManifests('c.yaml', text);
    expect(result.gaps).toEqual([]);
    expect((result.resources[0]?.object.data as Record<string, string>).script).toContain('---');
  });

  it('reads YAML 1.1 booleans and keeps timestamps as strings, as Kubernetes does', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  creationTimestamp: 2024-01-01T00:00:00Z\nspec:\n  hostPID: yes\n  hostIPC: "yes"\n  containers:\n    - name: a\n      securityContext: {privileged: on, readOnlyRootFilesystem: off}\n';
    const spec = parseManifests('p.yaml', text).resources[0]?.object as unknown as { metadata: { creationTimestamp: unknown }; spec: Record<string, unknown> };
    expect(spec.metadata.creationTimestamp).toBe('2024-01-01T00:00:00Z');
    expect(spec.spec.hostPID).toBe(true);
    expect(spec.spec.hostIPC).toBe('yes');
    expect((spec.spec.containers as { securityContext: unknown }[])[0]?.securityContext).toEqual({ privileged: true, readOnlyRootFilesystem: false });
    // The same through the alias-aware path.
    const aliased = parseManifests('a.yaml', `x: &ctx {privileged: yes}\n${text.replace('{privileged: on, readOnlyRootFilesystem: off}', '*ctx')}`).resources[0]?.object as unknown as { spec: { containers: { securityContext: unknown }[] } };
    expect(aliased.spec.containers[0]?.securityContext).toEqual({ privileged: true });
  });
});
