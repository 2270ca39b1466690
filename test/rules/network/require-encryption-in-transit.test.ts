import rule from '../../../src/rules/network/require-encryption-in-transit.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster, describeInstances, describeNodegroup, instance, launchTemplateVersions } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const types = (...list: [string, boolean][]) => ({ InstanceTypes: list.map(([InstanceType, supported]) => ({ InstanceType, NetworkInfo: { EncryptionInTransitSupported: supported } })) });
const ng = (instanceTypes?: string[]) => describeNodegroup('general', instanceTypes === undefined ? {} : { instanceTypes });
const peerAuthentication = (namespace: string, mode: string, selector?: Record<string, unknown>) => ({
  apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace }, spec: { ...(selector ? { selector } : {}), mtls: { mode } },
});
const virtualNode = (name: string, mode: string) => ({
  apiVersion: 'appmesh.k8s.aws/v1beta2', kind: 'VirtualNode', metadata: { name, namespace: 'shop' },
  spec: { listeners: [{ portMapping: { port: 8080, protocol: 'http' }, tls: { mode, certificate: { acm: { certificateARN: 'arn:aws:acm:eu-west-1:111122223333:certificate/x' } } } }] },
});
const linkerd = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'linkerd-identity', namespace: 'linkerd' }, spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'identity', image: 'cr.l5d.io/linkerd/controller:edge-24.1.1' }] } } } };
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'shop' }, data: {} };
const SEARCHED = 'no PeerAuthentication without a selector in the Istio root namespace with mtls.mode STRICT, no App Mesh virtual nodes all listening with TLS STRICT, no Linkerd control plane';

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: m6i.large encrypts between instances (no Kubernetes input needed)', aws: HARDENED_DUMP },
    { name: 't3.large, and Istio STRICT mesh-wide', aws: [describeCluster(), ng(['t3.large']), types(['t3.large', false])], manifests: peerAuthentication('istio-system', 'STRICT') },
    { name: 't3.large, and every App Mesh virtual node listens with TLS STRICT', aws: [describeCluster(), ng(['t3.large']), types(['t3.large', false])], manifests: [virtualNode('cart', 'STRICT'), virtualNode('web', 'STRICT')] },
    { name: 't3.large, and a Linkerd control plane', aws: [describeCluster(), ng(['t3.large']), types(['t3.large', false])], manifests: linkerd },
    { name: 'the launch template\'s instance type encrypts', aws: [describeCluster(), describeNodegroup('general', { launchTemplate: { id: 'lt-0demo', version: '1' } }), launchTemplateVersions([{ InstanceType: 'c6i.xlarge' }]), types(['c6i.xlarge', true])] },
    { name: 'a custom Istio root namespace', aws: [describeCluster(), ng(['t3.large']), types(['t3.large', false])], manifests: peerAuthentication('mesh-root', 'STRICT'), options: { istioRootNamespace: 'mesh-root' } },
  ],
  invalid: [
    {
      name: 'the weak dump with its manifests: t3.large, no mesh',
      aws: WEAK_DUMP,
      manifests: configMap,
      findings: [{ messageId: 'noEncryptionInTransit', path: '/instanceTypes', data: { what: 'Node group general', types: 't3.large', searched: SEARCHED } }],
    },
    {
      name: 'no instance type: EKS launches t3.medium; Istio only PERMISSIVE',
      aws: [describeCluster(), ng(), types(['t3.medium', false])],
      manifests: peerAuthentication('istio-system', 'PERMISSIVE'),
      findings: [{ messageId: 'noEncryptionInTransit', path: '/instanceTypes', data: { what: 'Node group general', types: 't3.medium', searched: SEARCHED } }],
    },
    {
      name: 'STRICT only for one workload, or outside the root namespace; one virtual node not STRICT',
      aws: [describeCluster(), ng(['m5.large', 'm6i.large']), types(['m5.large', false], ['m6i.large', true])],
      manifests: [peerAuthentication('istio-system', 'STRICT', { matchLabels: { app: 'cart' } }), peerAuthentication('shop', 'STRICT'), virtualNode('cart', 'STRICT'), virtualNode('web', 'PERMISSIVE')],
      findings: [{ messageId: 'noEncryptionInTransit', path: '/instanceTypes', data: { what: 'Node group general', types: 'm5.large', searched: SEARCHED } }],
    },
    {
      name: 'a self-managed node on a type that does not encrypt',
      aws: [describeCluster(), describeInstances(instance('i-0self', { InstanceType: 'm5.large', Tags: [{ Key: 'kubernetes.io/cluster/demo', Value: 'owned' }] })), types(['m5.large', false])],
      manifests: configMap,
      findings: [{ messageId: 'noEncryptionInTransit', path: '/InstanceType', resource: 'instance arn:aws:ec2:eu-west-1:111122223333:instance/i-0self', data: { what: 'Self-managed node i-0self', types: 'm5.large', searched: SEARCHED } }],
    },
  ],
  notEvaluated: [
    { name: 'the weak dump alone: t3.large, and no Kubernetes objects to look for a mesh in', aws: WEAK_DUMP, reason: 'needs manifests or cluster evidence (service mesh objects) to judge nodes whose instance types do not encrypt in transit (general: t3.large)' },
    { name: 'a dump without describe-instance-types output', aws: [describeCluster(), ng(['t3.large'])], reason: 'no aws ec2 describe-instance-types output' },
  ],
});
