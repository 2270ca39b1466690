import { SHARED_SEVERITY } from '../../core/shared-severity.js';
import { ADMISSION_POLICIES, MUTATING_WEBHOOKS, VALIDATING_WEBHOOKS } from '../../rbac/risk-catalogue.js';
import { defineRule } from '../define-rule.js';
import { definedPermission, permissionHandlers, rbacNotEvaluated } from '../shared/rbac-permissions.js';

export type MessageId = 'admissionConfiguration' | 'admissionConfigurationViaBinding';

/** The risk catalogue's definitions (webhook-config in `eksguard rbac risky`), plus in-process admission policies. */
export const admissionConfigurationWrites = definedPermission([MUTATING_WEBHOOKS, VALIDATING_WEBHOOKS, ADMISSION_POLICIES]);

export default defineRule({
  id: 'restrict-webhook-configuration-access',
  meta: {
    area: 'rbac',
    severity: SHARED_SEVERITY.admissionConfiguration,
    docs: { description: 'Restrict write access to admission webhook configurations and admission policies', controls: ['eks-bp:iam', 'cis-eks:4.1.11'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      admissionConfiguration: 'Rule allows {{grants}}{{from}}: its holders decide what admission control sees, rewrites and denies — a mutating webhook or policy of theirs can inject a container into every new pod, and removing a validating one switches a guard off; {{grantees}}.',
      admissionConfigurationViaBinding: '{{binding}} gives {{subjects}} {{grants}} through {{role}}.',
    },
    rationale: 'Admission webhooks and ValidatingAdmissionPolicies are how a cluster enforces its policies (Kyverno, Gatekeeper, the eksguard webhook, Pod Security beyond PSA). Whoever writes their configuration can send every object, Secrets included, to a server of their choice, rewrite pods as they are created, or disable the checks that stand between users and privileged pods. Write access belongs to cluster administrators and the policy engine\'s own controller (CIS EKS 4.1.11).',
    remediation: 'Remove create, update, patch, delete and deletecollection on mutatingwebhookconfigurations, validatingwebhookconfigurations and (validating|mutating)admissionpolicies(bindings) from the role. A policy engine that manages its own webhook configuration should be limited with resourceNames to the configurations it owns.',
  },
  defaultOptions: {},
  notEvaluated: rbacNotEvaluated,
  create: () => permissionHandlers<MessageId>(admissionConfigurationWrites, 'admissionConfiguration', 'admissionConfigurationViaBinding'),
});
