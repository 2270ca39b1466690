/**
 * A small EKS cluster as its API server would hold it: controllers with their ReplicaSets and
 * replica Pods (ownerReferences set, as the controllers set them), a CronJob's Job and Pod, a bare
 * Pod, RBAC, aws-auth, a legacy token Secret and an Opaque Secret (both with data, and with the
 * last-applied annotation kubectl apply leaves), ConfigMaps eksguard must not read, policies.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../../../src/core/resource.js';

type Json = Record<string, unknown>;

const SECRET_VALUE = 'c3VwZXItc2VjcmV0LXZhbHVl'; // "super-secret-value"
export const SECRET_MARKER = 'super-secret-value';

function owner(kind: string, name: string, apiVersion: string): Json {
  return { ownerReferences: [{ apiVersion, kind, name, uid: `uid-${name}`, controller: true, blockOwnerDeletion: true }] };
}

const insecurePodSpec = {
  serviceAccountName: 'web',
  containers: [{ name: 'web', image: 'nginx:latest', securityContext: { privileged: true } }],
};

function podOf(namespace: string, name: string, ownerRef: Json, spec: Json, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace, labels, ...ownerRef, managedFields: [{ manager: 'kube-controller-manager', operation: 'Update' }] },
    spec: { ...spec, nodeName: 'ip-10-0-1-1.ec2.internal' },
    status: { phase: 'Running', qosClass: 'BestEffort' },
  };
}

export function clusterObjects(): KubeObject[] {
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b', labels: { 'kubernetes.io/metadata.name': 'team-b', 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'ip-10-0-1-1.ec2.internal', labels: { 'eks.amazonaws.com/nodegroup': 'ng-1' } }, spec: { providerID: 'aws:///us-east-1a/i-0abc' } },

    // team-a/web: a Deployment, its current and an old ReplicaSet, three replicas.
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'team-a' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: insecurePodSpec } },
    },
    ...['5c4b8d', '7d9f6c'].map((hash): KubeObject => ({
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: `web-${hash}`, namespace: 'team-a', labels: { app: 'web', 'pod-template-hash': hash }, ...owner('Deployment', 'web', 'apps/v1') },
      spec: { replicas: hash === '7d9f6c' ? 3 : 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': hash } }, spec: insecurePodSpec } },
    })),
    ...['aaaaa', 'bbbbb', 'ccccc'].map((id) => podOf('team-a', `web-7d9f6c-${id}`, owner('ReplicaSet', 'web-7d9f6c', 'apps/v1'), insecurePodSpec, { app: 'web', 'pod-template-hash': '7d9f6c' })),

    // team-a/db: a StatefulSet and its pod.
    {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'team-a' },
      spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { automountServiceAccountToken: false, containers: [{ name: 'db', image: 'postgres:16.4', env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db-password', key: 'password' } } }] }] } } },
    },
    podOf('team-a', 'db-0', owner('StatefulSet', 'db', 'apps/v1'), { containers: [{ name: 'db', image: 'postgres:16.4' }] }, { app: 'db' }),

    // team-a/backup: a CronJob, one Job it made, that Job's pod.
    {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'team-a' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', hostNetwork: true, containers: [{ name: 'backup', image: 'registry.example.com/backup:2.1' }] } } } } },
    },
    {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'backup-28000000', namespace: 'team-a', ...owner('CronJob', 'backup', 'batch/v1') },
      spec: { template: { spec: { restartPolicy: 'OnFailure', hostNetwork: true, containers: [{ name: 'backup', image: 'registry.example.com/backup:2.1' }] } } },
    },
    podOf('team-a', 'backup-28000000-x7k2p', owner('Job', 'backup-28000000', 'batch/v1'), { hostNetwork: true, containers: [{ name: 'backup', image: 'registry.example.com/backup:2.1' }] }),

    // kube-system/aws-node: a DaemonSet and its pods.
    {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'aws-node', namespace: 'kube-system' },
      spec: { selector: { matchLabels: { 'k8s-app': 'aws-node' } }, template: { metadata: { labels: { 'k8s-app': 'aws-node' } }, spec: { hostNetwork: true, serviceAccountName: 'aws-node', containers: [{ name: 'aws-node', image: '602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni:v1.18.3', securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } } }] } } },
    },
    ...['p1', 'p2'].map((id) => podOf('kube-system', `aws-node-${id}`, owner('DaemonSet', 'aws-node', 'apps/v1'), { hostNetwork: true, containers: [{ name: 'aws-node', image: 'amazon-k8s-cni:v1.18.3' }] })),

    // team-b/debug: a bare Pod, judged on its own.
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'team-b' }, spec: { hostPID: true, containers: [{ name: 'sh', image: 'busybox' }] } },

    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'team-a' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'team-a' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'aws-node', namespace: 'kube-system' } },
    {
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
      metadata: {
        name: 'web-token', namespace: 'team-a',
        annotations: {
          'kubernetes.io/service-account.name': 'web',
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', data: { token: SECRET_VALUE }, stringData: { note: SECRET_MARKER } }),
        },
      },
      data: { token: SECRET_VALUE },
    },
    { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'db-password', namespace: 'team-a' }, data: { password: SECRET_VALUE } },

    {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' },
      data: {
        mapRoles: '- rolearn: arn:aws:iam::111122223333:role/eks-nodes\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  groups: [system:masters]\n',
        mapUsers: '- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: [system:masters]\n',
      },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: '.:53 {}' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'team-a' }, data: { DATABASE_URL: `postgres://app:${SECRET_MARKER}@db/app` } },

    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'everything' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'ci-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'ci' }],
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'exec', namespace: 'team-a' }, rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }, { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'exec', namespace: 'team-a' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'exec' },
      subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'team-a' }],
    },

    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'team-b' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'team-a' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443, targetPort: 8443 }] } },
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp2' }, provisioner: 'kubernetes.io/aws-ebs', parameters: { type: 'gp2' } },
    { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: 'team-b' }, spec: { limits: [{ type: 'Container', default: { memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] } },
    { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota', namespace: 'team-b' }, spec: { hard: { pods: '20' } } },
  ];
  return objects;
}

/** The objects as a file would hold them: one multi-document YAML. */
export function asManifestFile(objects: readonly KubeObject[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}
