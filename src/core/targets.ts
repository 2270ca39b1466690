import type { AwsTargetMap } from './aws/targets.js';
import type { NamespaceTarget } from './inventory.js';
import type { KubeResource } from './resource.js';
import type { Workload } from './workload.js';

/**
 * What a rule handler can be keyed by: normalised workloads, every object, or one Kubernetes
 * kind. A closed map, like ESLint's node types: the engine knows how to enumerate each key.
 */
export interface TargetMap extends AwsTargetMap {
  readonly workload: Workload;
  readonly object: KubeResource;
  /** Every namespace the input declares or runs workloads in (see `Inventory.namespaces`). */
  readonly namespace: NamespaceTarget;
  readonly Namespace: KubeResource;
  readonly ServiceAccount: KubeResource;
  readonly Secret: KubeResource;
  readonly ConfigMap: KubeResource;
  readonly Role: KubeResource;
  readonly ClusterRole: KubeResource;
  readonly RoleBinding: KubeResource;
  readonly ClusterRoleBinding: KubeResource;
  readonly NetworkPolicy: KubeResource;
  readonly Service: KubeResource;
  readonly Ingress: KubeResource;
  readonly StorageClass: KubeResource;
  readonly PersistentVolume: KubeResource;
  readonly Node: KubeResource;
  /** A node's kubelet configuration, read with --kubelet-config (src/core/kubelet-config.ts). */
  readonly KubeletConfiguration: KubeResource;
}

export type TargetKind = keyof TargetMap;

/** What a handler can be given: a Kubernetes object (or a view of one) or an AWS resource. */
export type Target = TargetMap[TargetKind];
