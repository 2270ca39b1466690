import type { Report } from '../../core/finding.js';
import { namespaceOf, type Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { apiGroupOf } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { describeWorkloads, isRecord, isSystemNamespace, missingKindReason } from '../shared/namespaces.js';

export type MessageId = 'noLimitRange';

/** The fields of a LimitRange item that constrain or default something. */
const CONSTRAINTS = ['default', 'defaultRequest', 'max', 'min', 'maxLimitRequestRatio'] as const;

function isLimitRange(resource: KubeResource): boolean {
  return apiGroupOf(resource.object.apiVersion) === '';
}

/**
 * A LimitRange bounds pods only through a `Container` or `Pod` item that sets something; one
 * that only bounds PersistentVolumeClaims leaves containers as they are.
 */
function boundsPods(range: KubeResource): boolean {
  const spec = range.object.spec;
  if (!isRecord(spec) || !Array.isArray(spec.limits)) return false;
  return (spec.limits as unknown[]).some((item) =>
    isRecord(item) && (item.type === 'Container' || item.type === 'Pod')
    && CONSTRAINTS.some((field) => {
      const value = item[field];
      return isRecord(value) && Object.keys(value).length > 0;
    }));
}

const cache = new WeakMap<Inventory, ReadonlySet<string>>();

function limitRangeNamespaces(inventory: Inventory): ReadonlySet<string> {
  let found = cache.get(inventory);
  if (found === undefined) {
    found = new Set(inventory.ofKind('LimitRange').filter((r) => isLimitRange(r) && boundsPods(r)).map((r) => namespaceOf(r) ?? 'default'));
    cache.set(inventory, found);
  }
  return found;
}

export default defineRule({
  id: 'require-limit-range',
  meta: {
    area: 'tenancy',
    severity: 'low',
    docs: { description: 'Require a LimitRange in every namespace that runs workloads', controls: ['eks-bp:multi-tenancy', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    reads: ['LimitRange'],
    messages: {
      noLimitRange: 'Namespace "{{namespace}}" runs {{workloads}} but has no LimitRange for containers or pods, so a container that sets no requests or limits runs unbounded (BestEffort) and nothing caps a single container.',
    },
    rationale: 'A LimitRange gives containers that forget their requests and limits sensible defaults, and caps what any single container or pod may ask for. Without one, a container without limits can use a whole node\'s memory and CPU and evict its neighbours, and a ResourceQuota on compute resources rejects such pods outright.',
    remediation: 'Create a LimitRange in the namespace with a Container item that sets defaultRequest and default (limits) for cpu and memory, and max where single containers must be capped.',
  },
  defaultOptions: {},
  notEvaluated: (inventory) => missingKindReason(inventory, 'LimitRange', (i) => i.ofKind('LimitRange').some(isLimitRange)),
  create: () => ({
    *namespace(target, inventory): Generator<Report<MessageId>, void, undefined> {
      if (target.workloads.length === 0 || isSystemNamespace(target.name)) return;
      if (limitRangeNamespaces(inventory).has(target.name)) return;
      yield { messageId: 'noLimitRange', path: [], data: { namespace: target.name, workloads: describeWorkloads(target.workloads) } };
    },
  }),
});
