import { toDottedPath, toJsonPointer } from '../core/field-path.js';
import type { Finding, FindingEvidence, PatchOp } from '../core/finding.js';
import type { Gap } from '../core/resource.js';
import type { SourceSummary } from '../collect/files/read-sources.js';
import type { AuditResult } from '../engine/audit.js';
import type { BaselineSummary } from '../baseline/compare.js';
import { fingerprint } from '../baseline/fingerprint.js';
import { SCHEMA_VERSIONS } from '../schemas/versions.js';

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

/** The report as one string: `jsonReportChunks` joined (tests, the library API, small reports). */
export function renderJson(result: AuditResult, context: ReportContext): string {
  return [...jsonReportChunks(result, context)].join('');
}

/** A value as `JSON.stringify(value, null, 2)` prints it nested `depth` levels deep (its lines indented). */
function nested(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2);
  // JSON escapes line breaks inside strings: every \n in the text is one of its own lines.
  return text.includes('\n') ? text.replaceAll('\n', `\n${'  '.repeat(depth)}`) : text;
}

/**
 * The JSON report (docs/json-output.md) in pieces, the same text `JSON.stringify(report, null, 2)`
 * prints: the findings one by one, so a scan of 100,000 objects writes its report as it goes
 * instead of holding one string of hundreds of megabytes and every finding's JSON object at once.
 */
export function* jsonReportChunks(result: AuditResult, context: ReportContext): Generator<string> {
  const head: [string, unknown][] = [
    ['schemaVersion', SCHEMA_VERSIONS.scan],
    ['tool', { name: 'eksguard', version: context.version }],
    ['sources', context.sources.map((s) => ({ path: s.path, documents: s.documents, objects: s.objects, skipped: s.skipped ?? null, duplicates: s.duplicates ?? 0 }))],
    ['summary', result.summary],
  ];
  let first = true;
  const member = (key: string): string => {
    const text = `${first ? '{\n' : ',\n'}  ${JSON.stringify(key)}: `;
    first = false;
    return text;
  };
  for (const [key, value] of head) yield `${member(key)}${nested(value, 1)}`;
  for (const [key, list] of [['findings', result.findings], ['exempted', result.exempted]] as const) {
    if (list.length === 0) {
      yield `${member(key)}[]`;
      continue;
    }
    yield `${member(key)}[`;
    for (const [i, finding] of list.entries()) yield `${i === 0 ? '\n' : ',\n'}    ${nested(findingJson(finding), 2)}`;
    yield '\n  ]';
  }
  const tail: [string, unknown][] = [
    ['gaps', result.gaps.map(gapJson)],
    ['notEvaluated', result.notEvaluated],
    ['baseline', baselineJson(context.baseline)],
  ];
  for (const [key, value] of tail) yield `${member(key)}${nested(value, 1)}`;
  yield '\n}\n';
}
