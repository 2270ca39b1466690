import type { Report, Severity } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { SHARED_SEVERITY } from '../../core/shared-severity.js';
import { RbacPolicy } from '../../rbac/policy.js';
import type { PolicyRule } from '../../rbac/policy-rule.js';
import { CSR_APPROVAL, issuesAnyClient } from '../../rbac/risk-catalogue.js';
import { defineRule } from '../define-rule.js';
import { builtinBindingGrant, definedPermission, summarizeGrants, rbacNotEvaluated, roleAndBindingHandlers, roleGrants } from '../shared/rbac-permissions.js';

export type MessageId = 'csrApproval' | 'csrApprovalViaBinding';

/** The risk catalogue's definitions (csr-approve in `eksguard rbac risky`). */
const approvalCheck = definedPermission([CSR_APPROVAL.approval]);
const signerCheck = definedPermission([CSR_APPROVAL.signers]);

/** Approval and approve on a signer, as phrases: for rules that judge a rule set as a whole (no-broad-group-grants). */
export const csrApprovalCheck = definedPermission([CSR_APPROVAL.approval, CSR_APPROVAL.signers]);

/** Whether approving for these rules' signers mints client certificates for any user and group. */
function anyClient(rules: readonly PolicyRule[]): boolean {
  return rules.some((rule) => signerCheck(rule, 'cluster').length > 0 && (rule.resourceNames.length === 0 || rule.resourceNames.some(issuesAnyClient)));
}

function impact(critical: boolean): { readonly impact: string; readonly severity: Severity } {
  return critical
    ? { impact: ' for the kube-apiserver-client signer, minting client certificates for any user and group (system:masters included)', severity: SHARED_SEVERITY.csrApprovalAnyClient }
    : { impact: ' for those signers, minting the certificates they issue', severity: SHARED_SEVERITY.csrApproval };
}

function* judgeRole(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  const role = RbacPolicy.of(inventory).roleOf(resource);
  if (role === undefined || role.kind === 'Role') return;
  // Approval takes both: update on the approval subresource, and approve on the CSR's signer (maybe in another rule of the role).
  const signerRules = role.rules.map((r) => r.rule).filter((r) => signerCheck(r, 'cluster').length > 0);
  if (signerRules.length === 0) return;
  const signers = summarizeGrants(signerRules.flatMap((r) => signerCheck(r, 'cluster')));
  const { impact: words, severity } = impact(anyClient(signerRules));
  for (const found of roleGrants(resource, inventory, approvalCheck)) {
    yield { messageId: 'csrApproval', path: found.rule.path, severity, data: { grants: summarizeGrants(found.grants), signers, impact: words, from: found.from, grantees: found.grantees } };
  }
}

function* judgeBinding(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  const approval = builtinBindingGrant(resource, inventory, approvalCheck);
  const signers = builtinBindingGrant(resource, inventory, signerCheck);
  if (approval === undefined || signers === undefined) return;
  const { impact: words, severity } = impact(anyClient(signers.role.rules.filter((r) => r.shipped).map((r) => r.rule)));
  yield { messageId: 'csrApprovalViaBinding', path: ['roleRef'], severity, data: { ...approval.data, grants: summarizeGrants([...approval.grants, ...signers.grants]), impact: words } };
}

export default defineRule({
  id: 'restrict-csr-approval',
  meta: {
    area: 'rbac',
    severity: SHARED_SEVERITY.csrApproval,
    docs: { description: 'Restrict approving certificate signing requests', controls: ['eks-bp:iam'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      csrApproval: 'Rule allows {{grants}}{{from}}, and the role allows {{signers}}: its holders can approve certificate signing requests{{impact}}; {{grantees}}.',
      csrApprovalViaBinding: '{{binding}} gives {{subjects}} {{grants}} through {{role}}: they can approve certificate signing requests{{impact}}.',
    },
    rationale: 'Approving a CertificateSigningRequest makes its signer issue the certificate. For kubernetes.io/kube-apiserver-client the certificate authenticates to the API server as whatever user and groups the request names, system:masters included, and a client certificate cannot be revoked before it expires. On EKS only the control plane should approve: node and kubelet-serving certificates are approved by EKS itself.',
    remediation: 'Remove update and patch on certificatesigningrequests/approval, or approve on signers, from the role. Where a component must approve (a cert-manager approver), narrow approve to its own signer with resourceNames, never kubernetes.io/kube-apiserver-client or kubernetes.io/*.',
  },
  defaultOptions: {},
  notEvaluated: rbacNotEvaluated,
  create: () => roleAndBindingHandlers(judgeRole, judgeBinding),
});
