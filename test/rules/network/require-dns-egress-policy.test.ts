import rule from '../../../src/rules/network/require-dns-egress-policy.js';
import { KUBE_DNS_PEER, allowDns, denyAll, denyIngress, networkPolicy } from '../../builders-network.js';
import { namespace } from '../../builders-tenancy.js';
import { RuleTester, daemonSet, deployment, pod } from '../../rule-tester.js';

const DENY = 'NetworkPolicy team-a/default-deny';
const coreDns = deployment({ name: 'coredns', namespace: 'kube-system', podSpec: { dnsPolicy: 'Default' } });
const coreDnsLabels = { ...coreDns, spec: { ...(coreDns.spec as object), template: { metadata: { labels: { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'coredns' } }, spec: { dnsPolicy: 'Default', containers: [{ name: 'coredns', image: 'coredns:1.11' }] } } } };
const kubeDnsService = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP: '10.100.0.10', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] } };

new RuleTester().run(rule, {
  valid: [
    { name: 'default deny plus the guide\'s DNS allowance, both protocols', manifests: [denyAll('team-a'), allowDns('team-a'), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'named CoreDNS ports', manifests: [denyAll('team-a'), allowDns('team-a', [{ protocol: 'UDP', port: 'dns' }, { port: 'dns-tcp' }]), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'a rule with no ports allows every port', manifests: [denyAll('team-a'), allowDns('team-a', []), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'a rule with no destination allows anywhere', manifests: [denyAll('team-a'), networkPolicy('team-a', 'dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] }), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'a port range covering 53', manifests: [denyAll('team-a'), allowDns('team-a', [{ protocol: 'UDP', port: 1, endPort: 1024 }, { protocol: 'TCP', port: 50, endPort: 60 }]), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'an ipBlock covering the kube-dns Service', manifests: [kubeDnsService, denyAll('team-a'), allowDns('team-a', undefined, [{ ipBlock: { cidr: '10.100.0.0/16' } }]), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'any namespace, kube-dns pods', manifests: [denyAll('team-a'), allowDns('team-a', undefined, [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }]), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'all of kube-system', manifests: [denyAll('team-a'), allowDns('team-a', undefined, [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['kube-system'] }] } }]), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'CoreDNS pods selected by their EKS label, with CoreDNS in the input', manifests: [coreDnsLabels, denyAll('team-a'), allowDns('team-a', undefined, [{ namespaceSelector: {}, podSelector: { matchLabels: { 'eks.amazonaws.com/component': 'coredns' } } }]), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'DNS allowed per app rather than for the namespace', manifests: [denyAll('team-a'), networkPolicy('team-a', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [KUBE_DNS_PEER], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] }), deployment({ name: 'web', namespace: 'team-a' })] },
    { name: 'egress is not denied by default', manifests: [denyIngress('team-a'), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'host-network pods are outside network policy', manifests: [denyAll('team-a'), daemonSet({ name: 'dont-fire', namespace: 'team-a', podSpec: { hostNetwork: true } })] },
    {
      name: 'a pod that does not use the cluster DNS may resolve anywhere',
      manifests: [denyAll('team-a'), allowDns('team-a', undefined, [{ ipBlock: { cidr: '10.0.0.2/32' } }]), kubeDnsService, pod({ name: 'dont-fire', namespace: 'team-a', podSpec: { dnsPolicy: 'Default' } })],
    },
    {
      name: 'a Calico global default deny that allows DNS itself',
      manifests: [
        { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'default-deny' }, spec: { namespaceSelector: "projectcalico.org/name != 'kube-system'", types: ['Ingress', 'Egress'], egress: [{ action: 'Allow', protocol: 'UDP', destination: { ports: [53] } }, { action: 'Allow', protocol: 'TCP', destination: { ports: ['53'] } }] } },
        deployment({ name: 'dont-fire', namespace: 'team-a' }),
      ],
    },
    {
      name: 'a Cilium clusterwide deny with a DNS rule',
      manifests: [
        { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'deny' }, spec: { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }] }] } },
        deployment({ name: 'dont-fire', namespace: 'team-a' }),
      ],
    },
  ],
  invalid: [
    {
      name: 'default deny and nothing else',
      manifests: [namespace('team-a'), denyAll('team-a'), deployment({ name: 'web', namespace: 'team-a' }), pod({ name: 'debug', namespace: 'team-a' })],
      findings: [{ messageId: 'noDnsEgress', path: '', data: { namespace: 'team-a', policy: DENY, workloads: 'Deployment web and Pod debug' }, resource: 'Namespace team-a', severity: 'low' }],
      fixed: null,
    },
    {
      name: 'the guide\'s example: UDP only',
      manifests: [denyAll('team-a'), allowDns('team-a', [{ protocol: 'UDP', port: 53 }]), deployment({ name: 'web', namespace: 'team-a' })],
      findings: [{ messageId: 'partialDnsEgress', path: '', data: { namespace: 'team-a', policy: DENY, workloads: 'Deployment web', allowed: 'UDP', missing: 'TCP' } }],
    },
    {
      name: 'named ports with the wrong protocol',
      manifests: [denyAll('team-a'), allowDns('team-a', [{ protocol: 'UDP', port: 'dns-tcp' }, { protocol: 'TCP', port: 'dns' }]), deployment({ name: 'web', namespace: 'team-a' })],
      findings: [{ messageId: 'noDnsEgress', path: '', data: { namespace: 'team-a', policy: DENY, workloads: 'Deployment web' } }],
    },
    {
      name: 'wrong destinations: another namespace, the wrong pods, a peer without namespaceSelector',
      manifests: [
        denyAll('team-a'),
        allowDns('team-a', undefined, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-a' } } }], 'own-namespace'),
        allowDns('team-a', undefined, [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'coredns' } } }], 'wrong-label'),
        allowDns('team-a', undefined, [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], 'same-namespace'),
        deployment({ name: 'web', namespace: 'team-a' }),
      ],
      findings: [{ messageId: 'noDnsEgress', path: '', data: { namespace: 'team-a', policy: DENY, workloads: 'Deployment web' } }],
    },
    {
      name: 'an ipBlock that misses the kube-dns Service, or carves it out',
      manifests: [
        kubeDnsService, denyAll('team-a'),
        allowDns('team-a', undefined, [{ ipBlock: { cidr: '192.168.0.0/16' } }], 'elsewhere'),
        allowDns('team-a', undefined, [{ ipBlock: { cidr: '10.100.0.0/16', except: ['10.100.0.0/24'] } }], 'except'),
        deployment({ name: 'web', namespace: 'team-a' }),
      ],
      findings: [{ messageId: 'noDnsEgress', path: '', data: { namespace: 'team-a', policy: DENY, workloads: 'Deployment web' } }],
    },
    {
      name: 'DNS allowed for some pods only',
      manifests: [
        denyAll('team-a'),
        networkPolicy('team-a', 'web-dns', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [KUBE_DNS_PEER], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] }),
        deployment({ name: 'web', namespace: 'team-a' }), deployment({ name: 'worker', namespace: 'team-a' }),
      ],
      findings: [{ messageId: 'noDnsEgress', path: '', data: { namespace: 'team-a', policy: DENY, workloads: 'Deployment worker' } }],
    },
    {
      name: 'an ingress-only allowance on port 53 does not count',
      manifests: [denyAll('team-a'), networkPolicy('team-a', 'in', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'UDP', port: 53 }] }] }), deployment({ name: 'web', namespace: 'team-a' })],
      findings: [{ messageId: 'noDnsEgress', path: '', data: { namespace: 'team-a', policy: DENY, workloads: 'Deployment web' } }],
    },
    {
      name: 'odd input: malformed ports and peers',
      manifests: [denyAll('team-a'), networkPolicy('team-a', 'odd', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: ['kube-dns', {}], ports: ['53'] }, 'junk'] }), deployment({ name: 'web', namespace: 'team-a' })],
      findings: [{ messageId: 'noDnsEgress', path: '', data: { namespace: 'team-a', policy: DENY, workloads: 'Deployment web' } }],
    },
  ],
});
