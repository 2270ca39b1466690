import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { SCOPED_SEVERITY } from '../../core/shared-severity.js';
import { allowedVerbs, type PolicyRule } from '../../rbac/policy-rule.js';
import { defineRule } from '../define-rule.js';
import { builtinBindingGrant, joinPhrases, rbacNotEvaluated, roleAndBindingHandlers, roleGrants, scopedReport } from '../shared/rbac-permissions.js';

export type MessageId = 'secretAccess' | 'secretAccessViaBinding';

const READ_VERBS = ['get', 'list', 'watch'];

/**
 * The read verbs a rule allows on every Secret. A rule narrowed by `resourceNames` reads only the
 * Secrets it names — the least-privilege form this rule asks for — and passes.
 */
export function secretReads(rule: PolicyRule): readonly string[] {
  return allowedVerbs(rule, READ_VERBS, { apiGroup: '', resource: 'secrets', names: 'all' });
}

function* judgeRole(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  for (const found of roleGrants(resource, inventory, secretReads)) {
    yield {
      messageId: 'secretAccess',
      path: found.rule.path,
      data: { verbs: joinPhrases(found.grants), scope: found.clusterWide ? 'in every namespace' : found.role.kind === 'Role' ? `in namespace ${found.role.namespace ?? 'default'}` : 'in the namespaces it is bound in', from: found.from, grantees: found.grantees },
      ...scopedReport('secretRead', found.privileged),
    };
  }
}

function* judgeBinding(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  const found = builtinBindingGrant(resource, inventory, secretReads);
  if (found === undefined) return;
  yield {
    messageId: 'secretAccessViaBinding',
    path: ['roleRef'],
    data: { ...found.data, verbs: joinPhrases(found.grants) },
    ...scopedReport('secretRead', found.privileged),
  };
}

export default defineRule({
  id: 'restrict-secret-access',
  meta: {
    area: 'rbac',
    severity: SCOPED_SEVERITY.secretRead.namespace,
    docs: { description: 'Restrict get, list and watch on Secrets', controls: ['eks-bp:iam', 'eks-bp:data-encryption', 'cis:5.1.2', 'cis-eks:4.1.2'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      secretAccess: 'Rule allows {{verbs}} on every Secret {{scope}}{{from}}; {{grantees}}.',
      secretAccessViaBinding: '{{binding}} gives {{subjects}} {{verbs}} on every Secret {{scope}} through {{role}}.',
    },
    rationale: 'Whoever can read Secrets holds every credential stored in them: ServiceAccount tokens, registry passwords, TLS keys, database passwords. `list` and `watch` return the values too, not just the names. Read access to all Secrets of a namespace is often enough to take over the workloads there; across the cluster it is close to cluster-admin.',
    remediation: 'Grant Secret reads only to the workloads that need them, narrowed with resourceNames to the Secrets they use, in their own namespace; prefer mounting Secrets into pods, or an external secrets manager, over API reads. Bind built-in roles such as edit and admin with RoleBindings, not cluster-wide.',
  },
  defaultOptions: {},
  notEvaluated: rbacNotEvaluated,
  create: () => roleAndBindingHandlers(judgeRole, judgeBinding),
});
