/**
 * Whether the input shows a whole cluster rather than some manifests: a live cluster or a
 * snapshot of one, or a dump that holds kube-system's DaemonSets (where every EKS cluster runs its
 * CNI and kube-proxy) as read from the API server. Rules about what a cluster lacks (an admission
 * engine, an external secret store) are judged only then: a directory of manifests lacking them
 * says nothing. Pure.
 */
import { namespaceOf, type Inventory } from '../../core/inventory.js';
import { isRecord } from '../../core/json.js';
import { controllerOf, type KubeObject } from '../../core/resource.js';

const cache = new WeakMap<Inventory, boolean>();

export function isWholeClusterView(inventory: Inventory): boolean {
  let whole = cache.get(inventory);
  if (whole === undefined) {
    // Pods are read from all objects: those whose DaemonSet is in the input are no workloads of their own.
    whole = inventory.evidence.has('cluster')
      || inventory.ofKind('DaemonSet').some((d) => namespaceOf(d) === 'kube-system' && isReadFromCluster(d.object))
      || inventory.ofKind('Pod').some((p) => namespaceOf(p) === 'kube-system' && controllerOf(p.object)?.kind === 'DaemonSet');
    cache.set(inventory, whole);
  }
  return whole;
}

/**
 * Whether the API server wrote this object's metadata (`kubectl get -o yaml` keeps uid,
 * resourceVersion and creationTimestamp): the install manifests of the VPC CNI, kube-proxy or a CSI
 * driver ship a kube-system DaemonSet too, but are one add-on, not a cluster.
 */
function isReadFromCluster(object: KubeObject): boolean {
  const metadata: unknown = object.metadata;
  return isRecord(metadata) && (typeof metadata.uid === 'string' || typeof metadata.creationTimestamp === 'string' || typeof metadata.resourceVersion === 'string');
}

export const NOT_WHOLE_CLUSTER = 'the input is not a whole cluster (a live cluster, a snapshot, or a dump of kube-system\'s DaemonSets read from the API server), so what the cluster lacks cannot be told from it';
