import rule from '../../../src/rules/rbac/no-cluster-admin-bindings.js';
import { RuleTester } from '../../rule-tester.js';
import { RBAC_GROUP, bootstrapDump, clusterRoleBinding, eksDump, group, role, roleBinding, rule as r, sa, user } from '../../builders-rbac.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the built-in cluster-admin binding of system:masters, and the rest of the bootstrap policy', manifests: bootstrapDump() },
    { name: 'EKS\'s own cluster-admin binding of its add-on manager', manifests: eksDump() },
    { name: 'a namespaced Role that happens to be called cluster-admin', manifests: [role('team-a', 'cluster-admin', [r(['get'], [''], ['pods'])]), roleBinding('team-a', 'dont-fire', { kind: 'Role', name: 'cluster-admin' }, [group('devs')])] },
    { name: 'the built-in admin in one namespace', manifests: roleBinding('team-a', 'dont-fire', { kind: 'ClusterRole', name: 'admin' }, [group('devs')]) },
    { name: 'a cluster-admin binding without subjects grants nothing', manifests: clusterRoleBinding('dont-fire', 'cluster-admin', undefined) },
    { name: 'a ClusterRoleBinding ServiceAccount subject without a namespace matches nobody', manifests: clusterRoleBinding('dont-fire', 'cluster-admin', [sa('tiller')]) },
    {
      name: 'odd input: a binding of another API group, subjects that are not a list, a roleRef without a name',
      manifests: [
        { apiVersion: 'example.com/v1', kind: 'ClusterRoleBinding', metadata: { name: 'x' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [group('devs')] },
        { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'y' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: 'devs' },
        { apiVersion: `${RBAC_GROUP}/v1`, kind: 'RoleBinding', metadata: { name: 'z', namespace: 'a' }, roleRef: { kind: 'ClusterRole' }, subjects: [null, 3, group('devs')] },
      ],
    },
  ],
  invalid: [
    {
      name: 'cluster-admin handed to a group and a ServiceAccount cluster-wide',
      manifests: clusterRoleBinding('devs-admin', 'cluster-admin', [group('devs'), sa('argocd-application-controller', 'argocd')]),
      findings: [
        { messageId: 'clusterAdmin', path: '/subjects/0', resource: 'ClusterRoleBinding devs-admin', severity: 'high', data: { binding: 'ClusterRoleBinding devs-admin', subject: 'Group devs', scope: 'across the whole cluster' } },
        { messageId: 'clusterAdmin', path: '/subjects/1', data: { binding: 'ClusterRoleBinding devs-admin', subject: 'ServiceAccount argocd/argocd-application-controller', scope: 'across the whole cluster' } },
      ],
      fixed: null,
    },
    {
      name: 'cluster-admin through a RoleBinding, to a ServiceAccount named without its namespace',
      manifests: roleBinding('ci', 'runner-admin', { kind: 'ClusterRole', name: 'cluster-admin' }, [sa('runner')]),
      findings: [{ messageId: 'clusterAdmin', path: '/subjects/0', resource: 'RoleBinding ci/runner-admin', data: { binding: 'RoleBinding ci/runner-admin', subject: 'ServiceAccount ci/runner', scope: 'in namespace ci' } }],
    },
    {
      name: 'a subject added to the built-in cluster-admin binding',
      manifests: clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters'), user('alice')]),
      findings: [{ messageId: 'clusterAdmin', path: '/subjects/1', data: { binding: 'ClusterRoleBinding cluster-admin', subject: 'User alice', scope: 'across the whole cluster' } }],
    },
    {
      name: 'a binding naming system:masters',
      manifests: [clusterRoleBinding('masters-view', 'view', [group('system:masters')]), clusterRoleBinding('masters-admin', 'cluster-admin', [group('system:masters')])],
      findings: [
        { messageId: 'systemMasters', path: '/subjects/0', resource: 'ClusterRoleBinding masters-view', data: { binding: 'ClusterRoleBinding masters-view', role: 'view' } },
        { messageId: 'systemMasters', path: '/subjects/0', resource: 'ClusterRoleBinding masters-admin', data: { binding: 'ClusterRoleBinding masters-admin', role: 'cluster-admin' } },
      ],
    },
    {
      name: 'an eks: binding that also names someone else',
      manifests: clusterRoleBinding('eks:addon-cluster-admin', 'cluster-admin', [user('eks:addon-manager'), user('eks-admin')]),
      findings: [{ messageId: 'clusterAdmin', path: '/subjects/1', data: { binding: 'ClusterRoleBinding eks:addon-cluster-admin', subject: 'User eks-admin', scope: 'across the whole cluster' } }],
    },
    {
      name: 'an eks:-named user in a binding of the user\'s making',
      manifests: clusterRoleBinding('mapped-admins', 'cluster-admin', [group('eks:admins')]),
      findings: [{ messageId: 'clusterAdmin', path: '/subjects/0', data: { binding: 'ClusterRoleBinding mapped-admins', subject: 'Group eks:admins', scope: 'across the whole cluster' } }],
    },
  ],
  notEvaluated: [
    { name: 'roles without bindings', manifests: role('a', 'b', [r(['get'], [''], ['pods'])]), reason: 'no RoleBindings or ClusterRoleBindings in the input' },
  ],
});
