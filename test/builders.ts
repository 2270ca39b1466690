/** Fixture builders for rule tests: plain objects, so cases read like the manifests they stand for. */

type Json = Record<string, unknown>;

export interface WorkloadFixture {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  /** Merged over a pod spec with one plain container named `app`. */
  readonly podSpec?: Json;
  /** Annotations on the pod (template) metadata. */
  readonly podAnnotations?: Record<string, string>;
}

export const DEFAULT_CONTAINER = { name: 'app', image: 'registry.example.com/app:1.0.0' } as const;

function metadata(f: WorkloadFixture): Json {
  return {
    name: f.name ?? 'app',
    ...(f.namespace !== undefined ? { namespace: f.namespace } : { namespace: 'default' }),
    ...(f.labels ? { labels: f.labels } : {}),
    ...(f.annotations ? { annotations: f.annotations } : {}),
  };
}

function podSpecOf(f: WorkloadFixture): Json {
  return { containers: [{ ...DEFAULT_CONTAINER }], ...(f.podSpec ?? {}) };
}

function template(f: WorkloadFixture): Json {
  return {
    metadata: { labels: { app: f.name ?? 'app' }, ...(f.podAnnotations ? { annotations: f.podAnnotations } : {}) },
    spec: podSpecOf(f),
  };
}

export function pod(f: WorkloadFixture = {}): Json {
  const meta = metadata(f);
  if (f.podAnnotations) meta.annotations = { ...(meta.annotations as object | undefined), ...f.podAnnotations };
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: podSpecOf(f) };
}

function controller(apiVersion: string, kind: string, f: WorkloadFixture): Json {
  return { apiVersion, kind, metadata: metadata(f), spec: { selector: { matchLabels: { app: f.name ?? 'app' } }, template: template(f) } };
}

export const deployment = (f: WorkloadFixture = {}): Json => controller('apps/v1', 'Deployment', f);
export const statefulSet = (f: WorkloadFixture = {}): Json => controller('apps/v1', 'StatefulSet', f);
export const daemonSet = (f: WorkloadFixture = {}): Json => controller('apps/v1', 'DaemonSet', f);
export const replicaSet = (f: WorkloadFixture = {}): Json => controller('apps/v1', 'ReplicaSet', f);
export const job = (f: WorkloadFixture = {}): Json => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: metadata(f), spec: { template: template(f) } });
export const cronJob = (f: WorkloadFixture = {}): Json => ({
  apiVersion: 'batch/v1', kind: 'CronJob', metadata: metadata(f),
  spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: template(f) } } },
});
export const replicationController = (f: WorkloadFixture = {}): Json => ({
  apiVersion: 'v1', kind: 'ReplicationController', metadata: metadata(f), spec: { selector: { app: f.name ?? 'app' }, template: template(f) },
});
export const podTemplate = (f: WorkloadFixture = {}): Json => ({ apiVersion: 'v1', kind: 'PodTemplate', metadata: metadata(f), template: template(f) });

export function serviceAccount(name: string, namespace = 'default', extra: Json = {}): Json {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace }, ...extra };
}

/**
 * A container that passes every workload rule: non-root, no privilege escalation, all
 * capabilities dropped, read-only root, RuntimeDefault seccomp, requests and limits.
 */
export const HARDENED_CONTAINER = {
  name: 'app',
  image: 'registry.example.com/app:1.0.0@sha256:0000000000000000000000000000000000000000000000000000000000000000',
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
} as const;

export const HARDENED_POD_SPEC = {
  serviceAccountName: 'app',
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [HARDENED_CONTAINER],
} as const;

/**
 * The object as `kubectl get -o yaml` returns it: with the metadata only the API server writes
 * (uid, resourceVersion, creationTimestamp), which no install manifest carries.
 */
export function readFromCluster(object: Json): Json {
  const meta = (object.metadata ?? {}) as Json;
  return { ...object, metadata: { ...meta, uid: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', resourceVersion: '4242', creationTimestamp: '2026-01-05T10:00:00Z' } };
}
