import rule from '../../../src/rules/rbac/restrict-persistent-volume-creation.js';
import { RuleTester } from '../../rule-tester.js';
import { bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule as r, sa, user } from '../../builders-rbac.js';

const NO_GRANT = 'no binding in the scanned input grants it';

new RuleTester().run(rule, {
  valid: [
    { name: 'the Kubernetes bootstrap policy as a live cluster stores it', manifests: bootstrapDump() },
    { name: 'EKS\'s own roles and add-ons', manifests: eksDump() },
    { name: 'claims, not volumes', manifests: clusterRole('dont-fire', [r(['create', 'delete'], [''], ['persistentvolumeclaims']), r(['get', 'list'], [''], ['persistentvolumes'])]) },
    { name: 'a namespaced Role cannot grant a cluster-scoped resource, even with *', manifests: role('storage', 'dont-fire', [r(['*'], ['*'], ['*'])]) },
    { name: 'a ClusterRole with create on PVs bound in one namespace reaches no PV', manifests: [clusterRole('pv-maker', [r(['create'], [''], ['persistentvolumes'])]), roleBinding('storage', 'dont-fire', { kind: 'ClusterRole', name: 'pv-maker' }, [group('storage')])].slice(1) },
    { name: 'create with resourceNames never matches (create requests carry no name)', manifests: clusterRole('dont-fire', [r(['create'], [''], ['persistentvolumes'], ['pv-1'])]) },
    { name: 'a literal persistentvolumes/* is no wildcard', manifests: clusterRole('dont-fire', [r(['create'], [''], ['persistentvolumes/*'])]) },
  ],
  invalid: [
    {
      name: 'a storage operator\'s ClusterRole bound to its ServiceAccount',
      manifests: [clusterRole('local-pv', [r(['get', 'list', 'create', 'delete'], [''], ['persistentvolumes'])]), clusterRoleBinding('local-pv', 'local-pv', [sa('provisioner', 'storage')])],
      findings: [{ messageId: 'createPersistentVolumes', path: '/rules/0', resource: 'ClusterRole local-pv', severity: 'high', data: { grants: 'create on persistentvolumes', from: '', grantees: 'granted to ServiceAccount storage/provisioner via ClusterRoleBinding local-pv' } }],
      fixed: null,
    },
    {
      name: 'wildcards',
      manifests: clusterRole('broad', [r(['*'], [''], ['*'])]),
      findings: [{ messageId: 'createPersistentVolumes', path: '/rules/0', data: { grants: 'create on persistentvolumes', from: '', grantees: NO_GRANT } }],
    },
    {
      name: 'the built-in persistent-volume-binder handed to a user',
      manifests: clusterRoleBinding('pv-debug', 'system:controller:persistent-volume-binder', [user('alice')]),
      findings: [{ messageId: 'createPersistentVolumesViaBinding', path: '/roleRef', data: { binding: 'ClusterRoleBinding pv-debug', subjects: 'User alice', grants: 'create on persistentvolumes', scope: 'in every namespace', role: 'built-in ClusterRole system:controller:persistent-volume-binder' } }],
    },
  ],
});
