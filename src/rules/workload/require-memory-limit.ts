import type { PatchOp } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { hasPodLevelResources, isPositive, podLevelResources, positiveQuantity, resolvedContainers } from '../shared/resources.js';

function isRecordOrUnset(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value));
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
      setLimitToRequest: 'Set resources.limits.memory of container "{{container}}" to its memory request ({{value}}).',
    },
    rationale: 'Memory cannot be throttled, only reclaimed by killing. A container without a memory limit can grow until the node runs out, and then the kernel and the kubelet kill or evict other pods on the node, including other tenants\' pods; a leak or an attack on one workload becomes a denial of service for the node.',
    remediation: 'Set resources.limits.memory on every container and init container, usually equal to its memory request, or give the namespace a LimitRange with a default memory limit.',
    hasSuggestions: true,
  },
  defaultOptions: {},
  create: () => ({
    *workload(workload, inventory) {
      const containers = resolvedContainers(workload, inventory);
      // A pod-level memory limit (spec.resources.limits.memory) bounds all containers together.
      if (hasPodLevelResources(workload) && isPositive(podLevelResources(workload, containers).limits.get('memory'))) return;
      for (const { entry, resources } of containers) {
        if (positiveQuantity(resources.limits.get('memory')?.value) !== undefined) continue;
        const path = [...entry.path, 'resources', 'limits', 'memory'];
        const request = resources.requests.get('memory');
        const own = entry.container.resources;
        const canPatch = request?.origin === 'container' && positiveQuantity(request.value) !== undefined
          && isRecordOrUnset(own) && isRecordOrUnset((own as { limits?: unknown } | null | undefined)?.limits);
        const value = request?.value;
        const patch: PatchOp[] = [{ op: resources.limits.has('memory') ? 'replace' : 'add', path, value }];
        yield {
          messageId: 'missingMemoryLimit',
          path,
          data: { container: entry.name, namespace: workload.namespace },
          ...(canPatch && (typeof value === 'string' || typeof value === 'number')
            ? { suggest: [{ messageId: 'setLimitToRequest', data: { container: entry.name, value }, patch }] }
            : {}),
        };
      }
    },
  }),
});
