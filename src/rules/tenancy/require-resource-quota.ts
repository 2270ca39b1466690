import type { Report } from '../../core/finding.js';
import { namespaceOf, type Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { apiGroupOf } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { describeWorkloads, isRecord, isSystemNamespace, missingKindReason } from '../shared/namespaces.js';

export type MessageId = 'noResourceQuota';

function isResourceQuota(resource: KubeResource): boolean {
  return apiGroupOf(resource.object.apiVersion) === '';
}

/** A quota caps something only when it sets at least one `spec.hard` entry. */
function capsSomething(quota: KubeResource): boolean {
  const spec = quota.object.spec;
  return isRecord(spec) && isRecord(spec.hard) && Object.keys(spec.hard).length > 0;
}

const cache = new WeakMap<Inventory, ReadonlySet<string>>();

/** Namespaces with at least one ResourceQuota that sets hard limits. */
function quotaNamespaces(inventory: Inventory): ReadonlySet<string> {
  let found = cache.get(inventory);
  if (found === undefined) {
    found = new Set(inventory.ofKind('ResourceQuota').filter((q) => isResourceQuota(q) && capsSomething(q)).map((q) => namespaceOf(q) ?? 'default'));
    cache.set(inventory, found);
  }
  return found;
}

export default defineRule({
  id: 'require-resource-quota',
  meta: {
    area: 'tenancy',
    severity: 'medium',
    docs: { description: 'Require a ResourceQuota in every namespace that runs workloads', controls: ['eks-bp:multi-tenancy', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    reads: ['ResourceQuota'],
    messages: {
      noResourceQuota: 'Namespace "{{namespace}}" runs {{workloads}} but has no ResourceQuota with hard limits, so nothing caps the CPU, memory and objects its workloads can claim from the cluster.',
    },
    rationale: 'Without a ResourceQuota one namespace, through a bug, a runaway autoscaler or a compromised deployment, can claim all the cluster\'s CPU, memory, pods or load balancers and starve every other tenant: a denial of service from inside. A quota per namespace bounds what any one team or application can take.',
    remediation: 'Create a ResourceQuota in the namespace with hard limits on requests.cpu, requests.memory, limits.memory and the object counts that matter (pods, services.loadbalancers, persistentvolumeclaims), sized to what the namespace needs.',
  },
  defaultOptions: {},
  notEvaluated: (inventory) => missingKindReason(inventory, 'ResourceQuota', (i) => i.ofKind('ResourceQuota').some(isResourceQuota)),
  create: () => ({
    *namespace(target, inventory): Generator<Report<MessageId>, void, undefined> {
      if (target.workloads.length === 0 || isSystemNamespace(target.name)) return;
      if (quotaNamespaces(inventory).has(target.name)) return;
      yield { messageId: 'noResourceQuota', path: [], data: { namespace: target.name, workloads: describeWorkloads(target.workloads) } };
    },
  }),
});
