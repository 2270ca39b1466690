import type { Report } from '../../core/finding.js';
import type { ContainerEntry } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { asRecord, display } from '../shared/profiles.js';

type MessageId = 'hostPort' | 'removeHostPort';

/** A hostPort the kubelet would bind: any value but unset, 0 (the API's "none") or an empty string. */
function isHostPortSet(value: unknown): boolean {
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.trim() !== '' && Number(value) !== 0;
  return false;
}

/** Built only for a port that binds the node: the common, passing one allocates nothing. */
function hostPortReport(entry: ContainerEntry, index: number, port: Readonly<Record<string, unknown>>, hostNetwork: boolean): Report<MessageId> {
  const path = [...entry.path, 'ports', index, 'hostPort'];
  const name = typeof port.name === 'string' && port.name !== '' ? `"${port.name}" (${display(port.containerPort)})` : display(port.containerPort);
  const data = { container: entry.name, port: name, hostPort: display(port.hostPort) };
  // With hostNetwork the API server sets hostPort to containerPort, so removing it changes nothing.
  if (hostNetwork) return { messageId: 'hostPort', path, data };
  return { messageId: 'hostPort', path, data, suggest: [{ messageId: 'removeHostPort', data, patch: [{ op: 'remove', path }] }] };
}

export default defineRule({
  id: 'no-host-ports',
  meta: {
    area: 'workload',
    severity: 'medium',
    docs: { description: 'Disallow container ports bound to a port on the node', controls: ['pss-baseline:hostPorts', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      hostPort: 'Container "{{container}}" binds port {{port}} to port {{hostPort}} on the node.',
      removeHostPort: 'Remove hostPort {{hostPort}} from port {{port}} of container "{{container}}".',
    },
    rationale: "A hostPort publishes the container on the node's own addresses, bypassing Services and reachable by whatever the node's security groups let in, and it ties the pod to nodes where that port is free. Only node agents have a reason to bind node ports.",
    remediation: 'Remove hostPort and expose the container through a Service (ClusterIP, NodePort or a load balancer) instead.',
    hasSuggestions: true,
    fix: 'review',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        const ports = entry.container.ports;
        if (!Array.isArray(ports)) continue;
        // An indexed loop: entries() would allocate an [index, item] pair for every port.
        for (let k = 0; k < ports.length; k++) {
          const port = asRecord(ports[k]);
          if (port !== undefined && isHostPortSet(port.hostPort)) out.push(hostPortReport(entry, k, port, workload.podSpec.hostNetwork === true));
        }
      }
      return out;
    },
  }),
});
