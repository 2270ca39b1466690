/**
 * The API resources a who-can question can name, resolved as kubectl's RESTMapper would resolve
 * them on a cluster, but offline: the built-in resources of Kubernetes (plural, singular, kind and
 * short names, group, and whether they live in a namespace), plus the CustomResourceDefinitions of
 * the input. Written by hand because no library carries Kubernetes' discovery data offline; the
 * table covers the resources of Kubernetes v1.24–v1.34 and EKS's own API groups.
 */
import type { Inventory } from '../core/inventory.js';

export interface ApiResource {
  /** Plural, lower case: what RBAC rules name. */
  readonly resource: string;
  /** `''` for the core group. */
  readonly group: string;
  readonly namespaced: boolean;
  readonly kind: string;
  readonly shortNames: readonly string[];
}

type Row = readonly [resource: string, group: string, namespaced: boolean, kind: string, shortNames?: readonly string[]];

const BUILTIN: readonly Row[] = [
  ['bindings', '', true, 'Binding'],
  ['componentstatuses', '', false, 'ComponentStatus', ['cs']],
  ['configmaps', '', true, 'ConfigMap', ['cm']],
  ['endpoints', '', true, 'Endpoints', ['ep']],
  ['events', '', true, 'Event', ['ev']],
  ['limitranges', '', true, 'LimitRange', ['limits']],
  ['namespaces', '', false, 'Namespace', ['ns']],
  ['nodes', '', false, 'Node', ['no']],
  ['persistentvolumeclaims', '', true, 'PersistentVolumeClaim', ['pvc']],
  ['persistentvolumes', '', false, 'PersistentVolume', ['pv']],
  ['pods', '', true, 'Pod', ['po']],
  ['podtemplates', '', true, 'PodTemplate'],
  ['replicationcontrollers', '', true, 'ReplicationController', ['rc']],
  ['resourcequotas', '', true, 'ResourceQuota', ['quota']],
  ['secrets', '', true, 'Secret'],
  ['serviceaccounts', '', true, 'ServiceAccount', ['sa']],
  ['services', '', true, 'Service', ['svc']],
  // Impersonation targets: not stored objects, but RBAC names them like resources (cluster-scoped).
  ['users', '', false, 'User'],
  ['groups', '', false, 'Group'],
  ['uids', 'authentication.k8s.io', false, 'UID'],
  ['userextras', 'authentication.k8s.io', false, 'UserExtra'],
  ['mutatingwebhookconfigurations', 'admissionregistration.k8s.io', false, 'MutatingWebhookConfiguration'],
  ['validatingwebhookconfigurations', 'admissionregistration.k8s.io', false, 'ValidatingWebhookConfiguration'],
  ['validatingadmissionpolicies', 'admissionregistration.k8s.io', false, 'ValidatingAdmissionPolicy'],
  ['validatingadmissionpolicybindings', 'admissionregistration.k8s.io', false, 'ValidatingAdmissionPolicyBinding'],
  ['mutatingadmissionpolicies', 'admissionregistration.k8s.io', false, 'MutatingAdmissionPolicy'],
  ['mutatingadmissionpolicybindings', 'admissionregistration.k8s.io', false, 'MutatingAdmissionPolicyBinding'],
  ['customresourcedefinitions', 'apiextensions.k8s.io', false, 'CustomResourceDefinition', ['crd', 'crds']],
  ['apiservices', 'apiregistration.k8s.io', false, 'APIService'],
  ['controllerrevisions', 'apps', true, 'ControllerRevision'],
  ['daemonsets', 'apps', true, 'DaemonSet', ['ds']],
  ['deployments', 'apps', true, 'Deployment', ['deploy']],
  ['replicasets', 'apps', true, 'ReplicaSet', ['rs']],
  ['statefulsets', 'apps', true, 'StatefulSet', ['sts']],
  ['tokenreviews', 'authentication.k8s.io', false, 'TokenReview'],
  ['selfsubjectreviews', 'authentication.k8s.io', false, 'SelfSubjectReview'],
  ['localsubjectaccessreviews', 'authorization.k8s.io', true, 'LocalSubjectAccessReview'],
  ['selfsubjectaccessreviews', 'authorization.k8s.io', false, 'SelfSubjectAccessReview'],
  ['selfsubjectrulesreviews', 'authorization.k8s.io', false, 'SelfSubjectRulesReview'],
  ['subjectaccessreviews', 'authorization.k8s.io', false, 'SubjectAccessReview'],
  ['horizontalpodautoscalers', 'autoscaling', true, 'HorizontalPodAutoscaler', ['hpa']],
  ['cronjobs', 'batch', true, 'CronJob', ['cj']],
  ['jobs', 'batch', true, 'Job'],
  ['certificatesigningrequests', 'certificates.k8s.io', false, 'CertificateSigningRequest', ['csr']],
  // `approve` and `sign` are checked on signers, a resource RBAC names but the API does not serve.
  ['signers', 'certificates.k8s.io', false, 'Signer'],
  ['clustertrustbundles', 'certificates.k8s.io', false, 'ClusterTrustBundle'],
  ['leases', 'coordination.k8s.io', true, 'Lease'],
  ['endpointslices', 'discovery.k8s.io', true, 'EndpointSlice'],
  ['flowschemas', 'flowcontrol.apiserver.k8s.io', false, 'FlowSchema'],
  ['prioritylevelconfigurations', 'flowcontrol.apiserver.k8s.io', false, 'PriorityLevelConfiguration'],
  ['ingressclasses', 'networking.k8s.io', false, 'IngressClass'],
  ['ingresses', 'networking.k8s.io', true, 'Ingress', ['ing']],
  ['networkpolicies', 'networking.k8s.io', true, 'NetworkPolicy', ['netpol']],
  ['ipaddresses', 'networking.k8s.io', false, 'IPAddress'],
  ['servicecidrs', 'networking.k8s.io', false, 'ServiceCIDR'],
  ['runtimeclasses', 'node.k8s.io', false, 'RuntimeClass'],
  ['poddisruptionbudgets', 'policy', true, 'PodDisruptionBudget', ['pdb']],
  ['podsecuritypolicies', 'policy', false, 'PodSecurityPolicy', ['psp']],
  ['clusterrolebindings', 'rbac.authorization.k8s.io', false, 'ClusterRoleBinding'],
  ['clusterroles', 'rbac.authorization.k8s.io', false, 'ClusterRole'],
  ['rolebindings', 'rbac.authorization.k8s.io', true, 'RoleBinding'],
  ['roles', 'rbac.authorization.k8s.io', true, 'Role'],
  ['deviceclasses', 'resource.k8s.io', false, 'DeviceClass'],
  ['resourceclaims', 'resource.k8s.io', true, 'ResourceClaim'],
  ['resourceclaimtemplates', 'resource.k8s.io', true, 'ResourceClaimTemplate'],
  ['resourceslices', 'resource.k8s.io', false, 'ResourceSlice'],
  ['priorityclasses', 'scheduling.k8s.io', false, 'PriorityClass', ['pc']],
  ['csidrivers', 'storage.k8s.io', false, 'CSIDriver'],
  ['csinodes', 'storage.k8s.io', false, 'CSINode'],
  ['csistoragecapacities', 'storage.k8s.io', true, 'CSIStorageCapacity'],
  ['storageclasses', 'storage.k8s.io', false, 'StorageClass', ['sc']],
  ['volumeattachments', 'storage.k8s.io', false, 'VolumeAttachment'],
  ['volumeattributesclasses', 'storage.k8s.io', false, 'VolumeAttributesClass', ['vac']],
  ['nodes', 'metrics.k8s.io', false, 'NodeMetrics'],
  ['pods', 'metrics.k8s.io', true, 'PodMetrics'],
  ['eniconfigs', 'crd.k8s.amazonaws.com', false, 'ENIConfig'],
  ['securitygrouppolicies', 'vpcresources.k8s.aws', true, 'SecurityGroupPolicy', ['sgp']],
  ['targetgroupbindings', 'elbv2.k8s.aws', true, 'TargetGroupBinding'],
];

function fromRow([resource, group, namespaced, kind, shortNames]: Row): ApiResource {
  return { resource, group, namespaced, kind, shortNames: shortNames ?? [] };
}

const BUILTIN_RESOURCES: readonly ApiResource[] = BUILTIN.map(fromRow);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The resources the input's CustomResourceDefinitions define. */
export function customResources(inventory: Inventory): readonly ApiResource[] {
  const out: ApiResource[] = [];
  for (const crd of inventory.ofKind('CustomResourceDefinition')) {
    const spec = crd.object.spec;
    if (!isRecord(spec) || typeof spec.group !== 'string' || !isRecord(spec.names) || typeof spec.names.plural !== 'string') continue;
    const names = spec.names;
    const strings = (value: unknown) => (Array.isArray(value) ? (value as unknown[]).filter((v): v is string => typeof v === 'string') : []);
    out.push({
      resource: names.plural as string,
      group: spec.group,
      namespaced: spec.scope !== 'Cluster',
      kind: typeof names.kind === 'string' ? names.kind : '',
      shortNames: [...strings(names.shortNames), ...(typeof names.singular === 'string' ? [names.singular] : [])],
    });
  }
  return out;
}

function singularOf(resource: string): string {
  if (resource.endsWith('ies')) return `${resource.slice(0, -3)}y`;
  if (resource.endsWith('sses') || resource.endsWith('ches') || resource.endsWith('xes')) return resource.slice(0, -2);
  if (resource.endsWith('s')) return resource.slice(0, -1);
  return resource;
}

/** Whether `name` (as typed: plural, singular, kind or short name, any case) names this resource. */
function names(entry: ApiResource, name: string): boolean {
  const lower = name.toLowerCase();
  return entry.resource === lower || singularOf(entry.resource) === lower || entry.kind.toLowerCase() === lower || entry.shortNames.includes(lower);
}

export type ResolvedResource =
  | { readonly found: true; readonly resource: ApiResource }
  | { readonly found: false; readonly resource: string; readonly group: string | undefined };

/**
 * Resolves `pods`, `po`, `Pod`, `deployments.apps`, `deploy`, `certificates.cert-manager.io`, ...
 * A name without a group prefers the core group, then the built-in groups, as kubectl does; a
 * name the table and the CRDs do not know is returned unresolved (the caller decides).
 */
export function resolveResource(text: string, custom: readonly ApiResource[] = []): ResolvedResource {
  const all = [...BUILTIN_RESOURCES, ...custom];
  const dot = text.indexOf('.');
  if (dot > 0) {
    const name = text.slice(0, dot);
    const group = text.slice(dot + 1).toLowerCase();
    const hit = all.find((e) => e.group === group && names(e, name));
    if (hit) return { found: true, resource: hit };
    return { found: false, resource: name.toLowerCase(), group };
  }
  const matches = all.filter((e) => names(e, text));
  // kubectl prefers the core group, then the first group it discovers; metrics.k8s.io never wins.
  const preferred = matches.find((e) => e.group === '') ?? matches.find((e) => e.group !== 'metrics.k8s.io') ?? matches[0];
  if (preferred) return { found: true, resource: preferred };
  return { found: false, resource: text.toLowerCase(), group: undefined };
}

/** Whether a resource of that group lives in namespaces; undefined when neither the table nor the CRDs say. */
export function isNamespacedResource(resource: string, group: string, custom: readonly ApiResource[] = []): boolean | undefined {
  const hit = [...BUILTIN_RESOURCES, ...custom].find((e) => e.resource === resource && e.group === group);
  return hit?.namespaced;
}
