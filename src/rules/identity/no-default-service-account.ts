import { serviceAccountOf } from '../../core/workload.js';
import type { MessageData, Report } from '../../core/finding.js';
import type { KubeResource } from '../../core/resource.js';
import { describeBinding } from '../../rbac/describe.js';
import { parseServiceAccountUsername } from '../../rbac/identity.js';
import { parseBinding, type SubjectEntry } from '../../rbac/policy.js';
import { defineRule } from '../define-rule.js';
import { BUILTIN_DISCOVERY_ROLES } from '../shared/service-account-bindings.js';

type MessageId = 'implicitDefault' | 'explicitDefault' | 'boundDefault';

/** The namespace whose `default` ServiceAccount the subject is, named by kind or by username. */
function defaultAccountNamespace(subject: SubjectEntry): string | undefined {
  if (subject.kind === 'ServiceAccount') return subject.name === 'default' ? subject.namespace : undefined;
  if (subject.kind !== 'User') return undefined;
  const account = parseServiceAccountUsername(subject.name);
  return account?.name === 'default' ? account.namespace : undefined;
}

/**
 * Each subject of a binding that is a namespace's `default` ServiceAccount (CIS 4.1.5: no roles
 * bound to it). Every pod there that names no ServiceAccount gets the role, today's and those
 * created later. The discovery roles every identity already holds grant nothing more. The binding
 * alone decides (not its role's rules), so admission can judge it without a cluster view.
 */
function* judgeBinding(resource: KubeResource): Generator<Report<MessageId>> {
  const binding = parseBinding(resource);
  const roleRef = binding?.roleRef;
  if (binding === undefined || roleRef === undefined) return;
  if (roleRef.kind === 'ClusterRole' && BUILTIN_DISCOVERY_ROLES.has(roleRef.name)) return;
  for (const subject of binding.subjects) {
    const namespace = subject.shipped ? undefined : defaultAccountNamespace(subject);
    if (namespace === undefined) continue;
    yield { messageId: 'boundDefault', path: ['subjects', subject.index], data: { binding: describeBinding(binding), role: `${roleRef.kind} ${roleRef.name}`, namespace } };
  }
}

export default defineRule({
  id: 'no-default-service-account',
  meta: {
    area: 'identity',
    severity: 'medium',
    docs: { description: 'Disallow pods that run as the namespace\'s default ServiceAccount, and roles bound to it', controls: ['eks-bp:iam', 'eks-bp:multi-tenancy', 'cis-eks:4.1.5'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      implicitDefault: 'Pod spec sets no serviceAccountName, so its pods run as the "default" ServiceAccount of namespace "{{namespace}}", shared with every pod there that names none.',
      explicitDefault: 'Pod spec sets {{field}}: default, so its pods run as the "default" ServiceAccount of namespace "{{namespace}}", shared with every pod there that names none.',
      boundDefault: '{{binding}} binds {{role}} to the "default" ServiceAccount of namespace "{{namespace}}": every pod there that names no ServiceAccount gets it.',
    },
    rationale: 'Every pod that names no ServiceAccount runs as the namespace\'s default one. Whatever RBAC permissions or IAM role (IRSA, Pod Identity) anyone grants to it for one workload, every other such pod in the namespace gets too, and audit logs cannot tell the workloads apart.',
    remediation: 'Create a dedicated ServiceAccount for the workload, grant it only what the workload needs, and set serviceAccountName in the pod spec; bind roles to that ServiceAccount, not to the namespace\'s default one.',
  },
  defaultOptions: {},
  create: () => ({
    RoleBinding: judgeBinding,
    ClusterRoleBinding: judgeBinding,
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      const serviceAccount = serviceAccountOf(workload);
      if (serviceAccount.name !== 'default') return out;
      const path = [...workload.podSpecPath, 'serviceAccountName'];
      const { field } = serviceAccount;
      const data: MessageData = field === undefined ? { namespace: workload.namespace } : { namespace: workload.namespace, field };
      out.push({ messageId: field === undefined ? 'implicitDefault' : 'explicitDefault', path, data });
      return out;
    },
  }),
});
