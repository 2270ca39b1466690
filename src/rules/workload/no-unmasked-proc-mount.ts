import type { Report } from '../../core/finding.js';
import type { ContainerEntry } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { asRecord, display } from '../shared/profiles.js';

type MessageId = 'procMount' | 'unknownProcMount' | 'setDefault';

export default defineRule({
  id: 'no-unmasked-proc-mount',
  meta: {
    area: 'workload',
    severity: 'medium',
    docs: { description: 'Disallow unmasked /proc mounts outside user namespaces', controls: ['pss-baseline:procMount', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      procMount: 'Container "{{container}}" sets securityContext.procMount {{value}} in a pod that shares the host user namespace: /proc is mounted without the default masked and read-only paths.',
      unknownProcMount: 'Container "{{container}}" sets securityContext.procMount {{value}}, which is neither Default nor Unmasked: the API server refuses it, and the baseline Pod Security Standard allows only Default outside a user namespace.',
      setDefault: 'Set securityContext.procMount to Default on container "{{container}}".',
    },
    rationale: "The container runtime masks and write-protects parts of /proc (kcore, sysrq-trigger, kernel tunables) that expose host kernel state. An Unmasked procMount removes that protection; it is only safe inside a user namespace (spec.hostUsers: false), where root in the container is not root on the node.",
    remediation: 'Remove procMount or set it to Default; a workload that needs an unmasked /proc (nested containers) must run with spec.hostUsers: false.',
    hasSuggestions: true,
    fix: 'review',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      // PSS baseline v1.35+: any procMount is allowed in a user-namespaced pod.
      if (workload.podSpec.hostUsers === false) return out;
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        const procMount = asRecord(entry.container.securityContext)?.procMount;
        if (procMount === undefined || procMount === null || procMount === 'Default') continue;
        const path = [...entry.path, 'securityContext', 'procMount'];
        out.push({
          // Only Unmasked unmasks /proc; any other value is invalid (the API's enum is Default and Unmasked, case-sensitive).
          messageId: procMount === 'Unmasked' ? 'procMount' : 'unknownProcMount',
          path,
          data: { container: entry.name, value: display(procMount) },
          suggest: [{ messageId: 'setDefault', data: { container: entry.name }, patch: [{ op: 'replace', path, value: 'Default' }] }],
        });
      }
      return out;
    },
  }),
});
