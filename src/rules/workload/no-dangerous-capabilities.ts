import type { FieldPath, PatchOp, Report } from '../../core/finding.js';
import type { ContainerEntry } from '../../core/workload.js';
import { BASELINE_CAPABILITIES } from '../../core/pod-security-standards.js';
import { defineRule } from '../define-rule.js';
import { isRecord } from '../../core/json.js';

/** How the runtimes read a capability name: case-insensitive, with or without `CAP_`. */
function runtimeName(value: string): string {
  const upper = value.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

/** What `capabilities.add` holds, entry by entry, judged against the PSS baseline list (exact strings). */
type Verdict = { readonly kind: 'baseline' } | { readonly kind: 'misspelt'; readonly canonical: string } | { readonly kind: 'dangerous' };

function isBaseline(entry: unknown): boolean {
  return typeof entry === 'string' && BASELINE_CAPABILITIES.has(entry);
}

function judge(entry: unknown): Verdict {
  if (isBaseline(entry)) return { kind: 'baseline' };
  if (typeof entry === 'string' && BASELINE_CAPABILITIES.has(runtimeName(entry))) return { kind: 'misspelt', canonical: runtimeName(entry) };
  return { kind: 'dangerous' };
}

const display = (entry: unknown): string => (typeof entry === 'string' ? entry : JSON.stringify(entry) ?? String(entry));

export type MessageId = 'dangerousCapability' | 'misspeltCapability' | 'removeCapabilities' | 'useCanonicalName';

/** The reports for a container whose `capabilities.add` holds something beyond the baseline. */
function* addReports(entry: ContainerEntry, add: readonly unknown[]): Generator<Report<MessageId>, void, undefined> {
  const addPath: FieldPath = [...entry.path, 'securityContext', 'capabilities', 'add'];
  const verdicts = add.map(judge);
  const kept = add.filter((_: unknown, i) => verdicts[i]?.kind !== 'dangerous');
  const removed = [...new Set(add.filter((_: unknown, i) => verdicts[i]?.kind === 'dangerous').map(display))];
  // One patch for every dangerous entry: removing them one index at a time would shift the rest.
  const removeAll: PatchOp = kept.length > 0 ? { op: 'replace', path: addPath, value: kept } : { op: 'remove', path: addPath };
  for (const [index, verdict] of verdicts.entries()) {
    const capability = display(add[index]);
    const path = [...addPath, index];
    if (verdict.kind === 'dangerous') {
      yield {
        messageId: 'dangerousCapability',
        path,
        data: { container: entry.name, capability },
        suggest: [{ messageId: 'removeCapabilities', data: { container: entry.name, capabilities: removed.join(', ') }, patch: [removeAll] }],
      };
    } else if (verdict.kind === 'misspelt') {
      const data = { container: entry.name, capability, canonical: verdict.canonical };
      yield { messageId: 'misspeltCapability', path, data, suggest: [{ messageId: 'useCanonicalName', data, patch: [{ op: 'replace', path, value: verdict.canonical }] }] };
    }
  }
}

export default defineRule({
  id: 'no-dangerous-capabilities',
  meta: {
    area: 'workload',
    severity: 'high',
    docs: { description: 'Disallow adding capabilities beyond the Pod Security Standards baseline set', controls: ['pss-baseline:capabilities_baseline', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      dangerousCapability: 'Container "{{container}}" adds capability {{capability}}, which is outside the Pod Security Standards baseline set.',
      misspeltCapability: 'Container "{{container}}" adds capability "{{capability}}": Pod Security Admission compares exact names and rejects it; write it as {{canonical}}.',
      removeCapabilities: 'Remove {{capabilities}} from capabilities.add of container "{{container}}".',
      useCanonicalName: 'Write "{{capability}}" as {{canonical}} in capabilities.add of container "{{container}}".',
    },
    rationale: 'Capabilities beyond the runtime defaults hand a container pieces of root: SYS_ADMIN allows mounts and most escapes, NET_ADMIN rewrites the node\'s network when combined with hostNetwork, SYS_PTRACE reads other processes\' memory, SYS_MODULE loads kernel modules, and ALL grants every one of them.',
    remediation: 'Remove the capability from capabilities.add, or replace the need for it (run the privileged step in a vetted node agent, use a CSI driver instead of mounting, use NET_BIND_SERVICE or a port above 1024 instead of NET_ADMIN).',
    hasSuggestions: true,
    fix: { useCanonicalName: 'safe', removeCapabilities: 'review' },
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        const securityContext: unknown = entry.container.securityContext;
        const capabilities = isRecord(securityContext) ? securityContext.capabilities : undefined;
        const add = isRecord(capabilities) ? capabilities.add : undefined;
        // Most containers add nothing or only baseline capabilities: judge them without building anything.
        if (!Array.isArray(add) || add.every(isBaseline)) continue;
        out.push(...addReports(entry, add));
      }
      return out;
    },
  }),
});
