/**
 * Hostile readers: what an attacker shapes in a manifest must neither evade the checks nor leak
 * through what eksguard writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_LIST_DEPTH, parseManifests } from '../../src/collect/files/parse-manifests.js';
import { redactSecret } from '../../src/core/redact.js';
import type { KubeObject } from '../../src/core/resource.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

const SECRET_VALUE = 'aHVudGVyMg==';
const SECRET_TEXT = 'hunter2-in-clear';
const pod = {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'evil', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox@sha256:' + 'a'.repeat(64), securityContext: { privileged: true } }] },
};
const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' }, data: { password: SECRET_VALUE }, stringData: { token: SECRET_TEXT } };
const binding = {
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'sneaky' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'User', name: 'mallory', apiGroup: 'rbac.authorization.k8s.io' }],
};

/** An item as a typed List (PodList, SecretList) holds it: without apiVersion and kind. */
function withoutType(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => key !== 'kind' && key !== 'apiVersion'));
}

function wrap(items: unknown[], times: number): unknown {
  let value: unknown = { apiVersion: 'v1', kind: 'List', items };
  for (let i = 1; i < times; i++) value = { apiVersion: 'v1', kind: 'List', items: [value] };
  return value;
}

function fileWith(value: unknown): string {
  const file = join(makeTempDir('nested-list'), 'nested.json');
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

describe('a List inside a List', () => {
  it('is flattened as kubectl flattens it, each item keeping its own line', () => {
    const text = JSON.stringify(wrap([pod, secret], 3), null, 2);
    const result = parseManifests('nested.json', text);
    expect(result.gaps).toEqual([]);
    expect(result.resources.map((r) => r.object.kind)).toEqual(['Pod', 'Secret']);
    const podLine = text.split('\n').findIndex((line) => line.includes('"kind": "Pod"'));
    expect(result.resources[0]?.origin).toMatchObject({ type: 'file', itemPath: ['items', 0, 'items', 0, 'items', 0] });
    // The item starts on the line of its opening brace, just before its kind.
    expect(Math.abs(((result.resources[0]?.origin as { line: number }).line) - (podLine + 1))).toBeLessThanOrEqual(2);
  });

  it('types the items of a typed List inside a List (a PodList in a List)', () => {
    const bare = withoutType(pod);
    const result = parseManifests('typed.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'PodList', items: [bare] }] }));
    expect(result.resources.map((r) => `${r.object.apiVersion}/${r.object.kind}`)).toEqual(['v1/Pod']);
  });

  it(`is read up to ${MAX_LIST_DEPTH} levels; deeper is a gap naming the file, and nothing hangs or overflows`, () => {
    expect(parseManifests('ok.json', JSON.stringify(wrap([pod], MAX_LIST_DEPTH))).resources).toHaveLength(1);
    const deep = parseManifests('deep.json', JSON.stringify(wrap([pod], MAX_LIST_DEPTH + 1)));
    expect(deep.resources).toEqual([]);
    expect(deep.gaps).toHaveLength(1);
    expect(deep.gaps[0]).toMatchObject({ source: 'deep.json', code: 'LIST_TOO_DEEP' });
    expect(deep.gaps[0]?.message).toContain(`more than ${MAX_LIST_DEPTH} deep`);
  });

  it('scan finds the privileged Pod wrapped twice', async () => {
    const run = await runCli(['scan', fileWith(wrap([pod, secret], 2)), '-o', 'json']);
    const report = JSON.parse(run.stdout) as { findings: { resource?: { name?: string }; ruleId: string }[] };
    expect(run.code).toBe(1);
    expect(JSON.stringify(report.findings)).toContain('evil');
  });

  it('pss check judges the Pod wrapped twice', async () => {
    const run = await runCli(['pss', 'check', fileWith(wrap([pod], 2)), '--no-color']);
    // Without a Namespace object the namespace is at PSA's default (privileged): the Pod is listed, allowed.
    expect(run.stdout).toContain('Pod default/evil');
  });

  it('rbac who-can sees a ClusterRoleBinding wrapped twice', async () => {
    const run = await runCli(['rbac', 'who-can', 'delete', 'pods', fileWith(wrap([binding], 2)), '--no-color']);
    expect(run.stdout).toContain('mallory');
  });

  it('snapshot never writes the values of a Secret wrapped twice', async () => {
    const dir = makeTempDir('nested-snapshot');
    const out = join(dir, 'snap.json');
    const run = await runCli(['snapshot', fileWith(wrap([pod, secret], 2)), '--output-file', out]);
    expect(run.stderr).toContain('saved 2 objects');
    const written = readFileSync(out, 'utf8');
    expect(written).toContain('creds');
    expect(written).not.toContain(SECRET_VALUE);
    expect(written).not.toContain(SECRET_TEXT);
    expect(written).not.toContain('"kind":"List"');
  });
});

describe('Secret redaction, however the Secret arrived', () => {
  it('reduces Secrets inside Lists, typed SecretLists and Lists of Lists', () => {
    const bare = withoutType(secret);
    const inputs: KubeObject[] = [
      wrap([secret], 1) as KubeObject,
      wrap([secret], 5) as KubeObject,
      { apiVersion: 'v1', kind: 'SecretList', items: [bare] },
      wrap([{ apiVersion: 'v1', kind: 'SecretList', items: [bare] }], 2) as KubeObject,
    ];
    for (const input of inputs) {
      const text = JSON.stringify(redactSecret(input));
      expect(text).toContain('creds');
      expect(text).not.toContain(SECRET_VALUE);
      expect(text).not.toContain(SECRET_TEXT);
    }
  });

  it('leaves other objects and other Lists as they were', () => {
    const list = wrap([pod], 2) as KubeObject;
    expect(redactSecret(list)).toEqual(list);
    expect(redactSecret(pod as KubeObject)).toBe(pod);
  });
});
