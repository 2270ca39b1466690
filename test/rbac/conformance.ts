import { conformanceData, type OutsideData } from '../support/conformance.js';

/** rbac-lookup's own end-to-end case: `rbac/rbac-lookup-e2e/00_assets` of the conformance data (see its README). */
export function rbacLookupCase(tests: string): OutsideData {
  return conformanceData('rbac/rbac-lookup-e2e/00_assets', tests);
}

/** The three rows rbac-lookup's e2e test asserts for `rbac-lookup circleci -owide`. */
export const CIRCLECI_ROWS: readonly (readonly string[])[] = [
  ['ServiceAccount/circleci:circleci', 'one', 'ClusterRole/cluster-admin', 'RoleBinding/circleci-cluster-admin'],
  ['ServiceAccount/circleci:circleci', 'two', 'ClusterRole/cluster-admin', 'RoleBinding/circleci-cluster-admin'],
  ['ServiceAccount/circleci:circleci', 'cluster-wide', 'ClusterRole/cluster-admin', 'ClusterRoleBinding/circleci-cluster-admin'],
];
