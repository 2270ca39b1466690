import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { asRecord } from '../../core/json.js';
import type { ContainerEntry, Workload } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import {
  COMPUTE_RESOURCES, hasPodLevelResources, isPositive, limitRangeDefaults, podLevelResources, positiveQuantity, resolvedContainers,
  type ComputeResource, type LimitRangeDefaults, type Quantity,
} from '../shared/resources.js';

const LABELS: Readonly<Record<ComputeResource, string>> = { cpu: 'CPU', memory: 'memory' };

type MessageId = 'missingRequests';

/**
 * The request the running container has for `name`, as `containerResources` resolves it: its own,
 * else its own limit (API defaulting), else the LimitRange's default. Read field by field, so a
 * container that sets its requests builds no maps.
 */
function resolvedRequest(entry: ContainerEntry, name: ComputeResource, defaults: LimitRangeDefaults): unknown {
  const resources = asRecord(entry.container.resources);
  return asRecord(resources?.requests)?.[name] ?? asRecord(resources?.limits)?.[name] ?? defaults.defaultRequest.get(name);
}

/** The resources for which neither the container nor the pod (spec.resources) reserves anything. */
function missingRequests(entry: ContainerEntry, pod: ReadonlyMap<ComputeResource, Quantity> | undefined, defaults: LimitRangeDefaults): ComputeResource[] | undefined {
  let missing: ComputeResource[] | undefined;
  for (const name of COMPUTE_RESOURCES) {
    if (positiveQuantity(resolvedRequest(entry, name, defaults)) === undefined && !isPositive(pod?.get(name))) (missing ??= []).push(name);
  }
  return missing;
}

/** Pod-level requests (spec.resources) reserve for the pod as a whole; the rare pod that sets them is resolved in full. */
function podRequests(workload: Workload, inventory: Inventory): ReadonlyMap<ComputeResource, Quantity> | undefined {
  return hasPodLevelResources(workload) ? podLevelResources(workload, resolvedContainers(workload, inventory)).requests : undefined;
}

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
    workload(workload, inventory): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      const pod = podRequests(workload, inventory);
      const defaults = limitRangeDefaults(inventory, workload.namespace); // cached per namespace
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        // The API forbids resources on ephemeral containers.
        if (entry.group === 'ephemeralContainers') continue;
        const missing = missingRequests(entry, pod, defaults);
        if (missing === undefined) continue;
        out.push({
          messageId: 'missingRequests',
          path: [...entry.path, 'resources', 'requests'],
          data: { container: entry.name, missing: missing.map((name) => LABELS[name]).join(' and ') },
        });
      }
      return out;
    },
  }),
});
