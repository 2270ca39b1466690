/**
 * The severity of a weakness that both the rule catalogue (`scan`) and the risk catalogue
 * (`rbac risky`) report, decided once, here: the same weakness has the same severity in every
 * command. The rules read it as their `meta.severity`; `rbac risky` gives it to the same risk.
 * test/rbac/shared-severity.test.ts checks that every overlapping pair agrees on real input.
 */
import type { Severity } from './finding.js';

export const SHARED_SEVERITY = {
  /** An IAM principal mapped to system:masters (rule no-system-masters-mappings, risk system-masters). */
  systemMastersMapping: 'high',
  /** A binding of cluster-admin cluster-wide (rule no-cluster-admin-bindings, risk cluster-admin). */
  clusterAdminBinding: 'high',
} as const satisfies Record<string, Severity>;
