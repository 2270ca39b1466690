import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { describeBinding, describeRole } from '../../rbac/describe.js';
import { RbacPolicy, type BindingView } from '../../rbac/policy.js';
import { defineRule } from '../define-rule.js';
import { bindingsNotEvaluated } from '../shared/rbac-permissions.js';

export type MessageId = 'anonymousAccess';

/**
 * The role every cluster grants anonymous requests (health and version endpoints). Handing it to
 * them again is harmless while it is as shipped.
 */
function grantsOnlyPublicInfo(binding: BindingView): boolean {
  const role = binding.role;
  return role !== undefined && role.kind === 'ClusterRole' && role.name === 'system:public-info-viewer' && role.builtin === 'kubernetes'
    && role.rules.every((rule) => rule.shipped);
}

/**
 * Subjects that anonymous requests carry: the user `system:anonymous` and the group
 * `system:unauthenticated`. Other spellings (a Group named system:anonymous) match no request.
 */
function* judge(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  const binding = RbacPolicy.of(inventory).bindingOf(resource);
  if (binding === undefined) return;
  for (const subject of binding.subjects) {
    const anonymous = (subject.kind === 'User' && subject.name === 'system:anonymous') || (subject.kind === 'Group' && subject.name === 'system:unauthenticated');
    // Judged by what the binding grants, not by who made it: the built-in public-info binding
    // is reported too once its role gains rules.
    if (!anonymous || grantsOnlyPublicInfo(binding)) continue;
    const role = binding.role ? describeRole(binding.role) : binding.roleRef ? `${binding.roleRef.kind} ${binding.roleRef.name} (not in the scanned input)` : 'an invalid roleRef';
    yield {
      messageId: 'anonymousAccess',
      path: ['subjects', subject.index],
      data: {
        binding: describeBinding(binding),
        subject: `${subject.kind} ${subject.name}`,
        role,
        scope: binding.kind === 'ClusterRoleBinding' ? 'cluster-wide' : `in namespace ${binding.namespace ?? 'default'}`,
      },
    };
  }
}

export default defineRule({
  id: 'no-anonymous-access',
  meta: {
    area: 'rbac',
    severity: 'critical',
    docs: { description: 'Disallow bindings that grant anything to anonymous requests', controls: ['eks-bp:iam'] },
    evidence: ['manifests', 'cluster'],
    reads: ['Role', 'ClusterRole'],
    messages: {
      anonymousAccess: '{{binding}} grants {{role}} to {{subject}} {{scope}}: anyone who can reach the API endpoint gets it without credentials.',
    },
    rationale: 'Requests without credentials are authenticated as the user system:anonymous in the group system:unauthenticated. Whatever a binding grants them is open to everyone who can reach the API server endpoint, which on EKS is often the internet. Kubernetes grants them only the health and version endpoints (system:public-info-viewer); clusters upgraded from before v1.14 may still bind system:discovery and system:basic-user to them too.',
    remediation: 'Remove system:anonymous and system:unauthenticated from the binding (delete the binding if they are its only subjects). Leave the built-in system:public-info-viewer binding as it is.',
  },
  defaultOptions: {},
  notEvaluated: bindingsNotEvaluated,
  create: () => ({
    *RoleBinding(binding, inventory): Generator<Report<MessageId>> {
      yield* judge(binding, inventory);
    },
    *ClusterRoleBinding(binding, inventory): Generator<Report<MessageId>> {
      yield* judge(binding, inventory);
    },
  }),
});
