/**
 * Whether the input shows a whole cluster rather than some manifests: a live cluster or a
 * snapshot of one, or a dump that holds kube-system's DaemonSets (where every EKS cluster runs its
 * CNI and kube-proxy). Rules about what a cluster lacks (an admission engine, an external secret
 * store) are judged only then: a directory of manifests lacking them says nothing. Pure.
 */
import type { Inventory } from '../../core/inventory.js';
import { controllerOf } from '../../core/resource.js';

const cache = new WeakMap<Inventory, boolean>();

export function isWholeClusterView(inventory: Inventory): boolean {
  let whole = cache.get(inventory);
  if (whole === undefined) {
    whole = inventory.evidence.has('cluster') || inventory.workloads.some((w) => w.namespace === 'kube-system'
      && (w.object.kind === 'DaemonSet' || controllerOf(w.object)?.kind === 'DaemonSet'));
    cache.set(inventory, whole);
  }
  return whole;
}

export const NOT_WHOLE_CLUSTER = 'the input is not a whole cluster (a live cluster, a snapshot, or a dump holding kube-system\'s DaemonSets), so what the cluster lacks cannot be told from it';
