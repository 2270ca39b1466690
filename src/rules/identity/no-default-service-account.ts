import { serviceAccountOf } from '../../core/workload.js';
import type { MessageData, Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';

type MessageId = 'implicitDefault' | 'explicitDefault';

export default defineRule({
  id: 'no-default-service-account',
  meta: {
    area: 'identity',
    severity: 'medium',
    docs: { description: 'Disallow pods that run as the namespace\'s default ServiceAccount', controls: ['eks-bp:iam', 'eks-bp:multi-tenancy', 'cis-eks:4.1.5'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      implicitDefault: 'Pod spec sets no serviceAccountName, so its pods run as the "default" ServiceAccount of namespace "{{namespace}}", shared with every pod there that names none.',
      explicitDefault: 'Pod spec sets {{field}}: default, so its pods run as the "default" ServiceAccount of namespace "{{namespace}}", shared with every pod there that names none.',
    },
    rationale: 'Every pod that names no ServiceAccount runs as the namespace\'s default one. Whatever RBAC permissions or IAM role (IRSA, Pod Identity) anyone grants to it for one workload, every other such pod in the namespace gets too, and audit logs cannot tell the workloads apart.',
    remediation: 'Create a dedicated ServiceAccount for the workload, grant it only what the workload needs, and set serviceAccountName in the pod spec.',
  },
  defaultOptions: {},
  create: () => ({
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
