import rule from '../../../src/rules/rbac/restrict-pod-exec.js';
import { RuleTester } from '../../rule-tester.js';
import { describeCluster } from '../../builders-aws.js';
import { bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule as r, user } from '../../builders-rbac.js';

const NO_GRANT = 'no binding in the scanned input grants it';
const UNKNOWN = 'the cluster\'s version is unknown, so judged as Kubernetes ≤ 1.34, where a WebSocket session is authorised as get';
const getExec = [role('ops', 'debug', [r(['get'], [''], ['pods/exec', 'pods/log'])]), roleBinding('ops', 'debug', { kind: 'Role', name: 'debug' }, [group('oncall')])];

new RuleTester().run(rule, {
  valid: [
    { name: 'the Kubernetes bootstrap policy as a live cluster stores it', manifests: bootstrapDump() },
    { name: 'EKS\'s own roles and add-ons', manifests: eksDump() },
    { name: 'get on pods/exec on Kubernetes 1.35, which demands create for WebSocket sessions too', manifests: getExec, aws: describeCluster({ version: '1.35' }) },
    { name: 'get, list and watch on pods and their logs', manifests: role('ops', 'dont-fire', [r(['get', 'list', 'watch'], [''], ['pods', 'pods/log'])]) },
    { name: 'a literal pods/* is no wildcard, for get either', manifests: clusterRole('dont-fire', [r(['get', 'create'], [''], ['pods/*'])]) },
    { name: 'every verb on pods does not cover their subresources', manifests: clusterRole('dont-fire', [r(['*'], [''], ['pods'])]) },
    { name: 'a literal pods/* matches no subresource', manifests: clusterRole('dont-fire', [r(['create'], [''], ['pods/*'])]) },
    { name: 'pods/exec of another API group', manifests: clusterRole('dont-fire', [r(['create'], ['example.com'], ['pods/exec'])]) },
    { name: 'the built-in view handed out', manifests: roleBinding('ops', 'dont-fire', { kind: 'ClusterRole', name: 'view' }, [group('ops')]) },
  ],
  invalid: [
    {
      name: 'create on pods/exec in a Role',
      manifests: [role('ops', 'debug', [r(['get', 'list'], [''], ['pods']), r(['create'], [''], ['pods/exec'])]), roleBinding('ops', 'debug', { kind: 'Role', name: 'debug' }, [group('oncall')])],
      findings: [{ messageId: 'podExec', path: '/rules/1', resource: 'Role ops/debug', severity: 'medium', data: { subresources: 'create on pods/exec', from: '', grantees: 'granted to Group oncall via RoleBinding ops/debug' } }],
      fixed: null,
    },
    {
      name: 'get on pods/exec where the version is unknown: exec over WebSockets',
      manifests: getExec,
      findings: [{ messageId: 'podExec', path: '/rules/0', resource: 'Role ops/debug', data: { subresources: `get on pods/exec (${UNKNOWN})`, from: '', grantees: 'granted to Group oncall via RoleBinding ops/debug' } }],
    },
    {
      name: 'get on pods/exec on EKS 1.34 (AWS evidence)',
      manifests: getExec,
      aws: describeCluster({ version: '1.34' }),
      findings: [{
        messageId: 'podExec', path: '/rules/0',
        data: { subresources: 'get on pods/exec (Kubernetes 1.34 (from the EKS cluster description) authorises a WebSocket session as get)', from: '', grantees: 'granted to Group oncall via RoleBinding ops/debug' },
      }],
    },
    {
      name: 'create on pods/portforward, and "*/portforward", on 1.35',
      manifests: clusterRole('tunnels', [r(['create'], [''], ['pods/portforward']), r(['create', 'get'], [''], ['*/portforward'])]),
      aws: describeCluster({ version: '1.35' }),
      findings: [
        { messageId: 'podExec', path: '/rules/0', data: { subresources: 'create on pods/portforward', from: '', grantees: NO_GRANT } },
        { messageId: 'podExec', path: '/rules/1', data: { subresources: 'create on pods/portforward', from: '', grantees: NO_GRANT } },
      ],
    },
    {
      name: 'exec through "*/exec", "*" and named pods',
      manifests: clusterRole('debugger', [r(['create'], [''], ['*/exec']), r(['*'], ['*'], ['*']), r(['create'], [''], ['pods/attach'], ['toolbox-0'])]),
      findings: [
        { messageId: 'podExec', path: '/rules/0', data: { subresources: 'create on pods/exec', from: '', grantees: NO_GRANT } },
        { messageId: 'podExec', path: '/rules/1', data: { subresources: 'create on pods/exec, create on pods/attach and create on pods/portforward', from: '', grantees: NO_GRANT } },
        { messageId: 'podExec', path: '/rules/2', data: { subresources: 'create on pods/attach (pods named toolbox-0)', from: '', grantees: NO_GRANT } },
      ],
    },
    {
      name: 'cluster-wide, or in kube-system: high (every pod, the node agents\' privileged ones included), as rbac risky rates pod-exec',
      manifests: [
        clusterRole('debugger', [r(['create'], [''], ['pods/exec'])]), clusterRoleBinding('sre', 'debugger', [group('sre')]),
        role('kube-system', 'debug', [r(['create'], [''], ['pods/attach'])]),
        clusterRole('per-namespace', [r(['create'], [''], ['pods/exec'])]), roleBinding('kube-system', 'oncall', { kind: 'ClusterRole', name: 'per-namespace' }, [group('oncall')]),
      ],
      aws: describeCluster({ version: '1.35' }),
      findings: [
        { messageId: 'podExec', path: '/rules/0', resource: 'ClusterRole debugger', severity: 'high', data: { subresources: 'create on pods/exec', from: '', grantees: 'granted to Group sre via ClusterRoleBinding sre' } },
        { messageId: 'podExec', path: '/rules/0', resource: 'Role kube-system/debug', severity: 'high', data: { subresources: 'create on pods/attach', from: '', grantees: NO_GRANT } },
        { messageId: 'podExec', path: '/rules/0', resource: 'ClusterRole per-namespace', severity: 'high', data: { subresources: 'create on pods/exec', from: '', grantees: 'granted to Group oncall via RoleBinding kube-system/oncall' } },
      ],
    },
    {
      name: 'the built-in admin handed to a user cluster-wide (high), and in one namespace (medium)',
      manifests: [clusterRoleBinding('alice', 'admin', [user('alice')]), roleBinding('shop', 'bob', { kind: 'ClusterRole', name: 'admin' }, [user('bob')])],
      aws: describeCluster({ version: '1.35' }),
      findings: [{
        messageId: 'podExecViaBinding', path: '/roleRef', resource: 'ClusterRoleBinding alice', severity: 'high',
        data: { binding: 'ClusterRoleBinding alice', subjects: 'User alice', subresources: 'create on pods/exec, create on pods/attach and create on pods/portforward', scope: 'in every namespace', role: 'built-in ClusterRole admin' },
      }, {
        messageId: 'podExecViaBinding', path: '/roleRef', resource: 'RoleBinding shop/bob', severity: 'medium',
        data: { binding: 'RoleBinding shop/bob', subjects: 'User bob', subresources: 'create on pods/exec, create on pods/attach and create on pods/portforward', scope: 'in namespace shop', role: 'built-in ClusterRole admin' },
      }],
    },
    {
      name: 'a component aggregated into edit, found in a dump',
      manifests: [
        ...bootstrapDump(),
        clusterRole('debug-edit', [r(['create'], [''], ['pods/attach'])], { labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }),
      ],
      findings: [{ messageId: 'podExec', path: '/rules/0', resource: 'ClusterRole debug-edit', data: { subresources: 'create on pods/attach', from: '', grantees: NO_GRANT } }],
    },
  ],
  notEvaluated: [
    { name: 'a manifest without RBAC objects', manifests: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }, reason: 'no RBAC objects' },
  ],
});
