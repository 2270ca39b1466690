import type { Report } from '../../core/finding.js';
import type { Workload } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { describeWorkloads } from '../shared/namespaces.js';
import { defaultDenyPolicies, dnsProtocolsFor, type Protocol } from '../shared/network-policies.js';

export type MessageId = 'noDnsEgress' | 'partialDnsEgress';

export default defineRule({
  id: 'require-dns-egress-policy',
  meta: {
    area: 'network',
    severity: 'low',
    docs: { description: 'Require an egress policy allowing DNS to kube-dns where egress is denied by default', controls: ['eks-bp:network-security'] },
    evidence: ['manifests', 'cluster'],
    reads: ['NetworkPolicy', 'GlobalNetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'Service'],
    messages: {
      noDnsEgress: 'Namespace "{{namespace}}" denies egress by default ({{policy}}), but no policy lets {{workloads}} reach kube-dns on port 53, so their name lookups fail.',
      partialDnsEgress: 'Namespace "{{namespace}}" denies egress by default ({{policy}}), and policies let {{workloads}} reach kube-dns on port 53 over {{allowed}} only, so lookups that fall back to {{missing}} fail.',
    },
    rationale: 'Once egress is denied by default, pods can no longer resolve names unless a policy allows DNS: the usual reaction is to loosen or delete the default deny. DNS uses UDP port 53, and TCP port 53 for large or truncated answers, to the kube-dns pods (CoreDNS) in kube-system.',
    remediation: 'Add an egress NetworkPolicy selecting all pods of the namespace (podSelector: {}) that allows UDP and TCP port 53 to namespaceSelector kubernetes.io/metadata.name: kube-system with podSelector k8s-app: kube-dns.',
  },
  defaultOptions: {},
  create: () => ({
    *namespace(target, inventory): Generator<Report<MessageId>, void, undefined> {
      const deny = defaultDenyPolicies(inventory, target.name).egress;
      if (deny === undefined || target.workloads.length === 0) return;
      const none: Workload[] = [];
      const partial = new Map<Protocol, Workload[]>();
      for (const workload of target.workloads) {
        // Network policies never apply to pods on the node's network.
        if (workload.podSpec.hostNetwork === true) continue;
        const allowed = dnsProtocolsFor(inventory, workload);
        if (allowed.size === 0) none.push(workload);
        else if (allowed.size === 1) {
          const missing: Protocol = allowed.has('UDP') ? 'TCP' : 'UDP';
          partial.set(missing, [...(partial.get(missing) ?? []), workload]);
        }
      }
      const data = { namespace: target.name, policy: deny.label };
      if (none.length > 0) yield { messageId: 'noDnsEgress', path: [], data: { ...data, workloads: describeWorkloads(none) } };
      for (const [missing, workloads] of partial) {
        yield { messageId: 'partialDnsEgress', path: [], data: { ...data, workloads: describeWorkloads(workloads), allowed: missing === 'TCP' ? 'UDP' : 'TCP', missing } };
      }
    },
  }),
});
