/**
 * Every Kubernetes API resource the live collector can read, and how. The single source of the
 * calls it makes: the read plan is derived from it, and so is the test that proves
 * `deploy/rbac.yaml` grants each of these calls and nothing more.
 */
import { AWS_AUTH_NAME, AWS_AUTH_NAMESPACE } from '../../core/aws-auth.js';

/** How the collector reads one resource. */
export type ReadMode =
  /** List every object (paginated), cluster-wide or per namespace. */
  | { readonly verb: 'list' }
  /**
   * List object metadata only (PartialObjectMetadataList), filtered on the server by a field
   * selector; `fields` are what the selector guarantees, put back on each object (Secrets: their
   * `type`). The object body, and so a Secret's data, is never requested.
   */
  | { readonly verb: 'list'; readonly metadataOnly: { readonly fieldSelector: string; readonly fields: Readonly<Record<string, string>> } }
  /** Get these objects by name, and no others of the kind (404: not there, which is no gap). */
  | { readonly verb: 'get'; readonly names: readonly { readonly namespace: string; readonly name: string }[] };

export interface ApiResource {
  readonly kind: string;
  /** The resource name in URLs and RBAC rules. */
  readonly plural: string;
  /** `group/version` (`v1` for the core group), most preferred first when an add-on serves several. */
  readonly apiVersions: readonly string[];
  readonly namespaced: boolean;
  /**
   * Served only when an add-on is installed (a CRD or an aggregated API): read only when discovery
   * lists one of `apiVersions`, and its absence is the answer, not a gap.
   */
  readonly addOn?: string;
  readonly read: ReadMode;
  /** With `--namespace`, get the named namespaces' objects of this cluster-scoped kind by name instead of listing them all (Namespace). */
  readonly getWhenScoped?: true;
  /**
   * Pod-template owners are read before what they own (0: Deployments, CronJobs, ...; 1: ReplicaSets,
   * Jobs; 2: Pods), so replicas of an owner already read can be sampled instead of kept (see replicas.ts).
   */
  readonly stage: 0 | 1 | 2;
}

const LIST = { verb: 'list' } as const;

/** The legacy token Secret type: the only Secrets a rule asks about (no-long-lived-service-account-tokens). */
export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';

/** The ConfigMaps rules read: EKS's IAM mapping, and the VPC CNI's settings (network policy enforcement). */
export const NAMED_CONFIG_MAPS: readonly { readonly namespace: string; readonly name: string }[] = [
  { namespace: AWS_AUTH_NAMESPACE, name: AWS_AUTH_NAME },
  { namespace: 'kube-system', name: 'amazon-vpc-cni' },
];

function core(kind: string, plural: string, namespaced: boolean, read: ReadMode = LIST, stage: 0 | 1 | 2 = 0): ApiResource {
  return { kind, plural, apiVersions: ['v1'], namespaced, read, stage };
}

function group(apiVersion: string, kind: string, plural: string, namespaced: boolean, stage: 0 | 1 | 2 = 0): ApiResource {
  return { kind, plural, apiVersions: [apiVersion], namespaced, read: LIST, stage };
}

function addOn(name: string, apiVersions: readonly string[], kind: string, plural: string, namespaced: boolean): ApiResource {
  return { kind, plural, apiVersions, namespaced, addOn: name, read: LIST, stage: 0 };
}

export const API_RESOURCES: readonly ApiResource[] = [
  { ...core('Namespace', 'namespaces', false), getWhenScoped: true },
  core('Node', 'nodes', false),
  core('PersistentVolume', 'persistentvolumes', false),
  core('ServiceAccount', 'serviceaccounts', true),
  core('Service', 'services', true),
  core('ResourceQuota', 'resourcequotas', true),
  core('LimitRange', 'limitranges', true),
  core('ConfigMap', 'configmaps', true, { verb: 'get', names: NAMED_CONFIG_MAPS }),
  core('Secret', 'secrets', true, {
    verb: 'list',
    metadataOnly: { fieldSelector: `type=${SERVICE_ACCOUNT_TOKEN_TYPE}`, fields: { type: SERVICE_ACCOUNT_TOKEN_TYPE } },
  }),
  core('PodTemplate', 'podtemplates', true),
  core('ReplicationController', 'replicationcontrollers', true),
  core('Pod', 'pods', true, LIST, 2),
  group('apps/v1', 'Deployment', 'deployments', true),
  group('apps/v1', 'StatefulSet', 'statefulsets', true),
  group('apps/v1', 'DaemonSet', 'daemonsets', true),
  group('apps/v1', 'ReplicaSet', 'replicasets', true, 1),
  group('batch/v1', 'CronJob', 'cronjobs', true),
  group('batch/v1', 'Job', 'jobs', true, 1),
  group('rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false),
  group('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  group('rbac.authorization.k8s.io/v1', 'Role', 'roles', true),
  group('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true),
  group('networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', true),
  group('networking.k8s.io/v1', 'Ingress', 'ingresses', true),
  group('networking.k8s.io/v1', 'IngressClass', 'ingressclasses', false),
  group('storage.k8s.io/v1', 'StorageClass', 'storageclasses', false),
  // Calico serves its v3 API through its own API server when installed; its CRDs otherwise.
  addOn('Calico', ['projectcalico.org/v3', 'crd.projectcalico.org/v1'], 'NetworkPolicy', 'networkpolicies', true),
  addOn('Calico', ['projectcalico.org/v3', 'crd.projectcalico.org/v1'], 'GlobalNetworkPolicy', 'globalnetworkpolicies', false),
  addOn('Cilium', ['cilium.io/v2'], 'CiliumNetworkPolicy', 'ciliumnetworkpolicies', true),
  addOn('Cilium', ['cilium.io/v2'], 'CiliumClusterwideNetworkPolicy', 'ciliumclusterwidenetworkpolicies', false),
  addOn('Kyverno', ['kyverno.io/v1'], 'ClusterPolicy', 'clusterpolicies', false),
  addOn('Kyverno', ['kyverno.io/v1'], 'Policy', 'policies', true),
  addOn('Gatekeeper', ['templates.gatekeeper.sh/v1'], 'ConstraintTemplate', 'constrainttemplates', false),
  addOn('VPC resource controller', ['vpcresources.k8s.aws/v1beta1'], 'SecurityGroupPolicy', 'securitygrouppolicies', true),
  // Admission: the webhooks (the eksguard webhook, Gatekeeper's) and in-process policies, GA in
  // Kubernetes 1.30 — older API servers serve the group without them, which is "not installed".
  group('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false),
  addOn('ValidatingAdmissionPolicy', ['admissionregistration.k8s.io/v1'], 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false),
  addOn('ValidatingAdmissionPolicy', ['admissionregistration.k8s.io/v1'], 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', false),
  // External secret stores: the Secrets Store CSI driver and the External Secrets Operator.
  addOn('Secrets Store CSI driver', ['secrets-store.csi.x-k8s.io/v1'], 'SecretProviderClass', 'secretproviderclasses', true),
  addOn('External Secrets Operator', ['external-secrets.io/v1', 'external-secrets.io/v1beta1'], 'ExternalSecret', 'externalsecrets', true),
  addOn('External Secrets Operator', ['external-secrets.io/v1', 'external-secrets.io/v1beta1'], 'SecretStore', 'secretstores', true),
  addOn('External Secrets Operator', ['external-secrets.io/v1', 'external-secrets.io/v1beta1'], 'ClusterSecretStore', 'clustersecretstores', false),
  // Encryption in transit and private CAs: Istio's mTLS policies, App Mesh's virtual nodes, cert-manager's issuers and the ACM PCA issuers.
  addOn('Istio', ['security.istio.io/v1', 'security.istio.io/v1beta1'], 'PeerAuthentication', 'peerauthentications', true),
  addOn('App Mesh controller', ['appmesh.k8s.aws/v1beta2'], 'VirtualNode', 'virtualnodes', true),
  addOn('cert-manager', ['cert-manager.io/v1'], 'Issuer', 'issuers', true),
  addOn('cert-manager', ['cert-manager.io/v1'], 'ClusterIssuer', 'clusterissuers', false),
  addOn('AWS Private CA Issuer', ['awspca.cert-manager.io/v1beta1'], 'AWSPCAIssuer', 'awspcaissuers', true),
  addOn('AWS Private CA Issuer', ['awspca.cert-manager.io/v1beta1'], 'AWSPCAClusterIssuer', 'awspcaclusterissuers', false),
];

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** One API call the collector can make, as RBAC authorizes it. */
export interface ApiCall {
  readonly verb: 'get' | 'list';
  readonly apiGroup: string;
  readonly resource: string;
  /** For `get` by name: the names it reads. */
  readonly names?: readonly string[];
}

/** Every call the collector can make, whatever the rules and the cluster: what `deploy/rbac.yaml` must grant. */
export function possibleCalls(resources: readonly ApiResource[] = API_RESOURCES): ApiCall[] {
  const calls: ApiCall[] = [];
  for (const resource of resources) {
    for (const apiVersion of resource.apiVersions) {
      const apiGroup = groupOf(apiVersion);
      if (resource.read.verb === 'get') calls.push({ verb: 'get', apiGroup, resource: resource.plural, names: resource.read.names.map((n) => n.name) });
      else calls.push({ verb: 'list', apiGroup, resource: resource.plural });
      if (resource.getWhenScoped) calls.push({ verb: 'get', apiGroup, resource: resource.plural });
    }
  }
  return calls;
}
