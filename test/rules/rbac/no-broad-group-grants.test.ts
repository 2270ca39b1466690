import rule from '../../../src/rules/rbac/no-broad-group-grants.js';
import { RuleTester } from '../../rule-tester.js';
import { bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, roleBinding, rule as r, user } from '../../builders-rbac.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the Kubernetes bootstrap policy (system:authenticated gets discovery and basic-user only)', manifests: bootstrapDump() },
    { name: 'EKS\'s own roles and add-ons', manifests: eksDump() },
    { name: 'read-only access for every authenticated user', manifests: [clusterRole('read-pods', [r(['get', 'list', 'watch'], [''], ['pods', 'services'])]), clusterRoleBinding('all-read', 'read-pods', [group('system:authenticated')])] },
    { name: 'the built-in view for every ServiceAccount', manifests: clusterRoleBinding('sa-view', 'view', [group('system:serviceaccounts')]) },
    { name: 'secret access bound to a named group', manifests: [clusterRole('secrets', [r(['get'], [''], ['secrets'])]), clusterRoleBinding('ops', 'secrets', [group('ops')])] },
    { name: 'a RoleBinding cannot hand out nodes/proxy to everyone', manifests: [clusterRole('proxy', [r(['get'], [''], ['nodes/proxy'])]), roleBinding('web', 'proxy', { kind: 'ClusterRole', name: 'proxy' }, [group('system:authenticated')])] },
    { name: 'a binding whose role is missing grants nothing', manifests: clusterRoleBinding('dangling', 'gone', [group('system:authenticated')]) },
  ],
  invalid: [
    {
      name: 'Secrets and exec for every authenticated identity',
      manifests: [clusterRole('debug', [r(['get', 'list'], [''], ['secrets']), r(['create'], [''], ['pods/exec'])]), clusterRoleBinding('everyone-debug', 'debug', [user('alice'), group('system:authenticated')])],
      findings: [{
        messageId: 'broadGroupGrant', path: '/subjects/1', resource: 'ClusterRoleBinding everyone-debug', severity: 'critical',
        data: {
          binding: 'ClusterRoleBinding everyone-debug', role: 'ClusterRole debug', scope: 'in every namespace',
          groups: 'Group system:authenticated (every authenticated user and ServiceAccount)',
          grants: 'get and list on secrets (restrict-secret-access); create on pods/exec (restrict-pod-exec)',
        },
      }],
      fixed: null,
    },
    {
      name: 'the built-in edit for every ServiceAccount of a namespace, in that namespace',
      manifests: roleBinding('ci', 'all-sa-edit', { kind: 'ClusterRole', name: 'edit' }, [group('system:serviceaccounts:ci')]),
      findings: [{
        messageId: 'broadGroupGrant', path: '/subjects/0', severity: 'high',
        data: {
          binding: 'RoleBinding ci/all-sa-edit', role: 'ClusterRole edit', scope: 'in namespace ci',
          groups: 'Group system:serviceaccounts:ci (every ServiceAccount of namespace ci)',
          grants: 'impersonate on serviceaccounts (no-rbac-escalation-verbs); get, list and watch on secrets (restrict-secret-access); create on pods/exec, pods/attach and pods/portforward (restrict-pod-exec); create on pods and jobs and create, update and patch on replicationcontrollers, deployments, daemonsets, statefulsets, replicasets and cronjobs (restrict-workload-creation); create on serviceaccounts/token (restrict-token-creation)',
        },
      }],
    },
    {
      name: 'cluster-admin for anonymous requests',
      manifests: clusterRoleBinding('oops', 'cluster-admin', [group('system:unauthenticated')]),
      findings: [{
        messageId: 'broadGroupGrant', path: '/subjects/0', severity: 'critical',
        data: {
          binding: 'ClusterRoleBinding oops', role: 'ClusterRole cluster-admin', scope: 'in every namespace',
          groups: 'Group system:unauthenticated (every anonymous request)',
          grants: '* in verbs, apiGroups and resources and * in verbs (no-wildcard-rbac); escalate on roles and clusterroles, bind on roles and clusterroles and impersonate on users, groups, serviceaccounts, uids and userextras (no-rbac-escalation-verbs); get, list and watch on secrets (restrict-secret-access); create on pods/exec, pods/attach and pods/portforward (restrict-pod-exec); * on nodes/proxy (no-node-proxy-access); create on pods and jobs and create, update and patch on deployments, daemonsets, statefulsets, replicasets, cronjobs and replicationcontrollers (restrict-workload-creation); create on serviceaccounts/token (restrict-token-creation); create, update, patch, delete and deletecollection on mutatingwebhookconfigurations, validatingwebhookconfigurations, validatingadmissionpolicies, validatingadmissionpolicybindings, mutatingadmissionpolicies and mutatingadmissionpolicybindings (restrict-webhook-configuration-access); create on persistentvolumes (restrict-persistent-volume-creation); update and patch on certificatesigningrequests/approval and approve on signers (restrict-csr-approval)',
        },
      }],
    },
  ],
});
