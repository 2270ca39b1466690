import rule from '../../../src/rules/rbac/no-node-proxy-access.js';
import { RuleTester } from '../../rule-tester.js';
import { bootstrapDump, clusterRole, clusterRoleBinding, eksDump, role, roleBinding, rule as r, sa, user } from '../../builders-rbac.js';

const NO_GRANT = 'no binding in the scanned input grants it';

new RuleTester().run(rule, {
  valid: [
    { name: 'the Kubernetes bootstrap policy as a live cluster stores it', manifests: bootstrapDump() },
    { name: 'EKS\'s own roles and add-ons', manifests: eksDump() },
    { name: 'kubelet metrics and stats only', manifests: clusterRole('dont-fire', [r(['get'], [''], ['nodes', 'nodes/metrics', 'nodes/stats'])]) },
    { name: 'a namespaced Role cannot reach nodes', manifests: role('monitoring', 'dont-fire', [r(['*'], ['*'], ['*'])]) },
    { name: 'the built-in kubelet-api-admin bound in a namespace reaches no node', manifests: roleBinding('monitoring', 'dont-fire', { kind: 'ClusterRole', name: 'system:kubelet-api-admin' }, [sa('prometheus')]) },
    { name: 'nodes/proxy of another API group', manifests: clusterRole('dont-fire', [r(['get'], ['metrics.k8s.io'], ['nodes/proxy'])]) },
  ],
  invalid: [
    {
      name: 'a Prometheus-style ClusterRole with get on nodes/proxy',
      manifests: [clusterRole('prometheus', [r(['get', 'list', 'watch'], [''], ['nodes', 'nodes/proxy', 'services'])]), clusterRoleBinding('prometheus', 'prometheus', [sa('prometheus', 'monitoring')])],
      findings: [{
        messageId: 'nodeProxy', path: '/rules/0', resource: 'ClusterRole prometheus', severity: 'high',
        data: { verbs: 'get, list and watch', from: '', grantees: 'granted to ServiceAccount monitoring/prometheus via ClusterRoleBinding prometheus' },
      }],
      fixed: null,
    },
    {
      name: 'nodes/proxy through "*/proxy" and "*"',
      manifests: clusterRole('broad', [r(['create'], [''], ['*/proxy']), r(['*'], [''], ['*'])]),
      findings: [
        { messageId: 'nodeProxy', path: '/rules/0', data: { verbs: 'create', from: '', grantees: NO_GRANT } },
        { messageId: 'nodeProxy', path: '/rules/1', data: { verbs: '*', from: '', grantees: NO_GRANT } },
      ],
    },
    {
      name: 'the built-in kubelet-api-admin handed to a user',
      manifests: clusterRoleBinding('kubelet-debug', 'system:kubelet-api-admin', [user('alice')]),
      findings: [{
        messageId: 'nodeProxyViaBinding', path: '/roleRef', resource: 'ClusterRoleBinding kubelet-debug',
        data: { binding: 'ClusterRoleBinding kubelet-debug', subjects: 'User alice', verbs: '*', scope: 'in every namespace', role: 'built-in ClusterRole system:kubelet-api-admin' },
      }],
    },
  ],
  notEvaluated: [
    { name: 'a manifest without RBAC objects', manifests: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }, reason: 'no RBAC objects' },
  ],
});
