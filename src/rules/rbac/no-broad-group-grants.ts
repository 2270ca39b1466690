import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { describeBinding, describeRole } from '../../rbac/describe.js';
import { implicitGroupMembers } from '../../rbac/identity.js';
import { clusterVersion, sessionVerbs } from '../../rbac/pod-sessions.js';
import { RbacPolicy } from '../../rbac/policy.js';
import { defineRule } from '../define-rule.js';
import { joinPhrases, rbacNotEvaluated, summarizeGrants, type PermissionCheck } from '../shared/rbac-permissions.js';
import { nodeProxyVerbs } from './no-node-proxy-access.js';
import { escalationVerbs } from './no-rbac-escalation-verbs.js';
import { wildcardFields } from './no-wildcard-rbac.js';
import { csrApprovalCheck } from './restrict-csr-approval.js';
import { persistentVolumeCreation } from './restrict-persistent-volume-creation.js';
import { dropCoveredGets, sessionCheck } from './restrict-pod-exec.js';
import { secretReads } from './restrict-secret-access.js';
import { tokenCreation } from './restrict-token-creation.js';
import { admissionConfigurationWrites } from './restrict-webhook-configuration-access.js';
import { podCreation } from './restrict-workload-creation.js';

export type MessageId = 'broadGroupGrant';

/** The groups authentication fills by itself, and who is in them. */
function broadGroup(name: string): boolean {
  return name === 'system:authenticated' || name === 'system:unauthenticated' || name === 'system:serviceaccounts' || name.startsWith('system:serviceaccounts:');
}

/**
 * What counts is what the other RBAC rules flag, each through its own check (not a severity
 * threshold): a permission one of them reports is one nobody should get by merely authenticating.
 */
function checksFor(inventory: Inventory): readonly { readonly rule: string; readonly check: PermissionCheck; readonly tidy?: (phrases: readonly string[]) => readonly string[] }[] {
  const phrase = (what: string) => (found: readonly string[]) => (found.length > 0 ? [`${joinPhrases(found)} ${what}`] : []);
  return [
    { rule: 'no-wildcard-rbac', check: (r) => { const fields = wildcardFields(r); return fields.length > 0 ? [`* in ${joinPhrases(fields)}`] : []; } },
    { rule: 'no-rbac-escalation-verbs', check: escalationVerbs },
    { rule: 'restrict-secret-access', check: (r) => phrase('on secrets')(secretReads(r)) },
    { rule: 'restrict-pod-exec', check: sessionCheck(sessionVerbs(clusterVersion(inventory))), tidy: dropCoveredGets },
    { rule: 'no-node-proxy-access', check: (r, scope) => phrase('on nodes/proxy')(nodeProxyVerbs(r, scope)) },
    { rule: 'restrict-workload-creation', check: podCreation },
    { rule: 'restrict-token-creation', check: tokenCreation },
    { rule: 'restrict-webhook-configuration-access', check: admissionConfigurationWrites },
    { rule: 'restrict-persistent-volume-creation', check: persistentVolumeCreation },
    { rule: 'restrict-csr-approval', check: csrApprovalCheck },
  ];
}

function* judge(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  const binding = RbacPolicy.of(inventory).bindingOf(resource);
  const role = binding?.role;
  if (binding === undefined || role === undefined) return;
  const groups = binding.subjects.filter((s) => s.kind === 'Group' && !s.shipped && broadGroup(s.name));
  const first = groups[0];
  if (first === undefined) return;
  const scope = binding.kind === 'RoleBinding' ? 'namespace' : 'cluster';
  // Every rule in effect counts, shipped ones too: a built-in role handed to everyone is the finding.
  const found: string[] = [];
  for (const { rule, check, tidy } of checksFor(inventory)) {
    const all = [...new Set(role.rules.flatMap((r) => check(r.rule, scope)))];
    const grants = tidy === undefined ? all : tidy(all);
    if (grants.length > 0) found.push(`${summarizeGrants(grants)} (${rule})`);
  }
  if (found.length === 0) return;
  const onlyOneNamespace = groups.every((g) => g.name.startsWith('system:serviceaccounts:'));
  yield {
    messageId: 'broadGroupGrant',
    path: ['subjects', first.index],
    ...(onlyOneNamespace ? { severity: 'high' as const } : {}),
    data: {
      binding: describeBinding(binding),
      groups: joinPhrases(groups.map((g) => `Group ${g.name} (${implicitGroupMembers(g.name) ?? 'filled in by authentication'})`)),
      role: describeRole(role),
      grants: found.join('; '),
      scope: binding.kind === 'ClusterRoleBinding' ? 'in every namespace' : `in namespace ${binding.namespace ?? 'default'}`,
    },
  };
}

export default defineRule({
  id: 'no-broad-group-grants',
  meta: {
    area: 'rbac',
    severity: 'critical',
    docs: { description: 'Disallow risky permissions bound to system:authenticated, system:unauthenticated or every ServiceAccount', controls: ['eks-bp:iam'] },
    evidence: ['manifests', 'cluster'],
    reads: ['Role', 'ClusterRole'],
    messages: {
      broadGroupGrant: '{{binding}} binds {{role}} to {{groups}}, so all of them hold {{grants}} {{scope}}.',
    },
    rationale: 'Groups that authentication fills by itself have no owner and no review: system:authenticated is every identity the API server accepts — on EKS, every IAM principal of any account that can reach the endpoint and is mapped or has an access entry — system:serviceaccounts is every pod\'s identity, and system:unauthenticated is anyone. A permission that another RBAC rule of eksguard flags (reading Secrets, exec, escalate or impersonate, wildcards, nodes/proxy, workload or token creation, admission configuration, PersistentVolumes, CSR approval) turns, bound to such a group, into a cluster-wide escalation path for every workload compromise.',
    remediation: 'Bind the role to the groups or ServiceAccounts that need it instead of system:authenticated, system:serviceaccounts[:NAMESPACE] or system:unauthenticated; delete the binding if nobody does.',
  },
  defaultOptions: {},
  notEvaluated: rbacNotEvaluated,
  create: () => ({ RoleBinding: judge, ClusterRoleBinding: judge }),
});
