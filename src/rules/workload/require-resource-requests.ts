import { defineRule } from '../define-rule.js';
import { COMPUTE_RESOURCES, hasPodLevelResources, isPositive, podLevelResources, positiveQuantity, resolvedContainers, type ComputeResource } from '../shared/resources.js';

const LABELS: Readonly<Record<ComputeResource, string>> = { cpu: 'CPU', memory: 'memory' };

export default defineRule({
  id: 'require-resource-requests',
  meta: {
    area: 'workload',
    severity: 'medium',
    docs: { description: 'Require CPU and memory requests on every container', controls: ['eks-bp:multi-tenancy', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    reads: ['LimitRange'],
    messages: {
      missingRequests: 'Container "{{container}}" has no {{missing}} request, and no limit or LimitRange default supplies one: the scheduler places it as if it needed nothing.',
    },
    rationale: 'Requests are what the scheduler reserves on a node. A container without them can land on a node that has no room for it, competes unaccounted with its neighbours, and makes ResourceQuotas on requests unenforceable; with no request for either resource its pod falls to the BestEffort QoS class, evicted first under node pressure.',
    remediation: 'Set resources.requests.cpu and resources.requests.memory on every container and init container to what it needs under normal load, or give the namespace a LimitRange with defaultRequest values.',
  },
  defaultOptions: {},
  create: () => ({
    *workload(workload, inventory) {
      const containers = resolvedContainers(workload, inventory);
      // Pod-level requests (spec.resources) reserve for the pod as a whole.
      const pod = hasPodLevelResources(workload) ? podLevelResources(workload, containers) : undefined;
      for (const { entry, resources } of containers) {
        const missing = COMPUTE_RESOURCES.filter((name) =>
          positiveQuantity(resources.requests.get(name)?.value) === undefined && !isPositive(pod?.requests.get(name)));
        if (missing.length === 0) continue;
        yield {
          messageId: 'missingRequests',
          path: [...entry.path, 'resources', 'requests'],
          data: { container: entry.name, missing: missing.map((name) => LABELS[name]).join(' and ') },
        };
      }
    },
  }),
});
