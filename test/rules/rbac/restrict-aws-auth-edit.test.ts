import rule from '../../../src/rules/rbac/restrict-aws-auth-edit.js';
import { RuleTester } from '../../rule-tester.js';
import { bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule as r, sa, user } from '../../builders-rbac.js';

const CM = ['configmaps'];

new RuleTester().run(rule, {
  valid: [
    { name: 'the bootstrap policy: controllers that write ConfigMaps, leader election narrowed by name', manifests: bootstrapDump() },
    { name: 'EKS\'s node and Fargate managers, which maintain aws-auth', manifests: eksDump() },
    { name: 'the built-in edit bound outside kube-system', manifests: roleBinding('team-a', 'dont-fire', { kind: 'ClusterRole', name: 'edit' }, [group('devs')]) },
    {
      name: 'ConfigMap writes in kube-system narrowed to other names',
      manifests: [role('kube-system', 'lb-leader', [r(['create'], [''], CM), r(['get', 'update', 'patch'], [''], CM, ['aws-load-balancer-controller-leader'])]),
        roleBinding('kube-system', 'dont-fire', { kind: 'Role', name: 'lb-leader' }, [sa('aws-load-balancer-controller')])],
    },
    { name: 'read-only access to kube-system ConfigMaps', manifests: [clusterRole('cm-reader', [r(['get', 'list', 'watch'], [''], CM)]), clusterRoleBinding('dont-fire', 'cm-reader', [group('auditors')])] },
    { name: 'ConfigMaps of another API group', manifests: [clusterRole('crd', [r(['update'], ['example.com'], CM)]), clusterRoleBinding('dont-fire', 'crd', [group('auditors')])] },
    { name: 'system:masters', manifests: clusterRoleBinding('dont-fire', 'cluster-admin', [group('system:masters')]) },
    {
      name: 'an approved administrators group',
      manifests: clusterRoleBinding('dont-fire', 'cluster-admin', [group('platform-admins'), sa('gitops', 'flux-system')]),
      options: { approvedSubjects: [{ kind: 'Group', name: 'platform-admins' }, { kind: 'ServiceAccount', name: 'gitops', namespace: 'flux-system' }] },
    },
    { name: 'a binding whose role is missing grants nothing', manifests: roleBinding('kube-system', 'dont-fire', { kind: 'Role', name: 'missing' }, [group('devs')]) },
  ],
  invalid: [
    {
      name: 'the built-in edit bound in kube-system',
      manifests: roleBinding('kube-system', 'ops-edit', { kind: 'ClusterRole', name: 'edit' }, [group('ops'), sa('deployer')]),
      findings: [
        { messageId: 'awsAuthEdit', path: '/subjects/0', resource: 'RoleBinding kube-system/ops-edit', severity: 'high', data: { subject: 'Group ops', verbs: 'update and patch', binding: 'RoleBinding kube-system/ops-edit', role: 'built-in ClusterRole edit' } },
        { messageId: 'awsAuthEdit', path: '/subjects/1', data: { subject: 'ServiceAccount kube-system/deployer', verbs: 'update and patch', binding: 'RoleBinding kube-system/ops-edit', role: 'built-in ClusterRole edit' } },
      ],
      fixed: null,
    },
    {
      name: 'patch on every ConfigMap, cluster-wide',
      manifests: [clusterRole('config-syncer', [r(['get', 'patch'], [''], CM)]), clusterRoleBinding('config-syncer', 'config-syncer', [sa('syncer', 'tools')])],
      findings: [{ messageId: 'awsAuthEdit', path: '/subjects/0', data: { subject: 'ServiceAccount tools/syncer', verbs: 'patch', binding: 'ClusterRoleBinding config-syncer', role: 'ClusterRole config-syncer' } }],
    },
    {
      name: 'aws-auth named explicitly, and wildcards',
      manifests: [
        role('kube-system', 'auth-editor', [r(['update'], [''], CM, ['aws-auth', 'coredns'])]),
        roleBinding('kube-system', 'auth-editor', { kind: 'Role', name: 'auth-editor' }, [user('alice')]),
        clusterRole('everything', [r(['*'], ['*'], ['*'])]),
        clusterRoleBinding('everything', 'everything', [user('bob')]),
      ],
      findings: [
        { messageId: 'awsAuthEdit', path: '/subjects/0', resource: 'RoleBinding kube-system/auth-editor', data: { subject: 'User alice', verbs: 'update', binding: 'RoleBinding kube-system/auth-editor', role: 'Role kube-system/auth-editor' } },
        { messageId: 'awsAuthEdit', path: '/subjects/0', resource: 'ClusterRoleBinding everything', data: { subject: 'User bob', verbs: 'update and patch', binding: 'ClusterRoleBinding everything', role: 'ClusterRole everything' } },
      ],
    },
    {
      name: 'a subject added to a built-in controller binding',
      manifests: clusterRoleBinding('system:controller:root-ca-cert-publisher', 'system:controller:root-ca-cert-publisher', [sa('root-ca-cert-publisher', 'kube-system'), sa('intruder', 'default')]),
      findings: [{ messageId: 'awsAuthEdit', path: '/subjects/1', data: { subject: 'ServiceAccount default/intruder', verbs: 'update', binding: 'ClusterRoleBinding system:controller:root-ca-cert-publisher', role: 'built-in ClusterRole system:controller:root-ca-cert-publisher' } }],
    },
    {
      name: 'an approval for a ServiceAccount of another namespace',
      manifests: clusterRoleBinding('gitops-admin', 'cluster-admin', [sa('gitops', 'default')]),
      options: { approvedSubjects: [{ kind: 'ServiceAccount', name: 'gitops', namespace: 'flux-system' }] },
      findings: [{ messageId: 'awsAuthEdit', path: '/subjects/0', data: { subject: 'ServiceAccount default/gitops', verbs: 'update and patch', binding: 'ClusterRoleBinding gitops-admin', role: 'built-in ClusterRole cluster-admin' } }],
    },
    {
      name: 'an EKS role handed to someone else',
      manifests: [...eksDump(), roleBinding('kube-system', 'borrowed', { kind: 'Role', name: 'eks:node-manager' }, [group('node-admins')])],
      findings: [{ messageId: 'awsAuthEdit', path: '/subjects/0', resource: 'RoleBinding kube-system/borrowed', data: { subject: 'Group node-admins', verbs: 'update and patch', binding: 'RoleBinding kube-system/borrowed', role: 'Role kube-system/eks:node-manager' } }],
    },
  ],
  notEvaluated: [
    { name: 'roles without bindings', manifests: role('kube-system', 'b', [r(['update'], [''], CM)]), reason: 'no RoleBindings or ClusterRoleBindings in the input' },
  ],
});
