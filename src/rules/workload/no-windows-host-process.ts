import type { FieldPath, Report } from '../../core/finding.js';
import type { Workload } from '../../core/workload.js';
import { evaluateWorkloadCheck } from '../../pss/evaluate.js';
import { defineRule } from '../define-rule.js';

export type MessageId = 'hostProcess';

/** `the pod` or `container "x"`: who sets the field at `path`. */
function setterOf(workload: Workload, path: FieldPath): string {
  const entry = workload.containers.find((c) => c.path.every((segment, i) => path[i] === segment));
  return entry === undefined ? 'The pod' : `Container "${entry.name}"`;
}

export default defineRule({
  id: 'no-windows-host-process',
  meta: {
    area: 'workload',
    severity: 'high',
    docs: { description: 'Disallow Windows HostProcess containers', controls: ['pss-baseline:windowsHostProcess', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      hostProcess: '{{setter}} sets securityContext.windowsOptions.hostProcess: true: the container runs as a process on the Windows node, with the node\'s network, file system and (as SYSTEM) full control of it.',
    },
    rationale: 'A Windows HostProcess container is not isolated from its node at all: it runs directly on the host, in the host network namespace, and usually as NT AUTHORITY\\SYSTEM. It is the Windows equivalent of a privileged container in every host namespace, which is why the baseline Pod Security Standard forbids it.',
    remediation: 'Remove windowsOptions.hostProcess (or set it to false) from the pod and its containers; run the few node agents that need it (CNI, CSI, log forwarders on Windows nodes) in a dedicated namespace with a Pod Security exemption.',
  },
  defaultOptions: {},
  create: () => ({
    // The Pod Security Standards' own check, so this rule and `eksguard pss` agree to the field.
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      const violation = evaluateWorkloadCheck('windowsHostProcess', workload);
      if (violation === undefined || violation === 'pass') return out;
      for (const path of violation.paths ?? []) out.push({ messageId: 'hostProcess' as const, path, data: { setter: setterOf(workload, path) } });
      return out;
    },
  }),
});
