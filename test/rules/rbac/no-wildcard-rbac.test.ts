import rule from '../../../src/rules/rbac/no-wildcard-rbac.js';
import { RuleTester } from '../../rule-tester.js';
import { RBAC_GROUP, bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule as r, sa, urlRule } from '../../builders-rbac.js';

const NO_GRANT = 'no binding in the scanned input grants it';

new RuleTester().run(rule, {
  valid: [
    { name: 'the Kubernetes bootstrap policy as a live cluster stores it', manifests: bootstrapDump() },
    { name: 'EKS\'s own roles, held only by EKS identities', manifests: eksDump() },
    { name: 'explicit verbs, resources and groups', manifests: [role('ci', 'dont-fire', [r(['get', 'list'], ['apps'], ['deployments'])]), clusterRole('dont-fire', [r(['get'], [''], ['pods', 'pods/log'])])] },
    { name: '"*" in non-resource URLs only', manifests: clusterRole('dont-fire', [urlRule(['get'], ['*', '/healthz/*'])]) },
    { name: 'wildcard groups and resources with only the empty verb: no request matches, nothing is granted', manifests: role('ci', 'dont-fire', [r([''], ['*'], ['*'])]) },
    { name: 'a literal pods/* grants nothing and is not a wildcard', manifests: clusterRole('dont-fire', [r(['get'], [''], ['pods/*'])]) },
    {
      name: 'a ClusterRole of another API group',
      manifests: [{ apiVersion: 'example.com/v1', kind: 'ClusterRole', metadata: { name: 'dont-fire' }, rules: [r(['*'], ['*'], ['*'])] }, clusterRole('reader', [r(['get'], [''], ['pods'])])],
    },
    { name: 'an aggregated ClusterRole whose selector matches nothing', manifests: [clusterRole('dont-fire', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { team: 'x' } }] } })] },
    {
      name: 'odd input: rules that are not lists, null entries, strings for lists',
      manifests: [
        { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: { name: 'a' }, rules: '*' },
        { apiVersion: `${RBAC_GROUP}/v1`, kind: 'Role', metadata: { name: 'b', namespace: 'x' }, rules: [null, 7, { verbs: '*', resources: '*', apiGroups: '*' }] },
        { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: { name: 'c' }, aggregationRule: { clusterRoleSelectors: 'all' } },
        { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: { name: 'd' }, aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'x', operator: 'Bogus' }] }] } },
      ],
    },
  ],
  invalid: [
    {
      name: 'a cluster-admin copy bound to a CI ServiceAccount',
      manifests: [clusterRole('ci-admin', [r(['*'], ['*'], ['*'])]), clusterRoleBinding('ci-admin', 'ci-admin', [sa('runner', 'ci')])],
      findings: [{
        messageId: 'wildcard', path: '/rules/0', resource: 'ClusterRole ci-admin', severity: 'high',
        data: { fields: 'verbs, apiGroups and resources', rule: '* on * in apiGroups *', from: '', grantees: 'granted to ServiceAccount ci/runner via ClusterRoleBinding ci-admin' },
      }],
      fixed: null,
    },
    {
      name: 'a YAML manifest: the finding points at the line of the rule',
      manifests: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: yaml-admin
rules:
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [get]
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
`,
      findings: [{ messageId: 'wildcard', path: '/rules/1', resource: 'ClusterRole yaml-admin', line: 9 }],
    },
    {
      name: 'wildcard verbs in a namespaced Role, one rule of several',
      manifests: [role('team-a', 'app', [r(['get'], [''], ['configmaps']), r(['*'], ['apps'], ['deployments'])]), roleBinding('team-a', 'app', { kind: 'Role', name: 'app' }, [group('team-a-devs')])],
      findings: [{
        messageId: 'wildcard', path: '/rules/1', resource: 'Role team-a/app',
        data: { fields: 'verbs', rule: '* on deployments in apiGroups apps', from: '', grantees: 'granted to Group team-a-devs via RoleBinding team-a/app' },
      }],
    },
    {
      name: 'wildcard resources and API groups, "*" before a subresource included',
      manifests: [clusterRole('scaler', [r(['get', 'update'], ['*'], ['*/scale'])]), clusterRole('reader', [r(['get', 'list'], ['example.com'], ['*'])])],
      findings: [
        { messageId: 'wildcard', path: '/rules/0', resource: 'ClusterRole scaler', data: { fields: 'apiGroups and resources', rule: 'get, update on */scale in apiGroups *', from: '', grantees: NO_GRANT } },
        { messageId: 'wildcard', path: '/rules/0', resource: 'ClusterRole reader', data: { fields: 'resources', rule: 'get, list on * in apiGroups example.com', from: '', grantees: NO_GRANT } },
      ],
    },
    {
      name: 'a built-in ClusterRole that gained a wildcard rule',
      manifests: bootstrapDump().map((o) => ((o.metadata as { name: string }).name === 'view' && o.kind === 'ClusterRole'
        ? { ...o, rules: [...(o.rules as unknown[]), r(['get', 'list'], ['*'], ['*'])] } : o)),
      findings: [{ messageId: 'wildcard', path: '/rules/10', resource: 'ClusterRole view', data: { fields: 'apiGroups and resources', rule: 'get, list on * in apiGroups *', from: '', grantees: NO_GRANT } }],
    },
    {
      name: 'a look-alike of a built-in name is judged',
      manifests: clusterRole('system:controller:backup', [r(['*'], [''], ['*'])]),
      findings: [{ messageId: 'wildcard', path: '/rules/0', resource: 'ClusterRole system:controller:backup' }],
    },
    {
      name: 'an eks: role handed to someone else is judged like a user\'s',
      manifests: [clusterRole('eks:helper', [r(['*'], ['*'], ['*'])]), clusterRoleBinding('helper', 'eks:helper', [sa('helper', 'tools')])],
      findings: [{ messageId: 'wildcard', path: '/rules/0', resource: 'ClusterRole eks:helper', data: { fields: 'verbs, apiGroups and resources', rule: '* on * in apiGroups *', from: '', grantees: 'granted to ServiceAccount tools/helper via ClusterRoleBinding helper' } }],
    },
    {
      name: 'a custom aggregated ClusterRole that picks up the built-in cluster-admin through a label added to it',
      manifests: [
        ...bootstrapDump().map((o) => ((o.metadata as { name: string }).name === 'cluster-admin' && o.kind === 'ClusterRole'
          ? { ...o, metadata: { name: 'cluster-admin', labels: { 'example.com/aggregate-to-ops': 'true' } } } : o)),
        clusterRole('everything', [], { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'example.com/aggregate-to-ops', operator: 'Exists' }] }] } }),
        clusterRoleBinding('everything', 'everything', [group('ops')]),
      ],
      findings: [{
        messageId: 'wildcard', path: '/aggregationRule/clusterRoleSelectors/0', resource: 'ClusterRole everything',
        data: { fields: 'verbs, apiGroups and resources', rule: '* on * in apiGroups *', from: ' (aggregated from ClusterRole cluster-admin)', grantees: 'granted to Group ops via ClusterRoleBinding everything' },
      }, {
        messageId: 'wildcard', path: '/aggregationRule/clusterRoleSelectors/0', resource: 'ClusterRole everything',
        data: { fields: 'verbs', rule: '* on URLs *', from: ' (aggregated from ClusterRole cluster-admin)', grantees: 'granted to Group ops via ClusterRoleBinding everything' },
      }],
    },
    {
      name: 'a wildcard component aggregated into view: reported on the component, naming who gets it through view',
      manifests: [
        clusterRole('crd-viewer', [r(['get', 'list', 'watch'], ['example.com'], ['*'])], { labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }),
        roleBinding('team-a', 'viewers', { kind: 'ClusterRole', name: 'view' }, [group('auditors')]),
      ],
      findings: [{
        messageId: 'wildcard', path: '/rules/0', resource: 'ClusterRole crd-viewer',
        data: { fields: 'resources', rule: 'get, list, watch on * in apiGroups example.com', from: '', grantees: 'granted to Group auditors via RoleBinding team-a/viewers (through ClusterRole view)' },
      }],
    },
    {
      name: 'a dump of a custom aggregated ClusterRole and its wildcard component: reported on the component only',
      manifests: [
        clusterRole('crd-admin', [r(['*'], ['example.com'], ['widgets'])], { labels: { 'example.com/aggregate-to-ops': 'true' } }),
        clusterRole('ops', [r(['*'], ['example.com'], ['widgets'])], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-ops': 'true' } }] } }),
        clusterRoleBinding('ops', 'ops', [group('ops')]),
      ],
      findings: [{
        messageId: 'wildcard', path: '/rules/0', resource: 'ClusterRole crd-admin',
        data: { fields: 'verbs', rule: '* on widgets in apiGroups example.com', from: '', grantees: 'granted to Group ops via ClusterRoleBinding ops (through ClusterRole ops)' },
      }],
    },
  ],
  notEvaluated: [
    { name: 'a chart without RBAC objects', manifests: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } }, reason: 'no Roles or ClusterRoles in the input' },
  ],
});
