/** rbac-lookup's own end-to-end case, copied to shared/conformance/rbac (see its README). */
export const CONFORMANCE_DIR = '/work/shared/conformance/rbac/rbac-lookup-e2e/00_assets';

/** The three rows rbac-lookup's e2e test asserts for `rbac-lookup circleci -owide`. */
export const CIRCLECI_ROWS: readonly (readonly string[])[] = [
  ['ServiceAccount/circleci:circleci', 'one', 'ClusterRole/cluster-admin', 'RoleBinding/circleci-cluster-admin'],
  ['ServiceAccount/circleci:circleci', 'two', 'ClusterRole/cluster-admin', 'RoleBinding/circleci-cluster-admin'],
  ['ServiceAccount/circleci:circleci', 'cluster-wide', 'ClusterRole/cluster-admin', 'ClusterRoleBinding/circleci-cluster-admin'],
];
