import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { SHARED_SEVERITY } from '../../core/shared-severity.js';
import { isEksIdentity } from '../../rbac/bootstrap-policy.js';
import { describeBinding, describeRole, describeSubject } from '../../rbac/describe.js';
import { RbacPolicy, type SubjectEntry } from '../../rbac/policy.js';
import { ruleAllows } from '../../rbac/policy-rule.js';
import { defineRule } from '../define-rule.js';
import { awsAuthInUse } from '../shared/aws-auth.js';
import { bindingsNotEvaluated, joinPhrases } from '../shared/rbac-permissions.js';

export type MessageId = 'awsAuthEdit';

export interface ApprovedSubject {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
  /** ServiceAccounts only. */
  readonly namespace?: string;
}

export interface Options {
  readonly approvedSubjects: readonly ApprovedSubject[];
}

const defaultOptions: Options = { approvedSubjects: [] };

const WRITE_VERBS = ['update', 'patch'];

/** Members of system:masters are administrators whatever RBAC says; a binding naming them adds nothing. */
function isClusterAdministrator(subject: SubjectEntry): boolean {
  return subject.kind === 'Group' && subject.name === 'system:masters';
}

export default defineRule({
  id: 'restrict-aws-auth-edit',
  meta: {
    area: 'rbac',
    severity: SHARED_SEVERITY.awsAuthEdit,
    docs: { description: 'Restrict who can update or patch ConfigMaps in kube-system, and so rewrite aws-auth', controls: ['eks-bp:iam'] },
    evidence: ['manifests', 'cluster'],
    reads: ['Role', 'ClusterRole'],
    messages: {
      awsAuthEdit: '{{subject}} can {{verbs}} ConfigMap kube-system/aws-auth through {{binding}} ({{role}}), and so map any IAM principal to system:masters.',
    },
    rationale: 'On EKS clusters that authenticate through the aws-auth ConfigMap, whoever can update or patch it decides which IAM principals become which Kubernetes users and groups, system:masters included: write access to it is cluster-admin. It lives in kube-system, so any update or patch on ConfigMaps there, cluster-wide or in kube-system, without a resourceNames list that leaves aws-auth out, reaches it.',
    remediation: 'Keep update and patch on kube-system ConfigMaps to cluster administrators; narrow controllers that must write ConfigMaps there with resourceNames to the ConfigMaps they own. Move cluster access to EKS access entries (authentication mode API) and retire aws-auth. List administrators that legitimately hold the right in the approvedSubjects option.',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        approvedSubjects: {
          type: 'array',
          description: 'Subjects allowed to edit aws-auth besides system:masters and the platform\'s own (for example the group of your cluster administrators).',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'name'],
            properties: {
              kind: { type: 'string', enum: ['User', 'Group', 'ServiceAccount'] },
              name: { type: 'string', minLength: 1 },
              namespace: { type: 'string', minLength: 1 },
            },
          },
        },
      },
    },
  },
  defaultOptions,
  notEvaluated: bindingsNotEvaluated,
  create({ approvedSubjects }) {
    const approved = (subject: SubjectEntry) => approvedSubjects.some((a) =>
      a.kind === subject.kind && a.name === subject.name && (subject.kind !== 'ServiceAccount' || a.namespace === undefined || a.namespace === subject.namespace));

    function* judge(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
      // With access entries only, EKS ignores aws-auth: editing it grants nothing.
      if (!awsAuthInUse(inventory)) return;
      const binding = RbacPolicy.of(inventory).bindingOf(resource);
      const role = binding?.role;
      if (binding === undefined || role === undefined) return;
      // aws-auth lives in kube-system: ClusterRoleBindings reach it, RoleBindings only from there.
      if (binding.kind === 'RoleBinding' && binding.namespace !== 'kube-system') return;
      const granting = role.rules.filter((r) => WRITE_VERBS.some((verb) => ruleAllows(r.rule, { verb, apiGroup: '', resource: 'configmaps', name: 'aws-auth' })));
      if (granting.length === 0) return;
      const verbs = WRITE_VERBS.filter((verb) => granting.some((r) => ruleAllows(r.rule, { verb, apiGroup: '', resource: 'configmaps', name: 'aws-auth' })));
      const shippedGrant = granting.every((r) => r.shipped);
      for (const subject of binding.subjects) {
        // A shipped subject passes while its grant is shipped too: a bootstrap controller whose
        // role gained ConfigMap writes is reported. EKS's own components pass whatever they hold.
        if ((subject.shipped && shippedGrant) || isEksIdentity(binding, subject) || isClusterAdministrator(subject) || approved(subject)) continue;
        yield {
          messageId: 'awsAuthEdit',
          path: ['subjects', subject.index],
          data: { subject: describeSubject(subject), verbs: joinPhrases(verbs), binding: describeBinding(binding), role: `${role.builtin === 'kubernetes' ? 'built-in ' : ''}${describeRole(role)}` },
        };
      }
    }

    return {
      *RoleBinding(binding, inventory): Generator<Report<MessageId>> {
        yield* judge(binding, inventory);
      },
      *ClusterRoleBinding(binding, inventory): Generator<Report<MessageId>> {
        yield* judge(binding, inventory);
      },
    };
  },
});
