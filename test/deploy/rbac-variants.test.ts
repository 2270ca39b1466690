/**
 * deploy/rbac-without-secrets.yaml is deploy/rbac.yaml without `list secrets`, and says truthfully
 * what that costs: against an API server that authorizes exactly what the variant grants, one rule
 * (no-long-lived-service-account-tokens) is not evaluated and the refused list is a gap; with that
 * rule off, eksguard never asks for Secrets, and the scan is complete.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { possibleCalls } from '../../src/collect/kube/resources.js';
import { ruleAllows, rulesOf } from '../../src/rbac/policy-rule.js';
import { runCli } from '../cli-harness.js';
import { startFakeApiServer, type FakeApiServer } from '../collect/kube/fake-api-server.js';
import { clusterObjects } from '../collect/kube/fixture-cluster.js';
import { writeKubeconfig } from '../collect/kube/kubeconfig.js';
import { makeTempDir } from '../temp-dir.js';

type Json = Record<string, unknown>;

const full = loadAll(readFileSync('deploy/rbac.yaml', 'utf8')) as Json[];
const variant = loadAll(readFileSync('deploy/rbac-without-secrets.yaml', 'utf8')) as Json[];
const nameOf = (d: Json) => `${String(d.kind)}/${String((d.metadata as Json).name)}`;
const grants = (documents: Json[]) => documents.filter((d) => d.kind === 'ClusterRole').flatMap((role) => rulesOf(role).map((r) => r.rule));

describe('deploy/rbac-without-secrets.yaml', () => {
  it('is deploy/rbac.yaml without the Secrets role and its binding, object for object', () => {
    expect(variant.map(nameOf)).toEqual(['ClusterRole/eksguard:reader', 'ClusterRoleBinding/eksguard:reader']);
    expect(variant).toEqual(full.filter((d) => !nameOf(d).endsWith('eksguard:secret-metadata')));
  });

  it('grants every call of the collector but list secrets, which it does not grant', () => {
    const rules = grants(variant);
    const allowed = (verb: string, apiGroup: string, resource: string) => rules.some((rule) => ruleAllows(rule, { verb, apiGroup, resource }));
    const refused = possibleCalls().filter((c) => !(c.names ?? [undefined]).every((name) => rules.some((rule) => ruleAllows(rule, { verb: c.verb, apiGroup: c.apiGroup, resource: c.resource, ...(name !== undefined ? { name } : {}) }))));
    expect(refused.map((c) => `${c.verb} ${c.resource}`)).toEqual(['list secrets']);
    expect(allowed('list', '', 'secrets')).toBe(false);
    expect(allowed('get', '', 'secrets')).toBe(false);
  });

  it('says in both files and in the README that list secrets grants the data, and names the rule it costs', () => {
    const text = readFileSync('deploy/rbac-without-secrets.yaml', 'utf8');
    expect(text).toContain('RBAC cannot grant\n# "metadata only"');
    expect(text).toContain('no-long-lived-service-account-tokens: off');
    expect(readFileSync('deploy/rbac.yaml', 'utf8')).toContain('deploy/rbac-without-secrets.yaml');
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('deploy/rbac-without-secrets.yaml');
    expect(readme).toMatch(/RBAC cannot grant a metadata-only list/);
  });
});

describe('a live scan with only what the variant grants', () => {
  let server: FakeApiServer;
  let allGranted: FakeApiServer;
  let dir: string;
  beforeAll(async () => {
    // The server refuses what the variant does not grant: exactly `list secrets` (see above).
    server = await startFakeApiServer({ objects: clusterObjects(), token: 't0ken', refuse: [{ verb: 'list', resource: 'secrets', namespace: '*' }] });
    allGranted = await startFakeApiServer({ objects: clusterObjects(), token: 't0ken' });
    dir = makeTempDir('rbac-variant');
  });
  afterAll(async () => {
    await server.close();
    await allGranted.close();
  });

  async function scan(on: FakeApiServer, cwd = process.cwd()) {
    const kubeconfig = writeKubeconfig(makeTempDir('rbac-variant-kc'), { server: on.url, ca: on.ca, token: 't0ken' });
    const run = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '-o', 'json', '--quiet'], { cwd });
    const report = JSON.parse(run.stdout) as { notEvaluated: { ruleId: string }[]; gaps: { message: string }[] };
    return { code: run.code, notEvaluated: new Set(report.notEvaluated.map((n) => n.ruleId)), gaps: report.gaps };
  }

  it('leaves exactly no-long-lived-service-account-tokens not evaluated, more than with deploy/rbac.yaml, and one gap naming list secrets', async () => {
    const withVariant = await scan(server);
    const withFull = await scan(allGranted);
    expect([...withVariant.notEvaluated].filter((id) => !withFull.notEvaluated.has(id))).toEqual(['no-long-lived-service-account-tokens']);
    expect(withVariant.gaps).toHaveLength(1);
    expect(withVariant.gaps[0]?.message).toMatch(/cannot list secrets/);
    expect(withVariant.code).toBe(2);
    expect(withFull.gaps).toEqual([]);
  });

  it('with that rule off in eksguard.yaml, never asks for Secrets and is complete', async () => {
    writeFileSync(join(dir, 'eksguard.yaml'), 'rules:\n  no-long-lived-service-account-tokens: off\n');
    const before = server.requests.length;
    const run = await scan(server, dir);
    expect(run.gaps).toEqual([]);
    expect(run.code).not.toBe(2);
    expect(server.requests.slice(before).filter((r) => r.path.includes('/secrets'))).toEqual([]);
    expect(server.requests.length).toBeGreaterThan(before);
  });
});
