import type { Report } from '../../core/finding.js';
import { safeSysctls } from '../../core/pod-security-standards.js';
import { defineRule } from '../define-rule.js';
import { asRecord } from '../shared/profiles.js';

type MessageId = 'unsafeSysctl' | 'slashSeparated' | 'removeSysctl' | 'useDottedName';

/**
 * The kubelet's reading of a sysctl name: when its first separator is `/`, `/` separates the
 * components and `.` is part of one (`net/ipv4/tcp_rmem` is `net.ipv4.tcp_rmem`).
 */
function normalizeSysctl(name: string): string {
  const slash = name.indexOf('/');
  const dot = name.indexOf('.');
  if (slash === -1 || (dot !== -1 && dot < slash)) return name;
  return name.replace(/[./]/g, (separator) => (separator === '/' ? '.' : '/'));
}

export default defineRule({
  id: 'no-unsafe-sysctls',
  meta: {
    area: 'workload',
    severity: 'medium',
    docs: { description: 'Disallow sysctls outside the Pod Security Standards safe set', controls: ['pss-baseline:sysctls', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      unsafeSysctl: 'Pod sets sysctl "{{sysctl}}", which is outside the Pod Security Standards safe set.',
      slashSeparated: 'Pod sets sysctl "{{sysctl}}" with "/" separators: the kubelet reads it as the safe "{{normalized}}", but Pod Security Admission compares names exactly and denies it.',
      removeSysctl: 'Remove sysctl "{{sysctl}}" from the pod securityContext.',
      useDottedName: 'Rename sysctl "{{sysctl}}" to "{{normalized}}".',
    },
    rationale: 'Only a few sysctls are isolated per pod and bounded in what they change. The others tune kernel state that neighbouring pods or the node share, can exhaust node resources or weaken kernel protections, and need the kubelet to allow them explicitly.',
    remediation: 'Remove sysctls outside the safe set from spec.securityContext.sysctls; tune node-wide kernel settings in the node configuration (launch template user data, Bottlerocket settings) instead.',
    hasSuggestions: true,
    fix: { useDottedName: 'safe', removeSysctl: 'review' },
  },
  defaultOptions: {},
  create: () => {
    const safe = safeSysctls();
    return {
      workload(workload): Report<MessageId>[] {
        const out: Report<MessageId>[] = [];
        const sysctls = asRecord(workload.podSpec.securityContext)?.sysctls;
        if (!Array.isArray(sysctls)) return out;
        const listPath = [...workload.podSpecPath, 'securityContext', 'sysctls'];
        for (const [i, item] of sysctls.entries()) {
          const sysctl = asRecord(item)?.name;
          // A nameless entry is rejected by the API server; there is nothing to judge.
          if (typeof sysctl !== 'string' || sysctl === '' || safe.has(sysctl)) continue;
          const path = [...listPath, i, 'name'];
          const normalized = normalizeSysctl(sysctl);
          if (normalized !== sysctl && safe.has(normalized)) {
            out.push({
              messageId: 'slashSeparated',
              path,
              data: { sysctl, normalized },
              suggest: [{ messageId: 'useDottedName', data: { sysctl, normalized }, patch: [{ op: 'replace', path, value: normalized }] }],
            });
            continue;
          }
          out.push({
            messageId: 'unsafeSysctl',
            path,
            data: { sysctl },
            suggest: [{ messageId: 'removeSysctl', data: { sysctl }, patch: [{ op: 'remove', path: [...listPath, i] }] }],
          });
        }
        return out;
      },
    };
  },
});
