/** Fixture builders for RBAC and aws-auth rule tests: plain objects shaped as `kubectl get -o yaml` prints them. */
import jsYaml from 'js-yaml';
import {
  SHIPPED_CLUSTER_ROLE_BINDINGS, SHIPPED_CLUSTER_ROLES, SHIPPED_ROLE_BINDINGS, SHIPPED_ROLES, shippedClusterRoleRules,
} from '../src/rbac/bootstrap-policy.js';
import { ruleKey } from '../src/rbac/policy-rule.js';

type Json = Record<string, unknown>;

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC_V1 = `${RBAC_GROUP}/v1`;

export function rule(verbs: readonly string[], apiGroups: readonly string[], resources: readonly string[], resourceNames?: readonly string[]): Json {
  return { apiGroups, resources, verbs, ...(resourceNames ? { resourceNames } : {}) };
}

export function urlRule(verbs: readonly string[], nonResourceURLs: readonly string[]): Json {
  return { nonResourceURLs, verbs };
}

export function clusterRole(name: string, rules: readonly Json[] | undefined, extra: { labels?: Record<string, string>; aggregationRule?: Json } = {}): Json {
  return {
    apiVersion: RBAC_V1, kind: 'ClusterRole',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    ...(extra.aggregationRule ? { aggregationRule: extra.aggregationRule } : {}),
    ...(rules ? { rules } : {}),
  };
}

export function role(namespace: string, name: string, rules: readonly Json[]): Json {
  return { apiVersion: RBAC_V1, kind: 'Role', metadata: { name, namespace }, rules };
}

export const user = (name: string): Json => ({ apiGroup: RBAC_GROUP, kind: 'User', name });
export const group = (name: string): Json => ({ apiGroup: RBAC_GROUP, kind: 'Group', name });
export const sa = (name: string, namespace?: string): Json => ({ kind: 'ServiceAccount', name, ...(namespace !== undefined ? { namespace } : {}) });

export function clusterRoleBinding(name: string, clusterRoleName: string, subjects: readonly Json[] | undefined): Json {
  return {
    apiVersion: RBAC_V1, kind: 'ClusterRoleBinding', metadata: { name },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: clusterRoleName },
    ...(subjects ? { subjects } : {}),
  };
}

export function roleBinding(namespace: string, name: string, roleRef: { kind: 'Role' | 'ClusterRole'; name: string }, subjects: readonly Json[]): Json {
  return { apiVersion: RBAC_V1, kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: RBAC_GROUP, ...roleRef }, subjects };
}

export function awsAuth(data: { mapRoles?: unknown; mapUsers?: unknown; mapAccounts?: unknown }, namespace = 'kube-system'): Json {
  const text = (value: unknown) => (typeof value === 'string' || value === undefined ? value : jsYaml.dump(value));
  const out: Json = {};
  for (const [key, value] of Object.entries(data)) if (value !== undefined) out[key] = text(value);
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace }, data: out };
}

const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

function dedupe(rules: readonly Json[]): Json[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = ruleKey({
      verbs: (r.verbs as string[] | undefined) ?? [], apiGroups: (r.apiGroups as string[] | undefined) ?? [], resources: (r.resources as string[] | undefined) ?? [],
      resourceNames: (r.resourceNames as string[] | undefined) ?? [], nonResourceURLs: (r.nonResourceURLs as string[] | undefined) ?? [],
    });
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The bootstrap RBAC objects as a live cluster stores them (aggregated ClusterRoles with their
 * rules filled in by the controller), as `kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml` prints them.
 */
export function bootstrapDump(): Json[] {
  const objects: Json[] = [];
  for (const [name, shipped] of Object.entries(SHIPPED_CLUSTER_ROLES)) {
    const rules = dedupe((shippedClusterRoleRules(name) ?? []).map((r) => ({
      ...(r.apiGroups.length > 0 || r.resources.length > 0 ? { apiGroups: r.apiGroups, resources: r.resources } : {}),
      ...(r.resourceNames.length > 0 ? { resourceNames: r.resourceNames } : {}),
      ...(r.nonResourceURLs.length > 0 ? { nonResourceURLs: r.nonResourceURLs } : {}),
      verbs: r.verbs,
    })));
    objects.push({
      apiVersion: RBAC_V1, kind: 'ClusterRole',
      metadata: { name, annotations: AUTOUPDATE, labels: { ...BOOTSTRAP_LABELS, ...(shipped.labels ?? {}) } },
      ...(shipped.aggregationRule ? { aggregationRule: shipped.aggregationRule } : {}),
      rules,
    });
  }
  for (const [key, rules] of Object.entries(SHIPPED_ROLES)) {
    const [namespace, name] = key.split(/\/(.*)/s) as [string, string];
    objects.push({ apiVersion: RBAC_V1, kind: 'Role', metadata: { name, namespace, annotations: AUTOUPDATE, labels: BOOTSTRAP_LABELS }, rules });
  }
  const subjectsOf = (subjects: readonly { kind: string; name: string; namespace?: string }[]) =>
    subjects.map((s) => (s.kind === 'ServiceAccount' ? { kind: s.kind, name: s.name, namespace: s.namespace } : { apiGroup: RBAC_GROUP, kind: s.kind, name: s.name }));
  for (const [name, binding] of Object.entries(SHIPPED_CLUSTER_ROLE_BINDINGS)) {
    objects.push({
      apiVersion: RBAC_V1, kind: 'ClusterRoleBinding', metadata: { name, annotations: AUTOUPDATE, labels: BOOTSTRAP_LABELS },
      roleRef: { apiGroup: RBAC_GROUP, ...binding.roleRef },
      ...(binding.subjects.length > 0 ? { subjects: subjectsOf(binding.subjects) } : {}),
    });
  }
  for (const [key, binding] of Object.entries(SHIPPED_ROLE_BINDINGS)) {
    const [namespace, name] = key.split(/\/(.*)/s) as [string, string];
    objects.push({
      apiVersion: RBAC_V1, kind: 'RoleBinding', metadata: { name, namespace, annotations: AUTOUPDATE, labels: BOOTSTRAP_LABELS },
      roleRef: { apiGroup: RBAC_GROUP, ...binding.roleRef }, subjects: subjectsOf(binding.subjects),
    });
  }
  return objects;
}

/**
 * EKS's own RBAC objects and add-ons, as a dump of an EKS cluster shows them (rules abridged to
 * those that would trip a rule if they were a user's).
 */
export function eksDump(): Json[] {
  return [
    clusterRole('eks:addon-manager', [
      rule(['*'], ['*'], ['*']),
      rule(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], [''], ['secrets', 'configmaps']),
      rule(['escalate', 'bind'], [RBAC_GROUP], ['clusterroles', 'roles']),
    ]),
    clusterRoleBinding('eks:addon-manager', 'eks:addon-manager', [user('eks:addon-manager')]),
    clusterRoleBinding('eks:addon-cluster-admin', 'cluster-admin', [user('eks:addon-manager')]),
    clusterRole('eks:k8s-metrics', [rule(['get', 'list'], [''], ['nodes', 'nodes/proxy', 'pods']), urlRule(['get'], ['/metrics'])]),
    clusterRoleBinding('eks:k8s-metrics', 'eks:k8s-metrics', [user('eks:k8s-metrics')]),
    clusterRole('eks:node-bootstrapper', [rule(['create'], ['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient'])]),
    clusterRoleBinding('eks:node-bootstrapper', 'eks:node-bootstrapper', [group('system:bootstrappers'), group('system:nodes')]),
    clusterRole('eks:podsecuritypolicy:privileged', [rule(['use'], ['policy'], ['podsecuritypolicies'], ['eks.privileged'])]),
    clusterRoleBinding('eks:podsecuritypolicy:authenticated', 'eks:podsecuritypolicy:privileged', [group('system:authenticated')]),
    clusterRoleBinding('eks:kube-proxy-windows', 'system:node-proxier', [group('eks:kube-proxy-windows')]),
    role('kube-system', 'eks:node-manager', [rule(['get', 'update', 'patch'], [''], ['configmaps'], ['aws-auth']), rule(['create'], [''], ['configmaps'])]),
    roleBinding('kube-system', 'eks:node-manager', { kind: 'Role', name: 'eks:node-manager' }, [user('eks:node-manager')]),
    role('kube-system', 'eks:fargate-manager', [rule(['get', 'update', 'patch'], [''], ['configmaps'], ['aws-auth'])]),
    roleBinding('kube-system', 'eks:fargate-manager', { kind: 'Role', name: 'eks:fargate-manager' }, [user('eks:fargate-manager')]),
    role('kube-system', 'eks:authenticator', [rule(['get', 'list', 'watch'], [''], ['configmaps'])]),
    roleBinding('kube-system', 'eks:authenticator', { kind: 'Role', name: 'eks:authenticator' }, [user('eks:authenticator')]),
    clusterRole('aws-node', [
      rule(['list', 'watch', 'get'], ['crd.k8s.amazonaws.com'], ['eniconfigs']),
      rule(['list', 'watch', 'get'], [''], ['namespaces', 'pods']),
      rule(['list', 'watch', 'get', 'update'], [''], ['nodes']),
      rule(['create', 'patch', 'list'], ['', 'events.k8s.io'], ['events']),
    ]),
    clusterRoleBinding('aws-node', 'aws-node', [sa('aws-node', 'kube-system')]),
    clusterRole('system:coredns', [rule(['list', 'watch'], [''], ['endpoints', 'services', 'pods', 'namespaces']), rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices'])]),
    clusterRoleBinding('system:coredns', 'system:coredns', [sa('coredns', 'kube-system')]),
    // The EBS CSI add-on's snapshotter sidecar reads Secrets cluster-wide, as aws-ebs-csi-driver ships it.
    clusterRole('ebs-external-snapshotter-role', [
      rule(['list', 'watch', 'create', 'update', 'patch'], [''], ['events']),
      rule(['get', 'list'], [''], ['secrets']),
      rule(['create', 'get', 'list', 'watch', 'update', 'delete'], ['snapshot.storage.k8s.io'], ['volumesnapshotcontents']),
    ]),
    clusterRoleBinding('ebs-csi-snapshotter-binding', 'ebs-external-snapshotter-role', [sa('ebs-csi-controller-sa', 'kube-system')]),
    // EKS binds its tagging controller's role to a ServiceAccount, not to an eks:* user.
    clusterRole('eks:tagging-controller', [rule(['get', 'list', 'watch'], [''], ['nodes'])]),
    clusterRoleBinding('eks:tagging-controller', 'eks:tagging-controller', [sa('tagging-controller', 'kube-system')]),
    awsAuth({
      mapRoles: [
        { groups: ['system:bootstrappers', 'system:nodes'], rolearn: 'arn:aws:iam::111122223333:role/eks-node-group-role', username: 'system:node:{{EC2PrivateDNSName}}' },
        { groups: ['system:bootstrappers', 'system:nodes', 'system:node-proxier'], rolearn: 'arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole', username: 'system:node:{{SessionName}}' },
      ],
    }),
  ];
}
