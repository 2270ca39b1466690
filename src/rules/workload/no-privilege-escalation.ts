import type { FieldPath, PatchOp, Report } from '../../core/finding.js';
import type { ContainerEntry } from '../../core/workload.js';
import { isWindowsPod } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { isRecord } from '../../core/json.js';

/**
 * Whether the API server would accept `allowPrivilegeEscalation: false` on this container: it
 * refuses the combination with `privileged: true` and with `capabilities.add: [CAP_SYS_ADMIN]`.
 */
function acceptsFalse(securityContext: Readonly<Record<string, unknown>>): boolean {
  if (securityContext.privileged === true) return false;
  const add = isRecord(securityContext.capabilities) ? securityContext.capabilities.add : undefined;
  return !(Array.isArray(add) && add.includes('CAP_SYS_ADMIN'));
}

/** The patch setting `allowPrivilegeEscalation: false`, or undefined when no valid one exists. */
function setFalsePatch(entry: ContainerEntry, path: FieldPath): PatchOp | undefined {
  const securityContext: unknown = entry.container.securityContext;
  if (securityContext === undefined || securityContext === null) {
    return { op: 'add', path: [...entry.path, 'securityContext'], value: { allowPrivilegeEscalation: false } };
  }
  if (!isRecord(securityContext) || !acceptsFalse(securityContext)) return undefined;
  const op = securityContext.allowPrivilegeEscalation === undefined ? 'add' : 'replace';
  return { op, path: [...path], value: false };
}

export type MessageId = 'unset' | 'allowed' | 'setFalse';

/** Built only for a container that fails: the common, passing one allocates nothing. */
function escalationReport(entry: ContainerEntry, value: unknown): Report<MessageId> {
  const messageId = value === undefined || value === null ? 'unset' : 'allowed';
  const path: FieldPath = [...entry.path, 'securityContext', 'allowPrivilegeEscalation'];
  const data = { container: entry.name };
  const reportData = messageId === 'unset' ? data : { ...data, value: JSON.stringify(value) };
  const patch = setFalsePatch(entry, path);
  if (patch === undefined) return { messageId, path, data: reportData };
  // A suggestion, not a fix: a process that relies on setuid (sudo, ping on old images) stops working.
  return { messageId, path, data: reportData, suggest: [{ messageId: 'setFalse', data, patch: [patch] }] };
}

export default defineRule({
  id: 'no-privilege-escalation',
  meta: {
    area: 'workload',
    severity: 'high',
    docs: {
      description: 'Require containers to set allowPrivilegeEscalation to false',
      controls: ['pss-restricted:allowPrivilegeEscalation', 'eks-bp:pod-security', 'cis-eks:4.2.5'],
    },
    evidence: ['manifests', 'cluster'],
    messages: {
      unset: 'Container "{{container}}" does not set securityContext.allowPrivilegeEscalation, so it defaults to true: setuid binaries and file capabilities can raise its privileges.',
      allowed: 'Container "{{container}}" sets securityContext.allowPrivilegeEscalation to {{value}}: setuid binaries and file capabilities can raise its privileges.',
      setFalse: 'Set securityContext.allowPrivilegeEscalation to false on container "{{container}}".',
    },
    rationale: 'Unless allowPrivilegeEscalation is false, the container process runs without no_new_privs: a setuid-root binary or a file capability in the image lets an attacker who has code execution gain privileges the container was not started with, which is the first step of most container escapes.',
    remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container, init container and ephemeral container; a container that must keep privileged: true or CAP_SYS_ADMIN cannot, and should be reviewed as a node agent.',
    hasSuggestions: true,
    fix: 'safe',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      // Pod Security Admission exempts Windows pods: the field has no meaning there.
      if (isWindowsPod(workload)) return out;
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        const securityContext: unknown = entry.container.securityContext;
        const value = isRecord(securityContext) ? securityContext.allowPrivilegeEscalation : undefined;
        if (value !== false) out.push(escalationReport(entry, value));
      }
      return out;
    },
  }),
});
