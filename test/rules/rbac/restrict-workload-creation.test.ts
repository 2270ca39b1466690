import rule from '../../../src/rules/rbac/restrict-workload-creation.js';
import { RuleTester } from '../../rule-tester.js';
import { bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule as r, sa, user } from '../../builders-rbac.js';

const deployer = [r(['create', 'update', 'patch'], ['apps'], ['deployments']), r(['get', 'list'], [''], ['pods'])];

new RuleTester().run(rule, {
  valid: [
    { name: 'the Kubernetes bootstrap policy as a live cluster stores it', manifests: bootstrapDump() },
    { name: 'EKS\'s own roles and add-ons', manifests: eksDump() },
    { name: 'a team deploying in its own namespace through a RoleBinding: the tenant model', manifests: [role('shop', 'deployer', deployer), roleBinding('shop', 'shop-devs', { kind: 'Role', name: 'deployer' }, [group('shop-devs')])] },
    { name: 'the built-in edit handed to a team in its namespace', manifests: roleBinding('shop', 'dont-fire', { kind: 'ClusterRole', name: 'edit' }, [group('shop-devs')]) },
    { name: 'a GitOps controller listed in allowedServiceAccounts', manifests: [clusterRole('argocd-application-controller', [r(['*'], ['*'], ['*'])]), clusterRoleBinding('argocd', 'argocd-application-controller', [sa('argocd-application-controller', 'argocd')])], options: { allowedServiceAccounts: ['argocd/argocd-application-controller'] } },
    { name: 'an unbound ClusterRole escalates nothing', manifests: clusterRole('dont-fire', deployer) },
    { name: 'pods/* and pods/exec are not pods', manifests: [clusterRole('x', [r(['create'], [''], ['pods/*', 'pods/exec', 'pods/eviction'])]), clusterRoleBinding('x', 'x', [user('alice')])] },
    // A Job's pod template is immutable: patching one cannot change its ServiceAccount or image.
    { name: 'update and patch on jobs (a controller suspending or scaling them)', manifests: [clusterRole('scaler', [r(['get', 'list', 'watch', 'update', 'patch'], ['batch'], ['jobs'])]), clusterRoleBinding('scaler', 'scaler', [sa('scaler', 'kube-system')])] },
    { name: 'read-only access to controllers', manifests: [clusterRole('viewer', [r(['get', 'list', 'watch'], ['apps', 'batch'], ['*'])]), clusterRoleBinding('viewer', 'viewer', [group('everyone')])] },
  ],
  invalid: [
    {
      name: 'a ClusterRoleBinding: cluster-wide',
      manifests: [clusterRole('deployer', deployer), clusterRoleBinding('deployers', 'deployer', [group('release')])],
      findings: [{
        messageId: 'workloadCreation', path: '/rules/0', resource: 'ClusterRole deployer', severity: 'high',
        data: { grants: 'create, update and patch on deployments', from: '', holders: 'Group release via ClusterRoleBinding deployers (cluster-wide)' },
      }],
      fixed: null,
    },
    {
      name: 'a ServiceAccount creating pods in its namespace, and a user in kube-system',
      manifests: [
        role('ci', 'runner', [r(['create'], [''], ['pods'])]), roleBinding('ci', 'runner', { kind: 'Role', name: 'runner' }, [sa('runner', 'ci'), user('alice')]),
        role('kube-system', 'ops', [r(['patch'], ['apps'], ['daemonsets'])]), roleBinding('kube-system', 'ops', { kind: 'Role', name: 'ops' }, [user('bob')]),
      ],
      findings: [
        { messageId: 'workloadCreation', path: '/rules/0', resource: 'Role ci/runner', severity: 'medium', data: { grants: 'create on pods', from: '', holders: 'ServiceAccount ci/runner via RoleBinding ci/runner (to a ServiceAccount)' } },
        { messageId: 'workloadCreation', path: '/rules/0', resource: 'Role kube-system/ops', severity: 'high', data: { grants: 'patch on daemonsets', from: '', holders: 'User bob via RoleBinding kube-system/ops (in kube-system)' } },
      ],
    },
    {
      name: 'scope all follows CIS 4.1.4 literally: the tenant model and unbound roles too',
      options: { scope: 'all' },
      manifests: [role('shop', 'deployer', deployer), roleBinding('shop', 'shop-devs', { kind: 'Role', name: 'deployer' }, [group('shop-devs')]), clusterRole('unbound', [r(['create'], [''], ['pods'])])],
      findings: [
        { messageId: 'workloadCreation', path: '/rules/0', resource: 'Role shop/deployer', data: { grants: 'create, update and patch on deployments', from: '', holders: 'Group shop-devs via RoleBinding shop/shop-devs (in namespace shop)' } },
        { messageId: 'workloadCreation', path: '/rules/0', resource: 'ClusterRole unbound', data: { grants: 'create on pods', from: '', holders: 'no binding in the scanned input grants it' } },
      ],
    },
    {
      name: 'the built-in edit handed to a ServiceAccount',
      manifests: roleBinding('ci', 'runner-edit', { kind: 'ClusterRole', name: 'edit' }, [sa('runner', 'ci'), group('ci-devs')]),
      findings: [{
        messageId: 'workloadCreationViaBinding', path: '/roleRef', resource: 'RoleBinding ci/runner-edit', severity: 'medium',
        data: { binding: 'RoleBinding ci/runner-edit', subjects: 'ServiceAccount ci/runner', grants: 'create on pods and jobs and create, update and patch on replicationcontrollers, deployments, daemonsets, statefulsets, replicasets and cronjobs', scope: 'in namespace ci', role: 'built-in ClusterRole edit', why: 'to a ServiceAccount' },
      }],
    },
  ],
});
