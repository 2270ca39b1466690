import { defineRule } from '../define-rule.js';
import { asRecord, display } from '../shared/profiles.js';

/** A hostPort the kubelet would bind: any value but unset, 0 (the API's "none") or an empty string. */
function isHostPortSet(value: unknown): boolean {
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.trim() !== '' && Number(value) !== 0;
  return false;
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
  },
  defaultOptions: {},
  create: () => ({
    *workload(workload) {
      // With hostNetwork the API server sets hostPort to containerPort, so removing it changes nothing.
      const hostNetwork = workload.podSpec.hostNetwork === true;
      for (const entry of workload.containers) {
        const ports = entry.container.ports;
        if (!Array.isArray(ports)) continue;
        for (const [k, item] of ports.entries()) {
          const port = asRecord(item);
          if (port === undefined || !isHostPortSet(port.hostPort)) continue;
          const path = [...entry.path, 'ports', k, 'hostPort'];
          const name = typeof port.name === 'string' && port.name !== '' ? `"${port.name}" (${display(port.containerPort)})` : display(port.containerPort);
          const data = { container: entry.name, port: name, hostPort: display(port.hostPort) };
          yield {
            messageId: 'hostPort',
            path,
            data,
            ...(hostNetwork ? {} : { suggest: [{ messageId: 'removeHostPort' as const, data, patch: [{ op: 'remove' as const, path }] }] }),
          };
        }
      }
    },
  }),
});
