/**
 * EKS access policies: what EKS's own authorizer allows the IAM principal of an access entry,
 * beside (never instead of) RBAC. AWS publishes each policy as a list of Kubernetes rules that
 * mirror the user-facing ClusterRoles, so they are evaluated here with those roles' shipped rules:
 * `AmazonEKSClusterAdminPolicy` as `cluster-admin`, `AmazonEKSAdminPolicy` as `admin`,
 * `AmazonEKSEditPolicy` as `edit`, `AmazonEKSViewPolicy` as `view`, and `AmazonEKSAdminViewPolicy`
 * as read-only access to everything. Other policies (those for EKS's own components) are reported
 * as not evaluated rather than guessed.
 */
import { shippedClusterRoleRules } from './bootstrap-policy.js';
import type { AccessPolicyAssociation, AccessScope } from './iam-identities.js';
import type { PolicyRule } from './policy-rule.js';

const READ_ALL: readonly PolicyRule[] = [{ verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'], resourceNames: [], nonResourceURLs: [] }];

/** The ClusterRole each known access policy mirrors, for messages. */
export const ACCESS_POLICY_EQUIVALENTS: Readonly<Record<string, string>> = {
  AmazonEKSClusterAdminPolicy: 'cluster-admin',
  AmazonEKSAdminPolicy: 'admin',
  AmazonEKSEditPolicy: 'edit',
  AmazonEKSViewPolicy: 'view',
  AmazonEKSAdminViewPolicy: 'read-only access to every resource, Secrets included',
};

/** The rules an access policy grants; undefined for a policy eksguard does not know. */
export function accessPolicyRules(policyName: string): readonly PolicyRule[] | undefined {
  switch (policyName) {
    case 'AmazonEKSClusterAdminPolicy': return shippedClusterRoleRules('cluster-admin');
    case 'AmazonEKSAdminPolicy': return shippedClusterRoleRules('admin');
    case 'AmazonEKSEditPolicy': return shippedClusterRoleRules('edit');
    case 'AmazonEKSViewPolicy': return shippedClusterRoleRules('view');
    case 'AmazonEKSAdminViewPolicy': return READ_ALL;
    default: return undefined;
  }
}

/** Whether a namespace is inside a namespace-scoped association (a trailing `*` is a prefix wildcard). */
export function scopeCoversNamespace(scope: AccessScope, namespace: string): boolean {
  if (scope.type === 'cluster') return true;
  return scope.namespaces.some((ns) => ns === namespace || (ns.endsWith('*') && namespace.startsWith(ns.slice(0, -1))));
}

/** `cluster-wide` or `namespaces a, b`. */
export function describeScope(scope: AccessScope): string {
  return scope.type === 'cluster' ? 'cluster-wide' : `namespace${scope.namespaces.length === 1 ? '' : 's'} ${scope.namespaces.join(', ')}`;
}

export function describeAccessPolicy(association: AccessPolicyAssociation): string {
  const equivalent = ACCESS_POLICY_EQUIVALENTS[association.policyName];
  return `access policy ${association.policyName}${equivalent !== undefined && !equivalent.includes(' ') ? ` (≈ ${equivalent})` : ''} ${describeScope(association.scope)}`;
}
