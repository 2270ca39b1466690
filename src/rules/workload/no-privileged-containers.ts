import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'no-privileged-containers',
  meta: {
    area: 'workload',
    severity: 'critical',
    docs: { description: 'Disallow privileged containers', controls: ['pss-baseline:privileged', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      privileged: 'Container "{{container}}" runs privileged: it has every capability and full access to the host\'s devices.',
      setFalse: 'Set securityContext.privileged to false on container "{{container}}".',
    },
    rationale: 'A privileged container has all Linux capabilities, sees every host device and is not confined by seccomp or AppArmor: escaping to the node is trivial, and from the node to the node IAM role and every pod scheduled there.',
    remediation: 'Remove privileged: true; grant only the specific capabilities the container needs, or run the work as a vetted node agent.',
    hasSuggestions: true,
  },
  defaultOptions: {},
  create: () => ({
    *workload(workload) {
      for (const entry of workload.containers) {
        if (entry.container.securityContext?.privileged !== true) continue;
        const path = [...entry.path, 'securityContext', 'privileged'];
        yield {
          messageId: 'privileged',
          path,
          data: { container: entry.name },
          suggest: [{ messageId: 'setFalse', data: { container: entry.name }, patch: [{ op: 'replace', path, value: false }] }],
        };
      }
    },
  }),
});
