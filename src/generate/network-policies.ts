/**
 * `eksguard generate network-policies`: for every namespace of the input that runs workloads and
 * lacks a default deny, the default-deny policy and DNS egress the guide's network section asks
 * for, and, per workload, an ingress allow policy on the target ports of the Services that select
 * it — a starting point, marked as such. Pure: an inventory in, objects out.
 */
import type { Inventory } from '../core/inventory.js';
import { selectorMatches, labelsOf } from '../core/label-selector.js';
import type { KubeObject } from '../core/resource.js';
import { apiGroupOf, type Workload } from '../core/workload.js';
import { isRecord, isSystemNamespace, stringMap } from '../rules/shared/namespaces.js';
import { defaultDenyPolicies, dnsProtocolsFor, type Direction } from '../rules/shared/network-policies.js';
import { GENERATED_BY, GENERATED_BY_LABEL, NETWORKING_API, dnsEgressRule, exceptQuarantined, type Commented } from './kube-objects.js';

/**
 * Knative Serving's pods are reached through Knative's activator and ingress gateway, not through
 * Services of the input: a default deny cuts them off unless that traffic is allowed.
 */
const KNATIVE_SERVING_GROUP = 'serving.knative.dev';

export interface NetworkPolicyPlan {
  readonly objects: readonly Commented[];
  /** Namespaces left alone, and why (already denied by default, only host-network pods). */
  readonly skipped: readonly { readonly namespace: string; readonly reason: string }[];
}

interface ServicePort {
  readonly port: number | string;
  readonly protocol: string;
}

/** The Services of a namespace with the selector and target ports they route to. */
interface ServiceView {
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePort[];
}

function servicesOf(inventory: Inventory, namespace: string): ServiceView[] {
  const out: ServiceView[] = [];
  for (const service of inventory.ofKind('Service')) {
    if (service.object.apiVersion !== 'v1' || (service.ref.namespace ?? 'default') !== namespace) continue;
    const spec = service.object.spec;
    if (!isRecord(spec) || !isRecord(spec.selector) || Object.keys(spec.selector).length === 0) continue; // no selector: endpoints kept by hand, or ExternalName
    const ports: ServicePort[] = [];
    for (const entry of Array.isArray(spec.ports) ? (spec.ports as unknown[]) : []) {
      if (!isRecord(entry)) continue;
      // The port on the pod: targetPort (a number or a container port's name), else the Service port itself.
      const target = entry.targetPort ?? entry.port;
      const port = typeof target === 'number' && Number.isInteger(target) ? target : typeof target === 'string' && target !== '' ? (/^\d+$/.test(target) ? Number(target) : target) : undefined;
      if (port === undefined) continue;
      ports.push({ port, protocol: typeof entry.protocol === 'string' ? entry.protocol : 'TCP' });
    }
    out.push({ name: service.ref.name, selector: Object.fromEntries(stringMap(spec.selector)), ports });
  }
  return out;
}

/** The selector of a workload's own pods: its controller selector, else its pod labels. */
function podSelectorOf(workload: Workload): Record<string, unknown> {
  const spec = workload.object.spec;
  if (workload.object.kind !== 'Pod' && isRecord(spec) && isRecord(spec.selector) && (isRecord(spec.selector.matchLabels) || Array.isArray(spec.selector.matchExpressions))) {
    return spec.selector as Record<string, unknown>;
  }
  return { matchLabels: labelsOf({ metadata: workload.podMeta }) };
}

const DIRECTION_TYPE: Readonly<Record<Direction, string>> = { ingress: 'Ingress', egress: 'Egress' };

/** A name not taken by a NetworkPolicy of the namespace (in the input or generated here). */
function freeName(inventory: Inventory, namespace: string, wanted: string, taken: Set<string>): string {
  // Workload names from `generateName` end in `*`: object names take only lower-case letters, digits, - and .
  const base = wanted.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 240) || 'policy';
  let name = base;
  for (let n = 2; inventory.find('NetworkPolicy', namespace, name) !== undefined || taken.has(`${namespace}/${name}`); n++) name = `${base}-${n}`;
  taken.add(`${namespace}/${name}`);
  return name;
}

function policy(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: NETWORKING_API, kind: 'NetworkPolicy', metadata: { name, namespace, labels: { [GENERATED_BY_LABEL]: GENERATED_BY } }, spec };
}

export function networkPolicyPlan(inventory: Inventory): NetworkPolicyPlan {
  const objects: Commented[] = [];
  const skipped: { namespace: string; reason: string }[] = [];
  const taken = new Set<string>();
  for (const target of inventory.namespaces) {
    const namespace = target.name;
    if (target.workloads.length === 0) continue;
    if (isSystemNamespace(namespace)) {
      skipped.push({ namespace, reason: 'a Kubernetes system namespace: its components need their own policies' });
      continue;
    }
    // Network policies never apply to pods on the node's network.
    const pods = target.workloads.filter((w) => w.podSpec.hostNetwork !== true);
    if (pods.length === 0) {
      skipped.push({ namespace, reason: 'only host-network pods, which network policies do not apply to' });
      continue;
    }
    const found = defaultDenyPolicies(inventory, namespace);
    const missing = (['ingress', 'egress'] as const).filter((d) => found[d] === undefined);
    if (missing.length === 0) {
      skipped.push({ namespace, reason: `already denied by default (${found.ingress?.label ?? ''}${found.egress !== found.ingress ? `, ${found.egress?.label ?? ''}` : ''})` });
      continue;
    }
    const knative = missing.includes('ingress') ? pods.filter((w) => apiGroupOf(w.object.apiVersion) === KNATIVE_SERVING_GROUP) : [];
    objects.push({
      comment: [
        `Namespace ${namespace}: deny ${missing.join(' and ')} by default; the policies below allow what is known to be needed.`,
        ...(knative.length === 0 ? [] : [
          `Knative Serving runs ${knative.map((w) => `${w.object.kind} ${w.ref.name}`).join(', ')} here: its pods take requests from Knative's activator`,
          'and ingress gateway, in their own namespaces, which this denies. Allow those before applying.',
        ]),
      ],
      object: policy(namespace, freeName(inventory, namespace, 'default-deny', taken), { podSelector: {}, policyTypes: missing.map((d) => DIRECTION_TYPE[d]) }),
    });
    if (missing.includes('egress') && pods.some((w) => dnsProtocolsFor(inventory, w).size < 2)) {
      objects.push({
        comment: ['Name lookups: UDP and TCP 53 to kube-dns. Egress anywhere else is now denied: add policies for what the workloads call.'],
        object: policy(namespace, freeName(inventory, namespace, 'allow-dns-egress', taken), { podSelector: exceptQuarantined(), policyTypes: ['Egress'], egress: [dnsEgressRule()] }),
      });
    }
    if (!missing.includes('ingress')) continue;
    const services = servicesOf(inventory, namespace);
    for (const workload of pods) {
      const labels = labelsOf({ metadata: workload.podMeta });
      const selecting = services.filter((s) => selectorMatches({ matchLabels: s.selector }, labels));
      if (selecting.length === 0) continue;
      const seen = new Set<string>();
      const ports = selecting.flatMap((s) => s.ports).filter((p) => {
        const key = `${p.protocol}/${String(p.port)}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      if (ports.length === 0) continue;
      objects.push({
        comment: [
          `Starting point, review before applying: ${workload.object.kind} ${workload.ref.name} receives connections through Service${selecting.length > 1 ? 's' : ''} ${selecting.map((s) => s.name).join(', ')}.`,
          'This allows them from any pod and any address on those ports: narrow `from` to the clients that need them.',
        ],
        object: policy(namespace, freeName(inventory, namespace, `allow-${workload.ref.name}-ingress`, taken), {
          podSelector: podSelectorOf(workload),
          policyTypes: ['Ingress'],
          ingress: [{ ports: ports.map((p) => ({ protocol: p.protocol, port: p.port })) }],
        }),
      });
    }
  }
  return { objects, skipped };
}
