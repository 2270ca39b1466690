import rule from '../../../src/rules/rbac/restrict-secret-access.js';
import { RuleTester } from '../../rule-tester.js';
import { bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule as r, sa, user } from '../../builders-rbac.js';

const NO_GRANT = 'no binding in the scanned input grants it';

new RuleTester().run(rule, {
  valid: [
    { name: 'the Kubernetes bootstrap policy as a live cluster stores it', manifests: bootstrapDump() },
    { name: 'EKS\'s own roles and add-ons', manifests: eksDump() },
    { name: 'reads narrowed to named Secrets', manifests: [role('app', 'dont-fire', [r(['get', 'watch'], [''], ['secrets'], ['app-tls', 'db'])]), roleBinding('app', 'dont-fire', { kind: 'Role', name: 'dont-fire' }, [sa('app')])] },
    { name: 'writes without reads', manifests: clusterRole('dont-fire', [r(['create', 'update', 'patch', 'delete'], [''], ['secrets'])]) },
    { name: 'secrets of another API group', manifests: clusterRole('dont-fire', [r(['get', 'list'], ['example.com'], ['secrets'])]) },
    { name: 'a subresource of secrets is not secrets', manifests: clusterRole('dont-fire', [r(['get'], [''], ['secrets/status', 'configmaps'])]) },
    { name: 'the built-in view bound cluster-wide', manifests: clusterRoleBinding('dont-fire', 'view', [group('auditors')]) },
    { name: 'a binding of a built-in role that only names system:masters', manifests: clusterRoleBinding('dont-fire', 'cluster-admin', [group('system:masters')]) },
    { name: 'a binding of a role missing from the input grants nothing', manifests: roleBinding('app', 'dont-fire', { kind: 'Role', name: 'missing' }, [sa('app')]) },
  ],
  invalid: [
    {
      name: 'the EBS CSI snapshotter role handed to a ServiceAccount the add-on does not bind',
      manifests: [...eksDump(), clusterRoleBinding('backup-reads-secrets', 'ebs-external-snapshotter-role', [sa('velero', 'backup')])],
      findings: [{
        messageId: 'secretAccess', path: '/rules/1', resource: 'ClusterRole ebs-external-snapshotter-role', severity: 'high',
        data: { verbs: 'get and list', scope: 'in every namespace', from: '', grantees: 'granted to ServiceAccount kube-system/ebs-csi-controller-sa via ClusterRoleBinding ebs-csi-snapshotter-binding; ServiceAccount backup/velero via ClusterRoleBinding backup-reads-secrets' },
      }],
    },
    {
      name: 'a rule added to the EBS CSI snapshotter role beyond what the add-on ships',
      manifests: [
        clusterRole('ebs-external-snapshotter-role', [r(['get', 'list'], [''], ['secrets']), r(['watch'], [''], ['secrets'])]),
        clusterRoleBinding('ebs-csi-snapshotter-binding', 'ebs-external-snapshotter-role', [sa('ebs-csi-controller-sa', 'kube-system')]),
      ],
      findings: [{ messageId: 'secretAccess', path: '/rules/1', resource: 'ClusterRole ebs-external-snapshotter-role', data: { verbs: 'watch', scope: 'in every namespace', from: '', grantees: 'granted to ServiceAccount kube-system/ebs-csi-controller-sa via ClusterRoleBinding ebs-csi-snapshotter-binding' } }],
    },
    {
      name: 'a look-alike of the EBS CSI snapshotter role under another name',
      manifests: [
        clusterRole('ebs-external-snapshotter-role-copy', [r(['get', 'list'], [''], ['secrets'])]),
        clusterRoleBinding('ebs-csi-snapshotter-binding', 'ebs-external-snapshotter-role-copy', [sa('ebs-csi-controller-sa', 'kube-system')]),
      ],
      findings: [{ messageId: 'secretAccess', path: '/rules/0', resource: 'ClusterRole ebs-external-snapshotter-role-copy' }],
    },
    {
      name: 'a ClusterRole that lists Secrets, bound cluster-wide',
      manifests: [clusterRole('secret-reader', [r(['get', 'list'], [''], ['secrets'])]), clusterRoleBinding('secret-reader', 'secret-reader', [sa('ci', 'ci'), user('alice')])],
      findings: [{
        messageId: 'secretAccess', path: '/rules/0', resource: 'ClusterRole secret-reader', severity: 'high',
        data: { verbs: 'get and list', scope: 'in every namespace', from: '', grantees: 'granted to ServiceAccount ci/ci via ClusterRoleBinding secret-reader; User alice via ClusterRoleBinding secret-reader' },
      }],
      fixed: null,
    },
    {
      name: 'a Role that watches Secrets in its namespace',
      manifests: [role('team-a', 'watcher', [r(['get'], [''], ['configmaps']), r(['watch'], ['', 'apps'], ['secrets'])]), roleBinding('team-a', 'watcher', { kind: 'Role', name: 'watcher' }, [sa('operator')])],
      findings: [{
        messageId: 'secretAccess', path: '/rules/1', resource: 'Role team-a/watcher', severity: 'medium',
        data: { verbs: 'watch', scope: 'in namespace team-a', from: '', grantees: 'granted to ServiceAccount team-a/operator via RoleBinding team-a/watcher' },
      }],
    },
    {
      name: 'a ClusterRole bound only by RoleBindings, and one not bound at all',
      manifests: [
        clusterRole('per-namespace', [r(['*'], [''], ['secrets'])]), roleBinding('team-b', 'reader', { kind: 'ClusterRole', name: 'per-namespace' }, [group('team-b')]),
        clusterRole('unbound', [r(['get', 'list', 'watch'], ['*'], ['*'])]),
      ],
      findings: [
        { messageId: 'secretAccess', path: '/rules/0', resource: 'ClusterRole per-namespace', severity: 'medium', data: { verbs: 'get, list and watch', scope: 'in the namespaces it is bound in', from: '', grantees: 'granted to Group team-b via RoleBinding team-b/reader' } },
        { messageId: 'secretAccess', path: '/rules/0', resource: 'ClusterRole unbound', severity: 'medium', data: { verbs: 'get, list and watch', scope: 'in the namespaces it is bound in', from: '', grantees: NO_GRANT } },
      ],
    },
    {
      name: 'in kube-system, as cluster-wide: a Role there, a ClusterRole bound there, the built-in edit handed out there (high, as rbac risky rates secrets-read)',
      manifests: [
        role('kube-system', 'reader', [r(['get'], [''], ['secrets'])]),
        clusterRole('per-namespace', [r(['list'], [''], ['secrets'])]), roleBinding('kube-system', 'reader', { kind: 'ClusterRole', name: 'per-namespace' }, [group('ops')]),
        roleBinding('kube-system', 'ops-edit', { kind: 'ClusterRole', name: 'edit' }, [group('ops')]),
      ],
      findings: [
        { messageId: 'secretAccess', path: '/rules/0', resource: 'Role kube-system/reader', severity: 'high', data: { verbs: 'get', scope: 'in namespace kube-system', from: '', grantees: NO_GRANT } },
        { messageId: 'secretAccess', path: '/rules/0', resource: 'ClusterRole per-namespace', severity: 'high', data: { verbs: 'list', scope: 'in the namespaces it is bound in', from: '', grantees: 'granted to Group ops via RoleBinding kube-system/reader' } },
        {
          messageId: 'secretAccessViaBinding', path: '/roleRef', resource: 'RoleBinding kube-system/ops-edit', severity: 'high',
          data: { binding: 'RoleBinding kube-system/ops-edit', subjects: 'Group ops', verbs: 'get, list and watch', scope: 'in namespace kube-system', role: 'built-in ClusterRole edit' },
        },
      ],
    },
    {
      name: 'the built-in edit handed to a team in its namespace, and cluster-admin to a user cluster-wide',
      manifests: [roleBinding('team-a', 'devs', { kind: 'ClusterRole', name: 'edit' }, [group('team-a-devs')]), clusterRoleBinding('alice-admin', 'cluster-admin', [user('alice'), group('system:masters')])],
      findings: [
        {
          messageId: 'secretAccessViaBinding', path: '/roleRef', resource: 'RoleBinding team-a/devs', severity: 'medium',
          data: { binding: 'RoleBinding team-a/devs', subjects: 'Group team-a-devs', verbs: 'get, list and watch', scope: 'in namespace team-a', role: 'built-in ClusterRole edit' },
        },
        {
          messageId: 'secretAccessViaBinding', path: '/roleRef', resource: 'ClusterRoleBinding alice-admin', severity: 'high',
          data: { binding: 'ClusterRoleBinding alice-admin', subjects: 'User alice', verbs: 'get, list and watch', scope: 'in every namespace', role: 'built-in ClusterRole cluster-admin' },
        },
      ],
    },
    {
      name: 'a subject added to a built-in controller binding',
      manifests: clusterRoleBinding('system:controller:namespace-controller', 'system:controller:namespace-controller', [sa('namespace-controller', 'kube-system'), sa('intruder', 'default')]),
      findings: [{
        messageId: 'secretAccessViaBinding', path: '/roleRef', severity: 'high',
        data: { binding: 'ClusterRoleBinding system:controller:namespace-controller', subjects: 'ServiceAccount default/intruder', verbs: 'get, list and watch', scope: 'in every namespace', role: 'built-in ClusterRole system:controller:namespace-controller' },
      }],
    },
    {
      name: 'the built-in view gained Secret reads',
      manifests: [
        ...bootstrapDump().map((o) => ((o.metadata as { name: string }).name === 'view' && o.kind === 'ClusterRole' ? { ...o, rules: [...(o.rules as unknown[]), r(['get'], [''], ['secrets'])] } : o)),
        clusterRoleBinding('auditors', 'view', [group('auditors')]),
      ],
      findings: [{ messageId: 'secretAccess', path: '/rules/10', resource: 'ClusterRole view', severity: 'high', data: { verbs: 'get', scope: 'in every namespace', from: '', grantees: 'granted to Group auditors via ClusterRoleBinding auditors' } }],
    },
    {
      name: 'a component aggregated into the built-in view, held cluster-wide through it',
      manifests: [
        clusterRole('secrets-view', [r(['list'], [''], ['secrets'])], { labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }),
        clusterRoleBinding('auditors', 'view', [group('auditors')]),
      ],
      findings: [{
        messageId: 'secretAccess', path: '/rules/0', resource: 'ClusterRole secrets-view', severity: 'high',
        data: { verbs: 'list', scope: 'in every namespace', from: '', grantees: 'granted to Group auditors via ClusterRoleBinding auditors (through ClusterRole view)' },
      }],
    },
    {
      name: 'a custom ClusterRole aggregating the built-in edit components',
      manifests: [clusterRole('my-edit', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }] } })],
      findings: [{
        messageId: 'secretAccess', path: '/aggregationRule/clusterRoleSelectors/0', resource: 'ClusterRole my-edit', severity: 'medium',
        data: { verbs: 'get, list and watch', scope: 'in the namespaces it is bound in', from: ' (aggregated from ClusterRole system:aggregate-to-edit)', grantees: NO_GRANT },
      }],
    },
  ],
  notEvaluated: [
    { name: 'a manifest without RBAC objects', manifests: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'default' } }, reason: 'no RBAC objects' },
  ],
});
