import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { defineRule } from '../define-rule.js';
import { configMapSetting, evidenceOf, vpcCniVerdict } from '../shared/network-policy-engine.js';

export type MessageId = 'unenforcedPolicies';

export default defineRule({
  id: 'require-network-policy-engine',
  meta: {
    area: 'network',
    severity: 'high',
    docs: { description: 'Require a network policy engine where NetworkPolicies exist', controls: ['eks-bp:network-security', 'cis-eks:4.3.1'] },
    evidence: ['manifests', 'cluster'],
    reads: ['NetworkPolicy'],
    messages: {
      unenforcedPolicies: 'The input holds {{count}} NetworkPolicy object(s), but nothing enforces them: {{reason}}, and no Calico, Cilium, Antrea, kube-router or Weave Net agent runs.',
    },
    rationale: 'A NetworkPolicy is only a request: the CNI plugin must enforce it. The Amazon VPC CNI ships with network policy enforcement turned off, so on a default EKS cluster every default-deny and allow-list policy is silently inert, and the isolation it promises does not exist.',
    remediation: 'Turn on the VPC CNI\'s network policy support (add-on configuration enableNetworkPolicy: "true", which runs the node agent with --enable-network-policy=true and enables the controller), or run one third-party engine such as Calico or Cilium. Do not run two engines at once.',
  },
  defaultOptions: {},
  notEvaluated(inventory) {
    const evidence = evidenceOf(inventory);
    const configured = evidence.configMap !== undefined && configMapSetting(evidence.configMap) !== undefined;
    // A dump of Deployments alone (`kubectl get deploy -A`) shows CoreDNS but not the CNI: too little to say nothing enforces.
    if (evidence.policies === 0 || evidence.engine || evidence.kubeSystemDaemonSets || configured || evidence.addon !== undefined) return undefined;
    return 'the input holds no kube-system DaemonSets (where the CNI runs), so it cannot show whether a network policy engine runs (AWS evidence, the vpc-cni add-on configuration, will complete this check)';
  },
  create: () => {
    function* judge(target: KubeResource, inventory: Inventory): Generator<Report<MessageId>, void, undefined> {
      const evidence = evidenceOf(inventory);
      if (evidence.policies === 0 || evidence.engine) return;
      const verdict = vpcCniVerdict(evidence);
      if (verdict.enforces || verdict.addon !== undefined) return;
      // One finding per cluster, on the object whose setting is at fault (kube-system itself when none is in the input).
      if (verdict.target === undefined ? target.ref.kind !== 'Namespace' || target.ref.name !== 'kube-system' : target.object !== verdict.target.object) return;
      yield { messageId: 'unenforcedPolicies', path: verdict.path, data: { count: evidence.policies, reason: verdict.reason } };
    }
    return {
      workload: judge,
      ConfigMap: judge,
      namespace: judge,
      // Where kube-system's CNI is not in the Kubernetes input, the vpc-cni add-on's configuration (AWS evidence) decides.
      *'aws:eks:addon'(target, inventory): Generator<Report<MessageId>, void, undefined> {
        const evidence = evidenceOf(inventory);
        if (evidence.policies === 0 || evidence.engine) return;
        const verdict = vpcCniVerdict(evidence);
        if (verdict.enforces || verdict.addon === undefined || verdict.addon !== target.data) return;
        yield { messageId: 'unenforcedPolicies', path: verdict.path, data: { count: evidence.policies, reason: verdict.reason } };
      },
    };
  },
});
