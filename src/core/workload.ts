import type { FieldPath } from './finding.js';
import type { Container, InheritableSecurityFields, PodSpec } from './pod-spec.js';
import type { KubeObject, KubeResource, ObjectMeta } from './resource.js';
import { asRecord } from './json.js';

/**
 * Where each pod-template owner keeps its pod spec. Keyed by kind, guarded by API group so that a
 * CRD that happens to be called `Job` (say, Volcano's) is not read as a batch Job.
 *
 * Besides the built-in controllers, the two custom controllers that replace Deployments in many
 * EKS repositories: an Argo Rollout runs its `spec.template` as a Deployment would (or, with
 * `spec.workloadRef`, the template of a Deployment that is judged on its own), an OpenShift
 * DeploymentConfig its `spec.template`. Left out, their pods would pass every rule unjudged in a
 * manifest scan (a live scan reads the ReplicaSets they create).
 */
const POD_SPEC_LOCATIONS: Readonly<Record<string, { readonly groups: readonly string[]; readonly template: FieldPath; readonly version?: string; readonly templateRef?: string }>> = {
  Pod: { groups: [''], template: [] },
  PodTemplate: { groups: [''], template: ['template'] },
  ReplicationController: { groups: [''], template: ['spec', 'template'] },
  Deployment: { groups: ['apps', 'extensions'], template: ['spec', 'template'] },
  StatefulSet: { groups: ['apps'], template: ['spec', 'template'] },
  DaemonSet: { groups: ['apps', 'extensions'], template: ['spec', 'template'] },
  ReplicaSet: { groups: ['apps', 'extensions'], template: ['spec', 'template'] },
  Job: { groups: ['batch'], template: ['spec', 'template'] },
  CronJob: { groups: ['batch'], template: ['spec', 'jobTemplate', 'spec', 'template'] },
  Rollout: { groups: ['argoproj.io'], template: ['spec', 'template'], version: 'v1alpha1', templateRef: 'workloadRef' },
  DeploymentConfig: { groups: ['apps.openshift.io'], template: ['spec', 'template'] },
};

/**
 * The locations by kind, each with the paths of its pod spec and pod metadata made once: every
 * workload of a kind shares them (paths are read-only). A map, not the object above: a kind named
 * `constructor` or `toString` must find nothing, not a member every object has.
 */
const LOCATIONS: ReadonlyMap<string, (typeof POD_SPEC_LOCATIONS)[string] & { readonly podSpecPath: FieldPath; readonly podMetaPath: FieldPath }> = new Map(
  Object.entries(POD_SPEC_LOCATIONS).map(([kind, location]) => [kind, { ...location, podSpecPath: [...location.template, 'spec'], podMetaPath: [...location.template, 'metadata'] }]),
);

/** Every kind that holds a pod template, custom controllers included: what an inventory judges. */
export const POD_TEMPLATE_KINDS: readonly string[] = Object.keys(POD_SPEC_LOCATIONS);

/**
 * The built-in ones (their groups have no dot; a custom resource's always has one): what a live
 * read of pods and their controllers asks the API server for.
 */
export const WORKLOAD_KINDS: readonly string[] = POD_TEMPLATE_KINDS.filter((kind) => LOCATIONS.get(kind)?.groups.every((group) => !group.includes('.')));

export const CONTAINER_GROUPS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
export type ContainerGroup = (typeof CONTAINER_GROUPS)[number];

export interface ContainerEntry {
  readonly container: Container;
  /** Path of the container object from the resource root. */
  readonly path: FieldPath;
  readonly group: ContainerGroup;
  readonly index: number;
  /** The container's name, or `<group>[index]` when it has none. */
  readonly name: string;
}

/** A pod-template owner, normalised: the resource itself plus its pod spec and containers. */
export interface Workload extends KubeResource {
  readonly podSpec: PodSpec;
  readonly podSpecPath: FieldPath;
  /** The pod's own metadata (the template's for controllers, the object's for a Pod). */
  readonly podMeta: ObjectMeta;
  readonly podMetaPath: FieldPath;
  /**
   * Rules walk this by index, not with `for...of`: each of some 25 rules walks it once per
   * workload, mostly before V8 optimises the rule, and unoptimised `for...of` makes an iterator
   * and a result object per step (a tenth of a scan's allocation in the judging, ~3% of its
   * instructions).
   */
  readonly containers: readonly ContainerEntry[];
  /** The namespace it runs in (`default` when a namespaced manifest leaves it unset). */
  readonly namespace: string;
}

export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

export function isWorkloadObject(object: KubeObject): boolean {
  const location = LOCATIONS.get(object.kind);
  return location !== undefined && location.groups.includes(apiGroupOf(object.apiVersion));
}

/** `apps/v1 Deployment`, `v1 Pod`: what Kubernetes serves the kind as. */
function expectedType(kind: string, groups: readonly string[], version = 'v1'): string {
  const group = groups[0] ?? '';
  return `${group === '' ? '' : `${group}/`}${version} ${kind}`;
}

/**
 * Why an object named like a pod-template owner cannot be read as one, in words (`apps/v1
 * Deployment expected, not apiVersion v1`), or undefined when it can (or when it is a custom
 * resource of the same name, as Volcano's `batch.volcano.sh` Job: a CRD's group always has a dot,
 * a built-in group never does). Such objects would otherwise pass every workload rule unjudged.
 */
export function uninterpretableWorkload(object: KubeObject): string | undefined {
  const location = LOCATIONS.get(object.kind);
  if (location === undefined) return undefined;
  const group = apiGroupOf(object.apiVersion);
  // The words only for an object that needs them: this runs for every pod-template owner.
  if (!location.groups.includes(group)) return group.includes('.') ? undefined : `${expectedType(object.kind, location.groups, location.version)} expected, not apiVersion ${object.apiVersion}`;
  // A Rollout that takes its template from a Deployment: that Deployment is judged instead.
  if (location.templateRef !== undefined && asRecord(asRecord(object.spec)?.[location.templateRef]) !== undefined) return undefined;
  let template: unknown = object;
  for (const segment of location.template) template = asRecord(template)?.[segment];
  if (asRecord(asRecord(template)?.spec) !== undefined) return undefined;
  return `${expectedType(object.kind, location.groups, location.version)} expected with a pod spec at ${[...location.template, 'spec'].join('.')}, which it lacks`;
}

/** Returns the normalised workload, or undefined when the object has no pod template. */
export function toWorkload(resource: KubeResource): Workload | undefined {
  const location = LOCATIONS.get(resource.object.kind);
  if (location === undefined || !location.groups.includes(apiGroupOf(resource.object.apiVersion))) return undefined;
  let template: unknown = resource.object;
  for (const segment of location.template) template = asRecord(template)?.[segment];
  const templateRecord = asRecord(template);
  const podSpec = asRecord(templateRecord?.spec);
  if (templateRecord === undefined || podSpec === undefined) return undefined;
  const { podSpecPath, podMetaPath } = location;
  const podMeta = (asRecord(templateRecord.metadata) ?? {}) as ObjectMeta;

  const containers: ContainerEntry[] = [];
  for (const group of CONTAINER_GROUPS) {
    const list: unknown = podSpec[group];
    if (!Array.isArray(list)) continue;
    for (let index = 0; index < list.length; index += 1) {
      const container = asRecord(list[index]);
      if (container === undefined) continue;
      const name = typeof container.name === 'string' && container.name !== '' ? container.name : `${group}[${index}]`;
      containers.push({ container: container as Container, path: [...podSpecPath, group, index], group, index, name });
    }
  }
  return {
    ref: resource.ref,
    object: resource.object,
    origin: resource.origin,
    podSpec: podSpec as PodSpec,
    podSpecPath,
    podMeta,
    podMetaPath,
    containers,
    namespace: resource.ref.namespace ?? 'default',
  };
}

export interface EffectiveValue<T> {
  readonly value: T | undefined;
  /** Where the value in effect is set, or where it would be set on the container when unset. */
  readonly path: FieldPath;
  readonly from: 'container' | 'pod' | 'unset';
}

/**
 * The value of a security field in effect for a container: the container's securityContext
 * overrides the pod's, as the kubelet applies them.
 */
export function effectiveSecurityField<K extends keyof InheritableSecurityFields>(
  workload: Workload,
  entry: ContainerEntry,
  field: K,
): EffectiveValue<NonNullable<InheritableSecurityFields[K]>> {
  const own = entry.container.securityContext?.[field];
  if (own !== undefined && own !== null) return { value: own as NonNullable<InheritableSecurityFields[K]>, path: [...entry.path, 'securityContext', field], from: 'container' };
  const pod = workload.podSpec.securityContext?.[field];
  if (pod !== undefined && pod !== null) return { value: pod as NonNullable<InheritableSecurityFields[K]>, path: [...workload.podSpecPath, 'securityContext', field], from: 'pod' };
  return { value: undefined, path: [...entry.path, 'securityContext', field], from: 'unset' };
}

/** The ServiceAccount a pod runs as: `serviceAccountName`, its deprecated alias, or `default`. */
export interface PodServiceAccount {
  readonly name: string;
  /** False when the pod spec names none and Kubernetes assigns `default`. */
  readonly explicit: boolean;
  /** The field that names it, when one does. */
  readonly field: 'serviceAccountName' | 'serviceAccount' | undefined;
}

/** What `serviceAccountOf` answers for most pods, made once. */
const DEFAULT_SERVICE_ACCOUNT: PodServiceAccount = Object.freeze({ name: 'default', explicit: false, field: undefined });

/**
 * The ServiceAccount a pod runs as: `serviceAccountName`, else the deprecated `serviceAccount`
 * (the API server copies it over when `serviceAccountName` is empty), else `default`.
 */
export function serviceAccountOf(workload: Workload): PodServiceAccount {
  // Two named reads rather than a loop over the field names: pod specs come in many shapes, and a
  // read by a computed key over them made V8 drop its optimised code for this function per scan.
  const spec = workload.podSpec;
  const name: unknown = spec.serviceAccountName;
  if (typeof name === 'string' && name !== '') return { name, explicit: true, field: 'serviceAccountName' };
  const legacy: unknown = spec.serviceAccount;
  if (typeof legacy === 'string' && legacy !== '') return { name: legacy, explicit: true, field: 'serviceAccount' };
  return DEFAULT_SERVICE_ACCOUNT;
}

export function isWindowsPod(workload: Workload): boolean {
  return workload.podSpec.os?.name === 'windows';
}
