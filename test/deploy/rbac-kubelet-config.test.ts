/**
 * deploy/rbac-kubelet-config.yaml: the optional role of `--kubelet-config` grants `get` on
 * `nodes/proxy` and nothing else, kept out of deploy/rbac.yaml because that permission reaches the
 * whole kubelet API. eksguard's own no-node-proxy-access reports it, and the configuration eksguard
 * ships (deploy/kubernetes/base/eksguard.yaml) exempts it with the reason.
 */
import { readFileSync } from 'node:fs';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ruleAllows, rulesOf, type Request } from '../../src/rbac/policy-rule.js';
import { runCli } from '../cli-harness.js';

type Json = Record<string, unknown>;

const FILE = 'deploy/rbac-kubelet-config.yaml';
const documents = loadAll(readFileSync(FILE, 'utf8')) as Json[];
const roles = (docs: Json[]) => docs.filter((d) => d.kind === 'ClusterRole');
const grants = (docs: Json[]) => roles(docs).flatMap((role) => rulesOf(role).map((r) => r.rule));

interface JsonReport {
  findings: { ruleId: string; resource: { kind: string; name: string } }[];
  exempted: { ruleId: string; resource: { name: string }; exemption: { reason: string } | null }[];
}

describe(FILE, () => {
  it('holds one ClusterRole with get on nodes/proxy only, bound to a group of its own', () => {
    expect(documents.map((d) => d.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding']);
    const rules = grants(documents);
    expect(rules).toHaveLength(1);
    const allows = (request: Request) => rules.some((rule) => ruleAllows(rule, request));
    expect(allows({ verb: 'get', apiGroup: '', resource: 'nodes', subresource: 'proxy', name: 'ip-10-0-1-1.ec2.internal' })).toBe(true);
    for (const verb of ['list', 'watch', 'create', 'update', 'patch', 'delete']) expect(allows({ verb, apiGroup: '', resource: 'nodes', subresource: 'proxy' }), verb).toBe(false);
    for (const resource of ['nodes', 'pods', 'secrets']) expect(allows({ verb: 'get', apiGroup: '', resource }), resource).toBe(false);
    const binding = documents.find((d) => d.kind === 'ClusterRoleBinding') as Json;
    const subjects = binding.subjects as Json[];
    expect(subjects.map((s) => s.name)).toEqual(['eksguard:kubelet-config-readers']);
  });

  it('is not part of deploy/rbac.yaml, which grants nothing on nodes/proxy', () => {
    const everyday = grants(loadAll(readFileSync('deploy/rbac.yaml', 'utf8')) as Json[]);
    expect(everyday.some((rule) => ruleAllows(rule, { verb: 'get', apiGroup: '', resource: 'nodes', subresource: 'proxy' }))).toBe(false);
    expect(readFileSync('docs/rules/require-secure-kubelet-config.md', 'utf8')).toContain(FILE);
  });

  it('is reported by no-node-proxy-access, and exempted with its reason by the configuration eksguard ships', async () => {
    const plain = await runCli(['scan', FILE, '-o', 'json', '--fail-on', 'none']);
    const report = JSON.parse(plain.stdout) as JsonReport;
    expect(report.findings.map((f) => `${f.ruleId} ${f.resource.kind} ${f.resource.name}`)).toEqual(['no-node-proxy-access ClusterRole eksguard:kubelet-config']);
    const shipped = await runCli(['scan', FILE, '-o', 'json', '--fail-on', 'low', '--config', 'deploy/kubernetes/base/eksguard.yaml']);
    const exempted = JSON.parse(shipped.stdout) as JsonReport;
    expect(exempted.findings).toEqual([]);
    expect(exempted.exempted.map((f) => f.ruleId)).toEqual(['no-node-proxy-access']);
    expect(exempted.exempted[0]?.exemption?.reason).toContain('/configz');
    expect(shipped.code).toBe(0);
  });
});
