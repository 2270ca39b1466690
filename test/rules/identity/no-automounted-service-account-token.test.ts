import rule from '../../../src/rules/identity/no-automounted-service-account-token.js';
import { HARDENED_POD_SPEC, RuleTester, cronJob, daemonSet, deployment, job, pod, serviceAccount, statefulSet } from '../../rule-tester.js';

type Json = Record<string, unknown>;

function roleBinding(namespace: string, subjects: readonly Json[], role = 'app-reader'): Json {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'app', namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role }, subjects };
}

function clusterRoleBinding(subjects: readonly Json[], role = 'view', name = 'app'): Json {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects };
}

const saSubject = (name: string, namespace?: string): Json => ({ kind: 'ServiceAccount', name, ...(namespace !== undefined ? { namespace } : {}) });
const app = (extra: Json = {}) => ({ serviceAccountName: 'app', ...extra });
const UNSET = 'automountServiceAccountToken is unset on the pod and on the ServiceAccount, and defaults to true';
const UNKNOWN = 'automountServiceAccountToken is unset on the pod, and the ServiceAccount is not in the scanned input; it defaults to true';

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: [serviceAccount('app'), deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC })] },
    { name: 'the ServiceAccount disables automount', manifests: [serviceAccount('app', 'default', { automountServiceAccountToken: false }), pod({ name: 'dont-fire', podSpec: app() })] },
    { name: 'bound by a RoleBinding whose subject omits the namespace', manifests: [serviceAccount('app'), roleBinding('default', [saSubject('app')]), statefulSet({ name: 'dont-fire', podSpec: app() })] },
    { name: 'bound by a ClusterRoleBinding', manifests: [clusterRoleBinding([saSubject('app', 'team-a')]), daemonSet({ name: 'dont-fire', namespace: 'team-a', podSpec: app() })] },
    { name: 'bound in another namespace by a RoleBinding there', manifests: [roleBinding('other', [saSubject('app', 'team-a')]), job({ name: 'dont-fire', namespace: 'team-a', podSpec: app() })] },
    { name: 'bound through its username', manifests: [clusterRoleBinding([{ kind: 'User', name: 'system:serviceaccount:default:app', apiGroup: 'rbac.authorization.k8s.io' }]), cronJob({ name: 'dont-fire', podSpec: app() })] },
    { name: 'bound through the group of its namespace', manifests: [roleBinding('default', [{ kind: 'Group', name: 'system:serviceaccounts:default' }]), deployment({ name: 'dont-fire', podSpec: app() })] },
    { name: 'bound through system:authenticated to a custom role', manifests: [clusterRoleBinding([{ kind: 'Group', name: 'system:authenticated' }], 'read-config'), deployment({ name: 'dont-fire', podSpec: app() })] },
    { name: 'a default ServiceAccount that disables automount', manifests: serviceAccount('default', 'default', { automountServiceAccountToken: false }) },
    // A node agent's DaemonSet scanned without its RBAC (calico-node, falco), or a `kubectl get pods` dump: nothing to judge by.
    { name: 'a named ServiceAccount the input holds nothing about, and no bindings at all', manifests: [daemonSet({ name: 'dont-fire', namespace: 'calico-system', podSpec: { serviceAccountName: 'calico-node' } })] },
    // kube-prometheus keeps one object per file: the operator's Deployment asks for its token, its RBAC is elsewhere.
    { name: 'a pod that asks for its token, with neither its ServiceAccount nor any binding in the input', manifests: [deployment({ name: 'dont-fire', namespace: 'monitoring', podSpec: { serviceAccountName: 'operator', automountServiceAccountToken: true } })] },
    { name: 'pod false wins over ServiceAccount true', manifests: [serviceAccount('app', 'default', { automountServiceAccountToken: true }), pod({ name: 'dont-fire', podSpec: app({ automountServiceAccountToken: false }) })] },
  ],
  invalid: [
    {
      name: 'token mounted by default for a ServiceAccount the input lacks, beside bindings for others',
      manifests: [pod({ podSpec: app() }), clusterRoleBinding([saSubject('other', 'default')])],
      findings: [{
        messageId: 'unusedToken', path: '/spec/automountServiceAccountToken', data: { serviceAccount: 'app', reason: UNKNOWN }, resource: 'Pod default/app',
        suggestions: [{ messageId: 'disableOnPod', output: pod({ podSpec: app({ automountServiceAccountToken: false }) }) }],
      }],
      fixed: null,
    },
    {
      name: 'the default ServiceAccount, absent from an input without any bindings',
      manifests: deployment({ podSpec: {} }),
      findings: [{ messageId: 'unusedToken', path: '/spec/template/spec/automountServiceAccountToken', data: { serviceAccount: 'default', reason: UNKNOWN }, suggestions: [{ messageId: 'disableOnPod' }] }],
    },
    {
      name: 'a chart that ships its ServiceAccount and no RBAC',
      manifests: [serviceAccount('app'), deployment({ podSpec: app() })],
      findings: [{ messageId: 'unusedToken', path: '/spec/template/spec/automountServiceAccountToken', data: { serviceAccount: 'app', reason: UNSET }, suggestions: [{ messageId: 'disableOnPod' }] }],
    },
    {
      name: 'pod true wins over ServiceAccount false',
      manifests: [serviceAccount('app', 'default', { automountServiceAccountToken: false }), deployment({ podSpec: app({ automountServiceAccountToken: true }) })],
      findings: [{
        messageId: 'unusedToken', path: '/spec/template/spec/automountServiceAccountToken',
        data: { serviceAccount: 'app', reason: 'the pod sets automountServiceAccountToken: true' }, suggestions: [{ messageId: 'disableExplicitOnPod' }],
      }],
    },
    {
      name: 'the ServiceAccount enables it on a CronJob',
      manifests: [serviceAccount('app', 'default', { automountServiceAccountToken: true }), cronJob({ podSpec: app() })],
      findings: [{
        messageId: 'unusedToken', path: '/spec/jobTemplate/spec/template/spec/automountServiceAccountToken',
        data: { serviceAccount: 'app', reason: 'the ServiceAccount sets automountServiceAccountToken: true' }, suggestions: [{ messageId: 'disableOnPod' }],
      }],
    },
    {
      name: 'bindings for other subjects do not count',
      manifests: [
        roleBinding('other', [saSubject('app')]),
        clusterRoleBinding([saSubject('app')]),
        clusterRoleBinding([{ kind: 'Group', name: 'system:serviceaccounts:other' }, { kind: 'User', name: 'system:serviceaccount:other:app' }, { kind: 'User', name: 'app' }], 'view', 'others'),
        clusterRoleBinding([{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:serviceaccounts' }], 'system:discovery', 'system:discovery'),
        statefulSet({ podSpec: app() }),
      ],
      findings: [{ messageId: 'unusedToken', path: '/spec/template/spec/automountServiceAccountToken', data: { serviceAccount: 'app', reason: UNKNOWN }, suggestions: [{ messageId: 'disableOnPod' }] }],
    },
    {
      name: 'a default ServiceAccount that does not disable automount, and a pod running as it',
      manifests: [serviceAccount('default', 'team-a'), job({ namespace: 'team-a' })],
      findings: [
        { messageId: 'defaultAutomounts', path: '/automountServiceAccountToken', data: { namespace: 'team-a' }, resource: 'ServiceAccount team-a/default',
          suggestions: [{ messageId: 'disableOnServiceAccount', output: serviceAccount('default', 'team-a', { automountServiceAccountToken: false }) }] },
        { messageId: 'unusedToken', path: '/spec/template/spec/automountServiceAccountToken', data: { serviceAccount: 'default', reason: UNSET }, resource: 'Job team-a/app',
          suggestions: [{ messageId: 'disableOnPod' }] },
      ],
    },
    {
      name: 'a default ServiceAccount that explicitly automounts',
      manifests: serviceAccount('default', 'team-b', { automountServiceAccountToken: true }),
      findings: [{ messageId: 'defaultAutomounts', path: '/automountServiceAccountToken', data: { namespace: 'team-b' }, suggestions: [{ messageId: 'disableOnServiceAccount' }] }],
    },
    {
      name: 'odd input: a string automount and malformed bindings',
      manifests: [
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'broken', namespace: 'default' }, subjects: 'app' },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'broken' }, subjects: [null, { kind: 'ServiceAccount' }, { kind: 'Group', name: 42 }] },
        daemonSet({ podSpec: app({ automountServiceAccountToken: 'false' }) }),
      ],
      findings: [{ messageId: 'unusedToken', path: '/spec/template/spec/automountServiceAccountToken', data: { serviceAccount: 'app', reason: UNKNOWN }, suggestions: [{ messageId: 'disableOnPod' }] }],
    },
  ],
});
