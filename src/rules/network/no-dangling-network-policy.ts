import type { FieldPath, Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { namespaceOf } from '../../core/inventory.js';
import { isEmptySelector, requirementsOf, selectorMatches } from '../../core/label-selector.js';
import type { KubeResource } from '../../core/resource.js';
import { apiGroupOf } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { isRecord } from '../shared/namespaces.js';

export type MessageId = 'selectsNoPod' | 'missingNamespace';

/** Namespaces every cluster has, whether or not the input lists them. */
const ALWAYS_THERE: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
/** The label the API server puts on every Namespace: its name. */
const NAME_LABEL = 'kubernetes.io/metadata.name';

/** The namespaces a namespaceSelector names through kubernetes.io/metadata.name (matchLabels, or In). */
function namedNamespaces(selector: unknown): readonly string[] {
  const requirements = requirementsOf(selector) ?? [];
  return requirements.filter((r) => r.key === NAME_LABEL && r.operator === 'In').flatMap((r) => r.values);
}

/** Every namespaceSelector of the policy's peers, with its path. */
function* namespaceSelectors(spec: Readonly<Record<string, unknown>>): Generator<{ readonly selector: unknown; readonly path: FieldPath }> {
  for (const [direction, peersKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
    const rules = spec[direction];
    if (!Array.isArray(rules)) continue;
    for (const [i, rule] of (rules as unknown[]).entries()) {
      const peers = isRecord(rule) ? rule[peersKey] : undefined;
      if (!Array.isArray(peers)) continue;
      for (const [j, peer] of (peers as unknown[]).entries()) {
        if (isRecord(peer) && peer.namespaceSelector !== undefined) yield { selector: peer.namespaceSelector, path: ['spec', direction, i, peersKey, j, 'namespaceSelector'] };
      }
    }
  }
}

function* judge(policy: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  const spec = policy.object.spec;
  if (apiGroupOf(policy.object.apiVersion) !== 'networking.k8s.io' || !isRecord(spec)) return;
  const namespace = namespaceOf(policy) ?? 'default';
  // `podSelector: {}` selects every pod of the namespace, those created later too: the default-deny shape never dangles.
  if (!isEmptySelector(spec.podSelector)) {
    const workloads = inventory.workloads.filter((w) => w.namespace === namespace);
    // Judged only where the input holds the namespace's workloads: a policy file alone says nothing of what runs.
    if (workloads.length > 0 && !workloads.some((w) => selectorMatches(spec.podSelector, (w.podMeta.labels ?? {}) as Readonly<Record<string, string>>))) {
      yield { messageId: 'selectsNoPod', path: ['spec', 'podSelector'], data: { namespace, workloads: workloads.length } };
    }
  }
  const declared = inventory.ofKind('Namespace');
  // Judged only on the cluster's list of namespaces (it holds kube-system's): a team's repository
  // or a generated tenant kit declares its own Namespace and rightly names others it does not hold.
  if (!declared.some((n) => n.ref.name === 'kube-system')) return;
  const names = new Set(declared.map((n) => n.ref.name));
  for (const { selector, path } of namespaceSelectors(spec)) {
    const missing = namedNamespaces(selector).filter((name) => !names.has(name) && !ALWAYS_THERE.has(name));
    if (missing.length > 0) yield { messageId: 'missingNamespace', path, data: { missing: missing.join(', ') } };
  }
}

export default defineRule({
  id: 'no-dangling-network-policy',
  meta: {
    area: 'network',
    severity: 'low',
    docs: { description: 'Disallow NetworkPolicies that select no pod or name a namespace that does not exist', controls: ['eks-bp:network-security'] },
    evidence: ['manifests', 'cluster'],
    reads: ['Namespace'],
    messages: {
      selectsNoPod: 'The podSelector matches none of the {{workloads}} pod template(s) in namespace {{namespace}}: the policy protects nothing, most likely through a typo or a renamed label.',
      missingNamespace: 'The namespaceSelector names namespace {{missing}}, which the input does not hold: the rule allows nothing today, and allows whoever creates that namespace tomorrow.',
    },
    rationale: 'A NetworkPolicy whose selector matches no pod is silent: the pods it was meant to isolate stay open (or, for an allow rule, stay cut off) and nothing says so. A peer that names a namespace that does not exist is worse than dead: whoever may create namespaces can create one of that name and be let in.',
    remediation: 'Fix the podSelector to the labels the pods carry (kubectl get pods --show-labels), or delete the policy; point namespaceSelectors at namespaces that exist, by their kubernetes.io/metadata.name label.',
  },
  defaultOptions: {},
  create: () => ({ NetworkPolicy: judge }),
});
