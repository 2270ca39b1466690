import type { FieldPath, Report } from '../../core/finding.js';
import { effectiveSecurityField, type Workload, type ContainerEntry } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { isRecord } from '../../core/json.js';
import { effectiveSecurityValue } from '../shared/profiles.js';

/** Path of a field of the pod-level securityContext. */
function podContextPath(workload: Workload, field: string): FieldPath {
  return [...workload.podSpecPath, 'securityContext', field];
}

export type MessageId = 'containerRunAsGroup' | 'podRunAsGroup' | 'fsGroup' | 'supplementalGroup' | 'removeSupplementalGroup';

/** One report per GID 0 in the pod's supplementalGroups (which holds at least one). */
function* supplementalGroupReports(workload: Workload, groups: readonly unknown[]): Generator<Report<MessageId>, void, undefined> {
  const path = podContextPath(workload, 'supplementalGroups');
  const withoutRoot = groups.filter((gid: unknown) => gid !== 0);
  // One patch for every finding, dropping every 0: removing by index would shift the others.
  const patch = withoutRoot.length > 0 ? { op: 'replace' as const, path, value: withoutRoot } : { op: 'remove' as const, path };
  for (const [index, gid] of groups.entries()) {
    if (gid !== 0) continue;
    yield { messageId: 'supplementalGroup', path: [...path, index], suggest: [{ messageId: 'removeSupplementalGroup', patch: [patch] }] };
  }
}

export default defineRule({
  id: 'no-root-group',
  meta: {
    area: 'workload',
    severity: 'medium',
    docs: { description: 'Disallow running containers with the root group (GID 0)', controls: ['eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      containerRunAsGroup: 'Container "{{container}}" sets runAsGroup: 0: its processes run with the root group.',
      podRunAsGroup: 'Pod securityContext sets runAsGroup: 0: the containers that inherit it ({{containers}}) run with the root group.',
      fsGroup: 'Pod securityContext sets fsGroup: 0: volumes are made group-owned by root and every container gets the root group as a supplemental group.',
      supplementalGroup: 'Pod securityContext lists GID 0 in supplementalGroups: every container gets the root group.',
      removeSupplementalGroup: 'Remove GID 0 from the pod\'s supplementalGroups.',
    },
    rationale: 'A process in the root group can read and write every file whose group is root and whose group bits allow it: on a mounted host path or a shared volume that includes files root-owned on the node. Running with an unprivileged GID limits what a compromised container can touch.',
    remediation: 'Set runAsGroup and fsGroup to a non-zero GID (for example the same as runAsUser), and remove 0 from supplementalGroups.',
    hasSuggestions: true,
    fix: 'review',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      // Names of the containers that inherit a pod-level GID 0; created on the first one.
      let inherit: string[] | undefined;
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        if (effectiveSecurityValue(workload, entry, 'runAsGroup') !== 0) continue;
        const runAsGroup = effectiveSecurityField(workload, entry, 'runAsGroup');
        if (runAsGroup.from === 'pod') (inherit ??= []).push(entry.name);
        else out.push({ messageId: 'containerRunAsGroup', path: runAsGroup.path, data: { container: entry.name } });
      }
      const context: unknown = workload.podSpec.securityContext;
      // A pod-level GID 0 that every container overrides is not in effect anywhere, so it is not reported.
      if (inherit !== undefined) {
        out.push({ messageId: 'podRunAsGroup', path: podContextPath(workload, 'runAsGroup'), data: { containers: inherit.map((name) => `"${name}"`).join(', ') } });
      }
      if (!isRecord(context)) return out;
      // Choosing a non-zero GID is not mechanical (files in the image or on volumes may need it): no suggestion.
      if (context.fsGroup === 0) out.push({ messageId: 'fsGroup', path: podContextPath(workload, 'fsGroup') });
      const groups = context.supplementalGroups;
      if (Array.isArray(groups) && groups.includes(0)) out.push(...supplementalGroupReports(workload, groups));
      return out;
    },
  }),
});
