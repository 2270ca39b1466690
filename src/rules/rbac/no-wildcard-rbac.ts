import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { SHARED_SEVERITY } from '../../core/shared-severity.js';
import { formatRule, type PolicyRule } from '../../rbac/policy-rule.js';
import { defineRule } from '../define-rule.js';
import { joinPhrases, rolesNotEvaluated, roleGrants } from '../shared/rbac-permissions.js';

export type MessageId = 'wildcard';

/**
 * The fields of a rule that hold a wildcard. In `resources`, `*` and `*` before a subresource
 * (every resource's `scale`, say) both count; non-resource URLs are not this rule's concern.
 */
export function wildcardFields(rule: PolicyRule): readonly string[] {
  // A rule with no verb but the empty string matches no request (no verb is ""): it grants nothing.
  if (!rule.verbs.some((verb) => verb !== '')) return [];
  const fields: string[] = [];
  if (rule.verbs.includes('*')) fields.push('verbs');
  if (rule.apiGroups.includes('*')) fields.push('apiGroups');
  if (rule.resources.some((r) => r === '*' || r.startsWith('*/'))) fields.push('resources');
  return fields;
}

function* judge(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  for (const found of roleGrants(resource, inventory, wildcardFields)) {
    yield {
      messageId: 'wildcard',
      path: found.rule.path,
      data: { fields: joinPhrases(found.grants), rule: formatRule(found.rule.rule), from: found.from, grantees: found.grantees },
    };
  }
}

export default defineRule({
  id: 'no-wildcard-rbac',
  meta: {
    area: 'rbac',
    severity: SHARED_SEVERITY.wildcardRole,
    docs: { description: 'Disallow "*" in the verbs, resources or API groups of Roles and ClusterRoles', controls: ['eks-bp:iam', 'cis:5.1.3', 'cis-eks:4.1.3'] },
    evidence: ['manifests', 'cluster'],
    reads: ['RoleBinding', 'ClusterRoleBinding'],
    messages: {
      wildcard: 'Rule ({{rule}}) has "*" in {{fields}}{{from}}, so it grants every matching permission, including ones the cluster gains later; {{grantees}}.',
    },
    rationale: 'A wildcard grants every verb, resource or API group that matches, today and after every upgrade or new CRD, so the role silently gains rights nobody reviewed. The EKS Best Practices Guide asks for least-privilege roles that list the verbs and resources they need.',
    remediation: 'Replace "*" with the verbs, resources and API groups the holder actually uses (the audit2rbac approach: derive them from audit logs), and split broad rules into narrow ones.',
  },
  defaultOptions: {},
  notEvaluated: rolesNotEvaluated,
  create: () => ({
    *Role(role, inventory): Generator<Report<MessageId>> {
      yield* judge(role, inventory);
    },
    *ClusterRole(role, inventory): Generator<Report<MessageId>> {
      yield* judge(role, inventory);
    },
  }),
});
