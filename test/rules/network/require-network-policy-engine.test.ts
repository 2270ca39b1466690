import rule from '../../../src/rules/network/require-network-policy-engine.js';
import { denyAll } from '../../builders-network.js';
import { namespace } from '../../builders-tenancy.js';
import { RuleTester, daemonSet, deployment, pod } from '../../rule-tester.js';
import { describeAddon, describeCluster } from '../../builders-aws.js';

const vpcCniAddon = (configurationValues?: string) => [describeCluster(), describeAddon('vpc-cni', configurationValues === undefined ? {} : { configurationValues })];

type Json = Record<string, unknown>;

const CNI_IMAGE = '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.2-eksbuild.1';
const AGENT_IMAGE = '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-network-policy-agent:v1.1.6-eksbuild.1';

/** aws-node as the EKS add-on ships it (VPC CNI 1.14+): the CNI container and the network policy agent, named aws-eks-nodeagent. */
function awsNode(agentArgs: unknown[] | undefined, env: Json[] = [{ name: 'AWS_VPC_K8S_CNI_LOGLEVEL', value: 'DEBUG' }], agentName = 'aws-eks-nodeagent', agentImage = AGENT_IMAGE): Json {
  const containers: Json[] = [{ name: 'aws-node', image: CNI_IMAGE, env }];
  if (agentArgs !== undefined) containers.push({ name: agentName, image: agentImage, args: agentArgs });
  return daemonSet({ name: 'aws-node', namespace: 'kube-system', podSpec: { hostNetwork: true, containers } });
}

function awsNodePod(name: string): Json {
  const template = (awsNode(AGENT_DEFAULT_ARGS).spec as { template: { spec: Json } }).template;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'kube-system', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'aws-node', controller: true }] }, spec: template.spec };
}

const AGENT_DEFAULT_ARGS = ['--enable-ipv6=false', '--enable-network-policy=false', '--enable-cloudwatch-logs=false', '--metrics-bind-addr=:8162'];
const AGENT_ON_ARGS = ['--enable-ipv6=false', '--enable-network-policy=true', '--metrics-bind-addr=:8162'];
const vpcCniConfigMap = (data: Record<string, string>): Json => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'amazon-vpc-cni', namespace: 'kube-system' }, data });
const kubeProxy = daemonSet({ name: 'kube-proxy', namespace: 'kube-system', podSpec: { hostNetwork: true } });
const app = deployment({ name: 'web', namespace: 'team-a' });

new RuleTester().run(rule, {
  valid: [
    { name: 'policies, and the vpc-cni add-on configured with enableNetworkPolicy (AWS evidence)', manifests: [app, denyAll('team-a')], aws: vpcCniAddon('{"enableNetworkPolicy":"true"}') },
    { name: 'the add-on\'s configuration in the YAML form', manifests: [app, denyAll('team-a')], aws: vpcCniAddon('enableNetworkPolicy: "true"\nenv:\n  WARM_IP_TARGET: "2"\n') },
    { name: 'VPC CNI agent with --enable-network-policy=true', manifests: [awsNode(AGENT_ON_ARGS), denyAll('team-a'), app] },
    { name: 'the agent container named after its image', manifests: [awsNode(AGENT_ON_ARGS, undefined, 'aws-network-policy-agent'), denyAll('team-a'), app] },
    { name: 'the agent found by its image under another container name', manifests: [awsNode(AGENT_ON_ARGS, undefined, 'policy-agent'), denyAll('team-a'), app] },
    { name: 'a bare --enable-network-policy flag', manifests: [awsNode(['--enable-network-policy']), denyAll('team-a'), app] },
    { name: 'ENABLE_NETWORK_POLICY on an older layout', manifests: [awsNode(undefined, [{ name: 'ENABLE_NETWORK_POLICY', value: 'true' }]), denyAll('team-a'), app] },
    { name: 'Auto Mode: no aws-node, the ConfigMap turns it on', manifests: [vpcCniConfigMap({ 'enable-network-policy-controller': 'true' }), denyAll('team-a'), app] },
    { name: 'Calico from the Tigera operator', manifests: [awsNode(AGENT_DEFAULT_ARGS), daemonSet({ name: 'calico-node', namespace: 'calico-system' }), denyAll('team-a'), app] },
    { name: 'Cilium in chaining mode, found by image', manifests: [awsNode(AGENT_DEFAULT_ARGS), daemonSet({ name: 'cilium-agent', namespace: 'kube-system', podSpec: { containers: [{ name: 'agent', image: 'quay.io/cilium/cilium:v1.16.3@sha256:0000000000000000000000000000000000000000000000000000000000000000' }] } }), denyAll('team-a'), app] },
    { name: 'an engine visible only through its pods', manifests: [kubeProxy, { ...pod({ name: 'antrea-agent-x7k2p', namespace: 'kube-system' }), metadata: { name: 'antrea-agent-x7k2p', namespace: 'kube-system', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'antrea-agent', controller: true }] } }, denyAll('team-a'), app] },
    { name: 'no NetworkPolicies: nothing to enforce', manifests: [awsNode(AGENT_DEFAULT_ARGS), app] },
    { name: 'no NetworkPolicies and no kube-system', manifests: app },
  ],
  invalid: [
    {
      name: 'policies, and the vpc-cni add-on without enableNetworkPolicy (AWS evidence)',
      manifests: [app, denyAll('team-a')], aws: vpcCniAddon('{"env":{"WARM_IP_TARGET":"2"}}'),
      findings: [{ messageId: 'unenforcedPolicies', path: '/configurationValues', resource: 'addon arn:aws:eks:eu-west-1:111122223333:addon/demo/vpc-cni/0000', data: { count: 1, reason: 'the vpc-cni add-on\'s configurationValues do not set enableNetworkPolicy' } }],
    },
    {
      name: 'the EKS default: the agent runs with --enable-network-policy=false',
      manifests: [namespace('kube-system'), awsNode(AGENT_DEFAULT_ARGS), kubeProxy, denyAll('team-a'), denyAll('team-b'), app],
      findings: [{
        messageId: 'unenforcedPolicies', path: '/spec/template/spec/containers/1/args/1', resource: 'DaemonSet kube-system/aws-node', severity: 'high',
        data: { count: 2, reason: 'the VPC CNI\'s network policy agent (aws-node, container aws-eks-nodeagent) runs with --enable-network-policy=false' },
      }],
      fixed: null,
    },
    {
      name: 'the agent decides even when the ConfigMap says otherwise',
      manifests: [vpcCniConfigMap({ 'enable-network-policy-controller': 'true' }), awsNode(AGENT_DEFAULT_ARGS), denyAll('team-a')],
      findings: [{ messageId: 'unenforcedPolicies', path: '/spec/template/spec/containers/1/args/1', resource: 'DaemonSet kube-system/aws-node' }],
    },
    {
      name: 'a container that is not the agent does not turn enforcement on',
      manifests: [awsNode(AGENT_ON_ARGS, undefined, 'sidecar', 'public.ecr.aws/example/sidecar:1.0'), denyAll('team-a')],
      findings: [{ messageId: 'unenforcedPolicies', path: '/spec/template/spec', resource: 'DaemonSet kube-system/aws-node' }],
    },
    {
      name: 'an older VPC CNI without the agent',
      manifests: [awsNode(undefined), denyAll('team-a')],
      findings: [{ messageId: 'unenforcedPolicies', path: '/spec/template/spec', resource: 'DaemonSet kube-system/aws-node', data: { count: 1, reason: 'the VPC CNI (aws-node) does not turn on its network policy agent' } }],
    },
    {
      name: 'odd input: agent args and env of the wrong shape',
      manifests: [awsNode('--enable-network-policy=true' as unknown as unknown[], ['junk', { name: 'ENABLE_NETWORK_POLICY', value: 'maybe' }] as unknown as Record<string, unknown>[]), denyAll('team-a')],
      findings: [{ messageId: 'unenforcedPolicies', path: '/spec/template/spec', data: { count: 1, reason: 'the VPC CNI (aws-node) does not turn on its network policy agent' } }],
    },
    {
      name: 'ENABLE_NETWORK_POLICY "false"',
      manifests: [awsNode(undefined, [{ name: 'ENABLE_NETWORK_POLICY', value: 'false' }]), denyAll('team-a')],
      findings: [{ messageId: 'unenforcedPolicies', path: '/spec/template/spec/containers/0/env/0/value', data: { count: 1, reason: 'the VPC CNI (aws-node) sets ENABLE_NETWORK_POLICY: "false"' } }],
    },
    {
      name: 'a dump of pods only: reported once, on the first aws-node pod',
      manifests: [awsNodePod('aws-node-abcde'), awsNodePod('aws-node-fghij'), denyAll('team-a')],
      findings: [{ messageId: 'unenforcedPolicies', path: '/spec/containers/1/args/1', resource: 'Pod kube-system/aws-node-abcde' }],
    },
    {
      name: 'Auto Mode ConfigMap without network policy',
      manifests: [vpcCniConfigMap({ 'enable-network-policy-controller': 'false' }), denyAll('team-a')],
      findings: [{ messageId: 'unenforcedPolicies', path: '/data/enable-network-policy-controller', resource: 'ConfigMap kube-system/amazon-vpc-cni', data: { count: 1, reason: 'ConfigMap kube-system/amazon-vpc-cni sets enable-network-policy-controller: "false"' } }],
    },
    {
      name: 'kube-system without any CNI in view: reported on kube-system',
      manifests: [kubeProxy, denyAll('team-a')],
      findings: [{ messageId: 'unenforcedPolicies', path: '', resource: 'Namespace kube-system', data: { count: 1, reason: 'no VPC CNI network policy support is visible in kube-system' } }],
    },
  ],
  notEvaluated: [
    { name: 'a chart with a NetworkPolicy and no kube-system workloads', manifests: [denyAll('team-a'), app], reason: 'no kube-system DaemonSets' },
    { name: 'a dump of Deployments only: CoreDNS but not the CNI', manifests: [deployment({ name: 'coredns', namespace: 'kube-system' }), denyAll('team-a'), app], reason: 'no kube-system DaemonSets' },
  ],
});
