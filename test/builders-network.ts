/** Fixture builders for the network rules: NetworkPolicies (Kubernetes, Calico, Cilium), Services, Ingresses. */

type Json = Record<string, unknown>;

export function networkPolicy(namespace: string, name: string, spec: Json): Json {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

export const denyAll = (namespace: string, name = 'default-deny'): Json =>
  networkPolicy(namespace, name, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

export const denyIngress = (namespace: string, name = 'deny-ingress'): Json => networkPolicy(namespace, name, { podSelector: {}, policyTypes: ['Ingress'] });
export const denyEgress = (namespace: string, name = 'deny-egress'): Json => networkPolicy(namespace, name, { podSelector: {}, policyTypes: ['Egress'] });

/** The guide's DNS allowance, for both protocols. */
export const KUBE_DNS_PEER = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } };
export const allowDns = (namespace: string, ports: unknown[] = [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }], to: unknown[] = [KUBE_DNS_PEER], name = 'allow-dns'): Json =>
  networkPolicy(namespace, name, { podSelector: {}, policyTypes: ['Egress'], egress: [{ to, ports }] });

export function service(name: string, spec: Json, annotations?: Record<string, string>, namespace = 'web'): Json {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, ...(annotations ? { annotations } : {}) }, spec };
}

export function ingress(name: string, spec: Json, annotations?: Record<string, string>, namespace = 'web'): Json {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace, ...(annotations ? { annotations } : {}) }, spec };
}

export function ingressClass(name: string, controller: string, extra: { default?: boolean; parameters?: Json } = {}): Json {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
    metadata: { name, ...(extra.default ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    spec: { controller, ...(extra.parameters ? { parameters: extra.parameters } : {}) },
  };
}
