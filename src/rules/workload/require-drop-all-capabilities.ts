import type { FieldPath, PatchOp, Report } from '../../core/finding.js';
import { RESTRICTED_ADDABLE_CAPABILITIES } from '../../core/pod-security-standards.js';
import type { ContainerEntry } from '../../core/workload.js';
import { isWindowsPod } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { isRecord } from '../../core/json.js';

const isMissing = (value: unknown): boolean => value === undefined || value === null;

/** `all`, `cap_all`, ` ALL `: what a runtime reads as ALL but Pod Security Admission does not. */
const isMisspeltAll = (value: unknown): boolean => typeof value === 'string' && value !== 'ALL' && /^(?:CAP_)?ALL$/.test(value.trim().toUpperCase());

/** The patch that puts `ALL` into `capabilities.drop`, creating what is missing; undefined when a scalar is in the way. */
function dropAllPatch(entry: ContainerEntry): PatchOp | undefined {
  const securityContext: unknown = entry.container.securityContext;
  if (isMissing(securityContext)) return { op: 'add', path: [...entry.path, 'securityContext'], value: { capabilities: { drop: ['ALL'] } } };
  if (!isRecord(securityContext)) return undefined;
  const capabilities = securityContext.capabilities;
  if (isMissing(capabilities)) return { op: 'add', path: capabilitiesPath(entry), value: { drop: ['ALL'] } };
  if (!isRecord(capabilities)) return undefined;
  if (Array.isArray(capabilities.drop)) return { op: 'add', path: capabilitiesPath(entry, 'drop', '-'), value: 'ALL' };
  return { op: isMissing(capabilities.drop) ? 'add' : 'replace', path: capabilitiesPath(entry, 'drop'), value: ['ALL'] };
}

const display = (entry: unknown): string => (typeof entry === 'string' ? entry : JSON.stringify(entry) ?? String(entry));

/** NET_BIND_SERVICE and nothing else may be added back. */
const isAddable = (value: unknown): boolean => typeof value === 'string' && RESTRICTED_ADDABLE_CAPABILITIES.has(value);

/** `securityContext.capabilities` of the container, then `rest`: built only when a report needs it. */
function capabilitiesPath(entry: ContainerEntry, ...rest: readonly (string | number)[]): FieldPath {
  return [...entry.path, 'securityContext', 'capabilities', ...rest];
}

export type MessageId = 'missingDropAll' | 'privilegedNoDrop' | 'misspeltDropAll' | 'addsCapability' | 'addDropAll' | 'spellAll' | 'removeAddedCapabilities';

/** The report for a container whose `drop` lacks the exact string `ALL`. */
function dropAllReport(entry: ContainerEntry, drop: unknown): Report<MessageId> {
  const container = entry.name;
  const misspelt = Array.isArray(drop) ? drop.findIndex(isMisspeltAll) : -1;
  if (Array.isArray(drop) && misspelt !== -1) {
    const path = capabilitiesPath(entry, 'drop', misspelt);
    const data = { container, value: display(drop[misspelt]) };
    return { messageId: 'misspeltDropAll', path, data, suggest: [{ messageId: 'spellAll', data, patch: [{ op: 'replace', path, value: 'ALL' }] }] };
  }
  const path = capabilitiesPath(entry, 'drop');
  // The runtime grants a privileged container every capability and ignores capabilities.drop:
  // adding ALL would clear the finding and change nothing.
  if (isRecord(entry.container.securityContext) && entry.container.securityContext.privileged === true) {
    return { messageId: 'privilegedNoDrop', path, data: { container } };
  }
  const patch = dropAllPatch(entry);
  if (patch === undefined) return { messageId: 'missingDropAll', path, data: { container } };
  return { messageId: 'missingDropAll', path, data: { container }, suggest: [{ messageId: 'addDropAll', data: { container }, patch: [patch] }] };
}

/** One report per capability in `add` that may not be added back, in order; `add` has at least one. */
function* addedCapabilityReports(entry: ContainerEntry, add: readonly unknown[]): Generator<Report<MessageId>, void, undefined> {
  const container = entry.name;
  const addPath = capabilitiesPath(entry, 'add');
  const kept = add.filter(isAddable);
  const removed = [...new Set(add.filter((value: unknown) => !isAddable(value)).map(display))];
  // One patch for every entry: removing them one index at a time would shift the rest.
  const removeAll: PatchOp = kept.length > 0 ? { op: 'replace', path: addPath, value: kept } : { op: 'remove', path: addPath };
  for (const [index, value] of add.entries()) {
    if (isAddable(value)) continue;
    yield {
      messageId: 'addsCapability',
      path: [...addPath, index],
      data: { container, capability: display(value) },
      suggest: [{ messageId: 'removeAddedCapabilities', data: { container, capabilities: removed.join(', ') }, patch: [removeAll] }],
    };
  }
}

export default defineRule({
  id: 'require-drop-all-capabilities',
  meta: {
    area: 'workload',
    severity: 'medium',
    docs: { description: 'Require containers to drop all capabilities and add back only NET_BIND_SERVICE', controls: ['pss-restricted:capabilities_restricted', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      missingDropAll: 'Container "{{container}}" does not drop ALL capabilities, so it keeps the runtime\'s default set (including NET_RAW, SETUID and DAC_OVERRIDE).',
      privilegedNoDrop: 'Container "{{container}}" runs privileged, so it holds every capability; it does not drop ALL either, and dropping ALL would change nothing while privileged: true stays.',
      misspeltDropAll: 'Container "{{container}}" drops "{{value}}", but Pod Security Admission only recognises the exact string "ALL".',
      addsCapability: 'Container "{{container}}" adds back capability {{capability}}; after dropping ALL, only NET_BIND_SERVICE may be added.',
      addDropAll: 'Add "ALL" to capabilities.drop of container "{{container}}".',
      spellAll: 'Write "{{value}}" as "ALL" in capabilities.drop of container "{{container}}".',
      removeAddedCapabilities: 'Remove {{capabilities}} from capabilities.add of container "{{container}}".',
    },
    rationale: 'The capabilities a runtime grants by default (NET_RAW, SETUID, SETGID, DAC_OVERRIDE, CHOWN, FOWNER, MKNOD and more) are what many escapes and lateral moves need: NET_RAW allows ARP and DNS spoofing of neighbouring pods, SETUID and DAC_OVERRIDE turn a foothold into root inside the container. Few applications need any of them.',
    remediation: 'Set securityContext.capabilities.drop: ["ALL"] on every container and add back only NET_BIND_SERVICE when the process must bind a port below 1024.',
    hasSuggestions: true,
    fix: { addDropAll: 'safe', spellAll: 'safe', removeAddedCapabilities: 'review' },
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      // Pod Security Admission exempts Windows pods: Linux capabilities do not apply.
      if (isWindowsPod(workload)) return out;
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        const securityContext: unknown = entry.container.securityContext;
        const capabilities = isRecord(securityContext) ? securityContext.capabilities : undefined;
        const drop = isRecord(capabilities) ? capabilities.drop : undefined;
        if (!(Array.isArray(drop) && drop.includes('ALL'))) out.push(dropAllReport(entry, drop));
        const add = isRecord(capabilities) ? capabilities.add : undefined;
        if (Array.isArray(add) && !add.every(isAddable)) out.push(...addedCapabilityReports(entry, add));
      }
      return out;
    },
  }),
});
