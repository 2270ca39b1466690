/** A small cluster as `kubectl get ... -A -o yaml` and AWS CLI output show it, for the incident commands. */
import { ACCOUNT, REGION, authorizationDetails, describeCluster, describeInstances, instance, podIdentityAssociation, role, EC2_TRUST } from '../builders-aws.js';

type Json = Record<string, unknown>;

export const DIGEST = 'sha256:4f5c7e1d2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5';
export const OLD_DIGEST = 'sha256:0000000000000000000000000000000000000000000000000000000000000001';
export const WEB_ROLE = `arn:aws:iam::${ACCOUNT}:role/shop-web`;
export const NODE_1 = 'ip-10-0-1-1.eu-west-1.compute.internal';
export const NODE_2 = 'ip-10-0-1-2.eu-west-1.compute.internal';

const owner = (kind: string, name: string, apiVersion = 'apps/v1') => [{ apiVersion, kind, name, uid: `${name}-uid`, controller: true }];

function pod(name: string, node: string | undefined, image: string, imageID: string | undefined, extra: Json = {}): Json {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'shop', labels: { app: 'web', 'pod-template-hash': '5d8f' }, ownerReferences: owner('ReplicaSet', 'web-5d8f') },
    spec: { serviceAccountName: 'web', ...(node !== undefined ? { nodeName: node } : {}), containers: [{ name: 'app', image }, { name: 'proxy', image: 'envoyproxy/envoy:v1.30.1' }] },
    status: {
      phase: node === undefined ? 'Pending' : 'Running',
      ...(imageID !== undefined ? { containerStatuses: [{ name: 'app', image, imageID }, { name: 'proxy', image: 'docker.io/envoyproxy/envoy:v1.30.1', imageID: `docker.io/envoyproxy/envoy@${OLD_DIGEST}` }] } : {}),
    },
    ...extra,
  };
}

export function clusterDump(options: { enforcing?: boolean } = {}): Json[] {
  const image = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/web:1.4.2`;
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { serviceAccountName: 'web', containers: [{ name: 'app', image }] } } } },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d8f', namespace: 'shop', ownerReferences: owner('Deployment', 'web') }, spec: { selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d8f' } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': '5d8f' } }, spec: { serviceAccountName: 'web', containers: [{ name: 'app', image }] } } } },
    pod('web-5d8f-aaaaa', NODE_1, image, `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/web@${DIGEST}`),
    pod('web-5d8f-bbbbb', NODE_2, image, `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/web@${DIGEST}`),
    pod('web-5d8f-ccccc', undefined, image, undefined),
    // A CronJob that never ran here: only its template shows its image.
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'shop' }, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { serviceAccountName: 'reporter', restartPolicy: 'Never', containers: [{ name: 'report', image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/web@${DIGEST}` }] } } } } } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE_1 }, spec: { providerID: `aws:///${REGION}a/i-0aaa1111aaaa11111` } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop', annotations: { 'eks.amazonaws.com/role-arn': WEB_ROLE } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reporter', namespace: 'shop' } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'config-reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'web-config', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'config-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }] },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-same-namespace', namespace: 'shop' }, spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] } },
    {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'aws-node', namespace: 'kube-system' },
      spec: { selector: { matchLabels: { 'k8s-app': 'aws-node' } }, template: { metadata: { labels: { 'k8s-app': 'aws-node' } }, spec: { hostNetwork: true, containers: [
        { name: 'aws-node', image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.0' },
        { name: 'aws-eks-nodeagent', image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-network-policy-agent:v1.2.0', args: [`--enable-network-policy=${options.enforcing === false ? 'false' : 'true'}`] },
      ] } } },
    },
  ];
}

/** AWS CLI output: the cluster, the node's instance (profile, volumes, Auto Scaling group), the node role, a Pod Identity association. */
export function awsDump(): Json[] {
  const profile = `arn:aws:iam::${ACCOUNT}:instance-profile/demo-node`;
  return [
    describeCluster(),
    describeInstances(instance('i-0aaa1111aaaa11111', {
      PrivateDnsName: NODE_1,
      IamInstanceProfile: { Arn: profile, Id: 'AIPA0000' },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-0aaa111', Status: 'attached' } }, { DeviceName: '/dev/xvdb', Ebs: { VolumeId: 'vol-0bbb222', Status: 'attached' } }],
      Tags: [{ Key: 'aws:autoscaling:groupName', Value: 'eks-general-1234' }, { Key: 'eks:cluster-name', Value: 'demo' }],
    }), instance('i-0bbb2222bbbb22222', { PrivateDnsName: NODE_2 })),
    authorizationDetails([role('demo-node', EC2_TRUST, [], [], { InstanceProfileList: [{ Arn: profile, InstanceProfileName: 'demo-node' }] })]),
    podIdentityAssociation('shop', 'reporter', 'shop-reporter'),
  ];
}
