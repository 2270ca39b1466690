/**
 * What the namespace-level rules share: which namespaces Kubernetes itself runs, how to tell a
 * whole-cluster dump from a chart, and how to name a namespace's workloads in a message.
 */
import type { Inventory } from '../../core/inventory.js';
import type { Workload } from '../../core/workload.js';
import { isRecord } from '../../core/json.js';
export { isRecord } from '../../core/json.js';

/**
 * Namespaces Kubernetes and EKS create for the control plane's own use. Quotas, limit ranges,
 * default-deny policies and Pod Security labels there are not what Kubernetes or EKS ship, and
 * setting them can break the cluster's own components, so the tenancy and network rules skip them.
 */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

export function isSystemNamespace(name: string): boolean {
  return SYSTEM_NAMESPACES.has(name);
}

const namespaceObjectCache = new WeakMap<Inventory, boolean>();

/** Whether the input holds any core Namespace object: the mark of a whole-cluster dump (or of a chart that manages its namespace). */
export function hasNamespaceObjects(inventory: Inventory): boolean {
  let found = namespaceObjectCache.get(inventory);
  if (found === undefined) {
    found = inventory.namespaces.some((ns) => ns.declared);
    namespaceObjectCache.set(inventory, found);
  }
  return found;
}

/**
 * Why a namespace rule that needs objects of `kind` cannot judge this input, or undefined when it
 * can: it can when the input holds any object of that kind (the user manages them there) or any
 * Namespace object (a cluster dump, where their absence is real).
 */
export function missingKindReason(inventory: Inventory, kind: string, matches: (inventory: Inventory) => boolean): string | undefined {
  if (matches(inventory) || hasNamespaceObjects(inventory)) return undefined;
  return `no ${kind} objects in the input, and no Namespace objects to show it is a whole-cluster dump`;
}

/** How many workloads a message names before "and N more". */
const MAX_NAMED = 3;

/** `Deployment web, StatefulSet db and 2 more`, for messages. */
export function describeWorkloads(workloads: readonly Workload[]): string {
  const names = workloads.map((w) => `${w.object.kind} ${w.ref.name}`);
  if (names.length <= MAX_NAMED) return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
  return `${names.slice(0, MAX_NAMED).join(', ')} and ${names.length - MAX_NAMED} more`;
}

/** The string-valued labels of an object's metadata, tolerant of malformed input. */
export function stringMap(value: unknown): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  if (!isRecord(value)) return map;
  // Keys by index: every workload's labels and Service's annotations pass here, mostly unoptimised,
  // and Object.entries with for...of made a pair and an iterator step for each.
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    const entry = value[key];
    if (typeof entry === 'string') map.set(key, entry);
  }
  return map;
}
