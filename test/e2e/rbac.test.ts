/**
 * `eksguard rbac who-can | lookup | risky` as a user runs them: over a realistic EKS cluster dump
 * with aws-auth, an AWS evidence directory with access entries, standard input, and bad input.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/resource.js';
import { runCli } from '../cli-harness.js';
import { startFakeApiServer, type FakeApiOptions, type FakeApiServer } from '../collect/kube/fake-api-server.js';
import { writeKubeconfig } from '../collect/kube/kubeconfig.js';
import { CIRCLECI_ROWS, rbacLookupCase } from '../rbac/conformance.js';
import { ADMIN_ROLE, CI_USER, SRE_ROLE, realisticCluster, toYaml } from '../rbac/realistic-cluster.js';
import { makeTempDir } from '../temp-dir.js';

let dir = '';
let dump = '';
let awsDir = '';

beforeAll(() => {
  dir = makeTempDir('rbac');
  dump = join(dir, 'cluster-dump.yaml');
  writeFileSync(dump, toYaml(realisticCluster()));
  awsDir = join(dir, 'aws');
  mkdirSync(awsDir);
  const files: Record<string, unknown> = {
    'describe-cluster.json': { cluster: { name: 'prod', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod', version: '1.31', accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: false } } },
    'describe-access-entry-ops.json': { accessEntry: { clusterName: 'prod', principalArn: 'arn:aws:iam::111122223333:role/ops', kubernetesGroups: [], type: 'STANDARD', username: 'arn:aws:sts::111122223333:assumed-role/ops/{{SessionName}}' } },
    'list-associated-access-policies-ops.json': { clusterName: 'prod', principalArn: 'arn:aws:iam::111122223333:role/ops', associatedAccessPolicies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', accessScope: { type: 'namespace', namespaces: ['prod'] } }] },
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(awsDir, name), JSON.stringify(content));
});

interface WhoCanJson {
  request: Record<string, unknown>;
  subjects: { kind: string; name: string; namespace: string | null; via: Record<string, unknown>[]; scope: unknown; members: string | null }[];
  dangling: unknown[];
  coverage: Record<string, unknown>;
  notes: string[];
  gaps: { source: string; code: string; message: string }[];
}

describe('eksguard rbac who-can', () => {
  it('answers with DESIGN.md\'s JSON: { request, subjects[] }, system:masters first, IAM principals named by ARN', async () => {
    const run = await runCli(['rbac', 'who-can', 'create', 'pods/exec', '-n', 'prod', dump, '-o', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const answer = JSON.parse(run.stdout) as WhoCanJson;
    expect(answer.request).toEqual({ verb: 'create', apiGroup: '', resource: 'pods', subresource: 'exec', name: null, nonResourceURL: null, namespace: 'prod', scope: 'namespace' });
    expect(answer.subjects[0]).toMatchObject({ kind: 'Group', name: 'system:masters', namespace: null });
    for (const s of answer.subjects) expect(Object.keys(s)).toEqual(['kind', 'name', 'namespace', 'via', 'scope', 'members']);
    expect(answer.subjects.map((s) => `${s.kind} ${s.name}`)).toEqual(expect.arrayContaining([
      'Group sre', 'ServiceAccount deployer', `IAMRole ${SRE_ROLE}`, `IAMRole ${ADMIN_ROLE}`,
    ]));
    const sre = answer.subjects.find((s) => s.name === SRE_ROLE);
    expect(sre?.via).toEqual([{ kind: 'RoleBinding', name: 'sre-exec', namespace: 'prod', role: 'Role/pod-exec', mapping: 'aws-auth mapRoles[1]', as: 'Group sre', source: expect.stringMatching(/cluster-dump\.yaml:\d+$/) }]);
    expect(answer.dangling).toEqual([expect.objectContaining({ kind: 'RoleBinding', name: 'legacy', roleRef: 'Role/deleted-role' })]);
    expect(answer.coverage).toEqual({ rbac: true, awsAuth: 'present', accessEntries: 'not-collected', authenticationMode: null });
  });

  it('prints a table by default, reads standard input, and says in which namespaces when asked about any', async () => {
    const run = await runCli(['rbac', 'who-can', 'list', 'secrets', '-'], { stdin: readFileSync(dump, 'utf8'), columns: 200, env: { NO_COLOR: '1' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Who can list secrets in any namespace\n/);
    expect(run.stdout).toMatch(/^KIND +NAME +SCOPE +VIA$/m);
    expect(run.stdout).toMatch(/^User +dev +ci +RoleBinding ci\/dev-edit → ClusterRole edit$/m);
    expect(run.stdout).toMatch(new RegExp(`^IAMUser +${CI_USER} +shop +aws-auth mapUsers\\[0\\] as Group deployers → RoleBinding shop/deployers → ClusterRole edit$`, 'm'));
    expect(run.stdout).toContain('RBAC and aws-auth only');
  });

  it('answers non-resource URLs, given as a resource or with --non-resource-url', async () => {
    const byArg = JSON.parse((await runCli(['rbac', 'who-can', 'get', '/metrics', dump, '-o', 'json'])).stdout) as WhoCanJson;
    const byFlag = JSON.parse((await runCli(['rbac', 'who-can', 'get', '--non-resource-url', '/metrics', dump, '-o', 'json'])).stdout) as WhoCanJson;
    expect(byFlag.subjects).toEqual(byArg.subjects);
    expect(byArg.subjects.map((s) => s.name)).toContain('prometheus');
  });

  it('adds EKS access entries and access policies from --aws-dump', async () => {
    const run = await runCli(['rbac', 'who-can', 'delete', 'deployments.apps', '-n', 'prod', dump, '--aws-dump', awsDir, '-o', 'json']);
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as WhoCanJson;
    expect(answer.subjects.find((s) => s.name === 'arn:aws:iam::111122223333:role/ops')?.via).toEqual([
      { kind: 'AccessPolicy', name: 'AmazonEKSEditPolicy', namespace: 'prod', role: null, mapping: 'access entry', as: null, source: expect.stringContaining('describe-access-entry-ops.json') },
    ]);
    expect(answer.coverage).toEqual({ rbac: true, awsAuth: 'present', accessEntries: 'present', authenticationMode: 'API_AND_CONFIG_MAP' });
  });

  it('refuses an unknown resource with a hint, exit 2, no stack trace', async () => {
    const run = await runCli(['rbac', 'who-can', 'get', 'widgets', dump]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^eksguard: unknown resource "widgets"\nhint: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('asks for sources when given none', async () => {
    const run = await runCli(['rbac', 'who-can', 'get', 'pods']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/eksguard: nothing to read\nhint: .*kubectl get clusterroles/);
  });

  it('answers from what it could read, reports each gap with its file and line, and exits 2 unless gaps are allowed', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: indentation\n');
    const badAuth = join(dir, 'aws-auth.yaml');
    writeFileSync(badAuth, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: "- rolearn: [unclosed"\n');
    const run = await runCli(['rbac', 'who-can', 'get', 'pods', dump, broken, badAuth, '-o', 'json']);
    expect(run.code).toBe(2);
    const answer = JSON.parse(run.stdout) as WhoCanJson;
    expect(answer.subjects.length).toBeGreaterThan(1);
    // The dump holds aws-auth too: two versions of one object are a gap naming both files (docs/inputs.md).
    expect(answer.gaps.map((g) => g.code).sort()).toEqual(['CONFLICTING_VERSIONS', 'YAML_SYNTAX']);
    expect(answer.gaps.find((g) => g.code === 'CONFLICTING_VERSIONS')?.message).toMatch(/ConfigMap kube-system\/aws-auth is read in 2 versions that differ \(.*cluster-dump.*, .*aws-auth\.yaml:1\)/);
    expect(run.stderr).toMatch(/broken\.yaml:\d+: /);
    const allowed = await runCli(['rbac', 'who-can', 'get', 'pods', dump, broken, '--allow-gaps']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('Incomplete: 1 input problem');
  });
});

describe('eksguard rbac lookup', () => {
  const e2e = rbacLookupCase('the rbac lookup CLI test on rbac-lookup\'s end-to-end case (test/e2e/rbac.test.ts)');
  it.skipIf(e2e.missing)('gives rbac-lookup\'s rows for its own end-to-end case', async () => {
    // Wide enough that no cell wraps: the rows are compared cell by cell.
    const run = await runCli(['rbac', 'lookup', 'circleci', e2e.path], { columns: 250 });
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\n').filter((l) => l.startsWith('ServiceAccount/')).map((l) => l.trim().split(/\s+/));
    expect(rows.sort()).toEqual([...CIRCLECI_ROWS].sort());
  });

  it('answers in JSON, an IAM ARN through its aws-auth mapping', async () => {
    const run = await runCli(['rbac', 'lookup', SRE_ROLE, dump, '-o', 'json']);
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as { rows: { subject: unknown; scope: string; role: unknown; source: unknown; through: string | null }[]; subjects: unknown[] };
    expect(answer.rows).toContainEqual({
      subject: { kind: 'IAMRole', name: SRE_ROLE, namespace: null }, scope: 'prod',
      role: { kind: 'Role', name: 'pod-exec', missing: false },
      source: { kind: 'RoleBinding', name: 'sre-exec', namespace: 'prod', location: expect.stringMatching(/cluster-dump\.yaml:\d+$/) },
      through: 'aws-auth mapRoles[1] as Group sre',
    });
  });

  it('rejects an unknown --kind', async () => {
    const run = await runCli(['rbac', 'lookup', 'dev', dump, '--kind', 'robot']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--kind robot: expected one of user, group, serviceaccount, iamrole, iamuser/);
  });
});

describe('eksguard rbac risky', () => {
  it('reports the escalation path through the CI deployer and exits 1', async () => {
    const run = await runCli(['rbac', 'risky', dump]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('User dev can create pods in ci\n            → can run a pod as ServiceAccount ci/deployer\n            → which is cluster-admin');
    expect(run.stdout).toMatch(/\d+ risks: \d+ critical/);
  });

  it('gives JSON with a summary, and exits 0 with --fail-on none', async () => {
    const run = await runCli(['rbac', 'risky', dump, '-o', 'json', '--fail-on', 'none']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { summary: { risks: number; bySeverity: Record<string, number> }; risks: { id: string; subject: { kind: string; name: string }; path: string[]; heldBy: string[] }[] };
    expect(report.summary.risks).toBe(report.risks.length);
    const sre = report.risks.find((r) => r.id === 'escalation-path' && r.subject.name === 'sre');
    expect(sre?.path).toEqual([
      'Group sre can exec into pods in prod',
      'can exec into a pod running as ServiceAccount prod/web (Deployment prod/web)',
      'which can get, list, watch every Secret cluster-wide (ClusterRoleBinding web-secrets → ClusterRole secret-reader)',
    ]);
    expect(sre?.heldBy).toEqual([`IAM role ${SRE_ROLE} (aws-auth mapRoles[1])`]);
  });

  it('writes SARIF that validates against the SARIF 2.1.0 schema', async () => {
    const out = join(dir, 'reports', 'rbac.sarif');
    const run = await runCli(['rbac', 'risky', dump, '-o', 'sarif', '--output-file', out, '--fail-on', 'none']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const log = JSON.parse(readFileSync(out, 'utf8')) as { runs: { results: { ruleId: string; locations: { physicalLocation?: { region: { startLine: number } } }[] }[] }[] };
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
    const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
    ajvFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const results = log.runs[0]?.results ?? [];
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.ruleId.startsWith('rbac/'))).toBe(true);
    expect(results[0]?.locations[0]?.physicalLocation?.region.startLine).toBeGreaterThan(0);
  });
});

describe('eksguard rbac with --cluster', () => {
  const TOKEN = 'fake-token-for-rbac-tests';

  async function withCluster<T>(options: Partial<FakeApiOptions>, run: (kubeconfig: string, server: FakeApiServer) => Promise<T>): Promise<T> {
    const server = await startFakeApiServer({ objects: realisticCluster() as unknown as KubeObject[], token: TOKEN, ...options });
    try {
      return await run(writeKubeconfig(mkdtempSync(join(dir, 'kc-')), { server: server.url, ca: server.ca, token: TOKEN }), server);
    } finally {
      await server.close();
    }
  }

  it('reads the live cluster read-only and answers as from its dump, trusting the aggregated roles\' stored rules', async () => {
    await withCluster({}, async (kubeconfig, server) => {
      const live = await runCli(['rbac', 'who-can', 'create', 'pods/exec', '-n', 'prod', '--cluster', '--kubeconfig', kubeconfig, '-o', 'json']);
      expect(live.code).toBe(0);
      const file = await runCli(['rbac', 'who-can', 'create', 'pods/exec', '-n', 'prod', dump, '-o', 'json']);
      const names = (text: string) => (JSON.parse(text) as WhoCanJson).subjects.map((s) => `${s.kind} ${s.name}`);
      expect(names(live.stdout)).toEqual(names(file.stdout));
      expect(new Set(server.requests.map((r) => r.method))).toEqual(new Set(['GET']));
      // monitoring-view aggregates monitoring-alerts: computed from a dump, but a live cluster's stored rules (here none) are what the authorizer reads.
      const question = ['rbac', 'who-can', 'list', 'prometheusrules.monitoring.coreos.com', '-n', 'x', '-o', 'json'];
      expect(names((await runCli([...question, dump])).stdout)).toContain('Group sre');
      expect(names((await runCli([...question, '--cluster', '--kubeconfig', kubeconfig])).stdout)).not.toContain('Group sre');
    });
  });

  it('reports a refused list as a gap naming the permission, and exits 2', async () => {
    await withCluster({ refuse: [{ verb: 'list', resource: 'rolebindings' }] }, async (kubeconfig) => {
      const run = await runCli(['rbac', 'lookup', 'dev', '--cluster', '--kubeconfig', kubeconfig, '-o', 'json']);
      expect(run.code).toBe(2);
      const answer = JSON.parse(run.stdout) as { gaps: { code: string; message: string }[] };
      expect(answer.gaps).toEqual([expect.objectContaining({ code: 'KUBE_FORBIDDEN', message: expect.stringMatching(/rolebindings/) })]);
    });
  });
});
