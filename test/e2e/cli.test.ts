import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../src/rules/index.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

const helmStyle = `---
# Source: shop/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: shop
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels:
    helm.sh/chart: shop-0.1.0
spec:
  template:
    spec:
      hostPID: true
      containers:
        - name: shop
          image: "nginx:1.27"
          securityContext:
            privileged: true
`;

function tempDir(files: Record<string, string>): string {
  const dir = makeTempDir('cli');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('eksguard scan', () => {
  it('reports the insecure example with file and line, and exits 1', async () => {
    const run = await runCli(['scan', 'examples/insecure']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Deployment shop\/web \(examples\/insecure\/shop\.yaml\)/);
    // file:line, the form terminals and editors make clickable, beside the rule.
    expect(run.stdout).toMatch(/\n {2}critical {2}examples\/insecure\/[a-z-]+\.yaml:\d+ · no-privileged-containers\n/);
    expect(run.stdout).toMatch(/\d+ findings: .*critical/);
    expect(run.stderr).toBe('');
  });

  it('finds nothing of medium or worse in the hardened example', async () => {
    const run = await runCli(['scan', 'examples/hardened', '-o', 'json', '--fail-on', 'medium']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { findings: { severity: string; ruleId: string }[] };
    expect(report.findings.filter((f) => ['critical', 'high', 'medium'].includes(f.severity))).toEqual([]);
  });

  it('reads helm template output from standard input', async () => {
    const run = await runCli(['scan', '-', '-o', 'json'], { stdin: helmStyle });
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; resource: { file: string; line: number; kind: string } }[] };
    const privileged = report.findings.find((f) => f.ruleId === 'no-privileged-containers');
    expect(privileged?.resource).toMatchObject({ file: '-', line: 23, kind: 'Deployment' });
    expect(run.code).toBe(1);
  });

  it('prints the JSON machine interface of DESIGN.md', async () => {
    const run = await runCli(['scan', '-', '-o', 'json', '--fail-on', 'none'], { stdin: helmStyle });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['schemaVersion', 'tool', 'sources', 'summary', 'findings', 'exempted', 'gaps', 'notEvaluated', 'baseline']);
    expect(report.baseline).toBeNull();
    const finding = (report.findings as Record<string, unknown>[]).find((f) => f.ruleId === 'no-host-namespaces');
    expect(finding).toMatchObject({
      ruleId: 'no-host-namespaces', severity: 'high', area: 'workload',
      message: "Pod spec sets hostPID: true and shares the node's process namespace.",
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: null, name: 'shop', file: '-', line: 18, arn: null },
      path: 'spec.template.spec.hostPID',
      pointer: '/spec/template/spec/hostPID',
      fix: null,
      suggestions: [{ message: 'Remove hostPID from the pod spec.', patch: [{ op: 'remove', path: '/spec/template/spec/hostPID' }] }],
      baselineState: null,
    });
    expect(finding?.fingerprint).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(typeof finding?.title).toBe('string');
    expect(typeof finding?.remediation).toBe('string');
  });

  it('applies --fail-on thresholds', async () => {
    const input = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostIPC: true\n  containers: [{name: a, image: "x:1"}]\n';
    const args = ['scan', '-', '--rule', 'no-host-namespaces'];
    expect((await runCli([...args], { stdin: input })).code).toBe(1);
    expect((await runCli([...args, '--fail-on', 'critical'], { stdin: input })).code).toBe(0);
    expect((await runCli([...args, '--fail-on', 'none'], { stdin: input })).code).toBe(0);
    const bad = await runCli([...args, '--fail-on', 'severe'], { stdin: input });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on severe');
  });

  it('turns every bad input into a gap: exit 2, one line each on stderr, report still written, no stack trace', async () => {
    const dir = tempDir({
      'broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n',
      'values.yml': 'replicaCount: 2\n',
      'nokind.yaml': 'apiVersion: v1\nmetadata: {name: x}\n',
      'binary.json': '\u0000\u0001\u0002',
      'good.yaml': helmStyle,
    });
    const run = await runCli(['scan', dir, join(dir, 'missing.yaml'), '-o', 'json']);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as { gaps: { source: string; code: string; line: number | null }[]; findings: unknown[] };
    expect(report.gaps.map((g) => `${g.source.split('/').pop()}:${g.code}`).sort()).toEqual(
      ['binary.json:BINARY', 'broken.yaml:YAML_SYNTAX', 'missing.yaml:NOT_FOUND', 'nokind.yaml:NOT_A_KUBE_OBJECT'],
    );
    expect(report.findings.length).toBeGreaterThan(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(4);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect((await runCli(['scan', dir, '--allow-gaps', '--fail-on', 'none'])).code).toBe(0);
  });

  it('names the key of an invalid config file and exits 2', async () => {
    const dir = tempDir({ 'eksguard.yaml': 'rules:\n  no-privileged-container: off\n' });
    const run = await runCli(['scan', 'examples/hardened'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/rules/no-privileged-container: unknown rule id `no-privileged-container`; did you mean `no-privileged-containers`?');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect((await runCli(['scan', 'examples', '--config', join(dir, 'nope.yaml')])).stderr).toContain('nope.yaml: no such file');
  });

  it('reads eksguard.yaml from the working directory: severity overrides and exclusions', async () => {
    const dir = tempDir({ 'eksguard.yaml': 'rules:\n  no-host-namespaces: low\nexclusions:\n  - reason: lab cluster\n    rules: [no-privileged-containers]\n' });
    const run = await runCli(['scan', '-', '-o', 'json', '--rule', 'no-host-namespaces,no-privileged-containers'], { stdin: helmStyle, cwd: dir });
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; severity: string }[]; exempted: { ruleId: string; exemption: unknown }[] };
    expect(report.findings.map((f) => [f.ruleId, f.severity])).toEqual([['no-host-namespaces', 'low']]);
    expect(report.exempted.map((f) => [f.ruleId, f.exemption])).toEqual([['no-privileged-containers', { kind: 'config', reason: 'lab cluster' }]]);
    expect(run.code).toBe(0);
  });

  it('lists findings of an excluded namespace as exempted', async () => {
    const run = await runCli(['scan', 'examples/insecure', '-o', 'json', '--exclude-namespace', 'shop,ci,logging', '--fail-on', 'low']);
    const report = JSON.parse(run.stdout) as { findings: unknown[]; exempted: { exemption: { reason: string } }[] };
    expect(report.exempted.length).toBeGreaterThan(0);
    expect(report.exempted.every((f) => f.exemption.reason.includes('--exclude-namespace'))).toBe(true);
  });

  it('writes to --output-file and rejects unknown options and rules as usage errors', async () => {
    const dir = tempDir({});
    const out = join(dir, 'report.json');
    const run = await runCli(['scan', 'examples/hardened', '-o', 'json', '--output-file', out, '--fail-on', 'none']);
    expect(run.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).tool.name).toBe('eksguard');
    expect((await runCli(['scan', '--bogus'])).code).toBe(2);
    const unknownRule = await runCli(['scan', 'examples', '--rule', 'no-such-thing']);
    expect(unknownRule.code).toBe(2);
    expect(unknownRule.stderr).toContain('--rule no-such-thing: unknown rule id');
    expect((await runCli(['scan'])).code).toBe(2);
  });
});

describe('eksguard rules', () => {
  it('lists every rule, and explains one', async () => {
    const list = await runCli(['rules', '-o', 'json']);
    expect((JSON.parse(list.stdout) as { id: string }[]).map((r) => r.id).sort()).toEqual(Object.keys(builtinRules).sort());
    const one = await runCli(['rules', 'no-host-namespaces']);
    expect(one.stdout).toContain('ignore-check.eksguard.io/no-host-namespaces');
    expect(one.stdout).toContain('eksguard fix: removeField: safe, removeHostNetwork: review');
    expect((await runCli(['rules', 'no-privilege-escalation'])).stdout).toContain('eksguard fix: safe (');
    expect((await runCli(['rules', 'no-container-runtime-socket'])).stdout).toContain('eksguard fix: no mechanical fix');
    expect((await runCli(['rules', 'nope'])).code).toBe(2);
  });

  it('filters by CIS Amazon EKS Benchmark id with --cis', async () => {
    const mapped = Object.values(builtinRules as Readonly<Record<string, { id: string; meta: { docs: { controls?: readonly string[] } } }>>)
      .filter((r) => (r.meta.docs.controls ?? []).some((c) => c.startsWith('cis-eks:'))).map((r) => r.id).sort();
    expect(mapped).toContain('restrict-workload-creation');
    const all = await runCli(['rules', '--cis', '-o', 'json']);
    expect((JSON.parse(all.stdout) as { id: string }[]).map((r) => r.id).sort()).toEqual(mapped);
    const one = await runCli(['rules', '--cis', '4.1.4']);
    expect(one.stdout).toMatch(/restrict-workload-creation +rbac +medium +yes +4\.1\.4\b/);
    expect(one.stdout).toContain('1 rule mapped to the CIS Amazon EKS Benchmark v1.8.0');
    const hostNamespaces = await runCli(['rules', '--cis', '4.2.3', '-o', 'json']);
    expect((JSON.parse(hostNamespaces.stdout) as { id: string; cisEks: string[] }[]).map((r) => [r.id, r.cisEks])).toEqual([['no-host-namespaces', ['4.2.2', '4.2.3', '4.2.4']]]);
    const unknown = await runCli(['rules', '--cis', '9.9.9']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no rule checks CIS EKS 9.9.9');
  });
});

describe('the installed binary', () => {
  it('prints its version and scans a pipe', () => {
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
    expect(execFileSync(process.execPath, ['bin/eksguard.js', '--version'], { encoding: 'utf8' }).trim()).toBe(version);
    const run = spawnSync(process.execPath, ['bin/eksguard.js', 'scan', '-', '-o', 'json'], { input: helmStyle, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).summary.findings).toBeGreaterThan(0);
  });
});
