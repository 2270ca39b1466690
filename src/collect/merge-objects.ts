/**
 * One object per identity across every source of a run. The same object can arrive twice (a file
 * and a snapshot of the cluster it was applied to, a List and the file it was cut from): with the
 * same content it is one resource, judged once; with different content it is a gap naming both
 * places, and the caller's judge picks the version to audit (the weaker one) — never a silent
 * "last one wins".
 */
import { redactSecret } from '../core/redact.js';
import { formatKubeRef, type Gap, type KubeObject, type KubeResource } from '../core/resource.js';

/** An object as read, with the source (a file, `-`, a snapshot, `cluster:<context>`) that held it. */
export interface Arrival {
  readonly resource: KubeResource;
  readonly source: string;
}

/** Which of two or more differing versions to audit, and why in a few words ("3 findings, worst high"). */
export type Judge = (versions: readonly KubeResource[]) => { readonly index: number; readonly why: string };

export interface Merged {
  readonly resources: KubeResource[];
  /** One per object read in differing versions. */
  readonly gaps: Gap[];
  /** Per source, how many of its objects were identical to one read before (and judged there). */
  readonly duplicates: ReadonlyMap<string, number>;
}

/**
 * Fields the API server writes, which differ between two reads of one unchanged object (a
 * `kubectl get` and a snapshot an hour later): not part of what the object says.
 */
const SERVER_METADATA = ['resourceVersion', 'managedFields', 'generation', 'uid', 'creationTimestamp', 'selfLink'];

/** The object's identity: API group (not version), kind, namespace as written, name; undefined without a name. */
function identity(object: KubeObject): string | undefined {
  const name = object.metadata?.name;
  if (typeof name !== 'string' || name === '') return undefined;
  const slash = object.apiVersion.indexOf('/');
  const group = slash === -1 ? '' : object.apiVersion.slice(0, slash);
  const namespace = typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : '';
  return `${group}\u0000${object.kind}\u0000${namespace}\u0000${name}`;
}

/** What is compared: Secrets as a snapshot keeps them (metadata only), without status and server-written metadata. */
function content(object: KubeObject): unknown {
  const rest: Record<string, unknown> = { ...redactSecret(object) };
  delete rest.status;
  const metadata = rest.metadata;
  if (metadata === undefined || metadata === null || typeof metadata !== 'object') return rest;
  return { ...rest, metadata: Object.fromEntries(Object.entries(metadata).filter(([key]) => !SERVER_METADATA.includes(key))) };
}

/** Structural equality of JSON values; key order does not count. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => sameJson(item, other[i]));
  }
  const ka = Object.keys(a);
  const rb = b as Record<string, unknown>;
  if (ka.length !== Object.keys(rb).length) return false;
  return ka.every((key) => Object.hasOwn(rb, key) && sameJson((a as Record<string, unknown>)[key], rb[key]));
}

/** Where a version came from, in a phrase: `k8s/app.yaml:3`, or `snap.json (saved from cluster:prod)`. */
function place(arrival: Arrival): string {
  const origin = arrival.resource.origin;
  const where = origin.type === 'file' ? `${origin.file}:${origin.line}` : origin.type === 'cluster' ? `cluster:${origin.context}` : arrival.source;
  if (origin.type === 'file' && origin.file === arrival.source) return where;
  if (origin.type === 'cluster' && `cluster:${origin.context}` === arrival.source) return where;
  return `${arrival.source} (saved from ${where})`;
}

interface Group {
  readonly slot: number;
  readonly versions: Arrival[];
  contents: unknown[] | undefined;
}

/** Merges arrivals in read order; the result keeps that order, each object at its first arrival. */
export function mergeObjects(arrivals: readonly Arrival[], judge: Judge): Merged {
  // Contents are compared only when a name repeats: most objects arrive once, and are never
  // copied. An object seen once is only its arrival's index; a group is built when its name repeats.
  const groups = new Map<string, number | Group>();
  const slots = new Int32Array(arrivals.length);
  const resources: KubeResource[] = [];
  const duplicates = new Map<string, number>();
  const conflicted: Group[] = [];
  for (let i = 0; i < arrivals.length; i += 1) {
    const arrival = arrivals[i] as Arrival;
    const key = identity(arrival.resource.object);
    if (key === undefined) {
      resources.push(arrival.resource);
      continue;
    }
    const seenAt = groups.get(key);
    if (seenAt === undefined) {
      groups.set(key, i);
      slots[i] = resources.length;
      resources.push(arrival.resource);
      continue;
    }
    let group: Group;
    if (typeof seenAt === 'number') {
      group = { slot: slots[seenAt] as number, versions: [arrivals[seenAt] as Arrival], contents: undefined };
      groups.set(key, group);
    } else {
      group = seenAt;
    }
    const contents = (group.contents ??= group.versions.map((v) => content(v.resource.object)));
    const seen = content(arrival.resource.object);
    if (contents.some((c) => sameJson(c, seen))) {
      duplicates.set(arrival.source, (duplicates.get(arrival.source) ?? 0) + 1);
      continue;
    }
    if (group.versions.length === 1) conflicted.push(group);
    group.versions.push(arrival);
    contents.push(seen);
  }
  const gaps: Gap[] = [];
  for (const { slot, versions } of conflicted) {
    const first = versions[0];
    if (first === undefined) continue;
    const { index, why } = judge(versions.map((v) => v.resource));
    const chosen = versions[index] ?? first;
    resources[slot] = chosen.resource;
    const origin = first.resource.origin;
    gaps.push({
      source: first.source,
      ...(origin.type === 'file' && origin.file === first.source ? { line: origin.line } : {}),
      code: 'CONFLICTING_VERSIONS',
      message: `${formatKubeRef(first.resource.ref)} is read in ${versions.length} versions that differ (${versions.map(place).join(', ')}); the weaker one, from ${place(chosen)} (${why}), is judged`,
    });
  }
  return { resources, gaps, duplicates };
}
