/** The vocabulary every rule, reporter and collector shares: severities, paths, patches, findings. */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for comparisons: critical is highest. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

/** Segments from the resource root; rendered as an RFC 6901 pointer only at the output edges. */
export type FieldPath = readonly (string | number)[];

export type PatchOp =
  | { readonly op: 'add' | 'replace'; readonly path: FieldPath; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: FieldPath };

export type MessageData = Readonly<Record<string, string | number>>;

export interface ReportSuggestion<M extends string> {
  readonly messageId: M;
  readonly data?: MessageData;
  readonly patch: readonly PatchOp[];
}

/** What a rule yields; the engine turns it into a Finding. */
export interface Report<M extends string = string> {
  readonly messageId: M;
  /** Relative to the resource root (not to the pod spec). `[]` means the whole resource. */
  readonly path: FieldPath;
  readonly data?: MessageData;
  /** Safe to apply unattended; requires `meta.fixable`. */
  readonly fix?: readonly PatchOp[];
  readonly suggest?: readonly ReportSuggestion<M>[];
  /** Overrides the rule's severity for this report (e.g. cluster-wide vs namespaced). */
  readonly severity?: Severity;
}

export interface KubeResourceRef {
  readonly provider: 'kubernetes';
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface AwsResourceRef {
  readonly provider: 'aws';
  readonly service: string;
  readonly type: string;
  readonly region?: string;
  readonly arn?: string;
  readonly id?: string;
  readonly name?: string;
}

export type ResourceRef = KubeResourceRef | AwsResourceRef;

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Suppression {
  readonly kind: 'annotation' | 'config' | 'default';
  readonly reason: string;
}

export interface Suggestion {
  readonly messageId: string;
  readonly message: string;
  readonly patch: readonly PatchOp[];
}

export interface Finding {
  readonly ruleId: string;
  readonly messageId: string;
  readonly message: string;
  readonly severity: Severity;
  readonly area: string;
  readonly title: string;
  readonly remediation: string;
  readonly resource: ResourceRef;
  readonly path: FieldPath;
  /** Where the offending field (or its nearest present ancestor) is, for resources read from files. */
  readonly location?: SourceLocation;
  /** `cluster:<context>` or `aws:<region>` for resources not read from files. */
  readonly origin?: string;
  readonly fix?: readonly PatchOp[];
  readonly suggestions?: readonly Suggestion[];
  readonly suppressed?: Suppression;
  /** For findings raised by events (audit-log detections): the events behind it. */
  readonly evidence?: FindingEvidence;
  /** With `scan --baseline`: whether the baseline report already had this finding (src/baseline/). */
  readonly baselineState?: 'new' | 'unchanged';
}

/** One Kubernetes audit event, as a finding cites it: enough to find it again in the log. */
export interface AuditEventRef {
  readonly auditID: string;
  /** When the API server received the request (RFC 3339), or the best time the event carries. */
  readonly time: string;
  readonly user: string;
  /** The user the request impersonated, when it did: the effective user. */
  readonly impersonatedUser?: string;
  readonly sourceIP: string;
  readonly userAgent?: string;
  readonly verb: string;
  /** What it acted on: `pods/exec default/web-1`, or the URL of a non-resource request. */
  readonly object: string;
  readonly code?: number;
  readonly file?: string;
  readonly line?: number;
}

export interface FindingEvidence {
  /** The first events (a sample, in log order); `count` says how many there were in all. */
  readonly events: readonly AuditEventRef[];
  readonly count: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  /** Events per time window, for detections that count them (oldest first). */
  readonly windows?: readonly { readonly start: string; readonly count: number; readonly spike: boolean }[];
  /** For findings from CloudWatch Logs Insights (`audit queries --run`): the top result rows, field → value. */
  readonly rows?: readonly Readonly<Record<string, string>>[];
}
