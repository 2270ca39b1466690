import type { Severity } from '../core/finding.js';

/**
 * What reporters read of a rule: its id, docs and texts. A scan rule (`AnyRule`) fits, and so does
 * an audit-log detection, which is not an inventory rule but is reported the same way.
 */
export interface ReportedRuleInfo {
  readonly id: string;
  readonly meta: {
    readonly area: string;
    readonly rationale: string;
    readonly remediation: string;
    readonly docs: { readonly description: string; readonly url: string; readonly controls?: readonly string[] };
  };
}

/** A rule the scan ran, with the severity it ran at (after config overrides); the engine's EnabledRule fits. */
export interface ReportedRule {
  readonly rule: ReportedRuleInfo;
  readonly severity: Severity;
}

/** The score in a summary line: `score 81/100`, `nothing checked` for null, nothing for audit logs (no score). */
export function scoreWords(score: number | null | undefined): string[] {
  if (score === undefined) return [];
  return [score === null ? 'nothing checked' : `score ${score}/100`];
}
