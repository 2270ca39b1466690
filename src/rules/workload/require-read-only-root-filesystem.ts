import type { Report } from '../../core/finding.js';
import { isWindowsPod } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { asRecord, canPatchUnder } from '../shared/profiles.js';

type MessageId = 'unset' | 'writable' | 'setTrue';

export default defineRule({
  id: 'require-read-only-root-filesystem',
  meta: {
    area: 'workload',
    severity: 'medium',
    docs: { description: 'Require containers to run with a read-only root filesystem', controls: ['eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      unset: 'Container "{{container}}" does not set securityContext.readOnlyRootFilesystem, so its root filesystem is writable.',
      writable: 'Container "{{container}}" sets securityContext.readOnlyRootFilesystem {{value}}, so its root filesystem is writable.',
      setTrue: 'Set securityContext.readOnlyRootFilesystem to true on container "{{container}}".',
    },
    rationale: "A writable root filesystem lets an attacker who gains code execution drop tools and binaries, alter the application's own files and scripts, and persist changes for the life of the container. A read-only root filesystem forces writes into declared volumes, which are easier to watch and to mount noexec.",
    remediation: 'Set securityContext.readOnlyRootFilesystem: true on every container, and mount an emptyDir volume at each path the application writes to (such as /tmp or a cache directory).',
    hasSuggestions: true,
  },
  defaultOptions: {},
  create: () => ({
    *workload(workload): Generator<Report<MessageId>> {
      // Windows containers cannot set readOnlyRootFilesystem: the API server rejects it.
      if (isWindowsPod(workload)) return;
      for (const entry of workload.containers) {
        const securityContext = entry.container.securityContext;
        const value = asRecord(securityContext)?.readOnlyRootFilesystem;
        if (value === true) continue;
        const path = [...entry.path, 'securityContext', 'readOnlyRootFilesystem'];
        const unset = value === undefined || value === null;
        const suggest = canPatchUnder(securityContext)
          ? [{ messageId: 'setTrue' as const, data: { container: entry.name }, patch: [{ op: unset ? ('add' as const) : ('replace' as const), path, value: true }] }]
          : undefined;
        yield {
          messageId: unset ? 'unset' : 'writable',
          path,
          data: unset ? { container: entry.name } : { container: entry.name, value: JSON.stringify(value) ?? String(value) },
          ...(suggest ? { suggest } : {}),
        };
      }
    },
  }),
});
