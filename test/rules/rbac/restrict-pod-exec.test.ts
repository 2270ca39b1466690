import rule from '../../../src/rules/rbac/restrict-pod-exec.js';
import { RuleTester } from '../../rule-tester.js';
import { bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule as r, user } from '../../builders-rbac.js';

const NO_GRANT = 'no binding in the scanned input grants it';

new RuleTester().run(rule, {
  valid: [
    { name: 'the Kubernetes bootstrap policy as a live cluster stores it', manifests: bootstrapDump() },
    { name: 'EKS\'s own roles and add-ons', manifests: eksDump() },
    { name: 'get on pods/exec, and logs', manifests: role('ops', 'dont-fire', [r(['get'], [''], ['pods/exec', 'pods/log'])]) },
    { name: 'every verb on pods does not cover their subresources', manifests: clusterRole('dont-fire', [r(['*'], [''], ['pods'])]) },
    { name: 'a literal pods/* matches no subresource', manifests: clusterRole('dont-fire', [r(['create'], [''], ['pods/*'])]) },
    { name: 'pods/exec of another API group', manifests: clusterRole('dont-fire', [r(['create'], ['example.com'], ['pods/exec'])]) },
    { name: 'the built-in view handed out', manifests: roleBinding('ops', 'dont-fire', { kind: 'ClusterRole', name: 'view' }, [group('ops')]) },
  ],
  invalid: [
    {
      name: 'create on pods/exec in a Role',
      manifests: [role('ops', 'debug', [r(['get', 'list'], [''], ['pods']), r(['create'], [''], ['pods/exec'])]), roleBinding('ops', 'debug', { kind: 'Role', name: 'debug' }, [group('oncall')])],
      findings: [{ messageId: 'podExec', path: '/rules/1', resource: 'Role ops/debug', severity: 'medium', data: { subresources: 'pods/exec', from: '', grantees: 'granted to Group oncall via RoleBinding ops/debug' } }],
      fixed: null,
    },
    {
      name: 'exec through "*/exec", "*" and named pods',
      manifests: clusterRole('debugger', [r(['create'], [''], ['*/exec']), r(['*'], ['*'], ['*']), r(['create'], [''], ['pods/attach'], ['toolbox-0'])]),
      findings: [
        { messageId: 'podExec', path: '/rules/0', data: { subresources: 'pods/exec', from: '', grantees: NO_GRANT } },
        { messageId: 'podExec', path: '/rules/1', data: { subresources: 'pods/exec and pods/attach', from: '', grantees: NO_GRANT } },
        { messageId: 'podExec', path: '/rules/2', data: { subresources: 'pods/attach (pods named toolbox-0)', from: '', grantees: NO_GRANT } },
      ],
    },
    {
      name: 'the built-in admin handed to a user cluster-wide',
      manifests: clusterRoleBinding('alice', 'admin', [user('alice')]),
      findings: [{
        messageId: 'podExecViaBinding', path: '/roleRef', resource: 'ClusterRoleBinding alice',
        data: { binding: 'ClusterRoleBinding alice', subjects: 'User alice', subresources: 'pods/exec and pods/attach', scope: 'in every namespace', role: 'built-in ClusterRole admin' },
      }],
    },
    {
      name: 'a component aggregated into edit, found in a dump',
      manifests: [
        ...bootstrapDump(),
        clusterRole('debug-edit', [r(['create'], [''], ['pods/attach'])], { labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }),
      ],
      findings: [{ messageId: 'podExec', path: '/rules/0', resource: 'ClusterRole debug-edit', data: { subresources: 'pods/attach', from: '', grantees: NO_GRANT } }],
    },
  ],
  notEvaluated: [
    { name: 'a manifest without RBAC objects', manifests: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }, reason: 'no RBAC objects' },
  ],
});
