/**
 * Network policies as the engines enforce them, reduced to what the network rules ask: which
 * policies isolate every pod of a namespace with nothing allowed (a default deny), and whether a
 * pod may reach the cluster DNS. Kubernetes NetworkPolicies are judged exactly; Calico
 * (`projectcalico.org`) and Cilium (`cilium.io`) policies in their common forms. Pure functions,
 * with per-inventory indexes.
 */
import { namespaceOf, type Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { apiGroupOf, type Workload } from '../../core/workload.js';
import { parseCalicoSelector, type CalicoSelector } from './calico-selector.js';
import { isEmptySelector, requirementsOf, satisfies, selectorMatches, type LabelMap as Labels } from '../../core/label-selector.js';
import { isRecord, stringMap } from './namespaces.js';

export type Direction = 'ingress' | 'egress';
export type Protocol = 'UDP' | 'TCP';

/** What a pod looks like to a policy: its labels and its namespace's. */
export interface PodContext {
  readonly namespace: string;
  readonly labels: Labels;
  readonly namespaceLabels: Labels;
  /** Pods with `dnsPolicy: Default` or `None` resolve through the node's or their own resolver, not kube-dns. */
  readonly usesClusterDns: boolean;
}

/** Where the cluster DNS lives, as far as the input shows it. */
export interface DnsTargets {
  readonly namespaceLabels: Labels;
  /** Label sets of the DNS server pods (CoreDNS). */
  readonly podLabels: readonly Labels[];
  /** Known addresses of the DNS servers: the kube-dns Service, CoreDNS pod IPs, NodeLocal DNSCache. */
  readonly addresses: readonly bigint[];
}

export interface PolicyModel {
  readonly resource: KubeResource;
  /** For messages: `NetworkPolicy team-a/deny-all`, `GlobalNetworkPolicy default-deny`. */
  readonly label: string;
  /** Whether the policy selects every pod of the namespace (only such a policy is a namespace's default deny). */
  selectsAllPodsOf(namespace: string, namespaceLabels: Labels): boolean;
  selects(pod: PodContext): boolean;
  /** The directions in which the pods it selects are isolated. */
  readonly isolates: ReadonlySet<Direction>;
  /** The isolated directions in which it allows nothing (for egress: nothing but DNS). */
  readonly deniesAll: ReadonlySet<Direction>;
  /** The protocols on which it lets `pod` reach the cluster DNS on port 53. */
  dnsProtocols(pod: PodContext, dns: DnsTargets): ReadonlySet<Protocol>;
}

const NETWORKING_GROUP = 'networking.k8s.io';
const CALICO_GROUPS: ReadonlySet<string> = new Set(['projectcalico.org', 'crd.projectcalico.org']);
const CILIUM_GROUP = 'cilium.io';
const DNS_PORT = 53;
/** The port names CoreDNS (and NodeLocal DNSCache) give 53/UDP and 53/TCP. */
const DNS_PORT_NAMES: Readonly<Record<Protocol, string>> = { UDP: 'dns', TCP: 'dns-tcp' };
const BOTH: ReadonlySet<Protocol> = new Set(['UDP', 'TCP']);
const NONE: ReadonlySet<Protocol> = new Set();

function records(value: unknown): Readonly<Record<string, unknown>>[] {
  return Array.isArray(value) ? (value as unknown[]).filter(isRecord) : [];
}

function nonEmptyArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0;
}

function withMetadataName(labels: Labels, namespace: string): Labels {
  const map = new Map(labels);
  // The API server labels every namespace with its name (Kubernetes 1.21+).
  map.set('kubernetes.io/metadata.name', namespace);
  return map;
}

// ---------------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------------

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) + BigInt(p), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string | undefined) => (s === undefined || s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) + BigInt(`0x${g}`), 0n);
}

/** IPv4 addresses live in their own range above 2^128, so the two families never overlap. */
const V4_OFFSET = 1n << 128n;

function parseAddress(text: string): bigint | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return V4_OFFSET + v4;
  return parseIpv6(text);
}

/** Whether an IP falls inside a CIDR; false for anything unparsable. */
function cidrContains(cidr: string, address: bigint): boolean {
  const [base = '', lengthText] = cidr.split('/');
  const v4 = parseIpv4(base);
  const bits = v4 !== undefined ? 32 : 128;
  const start = v4 !== undefined ? V4_OFFSET + v4 : parseIpv6(base);
  const length = lengthText === undefined ? bits : Number(lengthText);
  if (start === undefined || !Number.isInteger(length) || length < 0 || length > bits) return false;
  const shift = BigInt(bits - length);
  const family = v4 !== undefined ? V4_OFFSET : 0n;
  if (v4 !== undefined && address < V4_OFFSET) return false;
  if (v4 === undefined && address >= V4_OFFSET) return false;
  return ((address - family) >> shift) === ((start - family) >> shift);
}

// ---------------------------------------------------------------------------------------------
// Kubernetes NetworkPolicy
// ---------------------------------------------------------------------------------------------

/** `policyTypes` after API defaulting: Ingress, plus Egress when the policy has egress rules. */
function kubePolicyTypes(spec: Readonly<Record<string, unknown>>): ReadonlySet<Direction> {
  if (nonEmptyArray(spec.policyTypes)) {
    const types = new Set<Direction>();
    for (const t of spec.policyTypes) if (t === 'Ingress') types.add('ingress'); else if (t === 'Egress') types.add('egress');
    return types;
  }
  return new Set<Direction>(nonEmptyArray(spec.egress) ? ['ingress', 'egress'] : ['ingress']);
}

function numericPort(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** Whether a NetworkPolicyPort admits `protocol` traffic to port 53 (or, `only`, admits nothing but that). */
function kubePortAdmitsDns(port: Readonly<Record<string, unknown>>, protocol: Protocol): boolean {
  if ((port.protocol ?? 'TCP') !== protocol) return false;
  if (port.port === undefined || port.port === null) return true;
  const number = numericPort(port.port);
  if (number === undefined) return port.port === DNS_PORT_NAMES[protocol];
  const end = numericPort(port.endPort);
  return end === undefined ? number === DNS_PORT : number <= DNS_PORT && DNS_PORT <= end;
}

/** A port entry that admits DNS and nothing else. */
function kubePortIsDnsOnly(port: Readonly<Record<string, unknown>>): boolean {
  const protocol = port.protocol ?? 'TCP';
  if (protocol !== 'UDP' && protocol !== 'TCP') return false;
  const number = numericPort(port.port);
  if (number === undefined) return port.port === DNS_PORT_NAMES[protocol];
  const end = numericPort(port.endPort);
  return number === DNS_PORT && (end === undefined || end === DNS_PORT);
}

function kubePeerReachesDns(peer: Readonly<Record<string, unknown>>, policyNamespace: string, dns: DnsTargets): boolean {
  const ipBlock = peer.ipBlock;
  if (isRecord(ipBlock)) {
    if (typeof ipBlock.cidr !== 'string') return false;
    // Without the DNS addresses in the input, a port-53 rule to an address block is taken at its word.
    if (dns.addresses.length === 0) return true;
    const except = Array.isArray(ipBlock.except) ? (ipBlock.except as unknown[]).filter((e): e is string => typeof e === 'string') : [];
    const cidr = ipBlock.cidr;
    return dns.addresses.some((address) => cidrContains(cidr, address) && !except.some((e) => cidrContains(e, address)));
  }
  const hasNamespaceSelector = peer.namespaceSelector !== undefined && peer.namespaceSelector !== null;
  const hasPodSelector = peer.podSelector !== undefined && peer.podSelector !== null;
  if (!hasNamespaceSelector && !hasPodSelector) return false;
  // A peer without a namespaceSelector means pods of the policy's own namespace.
  const namespaceOk = hasNamespaceSelector ? selectorMatches(peer.namespaceSelector, dns.namespaceLabels) : policyNamespace === 'kube-system';
  return namespaceOk && (!hasPodSelector || dns.podLabels.some((labels) => selectorMatches(peer.podSelector, labels)));
}

function kubeModel(resource: KubeResource, spec: Readonly<Record<string, unknown>>): PolicyModel {
  const namespace = namespaceOf(resource) ?? 'default';
  // `podSelector` is required; a manifest that leaves it out decodes to the empty selector.
  const podSelector = spec.podSelector ?? {};
  const selectsAll = isEmptySelector(podSelector);
  const isolates = kubePolicyTypes(spec);
  const egress = records(spec.egress);
  const deniesAll = new Set<Direction>();
  if (isolates.has('ingress') && !nonEmptyArray(spec.ingress)) deniesAll.add('ingress');
  // A rule that admits only DNS ports keeps the policy a default deny: all pods isolated, DNS allowed.
  if (isolates.has('egress') && egress.length === (Array.isArray(spec.egress) ? spec.egress.length : 0)
    && egress.every((rule) => nonEmptyArray(rule.ports) && records(rule.ports).length === rule.ports.length && records(rule.ports).every(kubePortIsDnsOnly))) deniesAll.add('egress');
  return {
    resource,
    label: `NetworkPolicy ${namespace}/${resource.ref.name}`,
    selectsAllPodsOf: (ns) => ns === namespace && selectsAll,
    selects: (pod) => pod.namespace === namespace && selectorMatches(podSelector, pod.labels),
    isolates,
    deniesAll,
    dnsProtocols(pod, dns) {
      if (!isolates.has('egress')) return NONE;
      const found = new Set<Protocol>();
      for (const rule of egress) {
        const peers = records(rule.to);
        const anywhere = !nonEmptyArray(rule.to);
        if (!anywhere && pod.usesClusterDns && !peers.some((peer) => kubePeerReachesDns(peer, namespace, dns))) continue;
        if (!anywhere && !pod.usesClusterDns && peers.length === 0) continue;
        for (const protocol of BOTH) {
          if (!nonEmptyArray(rule.ports) || records(rule.ports).some((port) => kubePortAdmitsDns(port, protocol))) found.add(protocol);
        }
      }
      return found;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Calico (projectcalico.org/v3 and its crd.projectcalico.org/v1 storage)
// ---------------------------------------------------------------------------------------------

/** Keys Calico sets on a pod's endpoint from its namespace rather than from the pod. */
function isCalicoNamespaceKey(key: string): boolean {
  return key === 'projectcalico.org/namespace' || key === 'projectcalico.org/orchestrator' || key.startsWith('pcns.');
}

function calicoEndpointLabels(pod: PodContext): Labels {
  const map = new Map(pod.labels);
  map.set('projectcalico.org/namespace', pod.namespace);
  map.set('projectcalico.org/orchestrator', 'k8s');
  for (const [key, value] of pod.namespaceLabels) map.set(`pcns.${key}`, value);
  return map;
}

function calicoNamespaceContext(namespace: string, namespaceLabels: Labels): Labels {
  const map = new Map(namespaceLabels);
  map.set('projectcalico.org/name', namespace);
  map.set('projectcalico.org/namespace', namespace);
  map.set('projectcalico.org/orchestrator', 'k8s');
  for (const [key, value] of namespaceLabels) map.set(`pcns.${key}`, value);
  return map;
}

function calicoPorts(ports: unknown, protocol: Protocol): boolean {
  if (!Array.isArray(ports)) return true;
  return (ports as unknown[]).some((port) => {
    if (typeof port === 'number') return port === DNS_PORT;
    if (typeof port !== 'string') return false;
    const range = /^(\d+):(\d+)$/.exec(port);
    if (range) return Number(range[1]) <= DNS_PORT && DNS_PORT <= Number(range[2]);
    return /^\d+$/.test(port) ? Number(port) === DNS_PORT : port === DNS_PORT_NAMES[protocol];
  });
}

function calicoProtocol(rule: Readonly<Record<string, unknown>>): ReadonlySet<Protocol> {
  const protocol = rule.protocol;
  if (protocol === undefined || protocol === null) return BOTH;
  if (protocol === 'UDP' || protocol === 17) return new Set(['UDP']);
  if (protocol === 'TCP' || protocol === 6) return new Set(['TCP']);
  return NONE;
}

function calicoRuleIsDnsOnly(rule: Readonly<Record<string, unknown>>): boolean {
  const destination = isRecord(rule.destination) ? rule.destination : {};
  if (!Array.isArray(destination.ports) || destination.ports.length === 0) return false;
  const protocols = calicoProtocol(rule);
  return protocols.size > 0 && protocols.size < 2 && (destination.ports as unknown[]).every((p) => p === DNS_PORT || p === String(DNS_PORT) || p === 'dns' || p === 'dns-tcp');
}

function calicoModel(resource: KubeResource, spec: Readonly<Record<string, unknown>>, global: boolean): PolicyModel | undefined {
  // Pre-DNAT, untracked and forward policies are for host endpoints, not pods.
  if (spec.preDNAT === true || spec.doNotTrack === true || spec.applyOnForward === true) return undefined;
  const namespace = global ? undefined : (namespaceOf(resource) ?? 'default');
  const selectorText = typeof spec.selector === 'string' ? spec.selector : '';
  const selector: CalicoSelector | undefined = parseCalicoSelector(selectorText);
  const namespaceSelectorText = global && typeof spec.namespaceSelector === 'string' && spec.namespaceSelector.trim() !== '' ? spec.namespaceSelector : undefined;
  const namespaceSelector = namespaceSelectorText === undefined ? undefined : parseCalicoSelector(namespaceSelectorText);
  const ingress = records(spec.ingress);
  const egress = records(spec.egress);
  const isolates = new Set<Direction>();
  if (nonEmptyArray(spec.types)) {
    for (const t of spec.types) if (t === 'Ingress') isolates.add('ingress'); else if (t === 'Egress') isolates.add('egress');
  } else {
    if (ingress.length > 0 || egress.length === 0) isolates.add('ingress');
    if (egress.length > 0) isolates.add('egress');
  }
  // Past its rules, a policy that selected the endpoint denies (end of tier); `Pass` hands over to the next tier instead.
  const denies = (rule: Readonly<Record<string, unknown>>) => rule.action === 'Deny' || rule.action === 'Log';
  const deniesAll = new Set<Direction>();
  if (isolates.has('ingress') && ingress.every(denies)) deniesAll.add('ingress');
  if (isolates.has('egress') && egress.every((rule) => denies(rule) || (rule.action === 'Allow' && calicoRuleIsDnsOnly(rule)))) deniesAll.add('egress');
  const kind = global ? 'GlobalNetworkPolicy' : 'NetworkPolicy';
  return {
    resource,
    label: `Calico ${kind} ${namespace ? `${namespace}/` : ''}${resource.ref.name}`,
    selectsAllPodsOf(ns, namespaceLabels) {
      if (namespace !== undefined && ns !== namespace) return false;
      if (selector === undefined || [...selector.keys].some((key) => !isCalicoNamespaceKey(key))) return false;
      const context = calicoNamespaceContext(ns, namespaceLabels);
      if (!selector.matches(context)) return false;
      if (namespaceSelectorText === undefined) return true;
      return namespaceSelector !== undefined && namespaceSelector.matches(context);
    },
    selects(pod) {
      if (namespace !== undefined && pod.namespace !== namespace) return false;
      // An unreadable selector is given the benefit of the doubt for allowances.
      if (selector !== undefined && !selector.matches(calicoEndpointLabels(pod))) return false;
      return namespaceSelectorText === undefined || namespaceSelector === undefined || namespaceSelector.matches(calicoNamespaceContext(pod.namespace, pod.namespaceLabels));
    },
    isolates,
    deniesAll,
    dnsProtocols() {
      if (!isolates.has('egress')) return NONE;
      const found = new Set<Protocol>();
      for (const rule of egress) {
        if (rule.action !== 'Allow') continue;
        const destination = isRecord(rule.destination) ? rule.destination : {};
        for (const protocol of calicoProtocol(rule)) if (calicoPorts(destination.ports, protocol)) found.add(protocol);
      }
      return found;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Cilium (cilium.io/v2)
// ---------------------------------------------------------------------------------------------

const CILIUM_NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
const CILIUM_NAMESPACE_LABEL_PREFIX = 'io.cilium.k8s.namespace.labels.';

/** Cilium label keys carry a source prefix (`k8s:`, `any:`) that matching ignores here. */
function stripSource(key: string): string {
  const match = /^(?:k8s|any):(.*)$/.exec(key);
  return match?.[1] ?? key;
}

function ciliumRequirements(selector: unknown) {
  const requirements = requirementsOf(selector);
  return requirements?.map((r) => ({ ...r, key: stripSource(r.key) }));
}

function isCiliumNamespaceKey(key: string): boolean {
  return key === CILIUM_NAMESPACE_KEY || key.startsWith(CILIUM_NAMESPACE_LABEL_PREFIX);
}

function ciliumNamespaceContext(namespace: string, namespaceLabels: Labels): Map<string, string> {
  const map = new Map<string, string>();
  map.set(CILIUM_NAMESPACE_KEY, namespace);
  for (const [key, value] of namespaceLabels) map.set(`${CILIUM_NAMESPACE_LABEL_PREFIX}${key}`, value);
  return map;
}

function ciliumPortsAdmit(toPorts: unknown, protocol: Protocol): boolean {
  if (!Array.isArray(toPorts)) return true;
  return records(toPorts).some((entry) => {
    if (!Array.isArray(entry.ports)) return true;
    return records(entry.ports).some((port) => {
      const p = port.protocol ?? 'ANY';
      if (p !== 'ANY' && p !== protocol) return false;
      const number = numericPort(port.port);
      if (number === undefined) return port.port === undefined || port.port === DNS_PORT_NAMES[protocol];
      const end = numericPort(port.endPort);
      return end === undefined ? number === DNS_PORT || number === 0 : number <= DNS_PORT && DNS_PORT <= end;
    });
  });
}

function ciliumRuleIsDnsOnly(rule: Readonly<Record<string, unknown>>): boolean {
  if (!nonEmptyArray(rule.toPorts)) return false;
  return records(rule.toPorts).every((entry) => nonEmptyArray(entry.ports) && records(entry.ports).every((port) => numericPort(port.port) === DNS_PORT && port.endPort === undefined));
}

/** A rule that allows nothing: Cilium's `{}`, which still switches on default deny for its direction. */
const isEmptyRule = (rule: Readonly<Record<string, unknown>>) => Object.keys(rule).length === 0;

function ciliumRuleModel(resource: KubeResource, rule: Readonly<Record<string, unknown>>, clusterwide: boolean, index: number | undefined): PolicyModel | undefined {
  // Rules with a nodeSelector are host policies.
  if (rule.nodeSelector !== undefined) return undefined;
  const namespace = clusterwide ? undefined : (namespaceOf(resource) ?? 'default');
  const requirements = ciliumRequirements(rule.endpointSelector ?? {});
  const enableDefaultDeny = isRecord(rule.enableDefaultDeny) ? rule.enableDefaultDeny : {};
  const ingress = records(rule.ingress);
  const egress = records(rule.egress);
  const isolates = new Set<Direction>();
  if ((ingress.length > 0 || nonEmptyArray(rule.ingressDeny)) && enableDefaultDeny.ingress !== false) isolates.add('ingress');
  if ((egress.length > 0 || nonEmptyArray(rule.egressDeny)) && enableDefaultDeny.egress !== false) isolates.add('egress');
  const deniesAll = new Set<Direction>();
  if (isolates.has('ingress') && ingress.every(isEmptyRule)) deniesAll.add('ingress');
  if (isolates.has('egress') && egress.every((r) => isEmptyRule(r) || ciliumRuleIsDnsOnly(r))) deniesAll.add('egress');
  const kind = clusterwide ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy';
  const matches = (labels: Labels) => requirements !== undefined && requirements.every((r) => satisfies(r, labels));
  return {
    resource,
    label: `${kind} ${namespace ? `${namespace}/` : ''}${resource.ref.name}${index === undefined ? '' : ` (specs[${index}])`}`,
    selectsAllPodsOf(ns, namespaceLabels) {
      if (namespace !== undefined && ns !== namespace) return false;
      if (requirements === undefined || requirements.some((r) => !isCiliumNamespaceKey(r.key))) return false;
      return matches(ciliumNamespaceContext(ns, namespaceLabels));
    },
    selects(pod) {
      if (namespace !== undefined && pod.namespace !== namespace) return false;
      const labels = ciliumNamespaceContext(pod.namespace, pod.namespaceLabels);
      for (const [key, value] of pod.labels) labels.set(key, value);
      return matches(labels);
    },
    isolates,
    deniesAll,
    dnsProtocols() {
      if (!isolates.has('egress')) return NONE;
      const found = new Set<Protocol>();
      for (const r of egress) {
        if (isEmptyRule(r)) continue;
        for (const protocol of BOTH) if (ciliumPortsAdmit(r.toPorts, protocol)) found.add(protocol);
      }
      return found;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Index
// ---------------------------------------------------------------------------------------------

interface PolicyIndex {
  readonly byNamespace: ReadonlyMap<string, readonly PolicyModel[]>;
  readonly global: readonly PolicyModel[];
  readonly any: boolean;
}

function modelsOf(resource: KubeResource): PolicyModel[] {
  const group = apiGroupOf(resource.object.apiVersion);
  const kind = resource.object.kind;
  const spec = resource.object.spec;
  if (group === NETWORKING_GROUP && kind === 'NetworkPolicy') return isRecord(spec) ? [kubeModel(resource, spec)] : [kubeModel(resource, {})];
  if (CALICO_GROUPS.has(group) && (kind === 'NetworkPolicy' || kind === 'GlobalNetworkPolicy')) {
    const model = isRecord(spec) ? calicoModel(resource, spec, kind === 'GlobalNetworkPolicy') : undefined;
    return model ? [model] : [];
  }
  if (group === CILIUM_GROUP && (kind === 'CiliumNetworkPolicy' || kind === 'CiliumClusterwideNetworkPolicy')) {
    const clusterwide = kind === 'CiliumClusterwideNetworkPolicy';
    const models: PolicyModel[] = [];
    if (isRecord(spec)) {
      const model = ciliumRuleModel(resource, spec, clusterwide, undefined);
      if (model) models.push(model);
    }
    records(resource.object.specs).forEach((rule, i) => {
      const model = ciliumRuleModel(resource, rule, clusterwide, i);
      if (model) models.push(model);
    });
    return models;
  }
  return [];
}

export const POLICY_KINDS: readonly string[] = ['NetworkPolicy', 'GlobalNetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];

const indexCache = new WeakMap<Inventory, PolicyIndex>();

function policyIndex(inventory: Inventory): PolicyIndex {
  const cached = indexCache.get(inventory);
  if (cached !== undefined) return cached;
  const byNamespace = new Map<string, PolicyModel[]>();
  const global: PolicyModel[] = [];
  let any = false;
  for (const kind of POLICY_KINDS) {
    for (const resource of inventory.ofKind(kind)) {
      const models = modelsOf(resource);
      if (models.length > 0) any = true;
      for (const model of models) {
        if (resource.object.kind === 'GlobalNetworkPolicy' || resource.object.kind === 'CiliumClusterwideNetworkPolicy') global.push(model);
        else {
          const ns = namespaceOf(resource) ?? 'default';
          const list = byNamespace.get(ns);
          if (list) list.push(model);
          else byNamespace.set(ns, [model]);
        }
      }
    }
  }
  const index = { byNamespace, global, any };
  indexCache.set(inventory, index);
  return index;
}

/** Whether the input holds any network policy object (Kubernetes, Calico or Cilium). */
export function hasPolicyObjects(inventory: Inventory): boolean {
  return policyIndex(inventory).any;
}

/** Every policy that can apply to pods of `namespace`: its own and the cluster-wide ones. */
export function policiesFor(inventory: Inventory, namespace: string): readonly PolicyModel[] {
  const index = policyIndex(inventory);
  return [...(index.byNamespace.get(namespace) ?? []), ...index.global];
}

const labelCache = new WeakMap<Inventory, Map<string, Labels>>();

/** The labels of a namespace: its object's, when the input holds it, plus the name label every namespace carries. */
export function namespaceLabels(inventory: Inventory, namespace: string): Labels {
  let byName = labelCache.get(inventory);
  if (byName === undefined) {
    byName = new Map();
    for (const ns of inventory.ofKind('Namespace')) {
      if (apiGroupOf(ns.object.apiVersion) === '' && !byName.has(ns.ref.name)) byName.set(ns.ref.name, withMetadataName(stringMap(ns.object.metadata?.labels), ns.ref.name));
    }
    labelCache.set(inventory, byName);
  }
  let labels = byName.get(namespace);
  if (labels === undefined) {
    labels = withMetadataName(new Map(), namespace);
    byName.set(namespace, labels);
  }
  return labels;
}

/** The policy that gives every pod of the namespace a default deny in each direction, if any. */
export function defaultDenyPolicies(inventory: Inventory, namespace: string): Readonly<Partial<Record<Direction, PolicyModel>>> {
  const labels = namespaceLabels(inventory, namespace);
  const found: Partial<Record<Direction, PolicyModel>> = {};
  for (const policy of policiesFor(inventory, namespace)) {
    if (!policy.selectsAllPodsOf(namespace, labels)) continue;
    for (const direction of policy.deniesAll) found[direction] ??= policy;
  }
  return found;
}

export function podContext(inventory: Inventory, workload: Workload): PodContext {
  const dnsPolicy = workload.podSpec.dnsPolicy;
  return {
    namespace: workload.namespace,
    labels: stringMap(workload.podMeta.labels),
    namespaceLabels: namespaceLabels(inventory, workload.namespace),
    usesClusterDns: dnsPolicy !== 'Default' && dnsPolicy !== 'None',
  };
}

/** The labels EKS's CoreDNS pods carry, for inputs that do not hold the CoreDNS Deployment. */
const EKS_COREDNS_LABELS: Labels = new Map([['k8s-app', 'kube-dns'], ['eks.amazonaws.com/component', 'coredns']]);
/** NodeLocal DNSCache's default link-local listen address. */
const NODE_LOCAL_DNS_ADDRESS = '169.254.20.10';

const dnsCache = new WeakMap<Inventory, DnsTargets>();

/** The cluster DNS as the input shows it: kube-system's labels, CoreDNS's pod labels, the kube-dns addresses. */
export function dnsTargets(inventory: Inventory): DnsTargets {
  const cached = dnsCache.get(inventory);
  if (cached !== undefined) return cached;
  const kubeSystem = inventory.workloads.filter((w) => w.namespace === 'kube-system');
  const servers = kubeSystem.filter((w) => w.podMeta.labels?.['k8s-app'] === 'kube-dns' || w.ref.name === 'coredns');
  const podLabels = servers.length > 0 ? servers.map((w) => stringMap(w.podMeta.labels)) : [EKS_COREDNS_LABELS];
  const addresses: bigint[] = [];
  const add = (text: unknown) => {
    const address = typeof text === 'string' ? parseAddress(text) : undefined;
    if (address !== undefined) addresses.push(address);
  };
  const service = inventory.find('Service', 'kube-system', 'kube-dns');
  const serviceSpec = service?.object.spec;
  if (isRecord(serviceSpec)) {
    add(serviceSpec.clusterIP);
    if (Array.isArray(serviceSpec.clusterIPs)) for (const ip of serviceSpec.clusterIPs as unknown[]) add(ip);
  }
  for (const server of servers) {
    const status = server.object.status;
    if (isRecord(status)) add(status.podIP);
  }
  if (kubeSystem.some((w) => w.ref.name === 'node-local-dns' || w.podMeta.labels?.['k8s-app'] === 'node-local-dns')) add(NODE_LOCAL_DNS_ADDRESS);
  const targets = { namespaceLabels: namespaceLabels(inventory, 'kube-system'), podLabels, addresses };
  dnsCache.set(inventory, targets);
  return targets;
}

/** The protocols on which some policy selecting the pod lets it reach the cluster DNS. */
export function dnsProtocolsFor(inventory: Inventory, workload: Workload): ReadonlySet<Protocol> {
  const pod = podContext(inventory, workload);
  const dns = dnsTargets(inventory);
  const found = new Set<Protocol>();
  for (const policy of policiesFor(inventory, workload.namespace)) {
    if (!policy.isolates.has('egress') || !policy.selects(pod)) continue;
    for (const protocol of policy.dnsProtocols(pod, dns)) found.add(protocol);
    if (found.size === 2) break;
  }
  return found;
}
