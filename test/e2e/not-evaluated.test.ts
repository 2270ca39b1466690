/**
 * Evidence a source failed to read is "not evaluated", never "passed": a cluster answering 403 for
 * one kind, a snapshot written for fewer rules, an AWS call refused. The real CLI against the
 * loopback fake API server and the fake AWS endpoint; the rules that need only what was read still run.
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { evidenceOfRule } from '../../src/engine/rule-kinds.js';
import { resolveRules } from '../../src/engine/rule-set.js';
import { builtinRules } from '../../src/rules/index.js';
import { startFakeAws } from '../aws/fake-endpoint/server.js';
import { runCli } from '../cli-harness.js';
import { startFakeApiServer, type FakeApiServer } from '../collect/kube/fake-api-server.js';
import { clusterObjects } from '../collect/kube/fixture-cluster.js';
import { writeKubeconfig } from '../collect/kube/kubeconfig.js';
import { makeTempDir } from '../temp-dir.js';

const TOKEN = 'not-evaluated-token';

interface JsonReport {
  findings: { ruleId: string }[];
  gaps: { source: string; code: string; message: string }[];
  notEvaluated: { ruleId: string; reason: string }[];
}

const report = (stdout: string) => JSON.parse(stdout) as JsonReport;

/** The rules on by default that read a kind, by the rules' own declarations. */
function defaultRulesReading(kind: string): string[] {
  return resolveRules(builtinRules, { config: EMPTY_CONFIG })
    .filter(({ rule, handlers }) => {
      const { kinds } = evidenceOfRule(rule, handlers);
      return kinds === 'all' || kinds.has(kind);
    })
    .map(({ rule }) => rule.id)
    .sort();
}

describe('a cluster that refuses one kind', () => {
  let full: FakeApiServer;
  let refusing: FakeApiServer;
  let fullConfig: string;
  let refusingConfig: string;
  beforeAll(async () => {
    full = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN });
    refusing = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN, refuse: [{ verb: 'list', resource: 'clusterrolebindings' }] });
    fullConfig = writeKubeconfig(makeTempDir('not-evaluated'), { server: full.url, ca: full.ca, token: TOKEN });
    refusingConfig = writeKubeconfig(makeTempDir('not-evaluated'), { server: refusing.url, ca: refusing.ca, token: TOKEN });
  });
  afterAll(async () => {
    await full.close();
    await refusing.close();
  });

  it('reports every rule that reads the refused kind as not evaluated, with the reason, in JSON', async () => {
    const run = await runCli(['scan', '--cluster', '--kubeconfig', refusingConfig, '-o', 'json']);
    expect(run.code).toBe(2);
    const partial = report(run.stdout);
    expect(partial.gaps.map((g) => g.code)).toEqual(['KUBE_FORBIDDEN']);

    const dependent = defaultRulesReading('ClusterRoleBinding');
    expect(dependent).toContain('no-cluster-admin-bindings');
    const reasons = new Map(partial.notEvaluated.map((n) => [n.ruleId, n.reason]));
    for (const id of dependent) expect(reasons.get(id), id).toBe('ClusterRoleBindings could not be read (403 Forbidden)');
    // None of them was judged on the bindings that could be read.
    expect(partial.findings.filter((f) => dependent.includes(f.ruleId))).toEqual([]);

    // Exactly those: what the full read leaves unevaluated, plus the rules that needed the bindings.
    const baseline = report((await runCli(['scan', '--cluster', '--kubeconfig', fullConfig, '-o', 'json'])).stdout);
    expect(baseline.findings.some((f) => f.ruleId === 'no-cluster-admin-bindings')).toBe(true);
    const expected = new Set([...baseline.notEvaluated.map((n) => n.ruleId), ...dependent]);
    expect(new Set(partial.notEvaluated.map((n) => n.ruleId))).toEqual(expected);

    // A rule that needs only readable kinds still runs, and finds what it found before.
    expect(reasons.has('no-privileged-containers')).toBe(false);
    const privileged = (r: JsonReport) => r.findings.filter((f) => f.ruleId === 'no-privileged-containers');
    expect(privileged(partial).length).toBeGreaterThan(0);
    expect(privileged(partial)).toEqual(privileged(baseline));
  });

  it('says so in the table too', async () => {
    const run = await runCli(['scan', '--cluster', '--kubeconfig', refusingConfig, '--no-color']);
    expect(run.code).toBe(2);
    const section = run.stdout.slice(run.stdout.indexOf('Not evaluated'));
    expect(section).toMatch(/^Not evaluated \(\d+ rules/);
    const line = section.split('\n').find((l) => l.includes('ClusterRoleBindings could not be read (403 Forbidden)'));
    // One line per reason with its count; the rule ids are in JSON (a table of ids buried the reason).
    expect(line).toMatch(/^ {2}\d+ rules: ClusterRoleBindings could not be read/);
    expect(section).not.toContain('no-cluster-admin-bindings');
  });

  it('names the namespace when only one namespace was refused', async () => {
    const server = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN, refuse: [{ verb: 'list', resource: 'rolebindings', namespace: 'team-b' }] });
    try {
      const config = writeKubeconfig(makeTempDir('not-evaluated'), { server: server.url, ca: server.ca, token: TOKEN });
      const run = await runCli(['scan', '--cluster', '--kubeconfig', config, '-n', 'team-a,team-b', '-o', 'json', '--rule', 'no-cluster-admin-bindings', '--rule', 'no-privileged-containers']);
      const partial = report(run.stdout);
      expect(partial.notEvaluated).toEqual([{ ruleId: 'no-cluster-admin-bindings', reason: 'RoleBindings in namespace team-b could not be read (403 Forbidden)' }]);
    } finally {
      await server.close();
    }
  });
});

describe('a cluster that refuses some of the kinds pod specs live in', () => {
  it('still judges the pod specs it could read (the refusal stays a gap), and not evaluated only when none could be read', async () => {
    const partly = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN, refuse: [{ verb: 'list', resource: 'podtemplates' }, { verb: 'list', resource: 'cronjobs' }] });
    const podSpecResources = ['pods', 'deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs', 'replicationcontrollers', 'podtemplates'];
    const none = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN, refuse: podSpecResources.map((resource) => ({ verb: 'list', resource })) });
    try {
      const args = (server: FakeApiServer) => ['scan', '--cluster', '--kubeconfig', writeKubeconfig(makeTempDir('not-evaluated'), { server: server.url, ca: server.ca, token: TOKEN }), '-o', 'json', '--rule', 'no-privileged-containers'];
      const some = await runCli(args(partly));
      expect(some.code).toBe(2);
      expect(report(some.stdout).gaps.map((g) => g.code)).toEqual(['KUBE_FORBIDDEN', 'KUBE_FORBIDDEN']);
      expect(report(some.stdout).notEvaluated).toEqual([]);
      expect(report(some.stdout).findings.filter((f) => f.ruleId === 'no-privileged-containers').length).toBeGreaterThan(0);

      const nothing = report((await runCli(args(none))).stdout);
      expect(nothing.findings).toEqual([]);
      expect(nothing.notEvaluated.map((n) => n.ruleId)).toEqual(['no-privileged-containers']);
      expect(nothing.notEvaluated[0]?.reason).toContain('Pods');
    } finally {
      await partly.close();
      await none.close();
    }
  });
});

describe('a cluster whose discovery fails', () => {
  it('reports the rules that read add-on kinds as not evaluated: whether the add-on is installed is unknown', async () => {
    const server = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN, failures: [{ path: /^\/apis$/, status: 403, times: 100 }] });
    try {
      const config = writeKubeconfig(makeTempDir('not-evaluated'), { server: server.url, ca: server.ca, token: TOKEN });
      const run = await runCli(['scan', '--cluster', '--kubeconfig', config, '-o', 'json', '--rule', 'require-default-deny-network-policy', '--rule', 'no-privileged-containers']);
      expect(run.code).toBe(2);
      const reason = report(run.stdout).notEvaluated.find((n) => n.ruleId === 'require-default-deny-network-policy')?.reason;
      expect(reason).toContain('CiliumNetworkPolicies');
      expect(reason).toContain('could not be read (discovery failed: whether Cilium is installed is unknown)');
      expect(report(run.stdout).notEvaluated.map((n) => n.ruleId)).toEqual(['require-default-deny-network-policy']);
    } finally {
      await server.close();
    }
  });
});

describe('a snapshot written for fewer rules', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN });
  });
  afterAll(() => server.close());

  it('reports the rules needing kinds it lacks as not evaluated, without a gap', async () => {
    const dir = makeTempDir('not-evaluated');
    const kubeconfig = writeKubeconfig(dir, { server: server.url, ca: server.ca, token: TOKEN });
    const file = join(dir, 'workloads-only.json');
    const saved = await runCli(['snapshot', '--cluster', '--kubeconfig', kubeconfig, '--rule', 'no-privileged-containers', '--output-file', file, '--quiet']);
    expect(saved.code).toBe(0);
    const run = await runCli(['scan', '--snapshot', file, '-o', 'json']);
    const scanned = report(run.stdout);
    expect(scanned.gaps).toEqual([]);
    const reason = scanned.notEvaluated.find((n) => n.ruleId === 'no-cluster-admin-bindings')?.reason;
    expect(reason).toMatch(/ClusterRoleBindings.* could not be read \(not in the snapshot, which was written for other rules\)/);
    expect(scanned.notEvaluated.some((n) => n.ruleId === 'no-privileged-containers')).toBe(false);
    expect(scanned.findings.some((f) => f.ruleId === 'no-privileged-containers')).toBe(true);
    expect(run.code).toBe(1);
  });
});

describe('a cluster without aws-auth (access entries only)', () => {
  it('judges the aws-auth rules on a live read: the ConfigMap is absent, not unread', async () => {
    const objects = clusterObjects().filter((o) => o.kind !== 'ConfigMap');
    const server = await startFakeApiServer({ objects, token: TOKEN });
    try {
      const config = writeKubeconfig(makeTempDir('not-evaluated'), { server: server.url, ca: server.ca, token: TOKEN });
      const rules = ['no-iam-users-in-aws-auth', 'require-session-name-in-aws-auth', 'no-system-masters-mappings'];
      const run = await runCli(['scan', '--cluster', '--kubeconfig', config, '-o', 'json', ...rules.flatMap((r) => ['--rule', r])]);
      expect(run.code).toBe(0);
      const scanned = report(run.stdout);
      expect(scanned).toMatchObject({ findings: [], gaps: [], notEvaluated: [] });
    } finally {
      await server.close();
    }
  });

  it('reports the aws-auth rules as not evaluated when reading aws-auth was refused', async () => {
    const server = await startFakeApiServer({ objects: clusterObjects(), token: TOKEN, refuse: [{ verb: 'get', resource: 'configmaps', namespace: 'kube-system' }] });
    try {
      const config = writeKubeconfig(makeTempDir('not-evaluated'), { server: server.url, ca: server.ca, token: TOKEN });
      const run = await runCli(['scan', '--cluster', '--kubeconfig', config, '-o', 'json', '--rule', 'no-iam-users-in-aws-auth']);
      expect(run.code).toBe(2);
      expect(report(run.stdout).notEvaluated).toEqual([{ ruleId: 'no-iam-users-in-aws-auth', reason: 'ConfigMaps in namespace kube-system could not be read (403 Forbidden)' }]);
    } finally {
      await server.close();
    }
  });
});

describe('an AWS read with a call refused', () => {
  it('reports the rules needing that call as not evaluated, naming it, and runs the others', async () => {
    const fake = await startFakeAws({ fixture: resolve('test/fixtures/aws/weak'), deny: ['eks:ListAccessEntries', 'guardduty:ListDetectors'], pageSize: 100 });
    try {
      const env = { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
      const run = await runCli(['scan', '--aws', '--region', 'eu-west-1', '-o', 'json'], { env, cwd: makeTempDir('not-evaluated') });
      expect(run.code).toBe(2);
      const scanned = report(run.stdout);
      const reasons = new Map(scanned.notEvaluated.map((n) => [n.ruleId, n.reason]));
      expect(reasons.get('no-iam-user-access-entries')).toMatch(/^eks:ListAccessEntries output and eks:DescribeAccessEntry output could not be read \(eks:ListAccessEntries denied: \w+\)$/);
      expect(reasons.get('require-guardduty-eks-protection')).toMatch(/guardduty:ListDetectors output.* could not be read \(guardduty:ListDetectors denied/);
      // Judged on what was read: the weak cluster still accepts aws-auth besides access entries.
      expect(reasons.has('require-api-authentication-mode')).toBe(false);
      expect(scanned.findings.some((f) => f.ruleId === 'require-api-authentication-mode')).toBe(true);
    } finally {
      await fake.close();
    }
  });
});
