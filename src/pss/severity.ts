/**
 * How severe a failed Pod Security Standards check is: the severity of the eksguard rule that
 * checks the same thing (its `pss-<level>:<check>` control), so `pss check` and `scan` rate one
 * weakness alike; a check no rule covers takes its level's (baseline high, restricted medium).
 * The rules are passed in, so this module does not depend on the rule catalogue.
 */
import { severityRank, type Severity } from '../core/finding.js';
import type { CheckId } from './check-types.js';
import { findCheck } from './registry.js';

export interface SeveritySource {
  readonly meta: { readonly severity: Severity; readonly docs: { readonly controls?: readonly string[] } };
}

const LEVEL_SEVERITY: Readonly<Record<'baseline' | 'restricted', Severity>> = { baseline: 'high', restricted: 'medium' };

export function pssCheckSeverity(id: CheckId, rules: readonly SeveritySource[]): Severity {
  const check = findCheck(id);
  const control = `pss-${check.level}:${id}`;
  const covering = rules.filter((r) => (r.meta.docs.controls ?? []).includes(control)).map((r) => r.meta.severity);
  if (covering.length === 0) return LEVEL_SEVERITY[check.level];
  return covering.reduce((worst, s) => (severityRank(s) > severityRank(worst) ? s : worst));
}
