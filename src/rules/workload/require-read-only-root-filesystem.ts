import type { FieldPath, MessageData, Report } from '../../core/finding.js';
import { isWindowsPod, type ContainerEntry } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { asRecord, canPatchUnder } from '../shared/profiles.js';

type MessageId = 'unset' | 'writable' | 'setTrue';

/** Built only for a container that fails: the common, passing one allocates nothing. */
function writableReport(entry: ContainerEntry, value: unknown): Report<MessageId> {
  const path: FieldPath = [...entry.path, 'securityContext', 'readOnlyRootFilesystem'];
  const unset = value === undefined || value === null;
  const messageId = unset ? 'unset' : 'writable';
  const data: MessageData = unset ? { container: entry.name } : { container: entry.name, value: JSON.stringify(value) ?? String(value) };
  if (!canPatchUnder(entry.container.securityContext)) return { messageId, path, data };
  return { messageId, path, data, suggest: [{ messageId: 'setTrue', data: { container: entry.name }, patch: [{ op: unset ? 'add' : 'replace', path, value: true }] }] };
}

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
    fix: 'review',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      // Windows containers cannot set readOnlyRootFilesystem: the API server rejects it.
      if (isWindowsPod(workload)) return out;
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        const value = asRecord(entry.container.securityContext)?.readOnlyRootFilesystem;
        if (value !== true) out.push(writableReport(entry, value));
      }
      return out;
    },
  }),
});
