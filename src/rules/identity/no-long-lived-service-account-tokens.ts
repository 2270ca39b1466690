import { apiGroupOf } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';

const TOKEN_TYPE = 'kubernetes.io/service-account-token';
const SERVICE_ACCOUNT_ANNOTATION = 'kubernetes.io/service-account.name';
/** Set by the legacy token cleaner (Kubernetes 1.29+) on a token it has invalidated. */
const INVALID_SINCE_LABEL = 'kubernetes.io/legacy-token-invalid-since';

export default defineRule({
  id: 'no-long-lived-service-account-tokens',
  meta: {
    area: 'identity',
    severity: 'high',
    docs: { description: 'Disallow long-lived ServiceAccount token Secrets', controls: ['eks-bp:iam'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      longLivedToken: 'Secret "{{secret}}" is a kubernetes.io/service-account-token Secret for ServiceAccount "{{serviceAccount}}": a token that never expires and works from anywhere the API server is reachable.',
      unnamedServiceAccount: 'Secret "{{secret}}" is a kubernetes.io/service-account-token Secret that names no ServiceAccount (annotation kubernetes.io/service-account.name): such a token never expires.',
      invalidatedToken: 'Secret "{{secret}}" holds a legacy token for ServiceAccount "{{serviceAccount}}" that Kubernetes has already invalidated (label kubernetes.io/legacy-token-invalid-since); delete it.',
    },
    rationale: 'A token stored in a kubernetes.io/service-account-token Secret has no expiry and is not bound to a pod: anyone who reads the Secret, a backup or a CI variable holding it can act as the ServiceAccount until the Secret is deleted. Such tokens are typically handed to people or external systems, which then authenticate with a static credential instead of their IAM identity.',
    remediation: 'Delete the Secret. Pods get short-lived, automatically rotated tokens through the TokenRequest API (projected serviceAccountToken volumes, mounted by default); a system outside the cluster that needs a token should request one with a short expiry (kubectl create token), and people and CI should authenticate with their IAM identity through EKS access entries instead of a ServiceAccount token.',
  },
  defaultOptions: {},
  create: () => ({
    *Secret(secret) {
      if (apiGroupOf(secret.object.apiVersion) !== '' || secret.object.type !== TOKEN_TYPE) return;
      const metadata = secret.object.metadata;
      const named = metadata?.annotations?.[SERVICE_ACCOUNT_ANNOTATION];
      const serviceAccount = typeof named === 'string' && named !== '' ? named : undefined;
      const path = ['type'];
      const data = { secret: secret.ref.name, ...(serviceAccount !== undefined ? { serviceAccount } : {}) };
      const invalidated = metadata?.labels?.[INVALID_SINCE_LABEL];
      if (serviceAccount === undefined) yield { messageId: 'unnamedServiceAccount', path, data };
      // An invalidated token no longer authenticates: leftover clutter, not a live credential.
      else if (typeof invalidated === 'string' && invalidated !== '') yield { messageId: 'invalidatedToken', path, data, severity: 'low' };
      else yield { messageId: 'longLivedToken', path, data };
    },
  }),
});
