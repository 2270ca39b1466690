/** `eksguard pss check` and `eksguard pss advise` end to end, in-process. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/collect/files/parse-manifests.js';
import { Inventory } from '../../src/core/inventory.js';
import { evaluateWorkload } from '../../src/pss/evaluate.js';
import { isPssLevel, parseVersion } from '../../src/pss/levels.js';
import { policyFromLabels } from '../../src/pss/namespace-policy.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

const P = 'pod-security.kubernetes.io/';

const hardened = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'app', image: 'app:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};
const plain = { containers: [{ name: 'app', image: 'app:1' }] };
const privileged = { containers: [{ name: 'agent', image: 'agent:1', securityContext: { privileged: true } }], hostNetwork: true };

function namespace(name: string, labels?: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } };
}
function deploymentIn(ns: string, name: string, spec: object) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } } };
}
function podIn(ns: string, name: string, spec: object, owner?: { kind: string; name: string }) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: 'x', controller: true }] } : {}) },
    spec,
  };
}

/**
 * A `kubectl get ns,deploy,rs,pods,ds -A -o yaml` dump of a mixed cluster: a hardened namespace,
 * one that only reaches baseline, one with a node agent, one whose Namespace is not in the dump,
 * and one declared with no workloads. Pods and ReplicaSets of a Deployment fold into it.
 */
const clusterDump = jsYaml.dump({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    namespace('payments', { [`${P}enforce`]: 'restricted' }),
    namespace('shop', { [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: 'v1.30' }),
    namespace('monitoring'),
    namespace('empty', { [`${P}enforce`]: 'restricted' }),
    deploymentIn('payments', 'api', hardened),
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'api-5d8f', namespace: 'payments', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'x', controller: true }] }, spec: { template: { spec: hardened } } },
    podIn('payments', 'api-5d8f-abc', hardened, { kind: 'ReplicaSet', name: 'api-5d8f' }),
    deploymentIn('shop', 'web', plain),
    deploymentIn('shop', 'cart', hardened),
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'node-exporter', namespace: 'monitoring' }, spec: { template: { spec: privileged } } },
    deploymentIn('monitoring', 'grafana', plain),
    podIn('batch', 'one-off', plain),
  ],
}, { noRefs: true });

function tempFiles(files: Record<string, string>): string {
  const dir = makeTempDir('pss');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

interface CheckJson {
  level: string | null;
  version: string | null;
  results: { resource: { kind: string; namespace: string; name: string; file: string | null; line: number | null }; level: string; version: string; allowed: boolean; violations: { check: string; message: string }[] }[];
  namespaces: { name: string; source: string; level: string; version: string; labelErrors: unknown[] }[];
  gaps: { source: string; line: number | null; code: string; message: string }[];
}

describe('eksguard pss check', () => {
  it("prints DESIGN.md's JSON: { level, version, results[] }, one result per pod spec", async () => {
    const run = await runCli(['pss', 'check', '-', '--level', 'baseline', '-o', 'json'], { stdin: clusterDump });
    const report = JSON.parse(run.stdout) as CheckJson;
    expect(Object.keys(report).slice(0, 4)).toEqual(['schemaVersion', 'level', 'version', 'results']);
    expect([report.level, report.version]).toEqual(['baseline', 'latest']);
    // The ReplicaSet and Pod of payments/api are judged through the Deployment.
    expect(report.results.map((r) => `${r.resource.kind} ${r.resource.namespace}/${r.resource.name}`)).toEqual([
      'Deployment payments/api', 'Deployment shop/web', 'Deployment shop/cart', 'DaemonSet monitoring/node-exporter', 'Deployment monitoring/grafana', 'Pod batch/one-off',
    ]);
    const agent = report.results.find((r) => r.resource.name === 'node-exporter');
    expect(agent).toEqual({
      resource: { kind: 'DaemonSet', namespace: 'monitoring', name: 'node-exporter', file: '-', line: expect.any(Number) as number },
      level: 'baseline',
      version: 'latest',
      allowed: false,
      violations: [
        { check: 'hostNamespaces', message: 'host namespaces (hostNetwork=true)' },
        { check: 'privileged', message: 'privileged (container "agent" must not set securityContext.privileged=true)' },
      ],
    });
    expect(report.results.filter((r) => !r.allowed)).toHaveLength(1);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
  });

  it("judges each pod spec at its namespace's enforce labels when no level is given", async () => {
    const run = await runCli(['pss', 'check', '-', '-o', 'json'], { stdin: clusterDump });
    const report = JSON.parse(run.stdout) as CheckJson;
    expect([report.level, report.version]).toEqual([null, null]);
    expect(report.namespaces.map((ns) => [ns.name, ns.source, `${ns.level}:${ns.version}`])).toEqual([
      ['batch', 'absent', 'privileged:latest'],
      ['monitoring', 'unlabelled', 'privileged:latest'],
      ['payments', 'labels', 'restricted:latest'],
      ['shop', 'labels', 'baseline:v1.30'],
    ]);
    expect(report.results.map((r) => [r.resource.name, `${r.level}:${r.version}`, r.allowed])).toEqual([
      ['api', 'restricted:latest', true],
      ['web', 'baseline:v1.30', true],
      ['cart', 'baseline:v1.30', true],
      ['node-exporter', 'privileged:latest', true],
      ['grafana', 'privileged:latest', true],
      ['one-off', 'privileged:latest', true],
    ]);
    expect(run.code).toBe(0);
  });

  it('says in the table where each namespace policy comes from', async () => {
    const run = await runCli(['pss', 'check', '-'], { stdin: clusterDump });
    expect(run.stdout).toMatch(/batch +privileged:latest +not in the input: PSA's default/);
    expect(run.stdout).toMatch(/monitoring +privileged:latest +no enforce label: PSA's default/);
    expect(run.stdout).toMatch(/shop +baseline:v1\.30 +its enforce label/);
    expect(run.stdout).toContain("6 pod specs allowed at each namespace's enforce level");
  });

  it('overrides the namespaces\' enforce-version with --version, and fails closed on a bad enforce label', async () => {
    const input = jsYaml.dump({ apiVersion: 'v1', kind: 'List', items: [namespace('odd', { [`${P}enforce`]: 'strict' }), deploymentIn('odd', 'web', plain)] });
    const run = await runCli(['pss', 'check', '-', '--version', 'v1.24', '-o', 'json'], { stdin: input });
    const report = JSON.parse(run.stdout) as CheckJson;
    expect(report.namespaces).toEqual([{ name: 'odd', source: 'labels', level: 'restricted', version: 'v1.24', labelErrors: [{ label: `${P}enforce`, value: 'strict', fallback: 'restricted (fails closed)' }] }]);
    expect(report.results[0]?.violations.map((v) => v.check)).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
    expect(run.code).toBe(1);
    const table = await runCli(['pss', 'check', '-'], { stdin: input, columns: 200, env: { NO_COLOR: '1' } });
    expect(table.stdout).toContain(`label ${P}enforce="strict" is not valid: PSA uses restricted (fails closed)`);
  });

  it('prints each violation with the line of the offending field', async () => {
    const dir = tempFiles({ 'web.yaml': jsYaml.dump(deploymentIn('shop', 'web', privileged)) });
    const run = await runCli(['pss', 'check', dir, '--level', 'baseline'], { columns: 200, env: { NO_COLOR: '1' } });
    expect(run.stdout).toMatch(/DENIED +Deployment shop\/web \(.*web\.yaml:1\) +baseline:latest/);
    expect(run.stdout).toMatch(/privileged +privileged \(container "agent" must not set securityContext\.privileged=true\) +line \d+/);
    expect(run.stdout).toContain('1 of 1 pod spec denied at baseline:latest');
    expect(run.code).toBe(1);
  });
});

describe('eksguard pss advise', () => {
  it('gives each namespace the strictest level its workloads satisfy, what blocks the next, and the labels', async () => {
    const run = await runCli(['pss', 'advise', '-', '-o', 'json'], { stdin: clusterDump });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      version: string;
      namespaces: { namespace: string; workloads: number; level: string; version: string; blocked: { level: string; workloads: { resource: { name: string }; violations: { check: string }[] }[] } | null; current: unknown; labels: Record<string, string>; command: string }[];
      withoutWorkloads: string[];
    };
    expect(report.namespaces.map((a) => [a.namespace, a.workloads, a.level, a.blocked?.level ?? null, a.blocked?.workloads.map((w) => w.resource.name) ?? []])).toEqual([
      ['batch', 1, 'baseline', 'restricted', ['one-off']],
      ['monitoring', 2, 'privileged', 'baseline', ['node-exporter']],
      ['payments', 1, 'restricted', null, []],
      ['shop', 2, 'baseline', 'restricted', ['web']],
    ]);
    expect(report.namespaces.find((a) => a.namespace === 'monitoring')?.blocked?.workloads[0]?.violations.map((v) => v.check)).toEqual(['hostNamespaces', 'privileged']);
    expect(report.withoutWorkloads).toEqual(['empty']);
    expect(report.namespaces.find((a) => a.namespace === 'shop')?.command).toBe(
      'kubectl label --overwrite ns shop pod-security.kubernetes.io/enforce=baseline pod-security.kubernetes.io/enforce-version=latest '
      + 'pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/warn-version=latest '
      + 'pod-security.kubernetes.io/audit=restricted pod-security.kubernetes.io/audit-version=latest',
    );
  });

  it('prints commands that, applied, enforce a level every current workload passes', async () => {
    const run = await runCli(['pss', 'advise', '-'], { stdin: clusterDump });
    const commands = run.stdout.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('kubectl '));
    expect(commands).toHaveLength(4);
    const inventory = new Inventory(parseManifests('-', clusterDump).resources);
    for (const command of commands) {
      const words = command.split(' ');
      expect(words.slice(0, 4)).toEqual(['kubectl', 'label', '--overwrite', 'ns']);
      const ns = words[4] ?? '';
      const pairs = words.slice(5).map((word) => word.split('='));
      expect(pairs.map(([key]) => key)).toEqual(['enforce', 'enforce-version', 'warn', 'warn-version', 'audit', 'audit-version'].map((k) => `${P}${k}`));
      const labels = Object.fromEntries(pairs);
      for (const value of Object.values(labels)) expect(isPssLevel(value) || parseVersion(value) !== undefined, String(value)).toBe(true);
      // As PSA would read the labels: every current workload passes the enforced policy.
      const { policy, errors } = policyFromLabels(labels);
      expect(errors).toEqual([]);
      for (const workload of inventory.workloads.filter((w) => w.namespace === ns)) {
        expect(evaluateWorkload(workload, policy.enforce.level, policy.enforce.version).allowed, `${ns}: ${workload.ref.name}`).toBe(true);
      }
    }
    expect(run.stdout).toMatch(/Namespace monitoring \(2 workloads\): privileged:latest\n {2}today: enforce privileged:latest\n {2}baseline is blocked by 1 workload:\n {4}DaemonSet monitoring\/node-exporter/);
    expect(run.stdout).toContain("today: not in the input (PSA's default is privileged)");
    expect(run.stdout).toContain('No workloads, nothing to judge: empty');
  });

  it('warns when a namespace already enforces a level its workloads violate', async () => {
    const input = jsYaml.dump({ apiVersion: 'v1', kind: 'List', items: [namespace('strict', { [`${P}enforce`]: 'restricted' }), deploymentIn('strict', 'web', plain)] });
    const run = await runCli(['pss', 'advise', '-'], { stdin: input });
    expect(run.stdout).toContain('today: enforce restricted:latest, which some of its workloads violate: PSA rejects their new pods');
  });

  it('writes apply-ready Namespace manifests with -o yaml', async () => {
    const run = await runCli(['pss', 'advise', '-', '-o', 'yaml', '--version', 'v1.30'], { stdin: clusterDump });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('# Apply with: kubectl apply --server-side --field-manager=eksguard-pss --force-conflicts -f FILE');
    const docs = jsYaml.loadAll(run.stdout).filter((d) => d !== null) as { apiVersion: string; kind: string; metadata: { name: string; labels: Record<string, string> } }[];
    expect(docs.map((d) => [d.apiVersion, d.kind, d.metadata.name])).toEqual([['v1', 'Namespace', 'batch'], ['v1', 'Namespace', 'monitoring'], ['v1', 'Namespace', 'payments'], ['v1', 'Namespace', 'shop']]);
    expect(docs[1]?.metadata.labels).toEqual({
      [`${P}enforce`]: 'privileged', [`${P}enforce-version`]: 'v1.30',
      [`${P}warn`]: 'baseline', [`${P}warn-version`]: 'v1.30',
      [`${P}audit`]: 'baseline', [`${P}audit-version`]: 'v1.30',
    });
    expect(run.stdout).toContain('# baseline is blocked by: DaemonSet monitoring/node-exporter (-:');
  });

  it('quotes a namespace name the shell would split', async () => {
    const { labelCommand } = await import('../../src/pss/advise.js');
    expect(labelCommand("it's odd", { a: 'b' })).toBe("kubectl label --overwrite ns 'it'\\''s odd' a=b");
  });
});

describe('bad input', () => {
  it('reports unreadable input as gaps, on stderr and in the report, and exits 2', async () => {
    const dir = tempFiles({ 'ok.yaml': jsYaml.dump(deploymentIn('shop', 'web', privileged)), 'broken.yaml': 'kind: Pod\nmetadata: [unclosed\n', 'notes.yaml': 'just: a mapping\n' });
    const run = await runCli(['pss', 'check', dir, '--level', 'baseline', '-o', 'json']);
    const report = JSON.parse(run.stdout) as CheckJson;
    expect(report.results.map((r) => r.resource.name)).toEqual(['web']);
    // notes.yaml names no apiVersion or kind: not meant for Kubernetes, so skipped rather than a gap.
    expect(report.gaps.map((g) => [g.source.endsWith('broken.yaml'), g.code])).toEqual([[true, 'YAML_SYNTAX']]);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^eksguard: .*broken\.yaml:\d+: /m);
    expect(run.code).toBe(2);
    const allowed = await runCli(['pss', 'check', dir, '--level', 'baseline', '--allow-gaps']);
    expect(allowed.code).toBe(1);
    expect(allowed.stdout).toContain('Incomplete: 1 input problem:');
  });

  it('says in one line, with no report, that a missing path or an input without objects gave nothing to judge', async () => {
    const missing = await runCli(['pss', 'advise', 'no/such/dir']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('eksguard: no/such/dir: no such file or directory\n');
    expect(missing.stdout).toBe('');
    const empty = await runCli(['pss', 'check', '-', '-o', 'json'], { stdin: '# nothing here\n' });
    expect(empty.stderr).toBe('eksguard: -: no Kubernetes objects on standard input\n');
    expect(empty.stdout).toBe('');
    expect(empty.code).toBe(2);
    const partly = await runCli(['pss', 'advise', 'no/such/dir', '-', '-o', 'yaml'], { stdin: clusterDump });
    expect(partly.code).toBe(2);
    expect(partly.stdout).toContain('# Incomplete: 1 input problem');
  });

  it('refuses bad options with exit 2 and no stack trace', async () => {
    for (const args of [['pss', 'check', '-', '--level', 'strict'], ['pss', 'check', '-', '--version', 'v1.5.0'], ['pss', 'advise', '-', '-o', 'xml'], ['pss', 'check'], ['pss']]) {
      const run = await runCli(args, { stdin: clusterDump });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  it("leaves eksguard's own --version and --debug working", async () => {
    expect((await runCli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect((await runCli(['pss', 'check', '-', '--debug', '--level', 'restricted', '--version', 'v1.30'], { stdin: clusterDump })).code).toBe(1);
    expect((await runCli(['--debug', 'pss', 'check', '-', '--version', 'v1.30'], { stdin: clusterDump })).code).toBe(0);
  });
});
