import type { FieldPath, Report } from '../../core/finding.js';
import { allowedSeLinuxTypes } from '../../core/pod-security-standards.js';
import type { ContainerEntry } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { asRecord, display } from '../shared/profiles.js';

type MessageId = 'podType' | 'containerType' | 'podUserOrRole' | 'containerUserOrRole' | 'removeField';

const isUnset = (value: unknown): boolean => value === undefined || value === null || value === '';

const USER_AND_ROLE = ['user', 'role'] as const;

/** The seLinuxOptions object a securityContext sets, or undefined when it sets none (or a stray scalar). */
function seLinuxOptionsIn(securityContext: unknown): Readonly<Record<string, unknown>> | undefined {
  return asRecord(asRecord(securityContext)?.seLinuxOptions);
}

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
    fix: 'review',
  },
  defaultOptions: {},
  create: () => {
    const allowedTypes = allowedSeLinuxTypes();
    const allowed = [...allowedTypes].join(', ');

    /**
     * The reports for one seLinuxOptions object, of the pod spec or container at `base`. Called only
     * for a securityContext that sets seLinuxOptions, so pods that set none build nothing.
     */
    function* siteReports(options: Readonly<Record<string, unknown>>, base: FieldPath, container: string | undefined): Generator<Report<MessageId>> {
      const target = container === undefined ? 'the pod' : `container "${container}"`;
      const report = (messageId: MessageId, field: string, extra: Readonly<Record<string, string>>): Report<MessageId> => {
        const fieldPath = [...base, 'securityContext', 'seLinuxOptions', field];
        const data: Record<string, string> = { ...extra, field, value: display(options[field]) };
        if (container !== undefined) data.container = container;
        return {
          messageId,
          path: fieldPath,
          data,
          suggest: [{ messageId: 'removeField', data: { field, target }, patch: [{ op: 'remove', path: fieldPath }] }],
        };
      };
      const type = options.type;
      if (!isUnset(type) && !(typeof type === 'string' && allowedTypes.has(type))) {
        yield report(container === undefined ? 'podType' : 'containerType', 'type', { allowed });
      }
      for (const field of USER_AND_ROLE) {
        if (!isUnset(options[field])) yield report(container === undefined ? 'podUserOrRole' : 'containerUserOrRole', field, {});
      }
    }

    return {
      workload(workload): Report<MessageId>[] {
        const out: Report<MessageId>[] = [];
        const podOptions = seLinuxOptionsIn(workload.podSpec.securityContext);
        if (podOptions !== undefined) out.push(...siteReports(podOptions, workload.podSpecPath, undefined));
        for (let c = 0; c < workload.containers.length; c += 1) {
          const entry = workload.containers[c] as ContainerEntry;
          const options = seLinuxOptionsIn(entry.container.securityContext);
          if (options !== undefined) out.push(...siteReports(options, entry.path, entry.name));
        }
        return out;
      },
    };
  },
});
