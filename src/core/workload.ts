import type { FieldPath } from './finding.js';
import type { Container, InheritableSecurityFields, PodSpec } from './pod-spec.js';
import type { KubeObject, KubeResource, ObjectMeta } from './resource.js';
import { asRecord } from './json.js';

/** Where the objects of one kind, in some API groups, keep their pod template. */
interface PodSpecLocation {
  readonly groups: readonly string[];
  /**
   * Path of the pod template (its `metadata` and `spec`) from the object's root; `[]` when the
   * object is its own template (a Pod). Absent for a kind of the same name that holds no pod: core
   * `v1 Service`, Knative's Service's namesake.
   */
  readonly template?: FieldPath;
  /** The version `expectedType` names (`v1` when absent). */
  readonly version?: string;
  /** A spec field that, when set, makes the object take its pod template from another object. */
  readonly templateRef?: string;
}

/**
 * Where each pod-template owner keeps its pod spec: by kind, then by API group, so that a CRD that
 * happens to be called `Job` (say, Volcano's) is not read as a batch Job, and Knative's Service is
 * read while core Services are not. A kind's first location is what the kind means in a group
 * without a dot (`apps/v1 Service` is a misspelt core Service, `v1 Deployment` a misspelt Deployment).
 *
 * Besides the built-in controllers, custom controllers whose pods would otherwise pass every rule
 * unjudged in a manifest scan (a live scan reads the ReplicaSets, Pods or Jobs they create):
 * - the two that replace Deployments in many EKS repositories: an Argo Rollout runs its
 *   `spec.template` as a Deployment would (or, with `spec.workloadRef`, the template of a
 *   Deployment that is judged on its own), an OpenShift DeploymentConfig its `spec.template`;
 * - Knative Serving: a Service's and a Configuration's `spec.template` is a RevisionSpec, which
 *   inlines the PodSpec's fields, and a Revision is that RevisionSpec at `spec` (as a Pod's is);
 * - KEDA's ScaledJob, whose `spec.jobTargetRef` is a JobSpec it creates Jobs from.
 * Argo Workflows are not here: see docs/inputs.md.
 *
 * A Map, not an object: a kind is user input, and `kind: toString` must not find Object's method.
 */
const POD_SPEC_LOCATIONS: ReadonlyMap<string, readonly PodSpecLocation[]> = new Map<string, readonly PodSpecLocation[]>([
  ['Pod', [{ groups: [''], template: [] }]],
  ['PodTemplate', [{ groups: [''], template: ['template'] }]],
  ['ReplicationController', [{ groups: [''], template: ['spec', 'template'] }]],
  ['Deployment', [{ groups: ['apps', 'extensions'], template: ['spec', 'template'] }]],
  ['StatefulSet', [{ groups: ['apps'], template: ['spec', 'template'] }]],
  ['DaemonSet', [{ groups: ['apps', 'extensions'], template: ['spec', 'template'] }]],
  ['ReplicaSet', [{ groups: ['apps', 'extensions'], template: ['spec', 'template'] }]],
  ['Job', [{ groups: ['batch'], template: ['spec', 'template'] }]],
  ['CronJob', [{ groups: ['batch'], template: ['spec', 'jobTemplate', 'spec', 'template'] }]],
  ['Rollout', [{ groups: ['argoproj.io'], template: ['spec', 'template'], version: 'v1alpha1', templateRef: 'workloadRef' }]],
  ['DeploymentConfig', [{ groups: ['apps.openshift.io'], template: ['spec', 'template'] }]],
  ['Service', [{ groups: [''] }, { groups: ['serving.knative.dev'], template: ['spec', 'template'] }]],
  ['Configuration', [{ groups: ['serving.knative.dev'], template: ['spec', 'template'] }]],
  ['Revision', [{ groups: ['serving.knative.dev'], template: [] }]],
  ['ScaledJob', [{ groups: ['keda.sh'], template: ['spec', 'jobTargetRef', 'template'], version: 'v1alpha1' }]],
]);

function isBuiltIn(location: PodSpecLocation): boolean {
  return location.groups.every((group) => !group.includes('.'));
}

const POD_KINDS = [...POD_SPEC_LOCATIONS].filter(([, locations]) => locations.some((location) => location.template !== undefined));

/** Every kind that holds a pod template in some API group, custom controllers included: what an inventory judges. */
export const POD_TEMPLATE_KINDS: readonly string[] = POD_KINDS.map(([kind]) => kind);

/**
 * Those that name a pod-template owner in every API group known here: a rule that reads one reads
 * pod specs (a rule that reads Services reads core Services, not Knative's).
 */
export const POD_TEMPLATE_ONLY_KINDS: readonly string[] = POD_KINDS.filter(([, locations]) => locations.every((location) => location.template !== undefined)).map(([kind]) => kind);

/**
 * The built-in ones (their groups have no dot; a custom resource's always has one): what a live
 * read of pods and their controllers asks the API server for.
 */
export const WORKLOAD_KINDS: readonly string[] = POD_KINDS.filter(([, locations]) => locations.some((location) => location.template !== undefined && isBuiltIn(location))).map(([kind]) => kind);

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
  readonly containers: readonly ContainerEntry[];
  /** The namespace it runs in (`default` when a namespaced manifest leaves it unset). */
  readonly namespace: string;
}

export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * Where an object of this kind and API version keeps its pod template, or undefined when no
 * location of its kind lists its group. A loop, not `find`: toWorkload calls this per object.
 */
function locationOf(kind: string, apiVersion: string): PodSpecLocation | undefined {
  const locations = POD_SPEC_LOCATIONS.get(kind);
  if (locations === undefined) return undefined;
  const group = apiGroupOf(apiVersion);
  for (let i = 0; i < locations.length; i++) {
    const location = locations[i];
    if (location?.groups.includes(group) === true) return location;
  }
  return undefined;
}

export function isWorkloadObject(object: KubeObject): boolean {
  return locationOf(object.kind, object.apiVersion)?.template !== undefined;
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
 * a built-in group never does; or when it is a built-in kind that holds no pod, as core `v1
 * Service`). Such objects would otherwise pass every workload rule unjudged.
 */
export function uninterpretableWorkload(object: KubeObject): string | undefined {
  const locations = POD_SPEC_LOCATIONS.get(object.kind);
  if (locations === undefined) return undefined;
  const location = locationOf(object.kind, object.apiVersion);
  if (location === undefined) {
    // Another group with a dot is another CRD's; without one, the kind as its first location means it.
    const meant = locations[0];
    if (apiGroupOf(object.apiVersion).includes('.') || meant?.template === undefined) return undefined;
    return `${expectedType(object.kind, meant.groups, meant.version)} expected, not apiVersion ${object.apiVersion}`;
  }
  const { template: path } = location;
  if (path === undefined) return undefined;
  // A Rollout that takes its template from a Deployment: that Deployment is judged instead.
  if (location.templateRef !== undefined && asRecord(asRecord(object.spec)?.[location.templateRef]) !== undefined) return undefined;
  let template: unknown = object;
  for (const segment of path) template = asRecord(template)?.[segment];
  const podSpec = asRecord(asRecord(template)?.spec);
  const expected = expectedType(object.kind, location.groups, location.version);
  if (podSpec === undefined) return `${expected} expected with a pod spec at ${[...path, 'spec'].join('.')}, which it lacks`;
  const group = malformedContainerGroup(podSpec);
  if (group === undefined) return undefined;
  const value = podSpec[group];
  return `${expected} expected with a list at ${[...path, 'spec', group].join('.')}, not ${asRecord(value) !== undefined ? 'a mapping' : `a ${typeof value}`}`;
}

/**
 * The first container group written as something other than a list (a mapping, a string): the API
 * rejects such a pod, and reading it as having no containers would pass every container rule.
 * Unset or null is no container of that group.
 */
function malformedContainerGroup(podSpec: Readonly<Record<string, unknown>>): (typeof CONTAINER_GROUPS)[number] | undefined {
  for (const group of CONTAINER_GROUPS) {
    const list = podSpec[group];
    if (list !== undefined && list !== null && !Array.isArray(list)) return group;
  }
  return undefined;
}

/**
 * The paths of a location's pod spec and pod metadata, made once per location: every workload of
 * a kind shares them (paths are read-only), rather than two new arrays per object.
 */
const PATHS = new Map<PodSpecLocation, { readonly podSpecPath: FieldPath; readonly podMetaPath: FieldPath }>();
function pathsOf(location: PodSpecLocation, template: FieldPath): { readonly podSpecPath: FieldPath; readonly podMetaPath: FieldPath } {
  let paths = PATHS.get(location);
  if (paths === undefined) {
    paths = { podSpecPath: [...template, 'spec'], podMetaPath: [...template, 'metadata'] };
    PATHS.set(location, paths);
  }
  return paths;
}

/** Returns the normalised workload, or undefined when the object has no pod template. */
export function toWorkload(resource: KubeResource): Workload | undefined {
  const location = locationOf(resource.object.kind, resource.object.apiVersion);
  const path = location?.template;
  if (location === undefined || path === undefined) return undefined;
  let template: unknown = resource.object;
  for (const segment of path) template = asRecord(template)?.[segment];
  const templateRecord = asRecord(template);
  const podSpec = asRecord(templateRecord?.spec);
  if (templateRecord === undefined || podSpec === undefined || malformedContainerGroup(podSpec) !== undefined) return undefined;
  const { podSpecPath, podMetaPath } = pathsOf(location, path);
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
