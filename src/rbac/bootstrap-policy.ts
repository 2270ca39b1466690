/**
 * What Kubernetes and EKS ship, so that the rules judge what users changed, not the platform.
 *
 * Kubernetes: the RBAC bootstrap policy (`plugin/pkg/auth/authorizer/rbac/bootstrappolicy`,
 * `policy.go`, `controller_policy.go`, `namespace_policy.go`), written out here as of v1.24–v1.34
 * and checked against its golden files (`testdata/cluster-roles.yaml`, `controller-roles.yaml`,
 * `namespace-roles.yaml`): the union across those versions where a role changed, and the roles
 * behind feature gates. The API server creates these objects with
 * the label `kubernetes.io/bootstrapping: rbac-defaults` and re-adds missing rules on start, but it
 * never removes added ones, so a built-in is judged rule by rule: a rule is "as shipped" when
 * everything it grants is granted by the shipped rules of the same role (`isCoveredBy`), and any
 * other rule is judged like a user's. A binding's subject is "as shipped" when the binding has the
 * shipped name, the shipped roleRef, and lists that subject. The label alone proves nothing (anyone
 * can set it), so it is not consulted.
 *
 * Every controller role is here, not only those that trip a scan rule: `rbac risky` also judges
 * pod writes, which the workload controllers hold everywhere. A few cluster roles whose shipped
 * rules trip nothing at all may still be missing. A built-in role absent from the input is looked
 * up here (the API server creates it in every cluster), so the roles users commonly bind
 * (`cluster-admin`, `admin`, `edit`, `view`, ...) are complete.
 *
 * EKS: its objects are named `eks:*`, and their exact rules vary by platform version and are not
 * published, so they are recognised by name and by who holds them. A subject is EKS's own when it
 * is a User named `eks:*`, or a Group named `eks:*` in a binding named `eks:*` (the identities
 * EKS's control-plane components authenticate as; access entries refuse the prefix; see
 * `isEksIdentity`). A Role or ClusterRole named
 * `eks:*` is EKS's as long as no binding hands it to anyone else (see `RbacPolicy`); once one
 * does, it is judged like a user's role, rule by rule.
 */
import { RBAC_GROUP, isCoveredBy, toPolicyRule, type PolicyRule } from './policy-rule.js';

export interface Subject {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
  /** ServiceAccounts only. */
  readonly namespace?: string;
}

interface RawRule {
  readonly verbs: readonly string[];
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

export interface ShippedClusterRole {
  readonly labels?: Readonly<Record<string, string>>;
  readonly rules?: readonly RawRule[];
  readonly aggregationRule?: { readonly clusterRoleSelectors: readonly { readonly matchLabels: Readonly<Record<string, string>> }[] };
}

interface ShippedBinding {
  readonly roleRef: { readonly kind: 'Role' | 'ClusterRole'; readonly name: string };
  readonly subjects: readonly Subject[];
}

// Verb sets of bootstrappolicy/policy.go.
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const READ_WRITE = [...READ, ...WRITE];
const READ_UPDATE = [...READ, 'update', 'patch'];

const r = (verbs: readonly string[], apiGroups: readonly string[], resources: readonly string[], resourceNames?: readonly string[]): RawRule =>
  resourceNames ? { verbs, apiGroups, resources, resourceNames } : { verbs, apiGroups, resources };
const urls = (verbs: readonly string[], nonResourceURLs: readonly string[]): RawRule => ({ verbs, nonResourceURLs });
const EVENTS = r(['create', 'update', 'patch'], ['', 'events.k8s.io'], ['events']);

const AGGREGATE_TO = (level: 'admin' | 'edit' | 'view') => ({ [`rbac.authorization.k8s.io/aggregate-to-${level}`]: 'true' });
const aggregateFrom = (level: 'admin' | 'edit' | 'view') => ({ clusterRoleSelectors: [{ matchLabels: AGGREGATE_TO(level) }] });

/** The bootstrap ClusterRoles, by name. */
export const SHIPPED_CLUSTER_ROLES: Readonly<Record<string, ShippedClusterRole>> = {
  'cluster-admin': { rules: [r(['*'], ['*'], ['*']), urls(['*'], ['*'])] },
  'system:discovery': {
    rules: [urls(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/', '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*',
      '/swagger-2.0.0.pb-v1', '/swagger.json', '/swaggerapi', '/swaggerapi/*'])],
  },
  'system:monitoring': { rules: [urls(['get'], ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*'])] },
  'system:basic-user': {
    rules: [
      r(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      r(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ],
  },
  'system:public-info-viewer': { rules: [urls(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/'])] },
  admin: { aggregationRule: aggregateFrom('admin') },
  edit: { labels: AGGREGATE_TO('admin'), aggregationRule: aggregateFrom('edit') },
  view: { labels: AGGREGATE_TO('edit'), aggregationRule: aggregateFrom('view') },
  'system:aggregate-to-admin': {
    labels: AGGREGATE_TO('admin'),
    rules: [
      r(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
      r(READ_WRITE, [RBAC_GROUP], ['roles', 'rolebindings']),
    ],
  },
  'system:aggregate-to-edit': {
    labels: AGGREGATE_TO('edit'),
    rules: [
      r(READ, [''], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
      r(['impersonate'], [''], ['serviceaccounts']),
      r(WRITE, [''], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
      r(['create'], [''], ['pods/eviction']),
      r(WRITE, [''], ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy', 'persistentvolumeclaims', 'configmaps', 'secrets', 'events']),
      r(['create'], [''], ['serviceaccounts/token']),
      r(WRITE, ['apps'], ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale']),
      r(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
      r(WRITE, ['batch'], ['jobs', 'cronjobs']),
      r(WRITE, ['extensions'], ['daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'ingresses', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale', 'networkpolicies']),
      r(WRITE, ['policy'], ['poddisruptionbudgets']),
      r(WRITE, ['networking.k8s.io'], ['networkpolicies', 'ingresses']),
      r(READ_WRITE, ['coordination.k8s.io'], ['leases']),
    ],
  },
  'system:aggregate-to-view': {
    labels: AGGREGATE_TO('view'),
    rules: [
      r(READ, [''], ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
      r(READ, [''], ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status', 'replicationcontrollers/status', 'pods/log']),
      r(READ, [''], ['namespaces']),
      r(READ, ['discovery.k8s.io'], ['endpointslices']),
      r(READ, ['apps'], ['controllerrevisions', 'statefulsets', 'statefulsets/status', 'statefulsets/scale', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/status', 'deployments/scale', 'replicasets', 'replicasets/status', 'replicasets/scale']),
      r(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
      r(READ, ['batch'], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
      r(READ, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale', 'networkpolicies']),
      r(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
      r(READ, ['networking.k8s.io'], ['networkpolicies', 'ingresses', 'ingresses/status']),
    ],
  },
  'system:heapster': { rules: [r(READ, [''], ['events', 'pods', 'nodes', 'namespaces']), r(READ, ['extensions'], ['deployments'])] },
  'system:node': {
    rules: [
      r(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews', 'localsubjectaccessreviews']),
      r(READ, [''], ['services']),
      r(['create', 'get', 'list', 'watch'], [''], ['nodes']),
      r(['update', 'patch'], [''], ['nodes/status']),
      r(['update', 'patch'], [''], ['nodes']),
      r(['create', 'update', 'patch'], [''], ['events']),
      r(READ, [''], ['pods']),
      r(['create', 'delete'], [''], ['pods']),
      r(['update', 'patch'], [''], ['pods/status']),
      r(['create'], [''], ['pods/eviction']),
      r(['get', 'list', 'watch'], [''], ['secrets', 'configmaps']),
      r(['get'], [''], ['persistentvolumeclaims', 'persistentvolumes']),
      r(['get'], [''], ['endpoints']),
      r(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests']),
      r(['get', 'create', 'update', 'patch', 'delete'], ['coordination.k8s.io'], ['leases']),
      r(['get'], ['storage.k8s.io'], ['volumeattachments']),
      r(['create'], [''], ['serviceaccounts/token']),
      r(['get', 'update', 'patch'], [''], ['persistentvolumeclaims/status']),
      r(['get', 'watch', 'list'], ['storage.k8s.io'], ['csidrivers']),
      r(['get', 'create', 'update', 'patch', 'delete'], ['storage.k8s.io'], ['csinodes']),
      r(['get', 'list', 'watch'], ['node.k8s.io'], ['runtimeclasses']),
      r(['get'], ['resource.k8s.io'], ['resourceclaims']),
      r(['deletecollection'], ['resource.k8s.io'], ['resourceslices']),
      r(['get', 'list', 'watch'], ['resource.k8s.io'], ['resourceslices']),
      r(['create', 'update', 'patch', 'delete'], ['resource.k8s.io'], ['resourceslices']),
      r(['get', 'list', 'watch'], ['certificates.k8s.io'], ['clustertrustbundles']),
      r(['get', 'list', 'watch'], ['resource.k8s.io'], ['deviceclasses']),
    ],
  },
  'system:node-problem-detector': { rules: [r(['get'], [''], ['nodes']), r(['patch'], [''], ['nodes/status']), EVENTS] },
  'system:kubelet-api-admin': {
    rules: [
      r(['get', 'list', 'watch'], [''], ['nodes']),
      r(['proxy'], [''], ['nodes']),
      r(['*'], [''], ['nodes/proxy', 'nodes/metrics', 'nodes/stats', 'nodes/log', 'nodes/healthz', 'nodes/pods', 'nodes/configz']),
    ],
  },
  'system:node-bootstrapper': { rules: [r(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests'])] },
  'system:auth-delegator': { rules: [r(['create'], ['authentication.k8s.io'], ['tokenreviews']), r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews'])] },
  'system:kube-aggregator': { rules: [r(READ, [''], ['services', 'endpoints'])] },
  'system:kube-controller-manager': {
    rules: [
      EVENTS,
      r(['create'], ['coordination.k8s.io'], ['leases']),
      r(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-controller-manager']),
      r(['create'], [''], ['endpoints']),
      r(['get', 'update'], [''], ['endpoints'], ['kube-controller-manager']),
      r(['create'], [''], ['secrets', 'serviceaccounts']),
      r(['delete'], [''], ['secrets']),
      r(['get'], [''], ['namespaces', 'secrets', 'serviceaccounts', 'configmaps']),
      r(['update'], [''], ['secrets', 'serviceaccounts']),
      r(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
      r(['list', 'watch'], ['*'], ['*']),
      r(['create'], [''], ['serviceaccounts/token']),
    ],
  },
  'system:kube-dns': { rules: [r(['list', 'watch'], [''], ['endpoints', 'services'])] },
  'system:persistent-volume-provisioner': {
    rules: [
      r(['get', 'list', 'watch', 'create', 'delete'], [''], ['persistentvolumes']),
      r(['get', 'list', 'watch', 'update'], [''], ['persistentvolumeclaims']),
      r(READ, ['storage.k8s.io'], ['storageclasses']),
      r(['watch'], [''], ['events']),
      EVENTS,
    ],
  },
  'system:certificates.k8s.io:certificatesigningrequests:nodeclient': { rules: [r(['create'], ['certificates.k8s.io'], ['certificatesigningrequests/nodeclient'])] },
  'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient': { rules: [r(['create'], ['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient'])] },
  'system:volume-scheduler': {
    rules: [r(READ_UPDATE, [''], ['persistentvolumes']), r(READ, ['storage.k8s.io'], ['storageclasses']), r(READ_UPDATE, [''], ['persistentvolumeclaims'])],
  },
  'system:certificates.k8s.io:legacy-unknown-approver': { rules: [r(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/legacy-unknown'])] },
  'system:certificates.k8s.io:kubelet-serving-approver': { rules: [r(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kubelet-serving'])] },
  'system:certificates.k8s.io:kube-apiserver-client-approver': { rules: [r(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client'])] },
  'system:certificates.k8s.io:kube-apiserver-client-kubelet-approver': { rules: [r(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet'])] },
  'system:service-account-issuer-discovery': { rules: [urls(['get'], ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'])] },
  'system:node-proxier': {
    rules: [
      r(['list', 'watch'], [''], ['services', 'endpoints']),
      r(['get', 'list', 'watch'], [''], ['nodes']),
      EVENTS,
      r(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
      r(['list', 'watch'], ['networking.k8s.io'], ['servicecidrs']),
    ],
  },
  'system:kube-scheduler': {
    rules: [
      EVENTS,
      r(['create'], ['coordination.k8s.io'], ['leases']),
      r(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-scheduler']),
      r(['create'], [''], ['endpoints']),
      r(['get', 'update'], [''], ['endpoints'], ['kube-scheduler']),
      r(READ, [''], ['nodes']),
      r(['get', 'list', 'watch', 'delete'], [''], ['pods']),
      r(['create'], [''], ['pods/binding', 'bindings']),
      r(['patch', 'update'], [''], ['pods/status']),
      r(READ, [''], ['services', 'replicationcontrollers']),
      r(READ, ['apps', 'extensions'], ['replicasets']),
      r(READ, ['apps'], ['statefulsets']),
      r(READ, ['policy'], ['poddisruptionbudgets']),
      r(READ, [''], ['persistentvolumeclaims', 'persistentvolumes']),
      r(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
      r(READ, ['storage.k8s.io'], ['csinodes']),
      r(READ, [''], ['namespaces']),
      r(READ, ['storage.k8s.io'], ['csidrivers']),
      r(READ, ['storage.k8s.io'], ['csistoragecapacities']),
      r(READ, ['resource.k8s.io'], ['deviceclasses', 'resourceclaims', 'resourceslices']),
      r(['update'], ['resource.k8s.io'], ['resourceclaims/status']),
    ],
  },
  // controller_policy.go: every controller role, not only those that trip a scan rule — `rbac risky`
  // judges more than the scan rules do (the workload controllers create or patch pods everywhere),
  // and a role missing here would be reported as the user's. Roles behind feature gates are included.
  'system:controller:clusterrole-aggregation-controller': { rules: [r(['escalate', 'get', 'list', 'patch', 'update', 'watch'], [RBAC_GROUP], ['clusterroles'])] },
  'system:controller:disruption-controller': {
    rules: [
      r(['get', 'list', 'watch'], ['apps', 'extensions'], ['deployments']),
      r(['get', 'list', 'watch'], ['apps', 'extensions'], ['replicasets']),
      r(['get', 'list', 'watch'], [''], ['replicationcontrollers']),
      r(['get', 'list', 'watch'], ['policy'], ['poddisruptionbudgets']),
      r(['get', 'list', 'watch'], ['apps'], ['statefulsets']),
      r(['update'], ['policy'], ['poddisruptionbudgets/status']),
      r(['get'], ['*'], ['*/scale']),
      r(['patch', 'update'], [''], ['pods/status']),
      EVENTS,
    ],
  },
  'system:controller:expand-controller': {
    rules: [
      r(['get', 'list', 'watch', 'update', 'patch'], [''], ['persistentvolumes']),
      r(['update', 'patch'], [''], ['persistentvolumeclaims/status']),
      r(['get', 'list', 'watch'], [''], ['persistentvolumeclaims']),
      r(['get', 'list', 'watch'], ['storage.k8s.io'], ['storageclasses']),
      r(['get'], [''], ['endpoints', 'services']),
      r(['get'], [''], ['secrets']),
      EVENTS,
    ],
  },
  'system:controller:generic-garbage-collector': { rules: [r(['get', 'list', 'watch', 'patch', 'update', 'delete'], ['*'], ['*']), EVENTS] },
  'system:controller:horizontal-pod-autoscaler': {
    rules: [
      r(['get', 'list', 'watch'], ['autoscaling'], ['horizontalpodautoscalers']),
      r(['update'], ['autoscaling'], ['horizontalpodautoscalers/status']),
      r(['get', 'update'], ['*'], ['*/scale']),
      r(['list', 'watch'], [''], ['pods']),
      r(['get', 'list', 'watch'], ['metrics.k8s.io'], ['pods']),
      r(['get', 'list', 'watch'], ['custom.metrics.k8s.io'], ['*']),
      r(['get', 'list', 'watch'], ['external.metrics.k8s.io'], ['*']),
      EVENTS,
    ],
  },
  'system:controller:namespace-controller': {
    rules: [
      r(['get', 'list', 'watch', 'delete'], [''], ['namespaces']),
      r(['update'], [''], ['namespaces/finalize', 'namespaces/status']),
      r(['get', 'list', 'watch', 'delete', 'deletecollection'], ['*'], ['*']),
    ],
  },
  'system:controller:persistent-volume-binder': {
    rules: [
      r(['get', 'list', 'watch', 'update', 'create', 'delete'], [''], ['persistentvolumes']),
      r(['update'], [''], ['persistentvolumes/status']),
      r(['get', 'list', 'watch', 'update'], [''], ['persistentvolumeclaims']),
      r(['update'], [''], ['persistentvolumeclaims/status']),
      r(['list', 'watch', 'get', 'create', 'delete'], [''], ['pods']),
      r(['get', 'create', 'delete'], [''], ['endpoints', 'services']),
      r(['get'], [''], ['secrets']),
      r(['get', 'list'], [''], ['nodes']),
      r(['list', 'watch'], [''], ['nodes']),
      r(['watch'], [''], ['events']),
      r(['get', 'list', 'watch'], ['storage.k8s.io'], ['storageclasses']),
      EVENTS,
    ],
  },
  'system:controller:resourcequota-controller': { rules: [r(['list', 'watch'], ['*'], ['*']), r(['update'], [''], ['resourcequotas/status']), EVENTS] },
  'system:controller:root-ca-cert-publisher': { rules: [r(['create', 'update'], [''], ['configmaps']), EVENTS] },
  'system:controller:storage-version-migrator-controller': {
    // Later versions also create (server-side apply of a deleted object) and watch.
    rules: [r(['list', 'watch', 'create', 'patch'], ['*'], ['*']), r(['update'], ['storagemigration.k8s.io'], ['storageversionmigrations/status']), r(['get'], ['storagemigration.k8s.io'], ['storageversionmigrations'])],
  },
  'system:controller:legacy-service-account-token-cleaner': {
    rules: [r(['get'], [''], ['configmaps'], ['kube-apiserver-legacy-service-account-token-tracking']), r(['patch', 'delete'], [''], ['secrets'])],
  },
  // The controllers whose shipped rules trip no scan rule, though `rbac risky` judges the workload
  // controllers' pod writes (create, patch, update): as controller_policy.go ships them at v1.34,
  // with the rules earlier versions (and their golden files) had on top.
  'system:controller:attachdetach-controller': {
    rules: [
      r(['list', 'watch'], [''], ['persistentvolumes', 'persistentvolumeclaims']),
      r(['get', 'list', 'watch'], [''], ['nodes']),
      r(['patch', 'update'], [''], ['nodes/status']),
      r(['list', 'watch'], [''], ['pods']),
      EVENTS,
      r(['get', 'create', 'delete', 'list', 'watch'], ['storage.k8s.io'], ['volumeattachments']),
      r(['get', 'watch', 'list'], ['storage.k8s.io'], ['csidrivers']),
      r(['get', 'watch', 'list'], ['storage.k8s.io'], ['csinodes']),
    ],
  },
  'system:controller:certificate-controller': {
    rules: [
      r(['get', 'list', 'watch', 'delete'], ['certificates.k8s.io'], ['certificatesigningrequests']),
      r(['update'], ['certificates.k8s.io'], ['certificatesigningrequests/status', 'certificatesigningrequests/approval']),
      r(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet']),
      // Older versions also approved legacy-unknown requests.
      r(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/legacy-unknown']),
      r(['sign'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/legacy-unknown', 'kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving']),
      r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
      EVENTS,
    ],
  },
  'system:controller:cronjob-controller': {
    rules: [
      r(['get', 'list', 'watch', 'update'], ['batch'], ['cronjobs']),
      r(['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'], ['batch'], ['jobs']),
      r(['update'], ['batch'], ['cronjobs/status']),
      r(['update'], ['batch'], ['cronjobs/finalizers']),
      r(['list', 'watch', 'delete'], [''], ['pods']),
      EVENTS,
    ],
  },
  'system:controller:daemon-set-controller': {
    rules: [
      r(['get', 'list', 'watch'], ['extensions', 'apps'], ['daemonsets']),
      r(['update'], ['extensions', 'apps'], ['daemonsets/status']),
      r(['update'], ['extensions', 'apps'], ['daemonsets/finalizers']),
      r(['list', 'watch'], [''], ['nodes']),
      r(['list', 'watch', 'create', 'delete', 'patch'], [''], ['pods']),
      r(['create'], [''], ['pods/binding']),
      r(['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'], ['apps'], ['controllerrevisions']),
      EVENTS,
    ],
  },
  'system:controller:deployment-controller': {
    rules: [
      r(['get', 'list', 'watch', 'update'], ['extensions', 'apps'], ['deployments']),
      r(['update'], ['extensions', 'apps'], ['deployments/status']),
      r(['update'], ['extensions', 'apps'], ['deployments/finalizers']),
      r(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], ['apps', 'extensions'], ['replicasets']),
      r(['get', 'list', 'watch', 'update'], [''], ['pods']),
      EVENTS,
    ],
  },
  'system:controller:device-taint-eviction-controller': {
    rules: [
      r(['get', 'list', 'watch', 'delete'], [''], ['pods']),
      r(['update', 'patch'], [''], ['pods/status']),
      r(['get', 'list', 'watch'], ['resource.k8s.io'], ['resourceclaims']),
      r(['get', 'list', 'watch'], ['resource.k8s.io'], ['resourceslices']),
      r(['get', 'list', 'watch'], ['resource.k8s.io'], ['deviceclasses']),
      r(['get', 'list', 'watch'], ['resource.k8s.io'], ['devicetaintrules']),
      EVENTS,
    ],
  },
  'system:controller:endpoint-controller': {
    rules: [
      r(['get', 'list', 'watch'], [''], ['services', 'pods']),
      r(['get', 'list', 'watch', 'create', 'update', 'delete'], [''], ['endpoints']),
      r(['create'], [''], ['endpoints/restricted']),
      EVENTS,
    ],
  },
  'system:controller:endpointslice-controller': {
    rules: [
      r(['get', 'list', 'watch'], [''], ['services', 'pods', 'nodes']),
      r(['update'], [''], ['services/finalizers']),
      r(['get', 'list', 'watch', 'create', 'update', 'delete'], ['discovery.k8s.io'], ['endpointslices']),
      EVENTS,
    ],
  },
  'system:controller:endpointslicemirroring-controller': {
    rules: [
      r(['get', 'list', 'watch'], [''], ['services', 'endpoints']),
      r(['update'], [''], ['services/finalizers']),
      r(['update'], [''], ['endpoints/finalizers']),
      r(['get', 'list', 'watch', 'create', 'update', 'delete'], ['discovery.k8s.io'], ['endpointslices']),
      EVENTS,
    ],
  },
  'system:controller:ephemeral-volume-controller': {
    rules: [
      r(['get', 'list', 'watch'], [''], ['pods']),
      r(['update'], [''], ['pods/finalizers']),
      r(['get', 'list', 'watch', 'create'], [''], ['persistentvolumeclaims']),
      EVENTS,
    ],
  },
  'system:controller:job-controller': {
    rules: [
      r(['get', 'list', 'watch', 'update', 'patch'], ['batch'], ['jobs']),
      r(['update'], ['batch'], ['jobs/status']),
      r(['update'], ['batch'], ['jobs/finalizers']),
      r(['list', 'watch', 'create', 'delete', 'patch'], [''], ['pods']),
      EVENTS,
    ],
  },
  'system:controller:kube-apiserver-serving-clustertrustbundle-publisher': {
    rules: [
      r(['attest'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-serving']),
      r(['create', 'update', 'delete', 'list', 'watch'], ['certificates.k8s.io'], ['clustertrustbundles']),
      EVENTS,
    ],
  },
  'system:controller:node-controller': {
    rules: [
      r(['get', 'list', 'watch', 'update', 'delete', 'patch'], [''], ['nodes']),
      r(['patch', 'update'], [''], ['nodes/status']),
      r(['patch', 'update'], [''], ['pods/status']),
      r(['list', 'watch', 'get', 'delete'], [''], ['pods']),
      EVENTS,
    ],
  },
  'system:controller:pod-garbage-collector': {
    rules: [
      r(['list', 'watch', 'delete'], [''], ['pods']),
      r(['get', 'list', 'watch'], [''], ['nodes']),
      r(['patch'], [''], ['pods/status']),
    ],
  },
  'system:controller:podcertificaterequestcleaner': { rules: [r(['get', 'list', 'watch', 'delete'], ['certificates.k8s.io'], ['podcertificaterequests'])] },
  'system:controller:pv-protection-controller': { rules: [r(['get', 'list', 'watch', 'update'], [''], ['persistentvolumes']), EVENTS] },
  'system:controller:pvc-protection-controller': {
    rules: [
      r(['get', 'list', 'watch', 'update'], [''], ['persistentvolumeclaims']),
      r(['update'], [''], ['persistentvolumeclaims/status']),
      r(['list', 'watch', 'get'], [''], ['pods']),
      EVENTS,
    ],
  },
  'system:controller:replicaset-controller': {
    rules: [
      r(['get', 'list', 'watch', 'update'], ['apps', 'extensions'], ['replicasets']),
      r(['update'], ['apps', 'extensions'], ['replicasets/status']),
      r(['update'], ['apps', 'extensions'], ['replicasets/finalizers']),
      r(['list', 'watch', 'patch', 'create', 'delete'], [''], ['pods']),
      EVENTS,
    ],
  },
  'system:controller:replication-controller': {
    rules: [
      r(['get', 'list', 'watch', 'update'], [''], ['replicationcontrollers']),
      r(['update'], [''], ['replicationcontrollers/status']),
      r(['update'], [''], ['replicationcontrollers/finalizers']),
      r(['list', 'watch', 'patch', 'create', 'delete'], [''], ['pods']),
      EVENTS,
    ],
  },
  'system:controller:resource-claim-controller': {
    rules: [
      r(['get', 'list', 'watch'], [''], ['pods']),
      r(['update'], [''], ['pods/finalizers']),
      r(['get', 'list', 'watch', 'create', 'delete'], ['resource.k8s.io'], ['resourceclaims']),
      r(['update', 'patch'], ['resource.k8s.io'], ['resourceclaims', 'resourceclaims/status']),
      r(['update', 'patch'], [''], ['pods/status']),
      EVENTS,
      r(['update', 'patch'], ['resource.k8s.io'], ['resourceclaims/binding']),
    ],
  },
  'system:controller:route-controller': { rules: [r(['list', 'watch'], [''], ['nodes']), r(['patch'], [''], ['nodes/status']), EVENTS] },
  'system:controller:selinux-warning-controller': {
    rules: [
      EVENTS,
      r(['get', 'list', 'watch'], [''], ['persistentvolumes']),
      r(['get', 'list', 'watch'], [''], ['persistentvolumeclaims']),
      r(['get', 'list', 'watch'], [''], ['pods']),
      r(['get', 'list', 'watch'], ['storage.k8s.io'], ['csidrivers']),
    ],
  },
  'system:controller:service-account-controller': { rules: [r(['create'], [''], ['serviceaccounts']), EVENTS] },
  'system:controller:service-cidrs-controller': {
    rules: [
      r(['get', 'list', 'watch', 'patch', 'update'], ['networking.k8s.io'], ['servicecidrs']),
      r(['patch', 'update'], ['networking.k8s.io'], ['servicecidrs/finalizers']),
      r(['patch', 'update'], ['networking.k8s.io'], ['servicecidrs/status']),
      r(['get', 'list', 'watch'], ['networking.k8s.io'], ['ipaddresses']),
      EVENTS,
    ],
  },
  'system:controller:service-controller': {
    rules: [r(['get', 'list', 'watch'], [''], ['services']), r(['patch', 'update'], [''], ['services/status']), r(['list', 'watch'], [''], ['nodes']), EVENTS],
  },
  'system:controller:statefulset-controller': {
    rules: [
      r(['list', 'watch'], [''], ['pods']),
      r(['get', 'list', 'watch'], ['apps'], ['statefulsets']),
      r(['update'], ['apps'], ['statefulsets/status']),
      r(['update'], ['apps'], ['statefulsets/finalizers']),
      r(['get', 'create', 'delete', 'update', 'patch'], [''], ['pods']),
      r(['get', 'create', 'delete', 'update', 'patch', 'list', 'watch'], ['apps'], ['controllerrevisions']),
      r(['get', 'create', 'list', 'watch'], [''], ['persistentvolumeclaims']),
      // StatefulSetAutoDeletePVC (beta, on by default, from v1.27).
      r(['update', 'delete'], [''], ['persistentvolumeclaims']),
      r(['update'], [''], ['pods/finalizers']),
      EVENTS,
    ],
  },
  'system:controller:storage-version-garbage-collector': {
    rules: [
      r(['get', 'list', 'watch'], ['coordination.k8s.io'], ['leases']),
      r(['get', 'list', 'watch', 'patch', 'update', 'delete'], ['internal.apiserver.k8s.io'], ['storageversions']),
      r(['get', 'patch', 'update'], ['internal.apiserver.k8s.io'], ['storageversions/status']),
    ],
  },
  'system:controller:ttl-after-finished-controller': { rules: [r(['get', 'list', 'watch', 'delete'], ['batch'], ['jobs']), EVENTS] },
  'system:controller:ttl-controller': { rules: [r(['update', 'patch', 'list', 'watch'], [''], ['nodes']), EVENTS] },
  'system:controller:validatingadmissionpolicy-status-controller': {
    rules: [
      r(['get', 'list', 'watch'], ['admissionregistration.k8s.io'], ['validatingadmissionpolicies']),
      r(['get', 'patch', 'update'], ['admissionregistration.k8s.io'], ['validatingadmissionpolicies/status']),
      EVENTS,
    ],
  },
  'system:controller:volumeattributesclass-protection-controller': {
    rules: [
      r(['list', 'watch', 'get'], [''], ['persistentvolumeclaims']),
      r(['list', 'watch', 'get'], [''], ['persistentvolumes']),
      r(['get', 'list', 'watch', 'update'], ['storage.k8s.io'], ['volumeattributesclasses']),
      EVENTS,
    ],
  },
};

/** The bootstrap Roles, by `namespace/name` (namespace_policy.go). */
export const SHIPPED_ROLES: Readonly<Record<string, readonly RawRule[]>> = {
  'kube-system/extension-apiserver-authentication-reader': [r(['get', 'list', 'watch'], [''], ['configmaps'], ['extension-apiserver-authentication'])],
  // Leader election moved from ConfigMaps to Leases (and lease candidates) over these versions.
  'kube-system/system::leader-locking-kube-controller-manager': [
    r(['watch'], [''], ['configmaps']), r(['get', 'update'], [''], ['configmaps'], ['kube-controller-manager']),
    r(['create', 'get', 'list', 'update', 'watch'], ['coordination.k8s.io'], ['leases', 'leasecandidates']),
  ],
  'kube-system/system::leader-locking-kube-scheduler': [
    r(['watch'], [''], ['configmaps']), r(['get', 'update'], [''], ['configmaps'], ['kube-scheduler']),
    r(['create', 'get', 'list', 'update', 'watch'], ['coordination.k8s.io'], ['leases', 'leasecandidates']),
  ],
  'kube-system/system:controller:bootstrap-signer': [r(['get', 'list', 'watch'], [''], ['secrets'])],
  'kube-system/system:controller:cloud-provider': [r(['create', 'get', 'list', 'watch'], [''], ['configmaps'])],
  'kube-system/system:controller:token-cleaner': [r(['delete', 'get', 'list', 'watch'], [''], ['secrets']), EVENTS],
  'kube-public/system:controller:bootstrap-signer': [r(['get', 'list', 'watch'], [''], ['configmaps']), r(['update'], [''], ['configmaps'], ['cluster-info']), EVENTS],
};

const user = (name: string): Subject => ({ kind: 'User', name });
const group = (name: string): Subject => ({ kind: 'Group', name });
const sa = (name: string): Subject => ({ kind: 'ServiceAccount', name, namespace: 'kube-system' });
const clusterRole = (name: string) => ({ kind: 'ClusterRole' as const, name });

/** Every controller whose ClusterRoleBinding `system:controller:<name>` binds ServiceAccount kube-system/<name>. */
const CONTROLLERS = [
  'attachdetach-controller', 'clusterrole-aggregation-controller', 'cronjob-controller', 'daemon-set-controller',
  'deployment-controller', 'disruption-controller', 'endpoint-controller', 'endpointslice-controller',
  'endpointslicemirroring-controller', 'ephemeral-volume-controller', 'expand-controller', 'generic-garbage-collector',
  'horizontal-pod-autoscaler', 'job-controller', 'namespace-controller', 'node-controller', 'persistent-volume-binder',
  'pod-garbage-collector', 'replicaset-controller', 'replication-controller', 'resourcequota-controller', 'route-controller',
  'service-account-controller', 'service-controller', 'statefulset-controller', 'ttl-controller', 'certificate-controller',
  'pvc-protection-controller', 'pv-protection-controller', 'ttl-after-finished-controller', 'root-ca-cert-publisher',
  'legacy-service-account-token-cleaner', 'validatingadmissionpolicy-status-controller', 'service-cidrs-controller',
  'resource-claim-controller', 'storage-version-migrator-controller', 'selinux-warning-controller',
  'volumeattributesclass-protection-controller', 'taint-eviction-controller', 'device-taint-eviction-controller', 'podcheckpoint-controller',
  // Behind feature gates.
  'podcertificaterequestcleaner', 'kube-apiserver-serving-clustertrustbundle-publisher', 'storage-version-garbage-collector',
];

/** The bootstrap ClusterRoleBindings, by name. */
export const SHIPPED_CLUSTER_ROLE_BINDINGS: Readonly<Record<string, ShippedBinding>> = {
  'cluster-admin': { roleRef: clusterRole('cluster-admin'), subjects: [group('system:masters')] },
  'system:monitoring': { roleRef: clusterRole('system:monitoring'), subjects: [group('system:monitoring')] },
  'system:discovery': { roleRef: clusterRole('system:discovery'), subjects: [group('system:authenticated')] },
  'system:basic-user': { roleRef: clusterRole('system:basic-user'), subjects: [group('system:authenticated')] },
  'system:public-info-viewer': { roleRef: clusterRole('system:public-info-viewer'), subjects: [group('system:authenticated'), group('system:unauthenticated')] },
  'system:node-proxier': { roleRef: clusterRole('system:node-proxier'), subjects: [user('system:kube-proxy')] },
  'system:kube-controller-manager': { roleRef: clusterRole('system:kube-controller-manager'), subjects: [user('system:kube-controller-manager')] },
  'system:kube-dns': { roleRef: clusterRole('system:kube-dns'), subjects: [sa('kube-dns')] },
  'system:kube-scheduler': { roleRef: clusterRole('system:kube-scheduler'), subjects: [user('system:kube-scheduler')] },
  'system:volume-scheduler': { roleRef: clusterRole('system:volume-scheduler'), subjects: [user('system:kube-scheduler')] },
  'system:node': { roleRef: clusterRole('system:node'), subjects: [] },
  'system:service-account-issuer-discovery': { roleRef: clusterRole('system:service-account-issuer-discovery'), subjects: [group('system:serviceaccounts')] },
  ...Object.fromEntries(CONTROLLERS.map((name) => [`system:controller:${name}`, { roleRef: clusterRole(`system:controller:${name}`), subjects: [sa(name)] }])),
};

/** The bootstrap RoleBindings, by `namespace/name`. */
export const SHIPPED_ROLE_BINDINGS: Readonly<Record<string, ShippedBinding>> = {
  'kube-system/system::extension-apiserver-authentication-reader': {
    roleRef: { kind: 'Role', name: 'extension-apiserver-authentication-reader' },
    subjects: [user('system:kube-controller-manager'), user('system:kube-scheduler')],
  },
  'kube-system/system::leader-locking-kube-controller-manager': {
    roleRef: { kind: 'Role', name: 'system::leader-locking-kube-controller-manager' },
    subjects: [user('system:kube-controller-manager'), sa('kube-controller-manager')],
  },
  'kube-system/system::leader-locking-kube-scheduler': {
    roleRef: { kind: 'Role', name: 'system::leader-locking-kube-scheduler' },
    subjects: [user('system:kube-scheduler'), sa('kube-scheduler')],
  },
  'kube-system/system:controller:bootstrap-signer': { roleRef: { kind: 'Role', name: 'system:controller:bootstrap-signer' }, subjects: [sa('bootstrap-signer')] },
  'kube-system/system:controller:cloud-provider': { roleRef: { kind: 'Role', name: 'system:controller:cloud-provider' }, subjects: [sa('cloud-provider')] },
  'kube-system/system:controller:token-cleaner': { roleRef: { kind: 'Role', name: 'system:controller:token-cleaner' }, subjects: [sa('token-cleaner')] },
  'kube-public/system:controller:bootstrap-signer': { roleRef: { kind: 'Role', name: 'system:controller:bootstrap-signer' }, subjects: [sa('bootstrap-signer')] },
};

/**
 * ClusterRoles of EKS add-ons whose shipped rules trip an eksguard rule, with the subjects the
 * add-on binds them to. EKS re-applies them on every add-on update, so users cannot narrow them.
 * A rule of such a role is as shipped while it is covered by these rules and no binding hands the
 * role to anyone but these subjects (see `RbacPolicy`); any other rule, or any other holder, is judged.
 */
export interface ShippedAddonRole {
  readonly addon: string;
  readonly rules: readonly RawRule[];
  readonly holders: readonly Subject[];
}

export const SHIPPED_ADDON_CLUSTER_ROLES: Readonly<Record<string, ShippedAddonRole>> = {
  // The external-snapshotter sidecar reads the Secret a VolumeSnapshotClass names
  // (csi.storage.k8s.io/snapshotter-secret-name), in any namespace; aws-ebs-csi-driver ships it so.
  'ebs-external-snapshotter-role': { addon: 'Amazon EBS CSI driver', rules: [r(['get', 'list'], [''], ['secrets'])], holders: [sa('ebs-csi-controller-sa')] },
  // The VPC resource controller (security groups for pods, Windows IPAM) runs in EKS's control
  // plane as User eks:vpc-resource-controller, and EKS binds the same role to its ServiceAccount
  // (ClusterRoleBinding vpc-resource-controller-rolebinding). It patches pods to annotate them with
  // their branch ENIs. EKS does not publish its copy's rules: these are the union of the
  // controller's own RBAC (aws/amazon-vpc-resource-controller-k8s, config/rbac/role.yaml and its
  // kubebuilder markers, across releases) and the node and Deployment rules an EKS 1.31 copy shows.
  'vpc-resource-controller-role': {
    addon: 'Amazon VPC resource controller (EKS)',
    rules: [
      r(['create', 'list', 'patch', 'update', 'watch'], [''], ['events']),
      r(['get', 'list', 'patch', 'update', 'watch'], [''], ['nodes']),
      r(['get', 'patch', 'update'], [''], ['nodes/status']),
      r(['get', 'list', 'patch', 'watch'], [''], ['pods']),
      r(['get', 'list', 'watch'], [''], ['serviceaccounts']),
      r(['get', 'list', 'watch'], ['crd.k8s.amazonaws.com'], ['eniconfigs']),
      r(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], ['vpcresources.k8s.aws'], ['cninodes']),
      r(['get', 'patch', 'update'], ['vpcresources.k8s.aws'], ['cninodes/status']),
      r(['get', 'list', 'watch'], ['vpcresources.k8s.aws'], ['securitygrouppolicies']),
      r(['get', 'list', 'watch'], ['apps'], ['deployments']),
    ],
    holders: [user('eks:vpc-resource-controller'), sa('eks-vpc-resource-controller')],
  },
};

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

const EKS_PREFIX = 'eks:';

export function isEksName(name: string): boolean {
  return name.startsWith(EKS_PREFIX);
}

function toRules(raw: readonly RawRule[]): readonly PolicyRule[] {
  return raw.flatMap((rule) => toPolicyRule(rule) ?? []);
}

const clusterRoleRulesCache = new Map<string, readonly PolicyRule[]>();

/**
 * The rules a bootstrap ClusterRole has as shipped, aggregation resolved over the other shipped
 * ClusterRoles; undefined for names Kubernetes does not ship (or this table omits).
 */
export function shippedClusterRoleRules(name: string): readonly PolicyRule[] | undefined {
  const cached = clusterRoleRulesCache.get(name);
  if (cached) return cached;
  const role = SHIPPED_CLUSTER_ROLES[name];
  if (!Object.hasOwn(SHIPPED_CLUSTER_ROLES, name) || role === undefined) return undefined;
  const rules: PolicyRule[] = [...toRules(role.rules ?? [])];
  if (role.aggregationRule) {
    for (const selector of role.aggregationRule.clusterRoleSelectors) {
      const components = Object.entries(SHIPPED_CLUSTER_ROLES)
        .filter(([other, candidate]) => other !== name && Object.entries(selector.matchLabels).every(([k, v]) => candidate.labels?.[k] === v))
        .map(([other]) => other)
        .sort();
      for (const component of components) rules.push(...(shippedClusterRoleRules(component) ?? []));
    }
  }
  clusterRoleRulesCache.set(name, rules);
  return rules;
}

/** The shipped rules and holders of an add-on's ClusterRole; undefined for other names. */
export function shippedAddonClusterRole(name: string): { readonly rules: readonly PolicyRule[]; readonly holders: readonly Subject[] } | undefined {
  const role = Object.hasOwn(SHIPPED_ADDON_CLUSTER_ROLES, name) ? SHIPPED_ADDON_CLUSTER_ROLES[name] : undefined;
  return role === undefined ? undefined : { rules: toRules(role.rules), holders: role.holders };
}

/** Whether a subject is one the add-on binds its role to. */
export function isAddonHolder(holders: readonly Subject[], subject: Subject): boolean {
  return holders.some((h) => sameSubject(h, subject));
}

export function shippedRoleRules(namespace: string, name: string): readonly PolicyRule[] | undefined {
  const key = `${namespace}/${name}`;
  const raw = Object.hasOwn(SHIPPED_ROLES, key) ? SHIPPED_ROLES[key] : undefined;
  return raw ? toRules(raw) : undefined;
}

/** Whether a rule of the named built-in role is one Kubernetes ships (or grants nothing beyond them). */
export function isShippedRule(shipped: readonly PolicyRule[], rule: PolicyRule): boolean {
  return isCoveredBy(rule, shipped);
}

/**
 * One of EKS's control-plane components: a User named `eks:*` (EKS binds some of them through
 * bindings without the prefix, such as the VPC resource controller's), or a Group named `eks:*` in a
 * binding named `eks:*` — groups need both, because aws-auth mappings put IAM roles into `eks:*`
 * groups (Windows nodes join `eks:kube-proxy-windows`), so a user's binding of such a group is the
 * user's grant.
 */
export function isEksIdentity(binding: { readonly name: string }, subject: Subject): boolean {
  if (!isEksName(subject.name)) return false;
  return subject.kind === 'User' || (subject.kind === 'Group' && isEksName(binding.name));
}

function sameSubject(a: Subject, b: Subject): boolean {
  return a.kind === b.kind && a.name === b.name && (a.kind !== 'ServiceAccount' || a.namespace === b.namespace);
}

/**
 * Whether a subject of a binding is one the platform put there: listed by the bootstrap binding of
 * that name and roleRef, an EKS identity in an `eks:*` binding, or the subject an EKS add-on binds
 * its own ClusterRole to.
 */
export function isShippedSubject(
  binding: { readonly kind: 'RoleBinding' | 'ClusterRoleBinding'; readonly namespace?: string; readonly name: string; readonly roleRef: { readonly kind: string; readonly name: string } },
  subject: Subject,
): boolean {
  if (isEksIdentity(binding, subject)) return true;
  // An add-on's ClusterRole in the hands of the subject the add-on binds it to.
  const addon = binding.roleRef.kind === 'ClusterRole' && Object.hasOwn(SHIPPED_ADDON_CLUSTER_ROLES, binding.roleRef.name) ? SHIPPED_ADDON_CLUSTER_ROLES[binding.roleRef.name] : undefined;
  if (addon !== undefined && isAddonHolder(addon.holders, subject)) return true;
  const key = binding.kind === 'ClusterRoleBinding' ? binding.name : `${binding.namespace ?? ''}/${binding.name}`;
  const table = binding.kind === 'ClusterRoleBinding' ? SHIPPED_CLUSTER_ROLE_BINDINGS : SHIPPED_ROLE_BINDINGS;
  const shipped = Object.hasOwn(table, key) ? table[key] : undefined;
  if (shipped === undefined || shipped.roleRef.kind !== binding.roleRef.kind || shipped.roleRef.name !== binding.roleRef.name) return false;
  return shipped.subjects.some((s) => sameSubject(s, subject));
}

/** The shipped object for a bootstrap ClusterRole missing from the input, as the API server would create it. */
export function shippedClusterRoleObject(name: string): Readonly<Record<string, unknown>> | undefined {
  const role = Object.hasOwn(SHIPPED_CLUSTER_ROLES, name) ? SHIPPED_CLUSTER_ROLES[name] : undefined;
  if (role === undefined) return undefined;
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...(role.labels ?? {}) } },
    ...(role.aggregationRule ? { aggregationRule: role.aggregationRule } : {}),
    rules: role.rules ?? [],
  };
}

export function shippedRoleObject(namespace: string, name: string): Readonly<Record<string, unknown>> | undefined {
  const key = `${namespace}/${name}`;
  const rules = Object.hasOwn(SHIPPED_ROLES, key) ? SHIPPED_ROLES[key] : undefined;
  if (rules === undefined) return undefined;
  return { apiVersion: `${RBAC_GROUP}/v1`, kind: 'Role', metadata: { name, namespace, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, rules };
}
