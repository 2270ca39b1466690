import { SHARED_SEVERITY } from '../../core/shared-severity.js';
import { TOKEN_REQUEST } from '../../rbac/risk-catalogue.js';
import { defineRule } from '../define-rule.js';
import { definedPermission, permissionHandlers, rbacNotEvaluated } from '../shared/rbac-permissions.js';

export type MessageId = 'createTokens' | 'createTokensViaBinding';

/** The risk catalogue's definition, shared with `eksguard rbac risky`. */
export const tokenCreation = definedPermission([TOKEN_REQUEST]);

export default defineRule({
  id: 'restrict-token-creation',
  meta: {
    area: 'rbac',
    severity: SHARED_SEVERITY.tokenCreation,
    docs: { description: 'Restrict create on serviceaccounts/token', controls: ['eks-bp:iam', 'cis-eks:4.1.12'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      createTokens: 'Rule allows {{grants}}{{from}}: its holders can issue themselves a token for those ServiceAccounts and act as them, with everything they are bound to (and their IRSA or Pod Identity role); {{grantees}}.',
      createTokensViaBinding: '{{binding}} gives {{subjects}} {{grants}} {{scope}} through {{role}}.',
    },
    rationale: 'The TokenRequest API (create on serviceaccounts/token) issues a signed token for a ServiceAccount to whoever asks. Its holder becomes that ServiceAccount: every RoleBinding it has, and, on EKS, the IAM role the ServiceAccount assumes through IRSA. Only the kubelet and a few controllers need it (CIS EKS 4.1.12).',
    remediation: 'Remove create on serviceaccounts/token from the role; pods get their tokens projected by the kubelet without it. Where a component must mint tokens, narrow the rule with resourceNames to the ServiceAccounts it serves and bind it in their namespace only.',
  },
  defaultOptions: {},
  notEvaluated: rbacNotEvaluated,
  create: () => permissionHandlers<MessageId>(tokenCreation, 'createTokens', 'createTokensViaBinding'),
});
