import rule from '../../../src/rules/rbac/no-anonymous-access.js';
import { RuleTester } from '../../rule-tester.js';
import { bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule as r, urlRule, user } from '../../builders-rbac.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the built-in system:public-info-viewer binding and the rest of the bootstrap policy', manifests: bootstrapDump() },
    { name: 'EKS\'s own bindings', manifests: eksDump() },
    { name: 'bindings to authenticated users', manifests: clusterRoleBinding('dont-fire', 'view', [group('system:authenticated')]) },
    { name: 'system:public-info-viewer handed to anonymous requests again, as shipped', manifests: clusterRoleBinding('dont-fire', 'system:public-info-viewer', [group('system:unauthenticated')]) },
    { name: 'spellings no request carries: a Group named system:anonymous, a User named system:unauthenticated', manifests: clusterRoleBinding('dont-fire', 'view', [group('system:anonymous'), user('system:unauthenticated')]) },
  ],
  invalid: [
    {
      name: 'discovery still open to unauthenticated requests (a pre-1.14 leftover)',
      manifests: clusterRoleBinding('system:discovery', 'system:discovery', [group('system:authenticated'), group('system:unauthenticated')]),
      findings: [{
        messageId: 'anonymousAccess', path: '/subjects/1', resource: 'ClusterRoleBinding system:discovery', severity: 'critical',
        data: { binding: 'ClusterRoleBinding system:discovery', role: 'ClusterRole system:discovery', subject: 'Group system:unauthenticated', scope: 'cluster-wide' },
      }],
      fixed: null,
    },
    {
      name: 'view handed to the anonymous user in one namespace',
      manifests: roleBinding('public', 'anyone', { kind: 'ClusterRole', name: 'view' }, [user('system:anonymous')]),
      findings: [{ messageId: 'anonymousAccess', path: '/subjects/0', data: { binding: 'RoleBinding public/anyone', role: 'ClusterRole view', subject: 'User system:anonymous', scope: 'in namespace public' } }],
    },
    {
      name: 'a role missing from the input',
      manifests: roleBinding('public', 'anyone', { kind: 'Role', name: 'reader' }, [group('system:unauthenticated')]),
      findings: [{ messageId: 'anonymousAccess', path: '/subjects/0', data: { binding: 'RoleBinding public/anyone', role: 'Role reader (not in the scanned input)', subject: 'Group system:unauthenticated', scope: 'in namespace public' } }],
    },
    {
      name: 'the built-in public-info binding once its role gained rules',
      manifests: [
        clusterRole('system:public-info-viewer', [urlRule(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/']), r(['get', 'list'], [''], ['pods'])]),
        clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
      ],
      findings: [{ messageId: 'anonymousAccess', path: '/subjects/1', data: { binding: 'ClusterRoleBinding system:public-info-viewer', role: 'ClusterRole system:public-info-viewer', subject: 'Group system:unauthenticated', scope: 'cluster-wide' } }],
    },
  ],
  notEvaluated: [
    { name: 'roles without bindings', manifests: role('a', 'b', [r(['get'], [''], ['pods'])]), reason: 'no RoleBindings or ClusterRoleBindings in the input' },
  ],
});
