/** The baseline sysctls check: only the names known to be namespaced and safe, per policy version. */
import type { FieldPath } from '../../core/finding.js';
import { SAFE_SYSCTLS_CHANGED_AT, safeSysctls } from '../../core/pod-security-standards.js';
import type { CheckFn, PssCheck } from '../check-types.js';
import { asArray, asRecord } from '../pod-view.js';

/** Names are compared exactly: the kubelet reads `net/ipv4/tcp_rmem` as `net.ipv4.tcp_rmem`, PSA does not. */
function sysctls(minor: number): CheckFn {
  const safe = safeSysctls(minor);
  return (pod) => {
    const forbidden: string[] = [];
    const paths: FieldPath[] = [];
    asArray(pod.securityContext?.sysctls).forEach((item, index) => {
      const entry = asRecord(item);
      if (entry === undefined) return;
      const name = typeof entry.name === 'string' ? entry.name : '';
      if (safe.has(name)) return;
      forbidden.push(name);
      paths.push(['spec', 'securityContext', 'sysctls', index, 'name']);
    });
    return forbidden.length === 0 ? undefined : { reason: 'forbidden sysctls', detail: forbidden.join(', '), paths };
  };
}

export const sysctlChecks: readonly PssCheck[] = [
  { id: 'sysctls', level: 'baseline', versions: SAFE_SYSCTLS_CHANGED_AT.map((since) => ({ since, check: sysctls(since) })) },
];
