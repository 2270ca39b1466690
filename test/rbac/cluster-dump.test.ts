/**
 * Every rbac and aws-auth rule over one realistic EKS cluster dump: the platform's objects plus
 * what teams installed. Each rule must report exactly the user-made problems, nothing of the platform's.
 */
import { describe, expect, it } from 'vitest';
import { toJsonPointer } from '../../src/core/field-path.js';
import type { AnyRule } from '../../src/rules/define-rule.js';
import { builtinRules } from '../../src/rules/index.js';
import { runRule } from '../rule-tester.js';
import { awsAuth, bootstrapDump, clusterRole, clusterRoleBinding, eksDump, group, role, roleBinding, rule, sa } from '../builders-rbac.js';

// EKS's own aws-auth is replaced below by one with the node role and the team's additions.
const platform = [...bootstrapDump(), ...eksDump().filter((o) => o.kind !== 'ConfigMap')];

const installed = [
  // Argo CD: an application controller that manages everything.
  clusterRole('argocd-application-controller', [rule(['*'], ['*'], ['*']), { nonResourceURLs: ['*'], verbs: ['*'] }]),
  clusterRoleBinding('argocd-application-controller', 'argocd-application-controller', [sa('argocd-application-controller', 'argocd')]),
  // Prometheus: the usual scrape role, with nodes/proxy.
  clusterRole('prometheus-server', [rule(['get', 'list', 'watch'], [''], ['nodes', 'nodes/proxy', 'nodes/metrics', 'services', 'endpoints', 'pods']), { nonResourceURLs: ['/metrics'], verbs: ['get'] }]),
  clusterRoleBinding('prometheus-server', 'prometheus-server', [sa('prometheus-server', 'monitoring')]),
  // cert-manager's controller reads and writes Secrets everywhere.
  clusterRole('cert-manager-controller-certificates', [rule(['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'], [''], ['secrets'])]),
  clusterRoleBinding('cert-manager-controller-certificates', 'cert-manager-controller-certificates', [sa('cert-manager', 'cert-manager')]),
  // cert-manager's aggregated view role: harmless reads of its CRDs.
  clusterRole('cert-manager-view', [rule(['get', 'list', 'watch'], ['cert-manager.io'], ['certificates', 'issuers'])], { labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }),
  // A team with edit in its namespace, and a narrow deployer Role.
  roleBinding('shop', 'shop-devs', { kind: 'ClusterRole', name: 'edit' }, [group('shop-devs')]),
  role('shop', 'deployer', [rule(['get', 'list', 'patch'], ['apps'], ['deployments'])]),
  roleBinding('shop', 'deployer', { kind: 'Role', name: 'deployer' }, [sa('ci')]),
  // The AWS Load Balancer Controller's leader election in kube-system.
  role('kube-system', 'aws-load-balancer-controller-leader-election-role', [rule(['create'], [''], ['configmaps']), rule(['get', 'update', 'patch'], [''], ['configmaps'], ['aws-load-balancer-controller-leader'])]),
  roleBinding('kube-system', 'aws-load-balancer-controller-leader-election-rolebinding', { kind: 'Role', name: 'aws-load-balancer-controller-leader-election-role' }, [sa('aws-load-balancer-controller')]),
  // aws-auth: the node role EKS wrote, plus an admin role without session name and an IAM user.
  awsAuth({
    mapRoles: [
      { rolearn: 'arn:aws:iam::111122223333:role/eks-node-group-role', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] },
      { rolearn: 'arn:aws:iam::111122223333:role/platform-admin', username: 'platform-admin', groups: ['system:masters'] },
    ],
    mapUsers: [{ userarn: 'arn:aws:iam::111122223333:user/legacy-ci', username: 'legacy-ci', groups: ['deployers'] }],
  }),
];

const findingsOf = (id: string) => runRule((builtinRules as Readonly<Record<string, AnyRule>>)[id] as AnyRule, [...platform, ...installed])
  .map((f) => `${f.severity} ${f.resource.provider === 'kubernetes' ? `${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}` : ''} ${toJsonPointer(f.path)}`)
  .sort();

describe('an EKS cluster dump with common add-ons', () => {
  it('no-wildcard-rbac: Argo CD only', () => {
    expect(findingsOf('no-wildcard-rbac')).toEqual(['high ClusterRole argocd-application-controller /rules/0', 'high ClusterRole argocd-application-controller /rules/1']);
  });

  it('no-cluster-admin-bindings: nothing (the platform\'s own bindings pass)', () => {
    expect(findingsOf('no-cluster-admin-bindings')).toEqual([]);
  });

  it('no-anonymous-access: nothing', () => {
    expect(findingsOf('no-anonymous-access')).toEqual([]);
  });

  it('restrict-secret-access: Argo CD and cert-manager cluster-wide, the shop team through edit', () => {
    expect(findingsOf('restrict-secret-access')).toEqual([
      'high ClusterRole argocd-application-controller /rules/0',
      'high ClusterRole cert-manager-controller-certificates /rules/0',
      'medium RoleBinding shop/shop-devs /roleRef',
    ]);
  });

  it('no-rbac-escalation-verbs: Argo CD, and edit\'s ServiceAccount impersonation', () => {
    expect(findingsOf('no-rbac-escalation-verbs')).toEqual(['high ClusterRole argocd-application-controller /rules/0', 'high RoleBinding shop/shop-devs /roleRef']);
  });

  it('restrict-pod-exec: Argo CD and the shop team', () => {
    expect(findingsOf('restrict-pod-exec')).toEqual(['high ClusterRole argocd-application-controller /rules/0', 'medium RoleBinding shop/shop-devs /roleRef']);
  });

  it('no-node-proxy-access: Argo CD and Prometheus', () => {
    expect(findingsOf('no-node-proxy-access')).toEqual(['high ClusterRole argocd-application-controller /rules/0', 'high ClusterRole prometheus-server /rules/0']);
  });

  it('restrict-aws-auth-edit: Argo CD only (the load balancer controller is narrowed by name)', () => {
    expect(findingsOf('restrict-aws-auth-edit')).toEqual(['high ClusterRoleBinding argocd-application-controller /subjects/0']);
  });

  it('the aws-auth rules: the admin role and the IAM user', () => {
    expect(findingsOf('no-system-masters-mappings')).toEqual(['high ConfigMap kube-system/aws-auth /data/mapRoles']);
    expect(findingsOf('no-iam-users-in-aws-auth')).toEqual(['medium ConfigMap kube-system/aws-auth /data/mapUsers']);
    expect(findingsOf('require-session-name-in-aws-auth')).toEqual(['low ConfigMap kube-system/aws-auth /data/mapRoles']);
  });
});
