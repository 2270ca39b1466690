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
  const contextPath: FieldPath = [...entry.path, 'securityContext'];
  const securityContext: unknown = entry.container.securityContext;
  if (isMissing(securityContext)) return { op: 'add', path: contextPath, value: { capabilities: { drop: ['ALL'] } } };
  if (!isRecord(securityContext)) return undefined;
  const capabilities = securityContext.capabilities;
  if (isMissing(capabilities)) return { op: 'add', path: [...contextPath, 'capabilities'], value: { drop: ['ALL'] } };
  if (!isRecord(capabilities)) return undefined;
  const dropPath = [...contextPath, 'capabilities', 'drop'];
  if (Array.isArray(capabilities.drop)) return { op: 'add', path: [...dropPath, '-'], value: 'ALL' };
  return { op: isMissing(capabilities.drop) ? 'add' : 'replace', path: dropPath, value: ['ALL'] };
}

const display = (entry: unknown): string => (typeof entry === 'string' ? entry : JSON.stringify(entry) ?? String(entry));

export type MessageId = 'missingDropAll' | 'misspeltDropAll' | 'addsCapability' | 'addDropAll' | 'spellAll' | 'removeAddedCapabilities';

export default defineRule({
  id: 'require-drop-all-capabilities',
  meta: {
    area: 'workload',
    severity: 'medium',
    docs: { description: 'Require containers to drop all capabilities and add back only NET_BIND_SERVICE', controls: ['pss-restricted:capabilities_restricted', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      missingDropAll: 'Container "{{container}}" does not drop ALL capabilities, so it keeps the runtime\'s default set (including NET_RAW, SETUID and DAC_OVERRIDE).',
      misspeltDropAll: 'Container "{{container}}" drops "{{value}}", but Pod Security Admission only recognises the exact string "ALL".',
      addsCapability: 'Container "{{container}}" adds back capability {{capability}}; after dropping ALL, only NET_BIND_SERVICE may be added.',
      addDropAll: 'Add "ALL" to capabilities.drop of container "{{container}}".',
      spellAll: 'Write "{{value}}" as "ALL" in capabilities.drop of container "{{container}}".',
      removeAddedCapabilities: 'Remove {{capabilities}} from capabilities.add of container "{{container}}".',
    },
    rationale: 'The capabilities a runtime grants by default (NET_RAW, SETUID, SETGID, DAC_OVERRIDE, CHOWN, FOWNER, MKNOD and more) are what many escapes and lateral moves need: NET_RAW allows ARP and DNS spoofing of neighbouring pods, SETUID and DAC_OVERRIDE turn a foothold into root inside the container. Few applications need any of them.',
    remediation: 'Set securityContext.capabilities.drop: ["ALL"] on every container and add back only NET_BIND_SERVICE when the process must bind a port below 1024.',
    hasSuggestions: true,
  },
  defaultOptions: {},
  create: () => ({
    *workload(workload): Generator<Report<MessageId>, void, undefined> {
      // Pod Security Admission exempts Windows pods: Linux capabilities do not apply.
      if (isWindowsPod(workload)) return;
      for (const entry of workload.containers) {
        const securityContext: unknown = entry.container.securityContext;
        const capabilities = isRecord(securityContext) ? securityContext.capabilities : undefined;
        const capabilitiesPath: FieldPath = [...entry.path, 'securityContext', 'capabilities'];
        const drop = isRecord(capabilities) ? capabilities.drop : undefined;
        const add = isRecord(capabilities) ? capabilities.add : undefined;
        const container = entry.name;

        if (!(Array.isArray(drop) && drop.includes('ALL'))) {
          const misspelt = Array.isArray(drop) ? drop.findIndex(isMisspeltAll) : -1;
          if (Array.isArray(drop) && misspelt !== -1) {
            const path = [...capabilitiesPath, 'drop', misspelt];
            const data = { container, value: display(drop[misspelt]) };
            yield { messageId: 'misspeltDropAll', path, data, suggest: [{ messageId: 'spellAll', data, patch: [{ op: 'replace', path, value: 'ALL' }] }] };
          } else {
            const patch = dropAllPatch(entry);
            yield {
              messageId: 'missingDropAll',
              path: [...capabilitiesPath, 'drop'],
              data: { container },
              ...(patch ? { suggest: [{ messageId: 'addDropAll', data: { container }, patch: [patch] }] } : {}),
            };
          }
        }

        if (!Array.isArray(add)) continue;
        const addPath = [...capabilitiesPath, 'add'];
        const allowed = (value: unknown) => typeof value === 'string' && RESTRICTED_ADDABLE_CAPABILITIES.has(value);
        const kept = add.filter(allowed);
        const removed = [...new Set(add.filter((value: unknown) => !allowed(value)).map(display))];
        // One patch for every entry: removing them one index at a time would shift the rest.
        const removeAll: PatchOp = kept.length > 0 ? { op: 'replace', path: addPath, value: kept } : { op: 'remove', path: addPath };
        for (const [index, value] of add.entries()) {
          if (allowed(value)) continue;
          yield {
            messageId: 'addsCapability',
            path: [...addPath, index],
            data: { container, capability: display(value) },
            suggest: [{ messageId: 'removeAddedCapabilities', data: { container, capabilities: removed.join(', ') }, patch: [removeAll] }],
          };
        }
      }
    },
  }),
});
