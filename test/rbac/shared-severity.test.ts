/**
 * The same weakness has the same severity in every command: for each weakness both catalogues
 * report, `scan`'s rule and `rbac risky`'s risk rate the same grant alike — cluster-wide, in
 * kube-system and in an ordinary namespace — at the severity `src/core/shared-severity.ts` decides.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Severity } from '../../src/core/finding.js';
import { SCOPED_SEVERITY, SHARED_SEVERITY, isPrivilegedScope, scopedSeverity } from '../../src/core/shared-severity.js';
import { builtinRules } from '../../src/rules/index.js';
import { awsAuth, clusterRole, clusterRoleBinding, role, roleBinding, rule, user, RBAC_GROUP } from '../builders-rbac.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

type Json = Record<string, unknown>;

const SHOP = 'shop';
/** Cluster-wide (a ClusterRole and a ClusterRoleBinding), or a Role and a RoleBinding in a namespace. */
const SCOPES = [undefined, 'kube-system', SHOP] as const;
type Scope = (typeof SCOPES)[number];

/**
 * What a grant in a scope is expected to give: the same severity from both, nothing from both
 * (`none`), or — in an ordinary namespace, for permissions `rbac risky` judges by whom they reach
 * (docs/rbac.md) — the rule's severity from `scan` and no risk of its own from `rbac risky`
 * (`paths`).
 */
type Expected = Severity | 'none' | 'paths';

interface Overlap {
  readonly name: string;
  readonly rule: keyof typeof builtinRules;
  /** The risk id (for * on *, where the scope decides which). */
  readonly risk: string | ((scope: Scope) => string);
  readonly rules: readonly Json[];
  readonly expected: (scope: Scope) => Expected;
}

const scoped = (weakness: keyof typeof SCOPED_SEVERITY) => (scope: Scope): Expected => scopedSeverity(weakness, isPrivilegedScope(scope));
const everywhere = (severity: Severity) => (): Expected => severity;
const clusterOnly = (severity: Severity) => (scope: Scope): Expected => (scope === undefined ? severity : 'none');
const privilegedOnly = (severity: Severity, elsewhere: 'none' | 'paths') => (scope: Scope): Expected => (isPrivilegedScope(scope) ? severity : elsewhere);

const CSR = 'certificates.k8s.io';
const ADMISSION = 'admissionregistration.k8s.io';
const csr = (signer: string) => [
  rule(['create'], [CSR], ['certificatesigningrequests']),
  rule(['update'], [CSR], ['certificatesigningrequests/approval']),
  rule(['approve'], [CSR], ['signers'], [signer]),
];

/** Every weakness both catalogues judge: the rule, the risk, a grant of it, and what each scope gives. */
const OVERLAPS: readonly Overlap[] = [
  { name: 'secrets', rule: 'restrict-secret-access', risk: 'secrets-read', rules: [rule(['get', 'list', 'watch'], [''], ['secrets'])], expected: scoped('secretRead') },
  { name: 'exec', rule: 'restrict-pod-exec', risk: 'pod-exec', rules: [rule(['create'], [''], ['pods/exec', 'pods/attach'])], expected: scoped('podSession') },
  // A user creating pods in its own namespace is the tenant model: neither reports it.
  { name: 'pods', rule: 'restrict-workload-creation', risk: 'pod-create', rules: [rule(['create'], [''], ['pods'])], expected: privilegedOnly(SCOPED_SEVERITY.workloadCreation.privileged, 'none') },
  { name: 'token', rule: 'restrict-token-creation', risk: 'token-request', rules: [rule(['create'], [''], ['serviceaccounts/token'])], expected: privilegedOnly(SHARED_SEVERITY.tokenCreation, 'paths') },
  {
    name: 'bind', rule: 'no-rbac-escalation-verbs', risk: 'bind-roles',
    rules: [rule(['bind'], [RBAC_GROUP], ['roles', 'clusterroles']), rule(['create'], [RBAC_GROUP], ['rolebindings', 'clusterrolebindings'])],
    expected: everywhere(SHARED_SEVERITY.escalationVerbs),
  },
  { name: 'escalate', rule: 'no-rbac-escalation-verbs', risk: 'escalate-roles', rules: [rule(['escalate', 'update'], [RBAC_GROUP], ['roles', 'clusterroles'])], expected: everywhere(SHARED_SEVERITY.escalationVerbs) },
  { name: 'impersonate-groups', rule: 'no-rbac-escalation-verbs', risk: 'impersonate', rules: [rule(['impersonate'], [''], ['groups'])], expected: clusterOnly(SHARED_SEVERITY.escalationVerbs) },
  { name: 'impersonate-sa', rule: 'no-rbac-escalation-verbs', risk: 'impersonate', rules: [rule(['impersonate'], [''], ['serviceaccounts'])], expected: privilegedOnly(SHARED_SEVERITY.escalationVerbs, 'paths') },
  // * on *: cluster-admin cluster-wide, namespace-admin in a namespace.
  {
    name: 'wildcard', rule: 'no-wildcard-rbac', risk: (scope) => (scope === undefined ? 'cluster-admin' : 'namespace-admin'), rules: [rule(['*'], ['*'], ['*'])],
    expected: (scope) => (scope === undefined ? SHARED_SEVERITY.clusterAdminBinding : SHARED_SEVERITY.wildcardRole),
  },
  { name: 'node-proxy', rule: 'no-node-proxy-access', risk: 'node-proxy', rules: [rule(['get'], [''], ['nodes/proxy'])], expected: clusterOnly(SHARED_SEVERITY.nodeProxy) },
  { name: 'mutating', rule: 'restrict-webhook-configuration-access', risk: 'webhook-config', rules: [rule(['patch'], [ADMISSION], ['mutatingwebhookconfigurations'])], expected: clusterOnly(SHARED_SEVERITY.admissionConfiguration) },
  { name: 'validating', rule: 'restrict-webhook-configuration-access', risk: 'webhook-config', rules: [rule(['create'], [ADMISSION], ['validatingwebhookconfigurations'])], expected: clusterOnly(SHARED_SEVERITY.admissionConfiguration) },
  // aws-auth lives in kube-system: a grant in another namespace does not reach it.
  { name: 'aws-auth', rule: 'restrict-aws-auth-edit', risk: 'aws-auth-edit', rules: [rule(['update', 'patch'], [''], ['configmaps'])], expected: privilegedOnly(SHARED_SEVERITY.awsAuthEdit, 'none') },
  { name: 'csr-any-client', rule: 'restrict-csr-approval', risk: 'csr-approve', rules: csr('kubernetes.io/kube-apiserver-client'), expected: clusterOnly(SHARED_SEVERITY.csrApprovalAnyClient) },
  { name: 'csr-own-signer', rule: 'restrict-csr-approval', risk: 'csr-approve', rules: csr('example.com/internal-ca'), expected: clusterOnly(SHARED_SEVERITY.csrApproval) },
];

/** The role, binding and user of one overlap in one scope: all three named `<overlap>-<scope>`. */
function grant(overlap: Overlap, scope: Scope): { readonly id: string; readonly objects: readonly Json[] } {
  const id = `${overlap.name}-${scope ?? 'cluster'}`;
  const objects = scope === undefined
    ? [clusterRole(id, overlap.rules), clusterRoleBinding(id, id, [user(id)])]
    : [role(scope, id, overlap.rules), roleBinding(scope, id, { kind: 'Role', name: id }, [user(id)])];
  return { id, objects };
}

interface ScanJson { readonly findings: readonly { readonly ruleId: string; readonly severity: Severity; readonly resource: { readonly name: string } }[] }
interface RiskyJson { readonly risks: readonly { readonly id: string; readonly severity: Severity; readonly subject: { readonly name: string } }[] }

async function runBoth(objects: readonly Json[]): Promise<{ readonly scan: ScanJson; readonly risky: RiskyJson }> {
  const file = join(makeTempDir('shared-severity'), 'cluster.yaml');
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  const scan = JSON.parse((await runCli(['scan', file, '-o', 'json', '--fail-on', 'none', '--allow-gaps'])).stdout) as ScanJson;
  const risky = JSON.parse((await runCli(['rbac', 'risky', file, '-o', 'json', '--fail-on', 'none'])).stdout) as RiskyJson;
  return { scan, risky };
}

describe('shared severities', () => {
  it('a system:masters mapping and a cluster-admin binding: the one severity decided', async () => {
    const { scan, risky } = await runBoth([
      awsAuth({ mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/admin', username: 'admin', groups: ['system:masters'] }] }),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer', namespace: 'ci' } },
      clusterRoleBinding('deployer-admin', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }]),
    ]);
    const pairs = [
      { key: 'systemMastersMapping', rule: 'no-system-masters-mappings', risk: 'system-masters' },
      { key: 'clusterAdminBinding', rule: 'no-cluster-admin-bindings', risk: 'cluster-admin' },
    ] as const;
    for (const pair of pairs) {
      const decided = SHARED_SEVERITY[pair.key];
      expect(builtinRules[pair.rule].meta.severity, pair.rule).toBe(decided);
      const findings = scan.findings.filter((f) => f.ruleId === pair.rule).map((f) => f.severity);
      const risks = risky.risks.filter((r) => r.id === pair.risk).map((r) => r.severity);
      expect(findings.length, pair.rule).toBeGreaterThan(0);
      expect(risks.length, pair.risk).toBeGreaterThan(0);
      expect(new Set([...findings, ...risks]), `${pair.rule} / ${pair.risk}`).toEqual(new Set([decided]));
    }
  });

  it('every other overlapping rule and risk rate the same grant alike, cluster-wide, in kube-system and in a namespace', async () => {
    const grants = OVERLAPS.flatMap((overlap) => SCOPES.map((scope) => ({ overlap, scope, ...grant(overlap, scope) })));
    const { scan, risky } = await runBoth(grants.flatMap((g) => g.objects));
    for (const { overlap, scope, id } of grants) {
      const expected = overlap.expected(scope);
      const risk = typeof overlap.risk === 'string' ? overlap.risk : overlap.risk(scope);
      const findings = [...new Set(scan.findings.filter((f) => f.ruleId === overlap.rule && f.resource.name === id).map((f) => f.severity))];
      const risks = [...new Set(risky.risks.filter((r) => r.id === risk && r.subject.name === id).map((r) => r.severity))];
      const label = `${id}: ${overlap.rule} / ${risk}`;
      expect({ scan: findings, risky: risks }, label).toEqual({
        scan: expected === 'none' ? [] : expected === 'paths' ? [builtinRules[overlap.rule].meta.severity] : [expected],
        risky: expected === 'none' || expected === 'paths' ? [] : [expected],
      });
    }
  });

  it('a rule graded by scope has the decided severity in an ordinary namespace as its default (RULES.md\'s)', () => {
    for (const [weakness, rule] of [['secretRead', 'restrict-secret-access'], ['podSession', 'restrict-pod-exec'], ['workloadCreation', 'restrict-workload-creation']] as const) {
      expect(builtinRules[rule].meta.severity, rule).toBe(SCOPED_SEVERITY[weakness].namespace);
    }
  });
});
