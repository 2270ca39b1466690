/**
 * A realistic EKS cluster dump for the rbac commands: the platform's RBAC objects (Kubernetes'
 * bootstrap policy, EKS's own), what teams installed, aws-auth with node, SRE, admin and CI
 * mappings, and the workloads that run as the ServiceAccounts. Each addition is there for one
 * answer the tests check.
 */
import jsYaml from 'js-yaml';
import {
  awsAuth, bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule, sa, user, RBAC_GROUP,
} from '../builders-rbac.js';

type Json = Record<string, unknown>;

function namespace(name: string): Json {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

function serviceAccount(ns: string, name: string): Json {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } };
}

function deployment(ns: string, name: string, serviceAccountName: string): Json {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { serviceAccountName, containers: [{ name: 'app', image: `registry.example.com/${name}:1.0` }] } },
    },
  };
}

export const SRE_ROLE = 'arn:aws:iam::111122223333:role/sre';
export const ADMIN_ROLE = 'arn:aws:iam::111122223333:role/platform-admin';
export const CI_USER = 'arn:aws:iam::111122223333:user/legacy-ci';
export const NODE_ROLE = 'arn:aws:iam::111122223333:role/eks-node-group-role';

export function teamObjects(): Json[] {
  return [
    ...['ci', 'prod', 'shop', 'monitoring', 'tools', 'cert-manager'].map(namespace),
    // CI: a deployer ServiceAccount that is cluster-admin, and a developer with edit in ci.
    serviceAccount('ci', 'deployer'),
    serviceAccount('ci', 'builder'),
    clusterRoleBinding('deployer-admin', 'cluster-admin', [sa('deployer', 'ci')]),
    roleBinding('ci', 'dev-edit', { kind: 'ClusterRole', name: 'edit' }, [user('dev')]),
    deployment('ci', 'runner', 'builder'),
    // prod: the SRE group may exec into pods; the Deployment runs as a ServiceAccount that reads Secrets cluster-wide.
    serviceAccount('prod', 'web'),
    deployment('prod', 'web', 'web'),
    role('prod', 'pod-exec', [rule(['get', 'list'], [''], ['pods']), rule(['create'], [''], ['pods/exec'])]),
    roleBinding('prod', 'sre-exec', { kind: 'Role', name: 'pod-exec' }, [group('sre')]),
    clusterRole('secret-reader', [rule(['get', 'list', 'watch'], [''], ['secrets'])]),
    clusterRoleBinding('web-secrets', 'secret-reader', [sa('web', 'prod')]),
    clusterRoleBinding('auditors-secrets', 'secret-reader', [group('auditors')]),
    // A RoleBinding whose Role was deleted: it grants nothing.
    roleBinding('prod', 'legacy', { kind: 'Role', name: 'deleted-role' }, [user('old-admin')]),
    // shop: a namespaced Role on pods only; its ServiceAccount subject has no namespace (the binding's applies).
    role('shop', 'pod-reader', [rule(['get', 'list', 'watch'], [''], ['pods'])]),
    roleBinding('shop', 'pod-reader', { kind: 'Role', name: 'pod-reader' }, [{ kind: 'ServiceAccount', name: 'checkout' }]),
    // monitoring: Prometheus scrapes kubelets through nodes/proxy; an aggregated role collects monitoring rights.
    serviceAccount('monitoring', 'prometheus'),
    clusterRole('prometheus', [rule(['get', 'list', 'watch'], [''], ['nodes', 'nodes/proxy', 'nodes/metrics', 'services', 'endpoints', 'pods']), { nonResourceURLs: ['/metrics'], verbs: ['get'] }]),
    clusterRoleBinding('prometheus', 'prometheus', [sa('prometheus', 'monitoring')]),
    clusterRole('monitoring-view', undefined, { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }] } }),
    clusterRole('monitoring-alerts', [rule(['get', 'list'], ['monitoring.coreos.com'], ['prometheusrules'])], { labels: { 'example.com/aggregate-to-monitoring': 'true' } }),
    clusterRoleBinding('monitoring-view', 'monitoring-view', [group('sre')]),
    // tools: an impersonation helper.
    serviceAccount('tools', 'impersonator'),
    clusterRole('impersonator', [rule(['impersonate'], [''], ['users', 'groups', 'serviceaccounts'])]),
    clusterRoleBinding('impersonator', 'impersonator', [sa('impersonator', 'tools')]),
    // cert-manager's cainjector patches webhook configurations.
    serviceAccount('cert-manager', 'cainjector'),
    clusterRole('cainjector', [rule(['get', 'list', 'watch', 'update', 'patch'], ['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'])]),
    clusterRoleBinding('cainjector', 'cainjector', [sa('cainjector', 'cert-manager')]),
    // Deployers (the legacy CI IAM user's group) manage Deployments in shop.
    roleBinding('shop', 'deployers', { kind: 'ClusterRole', name: 'edit' }, [group('deployers')]),
    // Every ServiceAccount may read ConfigMaps in kube-system (someone's shortcut).
    role('kube-system', 'config-reader', [rule(['get', 'list'], [''], ['configmaps'])]),
    roleBinding('kube-system', 'all-sa-config', { kind: 'Role', name: 'config-reader' }, [group('system:serviceaccounts')]),
    awsAuth({
      mapRoles: [
        { rolearn: NODE_ROLE, username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] },
        { rolearn: SRE_ROLE, username: 'sre:{{SessionName}}', groups: ['sre'] },
        { rolearn: ADMIN_ROLE, username: 'platform-admin', groups: ['system:masters'] },
      ],
      mapUsers: [{ userarn: CI_USER, username: 'legacy-ci', groups: ['deployers'] }],
    }),
  ];
}

/** Platform objects plus the teams': what `kubectl get ... -A -o yaml` of the cluster shows. */
export function realisticCluster(): Json[] {
  return [...bootstrapDump(), ...eksDump().filter((o) => o.kind !== 'ConfigMap'), ...teamObjects()];
}

export function toYaml(objects: readonly Json[]): string {
  return objects.map((o) => jsYaml.dump(o, { noRefs: true })).join('---\n');
}

export { RBAC_GROUP };
