import type { Report } from '../../core/finding.js';
import type { ContainerEntry } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { isRecord } from '../../core/json.js';

type MessageId = 'privileged' | 'setFalse';

/**
 * The API server accepts Bidirectional mount propagation only on a privileged container (a CSI
 * node plugin's kubelet directory): setting privileged to false there yields an object it refuses.
 */
function hasBidirectionalMount(entry: ContainerEntry): boolean {
  const mounts: unknown = entry.container.volumeMounts;
  return Array.isArray(mounts) && mounts.some((m) => isRecord(m) && m.mountPropagation === 'Bidirectional');
}

/** Built only for a container that fails: the common, passing one allocates nothing. */
function privilegedReport(entry: ContainerEntry): Report<MessageId> {
  const path = [...entry.path, 'securityContext', 'privileged'];
  if (hasBidirectionalMount(entry)) return { messageId: 'privileged', path, data: { container: entry.name } };
  return {
    messageId: 'privileged',
    path,
    data: { container: entry.name },
    suggest: [{ messageId: 'setFalse', data: { container: entry.name }, patch: [{ op: 'replace', path, value: false }] }],
  };
}

export default defineRule({
  id: 'no-privileged-containers',
  meta: {
    area: 'workload',
    severity: 'critical',
    docs: { description: 'Disallow privileged containers', controls: ['pss-baseline:privileged', 'eks-bp:pod-security', 'cis-eks:4.2.1'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      privileged: 'Container "{{container}}" runs privileged: it has every capability and full access to the host\'s devices.',
      setFalse: 'Set securityContext.privileged to false on container "{{container}}".',
    },
    rationale: 'A privileged container has all Linux capabilities, sees every host device and is not confined by seccomp or AppArmor: escaping to the node is trivial, and from the node to the node IAM role and every pod scheduled there.',
    remediation: 'Remove privileged: true; grant only the specific capabilities the container needs, or run the work as a vetted node agent.',
    hasSuggestions: true,
    fix: 'review',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        if (entry.container.securityContext?.privileged === true) out.push(privilegedReport(entry));
      }
      return out;
    },
  }),
});
