import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../cli-harness.js';
import { conformanceData } from '../support/conformance.js';
import { builtinDetections } from '../../src/audit-log/detections/index.js';
import { auditEvent, jsonLines, tempDir, writeLog } from './events.js';

const falco = conformanceData('audit-logs/falco/k8s_audit', 'the audit analyze tests on Falco\'s traces (test/audit-log/cli.test.ts)');
const demo = conformanceData('audit-logs/audit2rbac/demo.log', 'the audit rbac tests on audit2rbac\'s demo.log (test/audit-log/cli.test.ts)');
const FALCO = falco.path;
const DEMO = demo.path;

describe('eksguard audit analyze', () => {
  it.skipIf(falco.missing)('prints findings with their first event, the timeline and the summary; a bad line makes the audit incomplete', async () => {
    const run = await runCli(['audit', 'analyze', FALCO]);
    expect(run.code).toBe(2);
    // The table wraps to its width (100 on a pipe): read it with the continuation lines joined.
    const flat = run.stdout.replace(/\n +/g, ' ');
    expect(flat).toContain('ClusterRoleBinding some-reader-binding grants cluster-admin to User minikube');
    expect(flat).toMatch(/first: 2018-10-26T14:26:34\.238974Z minikube-user from 192\.168\.99\.1: create clusterrolebindings some-reader-binding → 201 \[c97244c7/);
    expect(run.stdout).toContain('Timeline (events per hour, UTC):');
    // No score for audit logs (docs/json-output.md): the summary goes from the counts to what was read.
    expect(flat).toMatch(/12 findings: 7 high, 4 medium, 1 low · 51 events in 47 sources/);
    expect(flat).not.toMatch(/score \d+/);
    expect(run.stderr).toBe(`eksguard: ${FALCO}/fal_01_003.json:1: kind 0 is not an audit Event\n`);
    expect((await runCli(['audit', 'analyze', FALCO, '--allow-gaps'])).code).toBe(1);
    expect((await runCli(['audit', 'analyze', FALCO, '--allow-gaps', '--fail-on', 'none'])).code).toBe(0);
  });

  it.skipIf(falco.missing)('-o json: the scan document with evidence per finding, unjudged events and the timeline', async () => {
    const run = await runCli(['audit', 'analyze', join(FALCO, 'exec_pod.json'), '-o', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      findings: { ruleId: string; severity: string; resource: Record<string, unknown>; evidence: { count: number; events: Record<string, unknown>[] } }[];
      timeline: { bucket: string; buckets: unknown[] }; summary: { events: number }; sources: unknown[];
    };
    expect(report.summary.events).toBe(1);
    expect(report.sources).toEqual([{ path: join(FALCO, 'exec_pod.json'), format: 'lines', compressed: false, parallel: false, records: 1, events: 1, malformed: 0, notEvents: 0 }]);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'audit-pod-exec', severity: 'medium', area: 'audit',
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'default', name: 'nginx-deployment-7998647bdf-phvq7', file: join(FALCO, 'exec_pod.json'), line: 1 },
      evidence: {
        count: 1,
        events: [{ auditID: 'ca1ed9f4-7bf4-4c85-81a8-1b11253d1ba6', time: '2018-10-26T13:38:34.867116Z', user: 'minikube-user', impersonatedUser: null, sourceIP: '192.168.99.1', verb: 'create', object: 'pods/exec default/nginx-deployment-7998647bdf-phvq7', code: 101, file: join(FALCO, 'exec_pod.json'), line: 1 }],
      },
    });
    expect(report.timeline).toEqual({ bucket: 'minute', buckets: [{ start: '2018-10-26T13:38', events: 1, detections: { 'audit-pod-exec': 1 } }] });
  });

  it.skipIf(falco.missing)('writes SARIF, JUnit and Markdown in one run', async () => {
    const dir = tempDir();
    const run = await runCli(['audit', 'analyze', join(FALCO, 'create_nginx_pod_privileged.json'), '-o', `sarif=${dir}/a.sarif`, '-o', `junit=${dir}/a.xml`, '-o', `markdown=${dir}/a.md`], { cwd: dir });
    expect(run.code).toBe(1);
    const sarif = JSON.parse(readFileSync(join(dir, 'a.sarif'), 'utf8')) as { runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: { ruleId: string; properties: { evidence?: { count: number } } }[] }[] };
    const rules = sarif.runs[0]?.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toContain('audit-privileged-pod-created');
    expect(rules.find((r) => r.id === 'audit-privileged-pod-created')?.helpUri).toMatch(/docs\/audit-logs\.md#audit-privileged-pod-created$/);
    expect(sarif.runs[0]?.results.map((r) => [r.ruleId, r.properties.evidence?.count])).toEqual([['audit-privileged-pod-created', 1]]);
    const junit = readFileSync(join(dir, 'a.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="audit-privileged-pod-created" tests="1" failures="1"/);
    expect(junit).toMatch(/<testsuite name="audit-secret-access" tests="1" failures="0"/);
    expect(readFileSync(join(dir, 'a.md'), 'utf8')).toContain('| high | [audit-privileged-pod-created]');
  });

  it('reads eksguard.yaml\'s audit section, and refuses unknown detection ids', async () => {
    const dir = tempDir();
    const log = writeLog('audit.log', jsonLines([auditEvent({ user: 'system:serviceaccount:ci:deployer', ip: '203.0.113.7' })]), dir);
    writeFileSync(join(dir, 'eksguard.yaml'), 'audit:\n  clusterCidrs: [10.0.0.0/16]\n');
    const run = await runCli(['audit', 'analyze', log], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("ServiceAccount ci/deployer's token was used from 203.0.113.7");
    const bad = await runCli(['audit', 'analyze', log, '--detection', 'audit-exec'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('eksguard: --detection audit-exec: unknown detection id\nhint: Did you mean audit-pod-exec?\n');
  });

  it('reads standard input', async () => {
    const run = await runCli(['audit', 'analyze', '-', '--detection', 'audit-secret-access'], { stdin: jsonLines([auditEvent({ verb: 'get', resource: 'secrets', namespace: 'a', name: 'b' })]) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Secret a/b read by alice (get ×1)');
  });

  it('says what to give when no log is given', async () => {
    const run = await runCli(['audit', 'analyze']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('eksguard: no audit log given');
  });
});

describe('eksguard audit rbac', () => {
  it.skipIf(demo.missing)('prints kubectl-ready YAML for alice and a summary on stderr', async () => {
    const run = await runCli(['audit', 'rbac', DEMO, '--user', 'alice']);
    expect(run.code).toBe(0);
    const docs = run.stdout.split(/^---$/m).map((d) => parse(d) as { kind: string; metadata: { name: string; namespace?: string } });
    expect(docs.map((d) => [d.kind, d.metadata.namespace, d.metadata.name])).toEqual([['Role', 'ns1', 'eksguard:alice'], ['RoleBinding', 'ns1', 'eksguard:alice']]);
    expect(run.stderr).toBe('eksguard: 3 events of alice, 3 distinct requests: Role ns1/eksguard:alice, RoleBinding ns1/eksguard:alice\n');
  });

  it.skipIf(demo.missing)('--serviceaccount, --name and labels', async () => {
    const run = await runCli(['audit', 'rbac', DEMO, '--serviceaccount', 'ns1:sa1', '--name', 'least:${user}', '--generate-labels', 'team=platform']);
    expect(run.code).toBe(0);
    const role = parse(run.stdout.split(/^---$/m)[0] ?? '') as { kind: string; metadata: Record<string, unknown> };
    expect(role).toMatchObject({ kind: 'ClusterRole', metadata: { name: 'least:system:serviceaccount:ns1:sa1', labels: { team: 'platform' } } });
  });

  it.skipIf(demo.missing)('exit 2 when nothing matched, or for a bad subject', async () => {
    const none = await runCli(['audit', 'rbac', DEMO, '--user', 'carol']);
    expect([none.code, none.stdout, none.stderr]).toEqual([2, '', 'eksguard: no audit events matched user carol\n']);
    expect((await runCli(['audit', 'rbac', DEMO, '--user', 'a', '--serviceaccount', 'b:c'])).stderr).toContain('give --user or --serviceaccount, not both');
    expect((await runCli(['audit', 'rbac', DEMO, '--serviceaccount', 'sa1'])).stderr).toContain('expected NAMESPACE:NAME');
  });
});

describe('eksguard audit queries and generate cloudwatch-alarms', () => {
  it('prints the Insights query of a detection for a cluster', async () => {
    const run = await runCli(['audit', 'queries', '--detection', 'audit-pod-exec', '--cluster', 'prod']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('# CloudWatch Logs Insights queries for log group /aws/eks/prod/cluster');
    expect(run.stdout).toContain('# audit-pod-exec: Report interactive access into pods');
    expect(run.stdout).toContain('| stats count_distinct(auditID) as sessions');
    const json = JSON.parse((await runCli(['audit', 'queries', '-o', 'json'])).stdout) as { queries: { detection: string }[] };
    expect(json.queries).toHaveLength(Object.keys(builtinDetections).length); // one query per detection
  });

  it('prints CloudFormation by default and Terraform on request', async () => {
    const cfn = await runCli(['generate', 'cloudwatch-alarms', '--cluster-name', 'prod']);
    expect(cfn.code).toBe(0);
    expect(cfn.stderr).toBe('');
    expect(parse(cfn.stdout)).toMatchObject({ AWSTemplateFormatVersion: '2010-09-09' });
    const tf = await runCli(['generate', 'cloudwatch-alarms', '--cluster-name', 'prod', '--format', 'terraform', '--threshold', '10']);
    expect(tf.stdout).toContain('threshold           = 10');
    const bad = await runCli(['generate', 'cloudwatch-alarms', '--cluster-name', 'a b']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--cluster-name "a b": not an EKS cluster name/);
  });
});

describe('the example EKS export (examples/audit-logs)', () => {
  it('reports what was planted, and nothing from routine control-plane traffic', async () => {
    const cwd = new URL('../../examples/audit-logs/', import.meta.url).pathname;
    const run = await runCli(['audit', 'analyze', 'eks-audit-export.log', '-o', 'json'], { cwd });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; severity: string; resource: { kind: string; namespace: string | null; name: string } }[]; exempted: { ruleId: string; resource: { name: string } }[]; gaps: unknown[] };
    expect(report.gaps).toEqual([]);
    expect(report.findings.map((f) => `${f.ruleId} ${f.severity} ${f.resource.kind} ${f.resource.namespace ?? ''}/${f.resource.name}`).sort()).toEqual([
      'audit-auth-failures high User /(not authenticated)',
      'audit-auth-failures low User /system:anonymous',
      'audit-aws-auth-modified high ConfigMap kube-system/aws-auth',
      'audit-cluster-admin-binding high ClusterRoleBinding /ci-deployer-admin',
      'audit-pod-exec medium Pod shop/checkout-5d8f7-abcde',
      'audit-rbac-changed low ClusterRoleBinding /ci-deployer-admin',
      'audit-secret-access high Secret /*',
      'audit-secret-access medium Secret kube-system/*',
      'audit-secret-access medium Secret shop/db-credentials',
      'audit-service-account-token-outside-cluster high ServiceAccount ci/deployer',
      'audit-webhook-changed medium MutatingWebhookConfiguration /sidecar-injector',
    ]);
    expect(report.exempted.map((f) => `${f.ruleId} ${f.resource.name}`).sort()).toEqual(['audit-host-path-pod-created aws-node-7xk2p', 'audit-privileged-pod-created aws-node-7xk2p']);
  });
});
