import rule from '../../../src/rules/identity/no-default-service-account.js';
import { HARDENED_POD_SPEC, RuleTester, cronJob, daemonSet, deployment, job, pod, serviceAccount, statefulSet } from '../../rule-tester.js';
import { bootstrapDump, clusterRoleBinding, eksDump, group, role, roleBinding, rule as r, sa } from '../../builders-rbac.js';

const podReader = role('shop', 'pod-reader', [r(['get'], [''], ['pods'])]);

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'dedicated ServiceAccount on a Pod', manifests: [serviceAccount('web'), pod({ name: 'dont-fire', podSpec: { serviceAccountName: 'web' } })] },
    { name: 'deprecated serviceAccount field names a dedicated one', manifests: statefulSet({ name: 'dont-fire', podSpec: { serviceAccount: 'legacy' } }) },
    { name: 'empty serviceAccountName falls back to the deprecated field', manifests: job({ name: 'dont-fire', podSpec: { serviceAccountName: '', serviceAccount: 'batch' } }) },
    { name: 'a ServiceAccount object named default is not a workload', manifests: serviceAccount('default') },
    { name: 'a binding to a dedicated ServiceAccount', manifests: [podReader, roleBinding('shop', 'dont-fire', { kind: 'Role', name: 'pod-reader' }, [sa('web')])] },
    { name: 'the bootstrap and EKS bindings Kubernetes and EKS create', manifests: [...bootstrapDump(), ...eksDump()] },
    { name: 'API discovery every identity already has', manifests: clusterRoleBinding('dont-fire', 'system:discovery', [sa('default', 'shop')]) },
    { name: 'a ClusterRoleBinding ServiceAccount subject without a namespace matches nobody', manifests: clusterRoleBinding('dont-fire', 'view', [sa('default')]) },
    { name: 'a binding without a valid roleRef grants nothing', manifests: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'dont-fire', namespace: 'shop' }, roleRef: { kind: 'Role' }, subjects: [sa('default')] } },
  ],
  invalid: [
    {
      name: 'a RoleBinding grants a Role to the namespace\'s default ServiceAccount, named without its namespace',
      manifests: [podReader, roleBinding('shop', 'read-pods', { kind: 'Role', name: 'pod-reader' }, [group('devs'), sa('default')])],
      findings: [{ messageId: 'boundDefault', path: '/subjects/1', resource: 'RoleBinding shop/read-pods', data: { binding: 'RoleBinding shop/read-pods', role: 'Role pod-reader', namespace: 'shop' } }],
      fixed: null,
    },
    {
      name: 'a ClusterRoleBinding grants a ClusterRole to another namespace\'s default ServiceAccount',
      manifests: clusterRoleBinding('default-admin', 'cluster-admin', [sa('default', 'shop')]),
      findings: [{ messageId: 'boundDefault', path: '/subjects/0', resource: 'ClusterRoleBinding default-admin', data: { binding: 'ClusterRoleBinding default-admin', role: 'ClusterRole cluster-admin', namespace: 'shop' } }],
    },
    {
      name: 'no serviceAccountName on a Pod',
      manifests: pod(),
      findings: [{ messageId: 'implicitDefault', path: '/spec/serviceAccountName', data: { namespace: 'default' }, resource: 'Pod default/app' }],
      fixed: null,
    },
    {
      name: 'serviceAccountName: default on a Deployment',
      manifests: deployment({ namespace: 'shop', podSpec: { serviceAccountName: 'default' } }),
      findings: [{ messageId: 'explicitDefault', path: '/spec/template/spec/serviceAccountName', data: { namespace: 'shop', field: 'serviceAccountName' } }],
    },
    {
      name: 'deprecated serviceAccount: default on a CronJob',
      manifests: cronJob({ podSpec: { serviceAccountName: '', serviceAccount: 'default' } }),
      findings: [{ messageId: 'explicitDefault', path: '/spec/jobTemplate/spec/template/spec/serviceAccountName', data: { namespace: 'default', field: 'serviceAccount' } }],
    },
    {
      name: 'odd input: serviceAccountName of the wrong type',
      manifests: daemonSet({ namespace: 'ops', podSpec: { serviceAccountName: 42, automountServiceAccountToken: false } }),
      findings: [{ messageId: 'implicitDefault', path: '/spec/template/spec/serviceAccountName', data: { namespace: 'ops' } }],
    },
  ],
});
