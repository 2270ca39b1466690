/**
 * Compute resources as Kubernetes resolves them: quantities compared by value, a container's
 * requests defaulted from its limits, LimitRange defaults filled in at admission, pod-level
 * resources, and the pod's QoS class (`GetPodQOS`). Pure functions over the inventory.
 */
import { namespaceOf, type Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { apiGroupOf, type ContainerEntry, type Workload } from '../../core/workload.js';
import { asRecord } from '../../core/json.js';

// ---------------------------------------------------------------------------------------------
// Quantities
// ---------------------------------------------------------------------------------------------

/** A quantity as an exact fraction, so `1` == `1000m` and `1Gi` == `1024Mi` compare equal. */
export interface Quantity {
  readonly num: bigint;
  /** Always positive. */
  readonly den: bigint;
}

const ZERO: Quantity = { num: 0n, den: 1n };

const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

// The exponent form (`1e3`) is tried before the `E` (exa) suffix.
const QUANTITY_PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/;

function scaleBy10(q: Quantity, exponent: number): Quantity {
  return exponent >= 0 ? { num: q.num * 10n ** BigInt(exponent), den: q.den } : { num: q.num, den: q.den * 10n ** BigInt(-exponent) };
}

// Quantities repeat across a cluster (`100m`, `128Mi`): memoise the exact parse, bounded.
const quantityCache = new Map<string, Quantity | undefined>();

/** Parses a Kubernetes quantity (`100m`, `1.5Gi`, `2e3`, or a YAML number); undefined when it is not one. */
export function parseQuantity(value: unknown): Quantity | undefined {
  if (typeof value !== 'string') return parseQuantityUncached(value);
  if (quantityCache.has(value)) return quantityCache.get(value);
  if (quantityCache.size > 10_000) quantityCache.clear();
  const parsed = parseQuantityUncached(value);
  quantityCache.set(value, parsed);
  return parsed;
}

function parseQuantityUncached(value: unknown): Quantity | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value).replace('e+', 'e');
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return undefined;
  }
  const match = QUANTITY_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, sign = '', digits = '', suffix = ''] = match;
  const [whole = '', fraction = ''] = digits.split('.');
  let q: Quantity = { num: BigInt(`${whole}${fraction}` || '0') * (sign === '-' ? -1n : 1n), den: 10n ** BigInt(fraction.length) };
  const binary = BINARY_SUFFIXES[suffix];
  const decimal = DECIMAL_SUFFIXES[suffix];
  if (binary !== undefined) q = { num: q.num * 2n ** BigInt(binary), den: q.den };
  else if (decimal !== undefined) q = scaleBy10(q, decimal);
  else q = scaleBy10(q, Number(suffix.slice(1)));
  return q;
}

export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

function maxQuantity(a: Quantity, b: Quantity): Quantity {
  return compareQuantities(a, b) >= 0 ? a : b;
}

export function isPositive(q: Quantity | undefined): q is Quantity {
  return q !== undefined && q.num > 0n; // the denominator is always positive
}

/** The quantity when `value` parses to more than zero; zero, negative and malformed values are no quantity. */
export function positiveQuantity(value: unknown): Quantity | undefined {
  const q = parseQuantity(value);
  return isPositive(q) ? q : undefined;
}

// ---------------------------------------------------------------------------------------------
// Container requests and limits, after defaulting
// ---------------------------------------------------------------------------------------------

/** The resources the QoS class and the resource rules look at. */
export const COMPUTE_RESOURCES = ['cpu', 'memory'] as const;
export type ComputeResource = (typeof COMPUTE_RESOURCES)[number];

/** Where a container's request or limit comes from. */
export type ResourceOrigin = 'container' | 'limit' | 'limitRange';

export interface ResolvedQuantity {
  /** The raw value as written (a string or number). */
  readonly value: unknown;
  readonly origin: ResourceOrigin;
}

export interface ContainerResources {
  readonly requests: ReadonlyMap<string, ResolvedQuantity>;
  readonly limits: ReadonlyMap<string, ResolvedQuantity>;
}

/** What `Container`-type LimitRanges in a namespace fill into containers that leave a resource unset. */
export interface LimitRangeDefaults {
  readonly defaultRequest: ReadonlyMap<string, unknown>;
  readonly defaultLimit: ReadonlyMap<string, unknown>;
}

const NO_DEFAULTS: LimitRangeDefaults = { defaultRequest: new Map(), defaultLimit: new Map() };

function entriesOf(value: unknown): [string, unknown][] {
  return Object.entries(asRecord(value) ?? {}).filter(([, v]) => v !== undefined && v !== null);
}

function isLimitRange(resource: KubeResource): boolean {
  return resource.object.kind === 'LimitRange' && apiGroupOf(resource.object.apiVersion) === '';
}

const defaultsCache = new WeakMap<Inventory, Map<string, LimitRangeDefaults>>();

/**
 * The container defaults the LimitRanger admission plugin applies in `namespace`, as the API
 * server defaults each `Container` item (`default` falls back to `max`; `defaultRequest` to
 * `default`, then `min`). Within one LimitRange a later item wins; across LimitRanges the first
 * (by name) that sets a resource wins, as the plugin never overwrites a value it has filled in.
 */
export function limitRangeDefaults(inventory: Inventory, namespace: string): LimitRangeDefaults {
  let byNamespace = defaultsCache.get(inventory);
  if (byNamespace === undefined) {
    byNamespace = new Map();
    defaultsCache.set(inventory, byNamespace);
  }
  const cached = byNamespace.get(namespace);
  if (cached !== undefined) return cached;

  const ranges = inventory.ofKind('LimitRange')
    .filter((r) => isLimitRange(r) && namespaceOf(r) === namespace)
    .sort((a, b) => (a.ref.name < b.ref.name ? -1 : a.ref.name > b.ref.name ? 1 : 0));
  const defaultRequest = new Map<string, unknown>();
  const defaultLimit = new Map<string, unknown>();
  for (const range of ranges) {
    const items = asRecord(range.object.spec)?.limits;
    if (!Array.isArray(items)) continue;
    const rangeRequest = new Map<string, unknown>();
    const rangeLimit = new Map<string, unknown>();
    for (const raw of items) {
      const item = asRecord(raw);
      if (item?.type !== 'Container') continue;
      const itemLimit = new Map(entriesOf(item.default));
      for (const [key, value] of entriesOf(item.max)) if (!itemLimit.has(key)) itemLimit.set(key, value);
      const itemRequest = new Map(entriesOf(item.defaultRequest));
      for (const [key, value] of itemLimit) if (!itemRequest.has(key)) itemRequest.set(key, value);
      for (const [key, value] of entriesOf(item.min)) if (!itemRequest.has(key)) itemRequest.set(key, value);
      for (const [key, value] of itemLimit) rangeLimit.set(key, value);
      for (const [key, value] of itemRequest) rangeRequest.set(key, value);
    }
    for (const [key, value] of rangeLimit) if (!defaultLimit.has(key)) defaultLimit.set(key, value);
    for (const [key, value] of rangeRequest) if (!defaultRequest.has(key)) defaultRequest.set(key, value);
  }
  const result = defaultRequest.size === 0 && defaultLimit.size === 0 ? NO_DEFAULTS : { defaultRequest, defaultLimit };
  byNamespace.set(namespace, result);
  return result;
}

/**
 * A container's requests and limits as the running pod has them: its own, a missing request
 * defaulted to its own limit (API defaulting), then whatever a LimitRange fills in (admission).
 */
export function containerResources(entry: ContainerEntry, defaults: LimitRangeDefaults = NO_DEFAULTS): ContainerResources {
  const resources = asRecord(entry.container.resources);
  const requests = new Map<string, ResolvedQuantity>();
  const limits = new Map<string, ResolvedQuantity>();
  setOwn(requests, resources?.requests, 'container');
  setOwn(limits, resources?.limits, 'container');
  limits.forEach(({ value }, key) => fillIn(requests, key, value, 'limit'));
  defaults.defaultLimit.forEach((value, key) => fillIn(limits, key, value, 'limitRange'));
  defaults.defaultRequest.forEach((value, key) => fillIn(requests, key, value, 'limitRange'));
  return { requests, limits };
}

/** Each set (non-null) field of `record`, in `Object.entries` order, without building the entries. */
function setOwn(into: Map<string, ResolvedQuantity>, record: unknown, origin: ResourceOrigin): void {
  const fields = asRecord(record);
  for (const key in fields) {
    const value = fields[key];
    if (Object.hasOwn(fields, key) && value !== undefined && value !== null) into.set(key, { value, origin });
  }
}

/** Sets `key` unless an earlier source already has. */
function fillIn(into: Map<string, ResolvedQuantity>, key: string, value: unknown, origin: ResourceOrigin): void {
  if (!into.has(key)) into.set(key, { value, origin });
}

/** Containers that carry resources: init and regular (the API forbids resources on ephemeral ones). */
export function resourceContainers(workload: Workload): readonly ContainerEntry[] {
  return workload.containers.filter((entry) => entry.group !== 'ephemeralContainers');
}

/** Each init and regular container with its resources after defaulting and the namespace's LimitRanges. */
export function resolvedContainers(workload: Workload, inventory: Inventory): readonly { readonly entry: ContainerEntry; readonly resources: ContainerResources }[] {
  const defaults = limitRangeDefaults(inventory, workload.namespace);
  const resolved: { readonly entry: ContainerEntry; readonly resources: ContainerResources }[] = [];
  for (let c = 0; c < workload.containers.length; c += 1) {
    const entry = workload.containers[c] as ContainerEntry;
    if (entry.group !== 'ephemeralContainers') resolved.push({ entry, resources: containerResources(entry, defaults) });
  }
  return resolved;
}

// ---------------------------------------------------------------------------------------------
// Pod-level resources (`spec.resources`, KEP-2837)
// ---------------------------------------------------------------------------------------------

function isPodLevelResourceName(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

/** Whether the pod spec sets pod-level resources that Kubernetes honours (cpu, memory, hugepages). */
export function hasPodLevelResources(workload: Workload): boolean {
  const resources = asRecord(workload.podSpec.resources);
  if (resources === undefined) return false;
  return [...entriesOf(resources?.requests), ...entriesOf(resources?.limits)].some(([name]) => isPodLevelResourceName(name));
}

type Resolved = { readonly entry: ContainerEntry; readonly resources: ContainerResources };

function isSidecar(entry: ContainerEntry): boolean {
  return entry.group === 'initContainers' && entry.container.restartPolicy === 'Always';
}

/**
 * The pod's effective amount of one resource over its containers, as the scheduler counts it:
 * regular and sidecar containers add up; each other init container runs alone (beside the
 * sidecars started before it), so the pod needs the larger of the two.
 */
function aggregate(containers: readonly Resolved[], pick: (r: ContainerResources) => ReadonlyMap<string, ResolvedQuantity>, name: string): Quantity | undefined {
  let total: Quantity | undefined;
  let sidecars: Quantity = ZERO;
  let initPeak: Quantity | undefined;
  const add = (a: Quantity | undefined, b: Quantity): Quantity => (a === undefined ? b : addQuantities(a, b));
  for (const { entry, resources } of containers) {
    const q = parseQuantity(pick(resources).get(name)?.value);
    if (q === undefined) continue;
    if (entry.group === 'containers') total = add(total, q);
    else if (isSidecar(entry)) {
      total = add(total, q);
      sidecars = addQuantities(sidecars, q);
      initPeak = initPeak === undefined ? sidecars : maxQuantity(initPeak, sidecars);
    } else {
      const running = addQuantities(q, sidecars);
      initPeak = initPeak === undefined ? running : maxQuantity(initPeak, running);
    }
  }
  if (initPeak === undefined) return total;
  return total === undefined ? initPeak : maxQuantity(total, initPeak);
}

/**
 * Pod-level requests and limits for cpu and memory after the API server's defaulting: with
 * pod-level limits, a missing pod request defaults to the containers' aggregate request, else to
 * the pod limit; with pod-level requests only, a missing pod limit defaults to the containers'
 * aggregate limit when every container has one. Values that are not quantities are left out.
 */
export function podLevelResources(workload: Workload, containers: readonly Resolved[]): { readonly requests: ReadonlyMap<ComputeResource, Quantity>; readonly limits: ReadonlyMap<ComputeResource, Quantity> } {
  const resources = asRecord(workload.podSpec.resources);
  const ownRequests = new Map(entriesOf(resources?.requests));
  const ownLimits = new Map(entriesOf(resources?.limits));
  const requests = new Map<ComputeResource, Quantity>();
  const limits = new Map<ComputeResource, Quantity>();
  const limitsSet = [...ownLimits.keys()].some(isPodLevelResourceName);
  const requestsSet = [...ownRequests.keys()].some(isPodLevelResourceName);
  const set = (into: Map<ComputeResource, Quantity>, name: ComputeResource, q: Quantity | undefined): void => {
    if (q !== undefined) into.set(name, q);
  };
  for (const name of COMPUTE_RESOURCES) {
    if (ownRequests.has(name)) set(requests, name, parseQuantity(ownRequests.get(name)));
    else if (ownLimits.size > 0) set(requests, name, aggregate(containers, (r) => r.requests, name) ?? parseQuantity(ownLimits.get(name)));
    if (ownLimits.has(name)) set(limits, name, parseQuantity(ownLimits.get(name)));
    else if (!limitsSet && requestsSet && containers.length > 0 && containers.every(({ resources }) => resources.limits.has(name))) {
      set(limits, name, aggregate(containers, (r) => r.limits, name));
    }
  }
  return { requests, limits };
}

// ---------------------------------------------------------------------------------------------
// QoS class
// ---------------------------------------------------------------------------------------------

export const QOS_CLASSES = ['Guaranteed', 'Burstable', 'BestEffort'] as const;
export type QosClass = (typeof QOS_CLASSES)[number];

/**
 * Kubernetes' `ComputePodQOS`: only cpu and memory, only quantities above zero, summed over init
 * and regular containers (or taken from pod-level resources when the pod sets them). No request
 * and no limit anywhere is BestEffort; every container limiting cpu and memory with the summed
 * requests equal to the summed limits is Guaranteed; anything else is Burstable.
 */
export function computeQosClass(workload: Workload, inventory: Inventory): QosClass {
  const containers = resolvedContainers(workload, inventory);
  const requests = new Map<ComputeResource, Quantity>();
  const limits = new Map<ComputeResource, Quantity>();
  const accumulate = (into: Map<ComputeResource, Quantity>, name: ComputeResource, value: Quantity | undefined): boolean => {
    if (!isPositive(value)) return false;
    const before = into.get(name);
    into.set(name, before === undefined ? value : addQuantities(before, value));
    return true;
  };
  let guaranteed = true;
  if (hasPodLevelResources(workload)) {
    const pod = podLevelResources(workload, containers);
    for (const name of COMPUTE_RESOURCES) accumulate(requests, name, pod.requests.get(name));
    const limited = COMPUTE_RESOURCES.filter((name) => accumulate(limits, name, pod.limits.get(name)));
    if (pod.limits.size > 0 && limited.length < COMPUTE_RESOURCES.length) guaranteed = false;
  } else {
    for (const { resources } of containers) {
      for (const name of COMPUTE_RESOURCES) accumulate(requests, name, parseQuantity(resources.requests.get(name)?.value));
      const limited = COMPUTE_RESOURCES.filter((name) => accumulate(limits, name, parseQuantity(resources.limits.get(name)?.value)));
      if (limited.length < COMPUTE_RESOURCES.length) guaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, request] of requests) {
      const limit = limits.get(name);
      if (limit === undefined || compareQuantities(limit, request) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/**
 * Whether `computeQosClass` would say BestEffort: no cpu or memory request or limit above zero in
 * any container after defaulting. The same answer, found without summing quantities and stopping at
 * the first container that sets one: the question every workload asks of `no-best-effort-pods`.
 */
export function isComputedBestEffort(workload: Workload, inventory: Inventory): boolean {
  if (hasPodLevelResources(workload)) return computeQosClass(workload, inventory) === 'BestEffort';
  let defaults: LimitRangeDefaults | undefined;
  for (let c = 0; c < workload.containers.length; c += 1) {
    const entry = workload.containers[c] as ContainerEntry;
    if (entry.group === 'ephemeralContainers') continue;
    const resources = asRecord(entry.container.resources);
    const own = { requests: asRecord(resources?.requests), limits: asRecord(resources?.limits) };
    for (const name of COMPUTE_RESOURCES) {
      // As containerResources resolves them: a request defaults to the limit, then to the LimitRange's.
      let limit = own.limits?.[name] ?? undefined;
      let request = own.requests?.[name] ?? limit;
      if (request === undefined || limit === undefined) {
        defaults ??= limitRangeDefaults(inventory, workload.namespace);
        limit ??= defaults.defaultLimit.get(name) ?? undefined;
        request ??= defaults.defaultRequest.get(name) ?? undefined;
      }
      if (isPositive(parseQuantity(request)) || isPositive(parseQuantity(limit))) return false;
    }
  }
  return true;
}

/** `status.qosClass` of a live Pod, when it carries a valid one. */
export function reportedQosClass(workload: Workload): QosClass | undefined {
  if (workload.object.kind !== 'Pod') return undefined;
  const reported = asRecord(workload.object.status)?.qosClass;
  return QOS_CLASSES.find((c) => c === reported);
}

/** Kubernetes' `GetPodQOS`: a live Pod's `status.qosClass`, else the class computed from its spec. */
export function podQosClass(workload: Workload, inventory: Inventory): { readonly qosClass: QosClass; readonly source: 'status' | 'computed' } {
  const reported = reportedQosClass(workload);
  return reported !== undefined ? { qosClass: reported, source: 'status' } : { qosClass: computeQosClass(workload, inventory), source: 'computed' };
}
