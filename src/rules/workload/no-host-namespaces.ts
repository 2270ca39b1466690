import type { Report } from '../../core/finding.js';
import type { Workload } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';

const HOST_FIELDS = { hostPID: 'process', hostIPC: 'IPC', hostNetwork: 'network' } as const;
type HostField = keyof typeof HOST_FIELDS;
/** Listed once, not per workload. */
const HOST_FIELD_NAMES = Object.keys(HOST_FIELDS) as readonly HostField[];

type MessageId = 'hostNamespace' | 'removeField' | 'removeHostNetwork';

/** Built only for a field that is set: the common, passing pod spec allocates nothing. */
function hostNamespaceReport(workload: Workload, field: HostField): Report<MessageId> {
  const path = [...workload.podSpecPath, field];
  return {
    messageId: 'hostNamespace',
    path,
    data: { field, namespace: HOST_FIELDS[field] },
    // Removing hostNetwork can break CNI plugins and other node agents, so it has its own (review) class.
    suggest: [{ messageId: field === 'hostNetwork' ? 'removeHostNetwork' : 'removeField', data: { field }, patch: [{ op: 'remove', path }] }],
  };
}

export default defineRule({
  id: 'no-host-namespaces',
  meta: {
    area: 'workload',
    severity: 'high',
    docs: { description: "Disallow pods that share the node's PID, IPC or network namespace", controls: ['pss-baseline:hostNamespaces', 'eks-bp:pod-security', 'cis-eks:4.2.2', 'cis-eks:4.2.3', 'cis-eks:4.2.4'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      hostNamespace: "Pod spec sets {{field}}: true and shares the node's {{namespace}} namespace.",
      removeField: 'Remove {{field}} from the pod spec.',
      removeHostNetwork: 'Remove {{field}} from the pod spec (the pod then needs a Service or hostPort-free networking to be reached).',
    },
    rationale: "A pod in the node's PID namespace can see and signal every process on the node; in its IPC namespace it can read shared memory of other workloads; in its network namespace it can bind node ports, sniff traffic and reach services bound to localhost, such as the kubelet's.",
    remediation: 'Remove hostPID, hostIPC and hostNetwork from the pod spec unless the workload is a vetted node agent.',
    hasSuggestions: true,
    fix: { removeField: 'safe', removeHostNetwork: 'review' },
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      for (const field of HOST_FIELD_NAMES) {
        if (workload.podSpec[field] === true) out.push(hostNamespaceReport(workload, field));
      }
      return out;
    },
  }),
});
