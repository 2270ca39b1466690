import rule from '../../../src/rules/rbac/restrict-token-creation.js';
import { RuleTester } from '../../rule-tester.js';
import { bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule as r, sa } from '../../builders-rbac.js';

const NO_GRANT = 'no binding in the scanned input grants it';

new RuleTester().run(rule, {
  valid: [
    { name: 'the Kubernetes bootstrap policy as a live cluster stores it', manifests: bootstrapDump() },
    { name: 'EKS\'s own roles and add-ons', manifests: eksDump() },
    { name: 'create on serviceaccounts covers no subresource', manifests: clusterRole('dont-fire', [r(['create', 'get'], [''], ['serviceaccounts'])]) },
    { name: 'a literal serviceaccounts/* is no wildcard', manifests: clusterRole('dont-fire', [r(['create'], [''], ['serviceaccounts/*'])]) },
    { name: 'get on serviceaccounts/token issues nothing', manifests: role('ci', 'dont-fire', [r(['get'], [''], ['serviceaccounts/token'])]) },
  ],
  invalid: [
    {
      name: 'a Role in one namespace, bound to a group',
      manifests: [role('ci', 'token-minter', [r(['create'], [''], ['serviceaccounts/token'])]), roleBinding('ci', 'minters', { kind: 'Role', name: 'token-minter' }, [group('ci-admins')])],
      findings: [{ messageId: 'createTokens', path: '/rules/0', resource: 'Role ci/token-minter', severity: 'high', data: { grants: 'create on serviceaccounts/token', from: '', grantees: 'granted to Group ci-admins via RoleBinding ci/minters' } }],
      fixed: null,
    },
    {
      name: 'through */token, and narrowed to named ServiceAccounts (a subresource request carries the name)',
      manifests: clusterRole('tokens', [r(['create'], [''], ['*/token']), r(['create'], [''], ['serviceaccounts/token'], ['builder'])]),
      findings: [
        { messageId: 'createTokens', path: '/rules/0', data: { grants: 'create on serviceaccounts/token', from: '', grantees: NO_GRANT } },
        { messageId: 'createTokens', path: '/rules/1', data: { grants: 'create on serviceaccounts/token (named builder)', from: '', grantees: NO_GRANT } },
      ],
    },
    {
      name: 'cluster-admin handed to a ServiceAccount',
      manifests: clusterRoleBinding('ci-admin', 'cluster-admin', [sa('runner', 'ci')]),
      findings: [{ messageId: 'createTokensViaBinding', path: '/roleRef', data: { binding: 'ClusterRoleBinding ci-admin', subjects: 'ServiceAccount ci/runner', grants: 'create on serviceaccounts/token', scope: 'in every namespace', role: 'built-in ClusterRole cluster-admin' } }],
    },
  ],
});
