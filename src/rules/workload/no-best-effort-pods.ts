import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { isComputedBestEffort, reportedQosClass, resourceContainers } from '../shared/resources.js';

type MessageId = 'bestEffort';

export default defineRule({
  id: 'no-best-effort-pods',
  meta: {
    area: 'workload',
    severity: 'medium',
    docs: { description: 'Disallow pods in the BestEffort QoS class', controls: ['eks-bp:multi-tenancy', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    reads: ['LimitRange'],
    messages: {
      bestEffort: 'Pod QoS class is {{qosClass}} ({{source}}): no container has a CPU or memory request or limit, so its pods are scheduled blindly and evicted first when the node runs short.',
    },
    rationale: 'A BestEffort pod reserves nothing: the scheduler can pack it onto a full node, it competes unbounded with every other pod there, and the kubelet evicts it before anything else under memory or disk pressure. In a shared cluster it is both the noisiest neighbour and the first casualty.',
    remediation: 'Set CPU and memory requests on the containers (and a memory limit, for Burstable) or requests equal to limits for cpu and memory on every container (for Guaranteed), or give the namespace a LimitRange with default requests and limits.',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload, inventory): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      // A live Pod's reported class first, as Kubernetes' GetPodQOS; else the class its spec gives.
      const reported = reportedQosClass(workload);
      if (reported !== undefined && reported !== 'BestEffort') return out;
      if (reported === undefined) {
        // A spec with no containers at all is not a pod the API would admit; nothing to judge.
        if (resourceContainers(workload).length === 0 || !isComputedBestEffort(workload, inventory)) return out;
      }
      out.push({
        messageId: 'bestEffort',
        path: [...workload.podSpecPath, 'containers'],
        data: { qosClass: 'BestEffort', source: reported !== undefined ? 'status.qosClass' : 'computed from its containers\' resources' },
      });
      return out;
    },
  }),
});
