import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';

export type MessageId = 'inDefaultNamespace';

export default defineRule({
  id: 'no-workloads-in-default-namespace',
  meta: {
    area: 'tenancy',
    severity: 'low',
    docs: { description: 'Disallow workloads in the default namespace', controls: ['eks-bp:multi-tenancy', 'cis-eks:4.5.2'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      inDefaultNamespace: '{{kind}} "{{name}}" runs in the default namespace, which every user and tool falls back to and which carries no quota, network policy or RBAC boundary of its own.',
    },
    rationale: 'Namespaces are the unit of isolation in a soft multi-tenant cluster: RBAC, quotas, limit ranges, network policies and Pod Security labels are all set per namespace. The default namespace is where everything lands when nobody chose, so it mixes unrelated applications under one set of permissions and is rarely locked down.',
    remediation: 'Give each application or team its own namespace, move the workload there (set metadata.namespace, or deploy with --namespace), and grant access to that namespace only.',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      // A manifest that names no namespace is installed wherever `kubectl -n` or Helm points it, so
      // only an explicit `default` (which every object read from a cluster has) says where it runs.
      if (workload.ref.namespace !== 'default') return [];
      return [{ messageId: 'inDefaultNamespace', path: ['metadata', 'namespace'], data: { kind: workload.object.kind, name: workload.ref.name } }];
    },
  }),
});
