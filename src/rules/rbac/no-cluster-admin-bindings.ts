import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { SHARED_SEVERITY } from '../../core/shared-severity.js';
import { describeBinding, describeSubject } from '../../rbac/describe.js';
import { RbacPolicy } from '../../rbac/policy.js';
import { defineRule } from '../define-rule.js';
import { bindingsNotEvaluated } from '../shared/rbac-permissions.js';

export type MessageId = 'clusterAdmin' | 'systemMasters';

/**
 * Each subject a binding hands `cluster-admin`, and each binding subject naming the group
 * `system:masters`, except those Kubernetes and EKS put there themselves (the `cluster-admin`
 * ClusterRoleBinding of `system:masters`, EKS's own `eks:*` identities).
 */
function* judge(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  const binding = RbacPolicy.of(inventory).bindingOf(resource);
  if (binding === undefined) return;
  const toClusterAdmin = binding.roleRef?.kind === 'ClusterRole' && binding.roleRef.name === 'cluster-admin';
  const scope = binding.kind === 'ClusterRoleBinding' ? 'across the whole cluster' : `in namespace ${binding.namespace ?? 'default'}`;
  for (const subject of binding.subjects) {
    if (subject.shipped) continue;
    const path = ['subjects', subject.index];
    if (subject.kind === 'Group' && subject.name === 'system:masters') {
      yield { messageId: 'systemMasters', path, data: { binding: describeBinding(binding), role: binding.roleRef?.name ?? '(no valid roleRef)' } };
    } else if (toClusterAdmin) {
      yield { messageId: 'clusterAdmin', path, data: { binding: describeBinding(binding), subject: describeSubject(subject), scope } };
    }
  }
}

export default defineRule({
  id: 'no-cluster-admin-bindings',
  meta: {
    area: 'rbac',
    severity: SHARED_SEVERITY.clusterAdminBinding,
    docs: { description: 'Disallow bindings to the cluster-admin ClusterRole or the system:masters group', controls: ['eks-bp:iam', 'cis:5.1.1', 'cis-eks:4.1.1'] },
    evidence: ['manifests', 'cluster'],
    reads: ['Role', 'ClusterRole'],
    messages: {
      clusterAdmin: '{{binding}} grants cluster-admin to {{subject}} {{scope}}.',
      systemMasters: '{{binding}} binds {{role}} to Group system:masters, a group that bypasses RBAC altogether; granting to it only obscures who is an administrator.',
    },
    rationale: 'The cluster-admin ClusterRole allows every action on every resource; a subject bound to it, or a credential of it, owns the cluster and every workload and Secret in it. Membership of system:masters bypasses authorization entirely and cannot be revoked by RBAC. The EKS Best Practices Guide asks for least-privilege bindings and for cluster administration through a small, audited set of IAM roles.',
    remediation: 'Bind the narrowest role that does the job (admin or edit through a RoleBinding in one namespace, or a purpose-built ClusterRole), and keep cluster-admin for a break-glass IAM role mapped through an EKS access entry. Remove bindings that name system:masters.',
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
