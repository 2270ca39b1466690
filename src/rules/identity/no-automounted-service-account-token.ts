import { apiGroupOf, serviceAccountOf } from '../../core/workload.js';
import { namespaceOf } from '../../core/inventory.js';
import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { bindingsOfServiceAccount, findServiceAccount, tokenAutomount } from '../shared/service-account-bindings.js';
import { bindingsNotEvaluated } from '../shared/rbac-permissions.js';

type MessageId = 'unusedToken' | 'defaultAutomounts' | 'disableOnPod' | 'disableExplicitOnPod' | 'disableOnServiceAccount';

const MOUNTED_BECAUSE = {
  pod: 'the pod sets automountServiceAccountToken: true',
  serviceAccount: 'the ServiceAccount sets automountServiceAccountToken: true',
  default: 'automountServiceAccountToken is unset on the pod and on the ServiceAccount, and defaults to true',
  unknown: 'automountServiceAccountToken is unset on the pod, and the ServiceAccount is not in the scanned input; it defaults to true',
} as const;

export default defineRule({
  id: 'no-automounted-service-account-token',
  meta: {
    area: 'identity',
    severity: 'medium',
    docs: { description: 'Disallow API token automounting where the ServiceAccount has no use for it', controls: ['eks-bp:iam', 'eks-bp:multi-tenancy', 'cis-eks:4.1.6'] },
    evidence: ['manifests', 'cluster'],
    reads: ['RoleBinding', 'ClusterRoleBinding'],
    messages: {
      unusedToken: 'Pod spec mounts an API token for ServiceAccount "{{serviceAccount}}" ({{reason}}), but no RoleBinding or ClusterRoleBinding in the scanned input grants it anything.',
      defaultAutomounts: 'ServiceAccount "default" in namespace "{{namespace}}" does not set automountServiceAccountToken: false, so every pod there that names no ServiceAccount gets an API token.',
      disableOnPod: 'Set automountServiceAccountToken: false in the pod spec.',
      disableExplicitOnPod: 'Set automountServiceAccountToken: false in the pod spec, where it asks for the token (check first that the workload never calls the Kubernetes API).',
      disableOnServiceAccount: 'Set automountServiceAccountToken: false on ServiceAccount "default".',
    },
    rationale: 'A mounted ServiceAccount token lets anyone who gets code execution in the container call the Kubernetes API as that ServiceAccount. Most applications never call the API; for them the token is only attack surface. The default ServiceAccount of each namespace is used by every pod that names no other, so it should not hand out tokens at all.',
    remediation: 'Set automountServiceAccountToken: false in the pod spec of workloads that do not call the Kubernetes API, and on the default ServiceAccount of every namespace. A workload that does need the API should run as its own ServiceAccount with a RoleBinding granting only what it uses.',
    hasSuggestions: true,
    fix: { disableOnPod: 'safe', disableExplicitOnPod: 'review', disableOnServiceAccount: 'review' },
  },
  defaultOptions: {},
  create: () => ({
    workload(workload, inventory): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      const automount = tokenAutomount(workload, inventory);
      if (!automount.mounted) return out;
      const serviceAccount = serviceAccountOf(workload).name;
      // A named ServiceAccount the input holds nothing about — neither the object nor any binding
      // at all (a DaemonSet file without its RBAC, a `kubectl get pods` dump) — may well need the
      // API: calico-node, Falco and CoreDNS do. Judge it only when the input says something.
      // The namespace's default ServiceAccount is still judged: nobody should grant it anything.
      // A pod that sets automountServiceAccountToken: true itself is asking for the token: the
      // same holds when its ServiceAccount is not in the input (an operator's Deployment file).
      const unknownAccount = automount.reason === 'unknown'
        || (automount.reason === 'pod' && findServiceAccount(inventory, workload.namespace, serviceAccount) === undefined);
      if (unknownAccount && serviceAccount !== 'default' && bindingsNotEvaluated(inventory) !== undefined) return out;
      if (bindingsOfServiceAccount(inventory, workload.namespace, serviceAccount).length > 0) return out;
      const path = [...workload.podSpecPath, 'automountServiceAccountToken'];
      const present = workload.podSpec.automountServiceAccountToken !== undefined;
      out.push({
        messageId: 'unusedToken',
        path,
        data: { serviceAccount, reason: MOUNTED_BECAUSE[automount.reason] },
        // Turning off a token the pod explicitly asks for can stop a controller that calls the API.
        suggest: [{ messageId: automount.reason === 'pod' ? 'disableExplicitOnPod' : 'disableOnPod', patch: [{ op: present ? 'replace' : 'add', path, value: false }] }],
      });
      return out;
    },
    ServiceAccount(serviceAccount): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      if (apiGroupOf(serviceAccount.object.apiVersion) !== '' || serviceAccount.ref.name !== 'default') return out;
      if (serviceAccount.object.automountServiceAccountToken === false) return out;
      const path = ['automountServiceAccountToken'];
      const present = serviceAccount.object.automountServiceAccountToken !== undefined;
      out.push({
        messageId: 'defaultAutomounts',
        path,
        data: { namespace: namespaceOf(serviceAccount) ?? 'default' },
        suggest: [{ messageId: 'disableOnServiceAccount', patch: [{ op: present ? 'replace' : 'add', path, value: false }] }],
      });
      return out;
    },
  }),
});
