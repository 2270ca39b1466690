import type { Severity } from '../core/finding.js';
import type { AnyRule } from '../rules/define-rule.js';

/** A rule the scan ran, with the severity it ran at (after config overrides); the engine's EnabledRule fits. */
export interface ReportedRule {
  readonly rule: AnyRule;
  readonly severity: Severity;
}
