import rule from '../../../src/rules/network/require-default-deny-network-policy.js';
import { KUBE_DNS_PEER, denyAll, denyEgress, denyIngress, networkPolicy } from '../../builders-network.js';
import { namespace } from '../../builders-tenancy.js';
import { RuleTester, daemonSet, deployment, pod } from '../../rule-tester.js';

type Json = Record<string, unknown>;

const calico = (kind: 'NetworkPolicy' | 'GlobalNetworkPolicy', name: string, spec: Json, ns?: string, apiVersion = 'projectcalico.org/v3'): Json =>
  ({ apiVersion, kind, metadata: { name, ...(ns ? { namespace: ns } : {}) }, spec });
const cilium = (kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy', name: string, body: Json, ns?: string): Json =>
  ({ apiVersion: 'cilium.io/v2', kind, metadata: { name, ...(ns ? { namespace: ns } : {}) }, ...body });

const BOTH = 'accepts connections from any pod in the cluster and can open connections anywhere';

new RuleTester().run(rule, {
  valid: [
    { name: 'one policy denying both directions', manifests: [denyAll('team-a'), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'ingress and egress from two policies', manifests: [denyIngress('team-a'), denyEgress('team-a'), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'empty rule lists count as no rules', manifests: [networkPolicy('team-a', 'deny', { podSelector: { matchLabels: {} }, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] }), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    {
      name: 'an egress default deny that allows only DNS',
      manifests: [denyIngress('team-a'), networkPolicy('team-a', 'deny-egress-but-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [KUBE_DNS_PEER], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 'dns-tcp' }] }] }), deployment({ name: 'dont-fire', namespace: 'team-a' })],
    },
    { name: 'system namespaces are skipped', manifests: [namespace('kube-system'), daemonSet({ name: 'aws-node', namespace: 'kube-system' })] },
    { name: 'a declared namespace without workloads', manifests: [namespace('empty')] },
    { name: 'a namespace of host-network pods only', manifests: [namespace('agents'), daemonSet({ name: 'dont-fire', namespace: 'agents', podSpec: { hostNetwork: true } })] },
    {
      name: 'a Calico GlobalNetworkPolicy denying everything outside the system namespaces',
      manifests: [
        calico('GlobalNetworkPolicy', 'default-deny', { namespaceSelector: 'has(projectcalico.org/name) && projectcalico.org/name not in {"kube-system", "calico-system"}', types: ['Ingress', 'Egress'], egress: [{ action: 'Allow', protocol: 'UDP', destination: { selector: 'k8s-app == "kube-dns"', ports: [53] } }] }),
        deployment({ name: 'dont-fire', namespace: 'team-a' }),
      ],
    },
    { name: 'a namespaced Calico policy with selector all()', manifests: [calico('NetworkPolicy', 'deny', { selector: 'all()', types: ['Ingress', 'Egress'] }, 'team-a', 'crd.projectcalico.org/v1'), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    {
      name: 'a Cilium clusterwide deny-all excluding kube-system',
      manifests: [
        cilium('CiliumClusterwideNetworkPolicy', 'deny-all', { spec: { endpointSelector: { matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'NotIn', values: ['kube-system'] }] }, ingress: [{}], egress: [{}] } }),
        deployment({ name: 'dont-fire', namespace: 'team-a' }),
      ],
    },
    { name: 'a namespaced Cilium deny-all', manifests: [cilium('CiliumNetworkPolicy', 'deny', { specs: [{ endpointSelector: {}, ingress: [{}] }, { endpointSelector: {}, egress: [{}] }] }, 'team-a'), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
  ],
  invalid: [
    {
      name: 'a cluster dump without policies',
      manifests: [namespace('team-a'), deployment({ name: 'web', namespace: 'team-a' })],
      findings: [{ messageId: 'missingDefaultDeny', path: '', data: { namespace: 'team-a', workloads: 'Deployment web', direction: 'ingress and egress', consequence: BOTH }, resource: 'Namespace team-a', severity: 'medium' }],
      fixed: null,
    },
    {
      name: 'ingress only, and policyTypes defaulting to Ingress',
      manifests: [networkPolicy('team-a', 'deny', { podSelector: {} }), deployment({ name: 'web', namespace: 'team-a' })],
      findings: [{ messageId: 'missingDefaultDeny', path: '', data: { namespace: 'team-a', workloads: 'Deployment web', direction: 'egress', consequence: 'can open connections anywhere, inside the cluster and out' } }],
    },
    {
      name: 'a policy with egress rules and no policyTypes isolates but allows',
      manifests: [denyIngress('team-a'), networkPolicy('team-a', 'egress', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }), deployment({ name: 'web', namespace: 'team-a' })],
      findings: [{ messageId: 'missingDefaultDeny', path: '', data: { namespace: 'team-a', workloads: 'Deployment web', direction: 'egress', consequence: 'can open connections anywhere, inside the cluster and out' } }],
    },
    {
      name: 'rules make it an allow policy, and a selector makes it partial',
      manifests: [
        networkPolicy('team-a', 'allow-all', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] }),
        networkPolicy('team-a', 'web-only', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'] }),
        deployment({ name: 'web', namespace: 'team-a' }),
      ],
      findings: [{ messageId: 'missingDefaultDeny', path: '', data: { namespace: 'team-a', workloads: 'Deployment web', direction: 'ingress and egress', consequence: BOTH } }],
    },
    {
      name: 'policies in another namespace, and a CRD with the same kind in another group',
      manifests: [denyAll('team-b'), { ...denyAll('team-a'), apiVersion: 'example.com/v1' }, pod({ name: 'p', namespace: 'team-a' })],
      findings: [{ messageId: 'missingDefaultDeny', path: '', resource: 'Namespace team-a', data: { namespace: 'team-a', workloads: 'Pod p', direction: 'ingress and egress', consequence: BOTH } }],
    },
    {
      name: 'a Calico global policy that excludes the namespace, and one whose selector reads pod labels',
      manifests: [
        calico('GlobalNetworkPolicy', 'deny-some', { selector: "projectcalico.org/namespace not in {'team-a'}", types: ['Ingress', 'Egress'] }),
        calico('GlobalNetworkPolicy', 'deny-web', { selector: "app == 'web'", types: ['Ingress', 'Egress'] }),
        calico('GlobalNetworkPolicy', 'pass', { selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Pass' }] }),
        deployment({ name: 'web', namespace: 'team-a' }),
      ],
      findings: [{ messageId: 'missingDefaultDeny', path: '', data: { namespace: 'team-a', workloads: 'Deployment web', direction: 'ingress and egress', consequence: BOTH } }],
    },
    {
      name: 'Cilium rules that allow, and default deny switched off',
      manifests: [
        cilium('CiliumNetworkPolicy', 'allow', { spec: { endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }] } }, 'team-a'),
        cilium('CiliumNetworkPolicy', 'off', { spec: { endpointSelector: {}, egress: [{}], enableDefaultDeny: { egress: false } } }, 'team-a'),
        deployment({ name: 'web', namespace: 'team-a' }),
      ],
      findings: [{ messageId: 'missingDefaultDeny', path: '', data: { namespace: 'team-a', workloads: 'Deployment web', direction: 'ingress and egress', consequence: BOTH } }],
    },
    {
      name: 'odd input: a policy without a spec and with a malformed one',
      manifests: [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bare', namespace: 'team-a' } }, networkPolicy('team-a', 'odd', { podSelector: 'all', policyTypes: 'Egress', egress: 'none' }), deployment({ name: 'web', namespace: 'team-a' })],
      findings: [{ messageId: 'missingDefaultDeny', path: '', data: { namespace: 'team-a', workloads: 'Deployment web', direction: 'egress', consequence: 'can open connections anywhere, inside the cluster and out' } }],
    },
  ],
  notEvaluated: [
    { name: 'one chart without policies or Namespace objects', manifests: deployment(), reason: 'no NetworkPolicy objects in the input' },
  ],
});
