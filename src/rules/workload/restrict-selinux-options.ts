import type { FieldPath, Report } from '../../core/finding.js';
import { allowedSeLinuxTypes } from '../../core/pod-security-standards.js';
import { defineRule } from '../define-rule.js';
import { asRecord, display } from '../shared/profiles.js';

type MessageId = 'podType' | 'containerType' | 'podUserOrRole' | 'containerUserOrRole' | 'removeField';

const isUnset = (value: unknown): boolean => value === undefined || value === null || value === '';

export default defineRule({
  id: 'restrict-selinux-options',
  meta: {
    area: 'workload',
    severity: 'medium',
    docs: { description: 'Restrict SELinux options to the container types and forbid custom users and roles', controls: ['pss-baseline:seLinuxOptions', 'eks-bp:runtime-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      containerType: 'Container "{{container}}" sets seLinuxOptions.type {{value}}: baseline allows only {{allowed}}, or no type.',
      podType: 'Pod spec sets seLinuxOptions.type {{value}}: baseline allows only {{allowed}}, or no type.',
      containerUserOrRole: 'Container "{{container}}" sets seLinuxOptions.{{field}} {{value}}: baseline forbids a custom SELinux {{field}}.',
      podUserOrRole: 'Pod spec sets seLinuxOptions.{{field}} {{value}}: baseline forbids a custom SELinux {{field}}.',
      removeField: 'Remove seLinuxOptions.{{field}} from {{target}}.',
    },
    rationale: 'On SELinux nodes (Bottlerocket, and AL2023 or RHEL with SELinux enforcing) the container types confine what a container process may touch on the host. A type such as spc_t (super-privileged container) or unconfined_t, or a custom SELinux user or role, lifts that confinement.',
    remediation: 'Remove seLinuxOptions.user and seLinuxOptions.role, and leave seLinuxOptions.type unset or set it to one of the container types; seLinuxOptions.level (MCS labels) may stay.',
    hasSuggestions: true,
  },
  defaultOptions: {},
  create: () => {
    const allowedTypes = allowedSeLinuxTypes();
    const allowed = [...allowedTypes].join(', ');
    return {
      *workload(workload): Generator<Report<MessageId>> {
        const sites: { options: unknown; path: FieldPath; container?: string }[] = [
          { options: asRecord(workload.podSpec.securityContext)?.seLinuxOptions, path: [...workload.podSpecPath, 'securityContext', 'seLinuxOptions'] },
          ...workload.containers.map((entry) => ({
            options: asRecord(entry.container.securityContext)?.seLinuxOptions,
            path: [...entry.path, 'securityContext', 'seLinuxOptions'],
            container: entry.name,
          })),
        ];
        for (const { options, path, container } of sites) {
          const record = asRecord(options);
          if (record === undefined) continue;
          const target = container === undefined ? 'the pod' : `container "${container}"`;
          const report = (messageId: MessageId, field: string, extra: Readonly<Record<string, string>>): Report<MessageId> => {
            const fieldPath = [...path, field];
            const data: Record<string, string> = { ...extra, field, value: display(record[field]) };
            if (container !== undefined) data.container = container;
            return {
              messageId,
              path: fieldPath,
              data,
              suggest: [{ messageId: 'removeField', data: { field, target }, patch: [{ op: 'remove', path: fieldPath }] }],
            };
          };
          const type = record.type;
          if (!isUnset(type) && !(typeof type === 'string' && allowedTypes.has(type))) {
            yield report(container === undefined ? 'podType' : 'containerType', 'type', { allowed });
          }
          for (const field of ['user', 'role']) {
            if (!isUnset(record[field])) yield report(container === undefined ? 'podUserOrRole' : 'containerUserOrRole', field, {});
          }
        }
      },
    };
  },
});
