import { toDottedPath, toJsonPointer } from '../core/field-path.js';
import type { Finding, FindingEvidence, PatchOp } from '../core/finding.js';
import type { Gap } from '../core/resource.js';
import type { SourceSummary } from '../collect/files/read-sources.js';
import type { AuditResult } from '../engine/audit.js';
import type { BaselineSummary } from '../baseline/compare.js';
import { fingerprint } from '../baseline/fingerprint.js';

/** What the JSON reporter needs besides the audit result. */
export interface ReportContext {
  readonly version: string;
  readonly sources: readonly SourceSummary[];
  /** With `scan --baseline`: the comparison with the baseline report. */
  readonly baseline?: BaselineSummary;
}

export function patchJson(patch: readonly PatchOp[]): object[] {
  return patch.map((op) => (op.op === 'remove' ? { op: op.op, path: toJsonPointer(op.path) } : { op: op.op, path: toJsonPointer(op.path), value: op.value }));
}

/** The events behind a finding raised from an audit log (docs/audit-logs.md). */
export function evidenceJson(e: FindingEvidence): object {
  return {
    count: e.count,
    firstSeen: e.firstSeen ?? null,
    lastSeen: e.lastSeen ?? null,
    events: e.events.map((event) => ({
      auditID: event.auditID,
      time: event.time,
      user: event.user,
      impersonatedUser: event.impersonatedUser ?? null,
      sourceIP: event.sourceIP,
      userAgent: event.userAgent ?? null,
      verb: event.verb,
      object: event.object,
      code: event.code ?? null,
      file: event.file ?? null,
      line: event.line ?? null,
    })),
    ...(e.windows ? { windows: e.windows } : {}),
    ...(e.rows ? { rows: e.rows } : {}),
  };
}

/** One finding in the stable machine shape (docs/json-output.md); absent values are null, never missing. */
export function findingJson(f: Finding): object {
  const r = f.resource;
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    area: f.area,
    title: f.title,
    message: f.message,
    resource: r.provider === 'kubernetes'
      ? { apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace ?? null, name: r.name, file: f.location?.file ?? null, line: f.location?.line ?? null, column: f.location?.column ?? null, arn: null, id: null }
      : { apiVersion: null, kind: r.type, namespace: null, name: r.name ?? r.id ?? null, file: null, line: null, column: null, arn: r.arn ?? null, id: r.id ?? null, service: r.service, region: r.region ?? null },
    origin: f.origin ?? null,
    path: toDottedPath(f.path),
    pointer: toJsonPointer(f.path),
    remediation: f.remediation,
    fix: f.fix ? patchJson(f.fix) : null,
    suggestions: (f.suggestions ?? []).map((s) => ({ message: s.message, patch: patchJson(s.patch) })),
    evidence: f.evidence ? evidenceJson(f.evidence) : null,
    fingerprint: fingerprint(f),
    baselineState: f.baselineState ?? null,
    ...(f.suppressed ? { exemption: { kind: f.suppressed.kind, reason: f.suppressed.reason } } : {}),
  };
}

export function gapJson(g: Gap): object {
  return { source: g.source, line: g.line ?? null, code: g.code, message: g.message };
}

/** `baseline` of the JSON report: null without `--baseline`. */
export function baselineJson(b: BaselineSummary | undefined): object | null {
  return b === undefined ? null : { file: b.file, new: b.new, unchanged: b.unchanged, fixed: b.fixed.map(findingJson) };
}

export function renderJson(result: AuditResult, context: ReportContext): string {
  return `${JSON.stringify({
    tool: { name: 'eksguard', version: context.version },
    sources: context.sources.map((s) => ({ path: s.path, documents: s.documents, objects: s.objects, skipped: s.skipped ?? null, duplicates: s.duplicates ?? 0 })),
    summary: result.summary,
    findings: result.findings.map(findingJson),
    exempted: result.exempted.map(findingJson),
    gaps: result.gaps.map(gapJson),
    notEvaluated: result.notEvaluated,
    baseline: baselineJson(context.baseline),
  }, null, 2)}\n`;
}
