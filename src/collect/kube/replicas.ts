import { controllerOf, type KubeObject } from '../../core/resource.js';
import { WORKLOAD_KINDS } from '../../core/workload.js';

const WORKLOADS: ReadonlySet<string> = new Set(WORKLOAD_KINDS);

function isScaledToZero(object: KubeObject): boolean {
  const spec = object.spec;
  return object.kind === 'ReplicaSet' && spec !== null && typeof spec === 'object' && (spec as { replicas?: unknown }).replicas === 0;
}

function key(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

/**
 * Decides, object by object as a live collection reads them, which pod-template owners to keep.
 *
 * A Pod or ReplicaSet whose controller is in the inventory is judged through that controller,
 * never on its own (`Inventory.workloads`), so keeping every replica of every Deployment, and
 * every old ReplicaSet of its rollout history, would only cost memory. This keeps the first child
 * of each controller that was read (one live Pod per ReplicaSet, one ReplicaSet per Deployment that
 * is not scaled to zero, one Job per CronJob: a sample of what runs) and drops the rest, together
 * with the children of what it dropped. Objects without a controller in the inventory (bare Pods, static Pods, Pods of an
 * operator's custom resource) are always kept: they are workloads of their own.
 *
 * It relies on owners being read before what they own (the `stage` of each API resource).
 */
export class ReplicaSampler {
  /** Pod-template owners read so far, kept or dropped. */
  private readonly read = new Set<string>();
  private readonly kept = new Set<string>();
  /** Owners that already have their one kept child. */
  private readonly sampled = new Set<string>();
  /** How many objects were dropped: reported by the bench, and a test of the sampling. */
  dropped = 0;

  /** Whether to keep the object; call once per object, owners first. */
  accept(object: KubeObject): boolean {
    if (!WORKLOADS.has(object.kind)) return true;
    const namespace = typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : '';
    const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '';
    const self = key(object.kind, namespace, name);
    if (object.kind !== 'Pod') this.read.add(self); // a Pod owns nothing
    const owner = controllerOf(object);
    const ownerKey = owner === undefined ? undefined : key(owner.kind, namespace, owner.name);
    let keep = true;
    if (ownerKey !== undefined && this.read.has(ownerKey)) {
      // A ReplicaSet scaled to zero is rollout history: it never takes the sample's place.
      keep = this.kept.has(ownerKey) && !this.sampled.has(ownerKey) && !isScaledToZero(object);
      if (keep) this.sampled.add(ownerKey);
    }
    if (keep) this.kept.add(self);
    else this.dropped += 1;
    return keep;
  }
}
