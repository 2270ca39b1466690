/** What the HTML page shows, whatever produced it (scan, audit analyze, rbac risky). Plain data. */
import type { Severity } from '../../core/finding.js';
import type { Timeline } from '../../audit-log/result.js';

export interface HtmlEvent {
  readonly time: string;
  readonly user: string;
  readonly sourceIP: string;
  readonly verb: string;
  readonly object: string;
  readonly code: number | null;
}

/** One row of the findings table, with what its expanded view shows. */
export interface HtmlFinding {
  readonly severity: Severity;
  readonly ruleId: string;
  readonly title: string;
  readonly area: string;
  /** '' for cluster-scoped objects and AWS resources. */
  readonly namespace: string;
  readonly resource: string;
  /** `file:line`, the ARN, or where the object was read. */
  readonly where: string;
  readonly message: string;
  readonly path: string;
  readonly remediation: string;
  /** The rule's documentation (the guide link), https only. */
  readonly url: string;
  /** The JSON Patch of the fix, or of each suggestion, pretty-printed; '' when there is none. */
  readonly patch: string;
  readonly baseline: 'new' | 'unchanged' | null;
  /** Audit-log findings: the first events and how many there were. */
  readonly events?: readonly HtmlEvent[];
  readonly eventCount?: number;
  /** rbac risky: the steps of an escalation path. */
  readonly steps?: readonly string[];
}

export interface HtmlExempted {
  readonly finding: HtmlFinding;
  readonly kind: string;
  readonly reason: string;
}

export interface HtmlPage {
  /** `eksguard scan`, `eksguard audit analyze`, `eksguard rbac risky`. */
  readonly command: string;
  readonly version: string;
  /** Label and value pairs for the header: sources, cluster, account, time. */
  readonly facts: readonly (readonly [string, string])[];
  readonly summary: {
    readonly findings: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly score?: number;
    /** More phrases for the summary line (`3 exempted`, `12 new, 4 fixed since the baseline`). */
    readonly extras: readonly string[];
  };
  /** What the rows are called (`findings`, `risks`). */
  readonly noun: string;
  readonly findings: readonly HtmlFinding[];
  readonly exempted: readonly HtmlExempted[];
  readonly notEvaluated: readonly { readonly ruleId: string; readonly reason: string }[];
  readonly gaps: readonly { readonly where: string; readonly code: string; readonly message: string }[];
  readonly notes: readonly string[];
  readonly timeline?: Timeline;
}
