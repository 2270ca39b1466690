/**
 * AdmissionReview bodies shaped as the API server sends them (admission.k8s.io/v1), and objects
 * for them: a hardened Pod every object rule passes, a privileged one, a Deployment, a replica Pod.
 */
import type { KubeObject } from '../../src/core/resource.js';

type Json = Record<string, unknown>;

export interface ReviewOptions {
  readonly uid?: string;
  readonly operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  readonly object?: KubeObject | null;
  readonly oldObject?: KubeObject | null;
  readonly namespace?: string;
  readonly dryRun?: boolean;
  readonly username?: string;
}

const RESOURCES: Readonly<Record<string, { group: string; version: string; resource: string }>> = {
  Pod: { group: '', version: 'v1', resource: 'pods' },
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments' },
  ReplicaSet: { group: 'apps', version: 'v1', resource: 'replicasets' },
  Namespace: { group: '', version: 'v1', resource: 'namespaces' },
  ConfigMap: { group: '', version: 'v1', resource: 'configmaps' },
};

export function review(options: ReviewOptions): Json {
  const object = options.object ?? null;
  const subject = object ?? options.oldObject ?? null;
  const kind = subject?.kind ?? 'Pod';
  const r = RESOURCES[kind] ?? { group: 'example.com', version: 'v1', resource: `${kind.toLowerCase()}s` };
  const name = subject?.metadata?.name ?? '';
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: options.uid ?? '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { group: r.group, version: r.version, kind },
      resource: { group: r.group, version: r.version, resource: r.resource },
      requestKind: { group: r.group, version: r.version, kind },
      requestResource: { group: r.group, version: r.version, resource: r.resource },
      name,
      namespace: options.namespace ?? 'shop',
      operation: options.operation ?? 'CREATE',
      userInfo: { username: options.username ?? 'alice@example.com', uid: 'u-1', groups: ['system:authenticated', 'developers'] },
      object,
      oldObject: options.oldObject ?? null,
      dryRun: options.dryRun ?? false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: options.operation === 'UPDATE' ? 'UpdateOptions' : 'CreateOptions' },
    },
  };
}

/** A pod spec that passes every rule judging the object alone. */
export function hardenedPodSpec(): Json {
  return {
    serviceAccountName: 'web',
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'web',
      image: 'registry.example.com/web:1.4.2',
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    }],
  };
}

export function pod(name: string, spec: Json = hardenedPodSpec(), metadata: Json = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', uid: `uid-${name}`, ...metadata }, spec };
}

export function privilegedPod(name = 'debug'): KubeObject {
  const spec = hardenedPodSpec();
  const [container] = spec.containers as Json[];
  return pod(name, { ...spec, containers: [{ ...container, securityContext: { ...(container?.securityContext as Json), privileged: true, allowPrivilegeEscalation: true } }] });
}

export function deployment(name: string, podSpec: Json = hardenedPodSpec(), replicas = 2): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, generation: 1 },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
  };
}

/** A Pod as a ReplicaSet creates it: generateName, no name yet, the controller's ownerReference. */
export function replicaPod(deploymentName: string, namespace: string, spec: Json): KubeObject {
  const hash = '5d9c7b8f6d';
  // Typed as JSON: ObjectMeta declares only the ownerReference fields eksguard reads.
  const object: Json = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: `${deploymentName}-${hash}-`, namespace,
      labels: { app: deploymentName, 'pod-template-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${deploymentName}-${hash}`, uid: 'uid-rs', controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
  return object as unknown as KubeObject;
}
