import rule from '../../../src/rules/rbac/no-rbac-escalation-verbs.js';
import { RuleTester } from '../../rule-tester.js';
import { RBAC_GROUP, bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule as r, sa } from '../../builders-rbac.js';

const NO_GRANT = 'no binding in the scanned input grants it';

new RuleTester().run(rule, {
  valid: [
    { name: 'the Kubernetes bootstrap policy as a live cluster stores it', manifests: bootstrapDump() },
    { name: 'EKS\'s own roles and add-ons', manifests: eksDump() },
    { name: 'the verbs on resources where they do nothing', manifests: clusterRole('dont-fire', [r(['bind', 'escalate', 'impersonate'], ['apps'], ['deployments']), r(['impersonate'], [''], ['pods'])]) },
    { name: 'writing bindings without the bind verb', manifests: clusterRole('dont-fire', [r(['create', 'update'], [RBAC_GROUP], ['rolebindings', 'roles'])]) },
    // Escalating a ClusterRole and impersonating a user are cluster-scoped requests, out of a Role's reach.
    { name: 'cluster-scoped targets in a namespaced Role grant nothing', manifests: role('team-a', 'dont-fire', [r(['escalate'], [RBAC_GROUP], ['clusterroles']), r(['impersonate'], [''], ['users', 'groups'])]) },
    { name: 'the built-in view handed out', manifests: roleBinding('team-a', 'dont-fire', { kind: 'ClusterRole', name: 'view' }, [group('auditors')]) },
    { name: 'a binding of cluster-admin that names only system:masters', manifests: clusterRoleBinding('dont-fire', 'cluster-admin', [group('system:masters')]) },
  ],
  invalid: [
    {
      name: 'escalate and bind on ClusterRoles',
      manifests: [clusterRole('rbac-manager', [r(['get', 'escalate', 'bind'], [RBAC_GROUP], ['clusterroles', 'clusterrolebindings'])]), clusterRoleBinding('rbac-manager', 'rbac-manager', [sa('manager', 'tools')])],
      findings: [{
        messageId: 'escalationVerb', path: '/rules/0', resource: 'ClusterRole rbac-manager', severity: 'high',
        data: { verbs: 'escalate on clusterroles; bind on clusterroles', from: '', grantees: 'granted to ServiceAccount tools/manager via ClusterRoleBinding rbac-manager' },
      }],
      fixed: null,
    },
    {
      name: 'bind on Roles and impersonate on ServiceAccounts in a namespaced Role',
      manifests: role('team-a', 'deployer', [r(['bind'], [RBAC_GROUP], ['roles']), r(['impersonate'], [''], ['serviceaccounts', 'users'])]),
      findings: [
        { messageId: 'escalationVerb', path: '/rules/0', data: { verbs: 'bind on roles', from: '', grantees: NO_GRANT } },
        { messageId: 'escalationVerb', path: '/rules/1', data: { verbs: 'impersonate on serviceaccounts', from: '', grantees: NO_GRANT } },
      ],
    },
    {
      // The API server checks bind in the namespace of the RoleBinding being created, so a Role may
      // grant it on ClusterRoles: its holders bind any ClusterRole, cluster-admin included, there.
      name: 'bind on ClusterRoles in a namespaced Role, by name and through *',
      manifests: [
        role('team-a', 'binder', [r(['bind'], [RBAC_GROUP], ['clusterroles']), r(['*'], ['*'], ['clusterroles'])]),
        roleBinding('team-a', 'binder', { kind: 'Role', name: 'binder' }, [group('leads')]),
      ],
      findings: [
        { messageId: 'escalationVerb', path: '/rules/0', resource: 'Role team-a/binder', data: { verbs: 'bind on clusterroles', from: '', grantees: 'granted to Group leads via RoleBinding team-a/binder' } },
        { messageId: 'escalationVerb', path: '/rules/1', resource: 'Role team-a/binder', data: { verbs: 'bind on clusterroles', from: '', grantees: 'granted to Group leads via RoleBinding team-a/binder' } },
      ],
    },
    {
      name: 'impersonation of users, groups, UIDs and user extras',
      manifests: clusterRole('impersonator', [r(['impersonate'], [''], ['users', 'groups']), r(['impersonate'], ['authentication.k8s.io'], ['userextras/scopes', 'uids'])]),
      findings: [
        { messageId: 'escalationVerb', path: '/rules/0', data: { verbs: 'impersonate on users and groups', from: '', grantees: NO_GRANT } },
        { messageId: 'escalationVerb', path: '/rules/1', data: { verbs: 'impersonate on uids and userextras', from: '', grantees: NO_GRANT } },
      ],
    },
    {
      name: 'wildcard verbs on RBAC resources, and bind narrowed by resourceNames',
      manifests: clusterRole('rbac-admin', [r(['*'], [RBAC_GROUP], ['*']), r(['bind'], [RBAC_GROUP], ['clusterroles'], ['view'])]),
      findings: [
        { messageId: 'escalationVerb', path: '/rules/0', data: { verbs: 'escalate on roles and clusterroles; bind on roles and clusterroles', from: '', grantees: NO_GRANT } },
        { messageId: 'escalationVerb', path: '/rules/1', data: { verbs: 'bind on clusterroles named view', from: '', grantees: NO_GRANT } },
      ],
    },
    {
      name: 'the built-in edit handed out (it impersonates ServiceAccounts)',
      manifests: roleBinding('team-a', 'devs', { kind: 'ClusterRole', name: 'edit' }, [group('team-a-devs'), sa('ci')]),
      findings: [{
        messageId: 'escalationVerbViaBinding', path: '/roleRef', resource: 'RoleBinding team-a/devs',
        data: { binding: 'RoleBinding team-a/devs', subjects: 'Group team-a-devs and ServiceAccount team-a/ci', verbs: 'impersonate on serviceaccounts', scope: 'in namespace team-a', role: 'built-in ClusterRole edit' },
      }],
    },
    {
      name: 'the aggregation controller\'s role bound to a user\'s ServiceAccount',
      manifests: clusterRoleBinding('aggregator', 'system:controller:clusterrole-aggregation-controller', [sa('mine', 'tools')]),
      findings: [{
        messageId: 'escalationVerbViaBinding', path: '/roleRef',
        data: { binding: 'ClusterRoleBinding aggregator', subjects: 'ServiceAccount tools/mine', verbs: 'escalate on clusterroles', scope: 'in every namespace', role: 'built-in ClusterRole system:controller:clusterrole-aggregation-controller' },
      }],
    },
  ],
  notEvaluated: [
    { name: 'a manifest without RBAC objects', manifests: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x', namespace: 'default' } }, reason: 'no RBAC objects' },
  ],
});
