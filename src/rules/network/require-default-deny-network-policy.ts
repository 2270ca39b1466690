import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { describeWorkloads, hasNamespaceObjects, isSystemNamespace } from '../shared/namespaces.js';
import { defaultDenyPolicies, hasPolicyObjects, type Direction } from '../shared/network-policies.js';

export type MessageId = 'missingDefaultDeny';

const CONSEQUENCE: Readonly<Record<string, string>> = {
  'ingress and egress': 'accepts connections from any pod in the cluster and can open connections anywhere',
  ingress: 'accepts connections from any pod in the cluster',
  egress: 'can open connections anywhere, inside the cluster and out',
};

export default defineRule({
  id: 'require-default-deny-network-policy',
  meta: {
    area: 'network',
    severity: 'medium',
    docs: { description: 'Require a default-deny network policy for ingress and egress in every namespace that runs workloads', controls: ['eks-bp:network-security', 'eks-bp:multi-tenancy', 'cis-eks:4.3.2'] },
    evidence: ['manifests', 'cluster'],
    reads: ['NetworkPolicy', 'GlobalNetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
    messages: {
      missingDefaultDeny: 'Namespace "{{namespace}}" runs {{workloads}} but no network policy denies {{direction}} traffic there by default, so every pod no other policy selects {{consequence}}.',
    },
    rationale: 'Kubernetes lets every pod talk to every other pod, in every namespace, and to anything the node can reach. One compromised pod can then scan and attack the whole cluster, reach the instance metadata service and exfiltrate data. A default-deny policy per namespace turns that around: only the traffic a policy allows flows.',
    remediation: 'Add a NetworkPolicy with podSelector: {}, policyTypes: [Ingress, Egress] and no rules to the namespace (or two, one per direction), then allow DNS and the traffic each workload needs with further policies. A network policy engine must enforce them (see require-network-policy-engine).',
  },
  defaultOptions: {},
  notEvaluated: (inventory) => (hasPolicyObjects(inventory) || hasNamespaceObjects(inventory)
    ? undefined
    : 'no NetworkPolicy objects in the input, and no Namespace objects to show it is a whole-cluster dump'),
  create: () => ({
    *namespace(target, inventory): Generator<Report<MessageId>, void, undefined> {
      if (target.workloads.length === 0 || isSystemNamespace(target.name)) return;
      // Network policies never apply to pods on the node's network: a namespace of such pods has nothing to isolate.
      if (target.workloads.every((w) => w.podSpec.hostNetwork === true)) return;
      const found = defaultDenyPolicies(inventory, target.name);
      const missing = (['ingress', 'egress'] as const satisfies readonly Direction[]).filter((d) => found[d] === undefined);
      if (missing.length === 0) return;
      const direction = missing.join(' and ');
      yield { messageId: 'missingDefaultDeny', path: [], data: { namespace: target.name, workloads: describeWorkloads(target.workloads), direction, consequence: CONSEQUENCE[direction] ?? '' } };
    },
  }),
});
