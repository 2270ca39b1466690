/**
 * The pod spec a request created: a Pod's own, or the template of a workload controller written in
 * full (create, update). Judged with the Pod Security Standards evaluator and the workload helpers
 * that `scan` uses, so a pod is "privileged" in an audit log exactly when it is in a manifest.
 */
import { refOf, type KubeObject } from '../core/resource.js';
import { CONTAINER_GROUPS, toWorkload } from '../core/workload.js';
import type { PodInput } from '../pss/pod-view.js';
import type { LineProbe } from './sources/probe.js';
import { asRecord, isFinalStage, serviceAccountOf, succeeded, type AuditEvent } from './event.js';
import { bodyMeta, imageRepository, matchesAny, type GroupView, type Unjudged } from './detection.js';
import type { KubeResourceRef } from '../core/finding.js';

const WORKLOAD_KINDS: Readonly<Record<string, string>> = {
  deployments: 'Deployment', daemonsets: 'DaemonSet', statefulsets: 'StatefulSet', replicasets: 'ReplicaSet',
  jobs: 'Job', cronjobs: 'CronJob', replicationcontrollers: 'ReplicationController', podtemplates: 'PodTemplate',
};

const WORKLOAD_RESOURCES = Object.keys(WORKLOAD_KINDS);
const CREATE = Buffer.from('create', 'latin1');
const UPDATE = Buffer.from('update', 'latin1');
/** The objectRef resources of the events `createdPodSpec` reads. */
export const POD_SPEC_RESOURCES: readonly string[] = ['pods', ...WORKLOAD_RESOURCES];

export interface CreatedPodSpec {
  readonly pod: PodInput;
  /** Image references of every container (init, regular, ephemeral). */
  readonly images: readonly string[];
}

/** Whether the raw line may be an event `createdPodSpec` reads: a pod create, or a workload written in full. */
export function mayCreatePodSpec(probe: LineProbe): boolean {
  const create = probe.verbIs(CREATE) ?? probe.has('create');
  if (probe.resource() === 'pods') return create;
  return create || (probe.verbIs(UPDATE) ?? probe.has('update'));
}

function imagesOf(spec: unknown): string[] {
  const record = asRecord(spec);
  const images: string[] = [];
  for (const group of CONTAINER_GROUPS) {
    const list = record?.[group];
    if (!Array.isArray(list)) continue;
    for (const item of list as unknown[]) {
      const image = asRecord(item)?.image;
      images.push(typeof image === 'string' ? image : '');
    }
  }
  return images;
}

/**
 * The pod spec this event wrote, `unjudged` when it wrote one but the log lacks the body (the
 * audit policy logged it at Metadata level), or undefined for any other event. Patches are
 * partial bodies and are not judged.
 */
export function createdPodSpec(event: AuditEvent): CreatedPodSpec | Unjudged | undefined {
  // Two detections ask about each event in turn: the second gets the first's answer (read-only to both).
  if (event === last.event) return last.spec;
  const spec = podSpecOf(event);
  last.event = event;
  last.spec = spec;
  return spec;
}

/** The event `createdPodSpec` was last asked about, and its answer. */
const last: { event: AuditEvent | undefined; spec: CreatedPodSpec | Unjudged | undefined } = { event: undefined, spec: undefined };

function podSpecOf(event: AuditEvent): CreatedPodSpec | Unjudged | undefined {
  const ref = event.objectRef;
  if (ref === undefined || ref.subresource !== '' || !isFinalStage(event) || !succeeded(event)) return undefined;
  const isPod = ref.resource === 'pods' && ref.apiGroup === '';
  // An own key only: a resource named `constructor` is no workload.
  const workloadKind = Object.hasOwn(WORKLOAD_KINDS, ref.resource) ? WORKLOAD_KINDS[ref.resource] : undefined;
  if (isPod ? event.verb !== 'create' : workloadKind === undefined || (event.verb !== 'create' && event.verb !== 'update')) return undefined;
  const body = asRecord(event.requestObject) ?? asRecord(event.responseObject);
  if (body === undefined) return { unjudged: 'the request body is not in the log (audit level Metadata)' };
  if (isPod) return { pod: { metadata: body.metadata, spec: body.spec }, images: imagesOf(body.spec) };
  const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : ref.apiGroup !== '' ? `${ref.apiGroup}/${ref.apiVersion}` : ref.apiVersion;
  const object = { ...body, apiVersion, kind: typeof body.kind === 'string' ? body.kind : workloadKind ?? '' } as KubeObject;
  const workload = toWorkload({ ref: refOf(object), object, origin: { type: 'cluster', context: 'audit-log' } });
  if (workload === undefined) return undefined;
  return { pod: { metadata: workload.podMeta, spec: workload.podSpec }, images: imagesOf(workload.podSpec) };
}

/** Falco's exception semantics: trusted only when every container's image repository is in the list. */
export function allImagesTrusted(images: readonly string[], trusted: readonly string[]): boolean {
  return trusted.length > 0 && images.length > 0 && images.every((image) => matchesAny(trusted, imageRepository(image)));
}

/**
 * Which pods make one finding: the pods of one controller together (one finding per ReplicaSet,
 * not per replica); any other object by its name, or one by one when the log has only a
 * generated name.
 */
export function podKey(event: AuditEvent, resource: KubeResourceRef, user: string): string {
  const owner = bodyMeta(event).owner;
  const identity = owner !== undefined ? `${owner.kind}/${owner.name}` : !resource.name.endsWith('*') ? resource.name : `${resource.name}#${event.auditID}`;
  return `${resource.kind}\u0000${resource.namespace ?? ''}\u0000${identity}\u0000${user}`;
}

/** `Pod default/web-1`, or `3 Pods of ReplicaSet default/web-5d9 (first default/web-5d9-x)` for a controller's pods. */
export function podSubject(group: GroupView): string {
  const r = group.resource;
  const name = `${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
  const owner = group.facts.owner?.values[0];
  if (owner === undefined || group.count === 1) return `${r.kind} ${name}`;
  return `${group.count} ${r.kind}s of ${owner} (first ${name})`;
}

/** Facts both pod detections record. */
export function podFacts(event: AuditEvent, user: string): Record<string, string> {
  const owner = bodyMeta(event).owner;
  return { user, action: event.verb === 'update' ? 'updated' : 'created', ...(owner ? { owner: `${owner.kind} ${event.objectRef?.namespace ? `${event.objectRef.namespace}/` : ''}${owner.name}` } : {}) };
}

/**
 * The identities Kubernetes' own controllers create objects as: each controller's ServiceAccount
 * in kube-system (`deployment-controller`, `replicaset-controller`, `daemon-set-controller`,
 * `job-controller`, `cronjob-controller`, `statefulset-controller`; EKS runs the controller manager
 * with one per controller), or the controller manager's own user when it runs without them.
 */
function isControllerIdentity(username: string): boolean {
  if (username === 'system:kube-controller-manager') return true;
  const sa = serviceAccountOf(username);
  return sa !== undefined && sa.namespace === 'kube-system' && sa.name.endsWith('-controller');
}

/** `Kind\0namespace\0name`: how an object and an ownerReference to it are compared. */
export function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

/**
 * How a pod-spec event links to others of the same incident: the workload object it created (which
 * controllers may create more from), and, when a controller created it for an owner, that owner.
 * A request impersonating a controller is not the controller: it is never folded away.
 */
export function incidentLinks(event: AuditEvent, resource: KubeResourceRef): { created?: string; derivedFrom?: string } {
  const namespace = resource.namespace ?? '';
  const created = resource.kind !== 'Pod' && !resource.name.endsWith('*') ? objectKey(resource.kind, namespace, resource.name) : undefined;
  const owner = bodyMeta(event).owner;
  const derivedFrom = owner !== undefined && event.impersonatedUser === undefined && isControllerIdentity(event.user.username)
    ? objectKey(owner.kind, namespace, owner.name)
    : undefined;
  return { ...(created !== undefined ? { created } : {}), ...(derivedFrom !== undefined ? { derivedFrom } : {}) };
}
