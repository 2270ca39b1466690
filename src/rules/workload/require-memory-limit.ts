import type { PatchOp, Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { asRecord } from '../../core/json.js';
import type { ContainerEntry, Workload } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import {
  containerResources, hasPodLevelResources, isPositive, limitRangeDefaults, parseQuantity, podLevelResources, positiveQuantity, resolvedContainers,
  type LimitRangeDefaults,
} from '../shared/resources.js';

type MessageId = 'missingMemoryLimit' | 'invalidMemoryLimit' | 'setLimitToRequest';

function isRecordOrUnset(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value));
}

/** A pod-level memory limit (spec.resources.limits.memory) bounds all containers together. */
function hasPodMemoryLimit(workload: Workload, inventory: Inventory): boolean {
  return hasPodLevelResources(workload) && isPositive(podLevelResources(workload, resolvedContainers(workload, inventory)).limits.get('memory'));
}

/**
 * The memory limit the running container has, as `containerResources` resolves it: its own, else the
 * LimitRange's default. Read field by field, so a container that sets its limit builds no maps.
 */
function memoryLimit(entry: ContainerEntry, defaults: LimitRangeDefaults): unknown {
  return asRecord(asRecord(entry.container.resources)?.limits)?.memory ?? defaults.defaultLimit.get('memory');
}

/** Built only for a container without a memory limit: it resolves the container's resources in full. */
function missingLimitReport(workload: Workload, entry: ContainerEntry, defaults: LimitRangeDefaults): Report<MessageId> {
  const resources = containerResources(entry, defaults);
  const path = [...entry.path, 'resources', 'limits', 'memory'];
  const request = resources.requests.get('memory');
  const own = entry.container.resources;
  const canPatch = request?.origin === 'container' && positiveQuantity(request.value) !== undefined
    && isRecordOrUnset(own) && isRecordOrUnset((own as { limits?: unknown } | null | undefined)?.limits);
  const value = request?.value;
  const data = { container: entry.name, namespace: workload.namespace };
  if (!canPatch || (typeof value !== 'string' && typeof value !== 'number')) return { messageId: 'missingMemoryLimit', path, data };
  const patch: PatchOp[] = [{ op: resources.limits.has('memory') ? 'replace' : 'add', path, value }];
  return { messageId: 'missingMemoryLimit', path, data, suggest: [{ messageId: 'setLimitToRequest', data: { container: entry.name, value }, patch }] };
}

export default defineRule({
  id: 'require-memory-limit',
  meta: {
    area: 'workload',
    severity: 'medium',
    docs: { description: 'Require a memory limit on every container', controls: ['eks-bp:multi-tenancy', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    reads: ['LimitRange'],
    messages: {
      missingMemoryLimit: 'Container "{{container}}" has no memory limit, and no LimitRange in namespace "{{namespace}}" sets a default: it can take all of the node\'s memory and get its neighbours OOM-killed or evicted.',
      invalidMemoryLimit: 'Container "{{container}}" sets resources.limits.memory to "{{value}}", which is no Kubernetes quantity (such as 512Mi or 1G): the API server refuses the object.',
      setLimitToRequest: 'Set resources.limits.memory of container "{{container}}" to its memory request ({{value}}).',
    },
    rationale: 'Memory cannot be throttled, only reclaimed by killing. A container without a memory limit can grow until the node runs out, and then the kernel and the kubelet kill or evict other pods on the node, including other tenants\' pods; a leak or an attack on one workload becomes a denial of service for the node.',
    remediation: 'Set resources.limits.memory on every container and init container, usually equal to its memory request, or give the namespace a LimitRange with a default memory limit.',
    hasSuggestions: true,
    fix: 'review',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload, inventory): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      if (hasPodMemoryLimit(workload, inventory)) return out;
      const defaults = limitRangeDefaults(inventory, workload.namespace); // cached per namespace
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        // The API forbids resources on ephemeral containers.
        if (entry.group === 'ephemeralContainers') continue;
        if (positiveQuantity(memoryLimit(entry, defaults)) !== undefined) continue;
        // A limit that is no quantity ("512MB") is not missing but wrong: the API server refuses the object.
        const own: unknown = asRecord(asRecord(entry.container.resources)?.limits)?.memory;
        if ((typeof own === 'string' || typeof own === 'number') && parseQuantity(own) === undefined) {
          out.push({ messageId: 'invalidMemoryLimit', path: [...entry.path, 'resources', 'limits', 'memory'], data: { container: entry.name, value: String(own) } });
        } else out.push(missingLimitReport(workload, entry, defaults));
      }
      return out;
    },
  }),
});
