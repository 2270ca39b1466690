import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { SHARED_SEVERITY } from '../../core/shared-severity.js';
import { RBAC_GROUP, allowedVerbs, apiGroupMatches, verbMatches, type PolicyRule } from '../../rbac/policy-rule.js';
import { defineRule } from '../define-rule.js';
import { builtinBindingGrant, joinPhrases, rbacNotEvaluated, roleAndBindingHandlers, roleGrants } from '../shared/rbac-permissions.js';

export type MessageId = 'escalationVerb' | 'escalationVerbViaBinding';

/**
 * Where each verb has its effect, as the API server checks it: `escalate` and `bind` on Roles and
 * ClusterRoles (role writes and binding creation), `impersonate` on users, groups, ServiceAccounts,
 * UIDs and user extras. The same verb on any other resource does nothing and is not reported.
 * `bind` is checked in the namespace of the binding being created, so a Role's `bind` on
 * `clusterroles` works there: a RoleBinding in that namespace may then name any ClusterRole.
 */
const TARGETS: readonly { readonly verb: string; readonly apiGroup: string; readonly resource: string; readonly namespaced: boolean }[] = [
  { verb: 'escalate', apiGroup: RBAC_GROUP, resource: 'roles', namespaced: true },
  { verb: 'escalate', apiGroup: RBAC_GROUP, resource: 'clusterroles', namespaced: false },
  { verb: 'bind', apiGroup: RBAC_GROUP, resource: 'roles', namespaced: true },
  { verb: 'bind', apiGroup: RBAC_GROUP, resource: 'clusterroles', namespaced: true },
  { verb: 'impersonate', apiGroup: '', resource: 'users', namespaced: false },
  { verb: 'impersonate', apiGroup: '', resource: 'groups', namespaced: false },
  { verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts', namespaced: true },
  { verb: 'impersonate', apiGroup: 'authentication.k8s.io', resource: 'uids', namespaced: false },
];

/** `impersonate` on user extras is checked on `userextras/<key>`, any key. */
function impersonatesUserExtras(rule: PolicyRule): boolean {
  return verbMatches(rule, 'impersonate') && apiGroupMatches(rule, 'authentication.k8s.io')
    && rule.resources.some((r) => r === '*' || r.startsWith('userextras/') || r.startsWith('*/'));
}

/** Cluster-scoped requests (writing ClusterRoles, impersonating users and groups) are out of reach of a Role or RoleBinding. */
export function escalationVerbs(rule: PolicyRule, scope: 'namespace' | 'cluster'): readonly string[] {
  const byVerb = new Map<string, string[]>();
  const add = (verb: string, resource: string) => {
    const list = byVerb.get(verb);
    if (list) list.push(resource);
    else byVerb.set(verb, [resource]);
  };
  for (const target of TARGETS) {
    if (scope === 'namespace' && !target.namespaced) continue;
    if (allowedVerbs(rule, [target.verb], { apiGroup: target.apiGroup, resource: target.resource, names: 'some' }).length > 0) add(target.verb, target.resource);
  }
  if (scope === 'cluster' && impersonatesUserExtras(rule)) add('impersonate', 'userextras');
  const names = rule.resourceNames.length > 0 ? ` named ${rule.resourceNames.join(', ')}` : '';
  return [...byVerb].map(([verb, resources]) => `${verb} on ${joinPhrases(resources)}${names}`);
}

function* judgeRole(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  for (const found of roleGrants(resource, inventory, escalationVerbs)) {
    yield { messageId: 'escalationVerb', path: found.rule.path, data: { verbs: found.grants.join('; '), from: found.from, grantees: found.grantees } };
  }
}

function* judgeBinding(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  const found = builtinBindingGrant(resource, inventory, escalationVerbs);
  if (found === undefined) return;
  yield { messageId: 'escalationVerbViaBinding', path: ['roleRef'], data: { ...found.data, verbs: found.grants.join('; ') } };
}

export default defineRule({
  id: 'no-rbac-escalation-verbs',
  meta: {
    area: 'rbac',
    severity: SHARED_SEVERITY.escalationVerbs,
    docs: { description: 'Disallow the escalate, bind and impersonate verbs', controls: ['eks-bp:iam', 'cis:5.1.8', 'cis-eks:4.1.8'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      escalationVerb: 'Rule allows {{verbs}}{{from}}, with which its holders can give themselves permissions they do not have; {{grantees}}.',
      escalationVerbViaBinding: '{{binding}} gives {{subjects}} {{verbs}} {{scope}} through {{role}}.',
    },
    rationale: 'RBAC stops users from granting more than they hold, except through three verbs: escalate lets a holder write Roles with any permission, bind lets it bind any role (cluster-admin included) to itself, and impersonate lets it act as another user, group or ServiceAccount. Each is a path to cluster-admin.',
    remediation: 'Remove escalate, bind and impersonate from roles held by people and workloads. Where a controller must bind roles, narrow bind with resourceNames to the roles it hands out; where impersonation is needed, narrow it with resourceNames to the identities it may assume.',
  },
  defaultOptions: {},
  notEvaluated: rbacNotEvaluated,
  create: () => roleAndBindingHandlers(judgeRole, judgeBinding),
});
