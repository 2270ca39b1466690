import { toDottedPath, toJsonPointer } from '../core/field-path.js';
import type { Finding, FindingEvidence, KubeResourceRef, PatchOp, Suggestion } from '../core/finding.js';
import type { Gap } from '../core/resource.js';
import type { SourceSummary } from '../collect/files/read-sources.js';
import type { AuditResult } from '../engine/audit.js';
import type { BaselineSummary } from '../baseline/compare.js';
import { fingerprint, fingerprinter } from '../baseline/fingerprint.js';
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

/** A number as JSON.stringify prints it. */
function numberText(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/**
 * Whether `findingWriter` can print the finding by its template: a Kubernetes finding whose fields
 * have the types `Finding` says. Anything else (an AWS resource, a field a hand-made finding left
 * out) is printed through `findingJson`, whose output the template must equal.
 */
function fitsTemplate(f: Finding): boolean {
  const r = f.resource;
  const l = f.location;
  return r.provider === 'kubernetes'
    && typeof f.ruleId === 'string' && typeof f.severity === 'string' && typeof f.area === 'string' && typeof f.title === 'string'
    && typeof f.message === 'string' && typeof f.remediation === 'string' && Array.isArray(f.path)
    && typeof r.apiVersion === 'string' && typeof r.kind === 'string' && typeof r.name === 'string' && (r.namespace === undefined || typeof r.namespace === 'string')
    && (l === undefined || (typeof l.file === 'string' && typeof l.line === 'number' && typeof l.column === 'number'))
    && (f.origin === undefined || typeof f.origin === 'string') && (f.baselineState === undefined || typeof f.baselineState === 'string')
    && (f.suppressed === undefined || (typeof f.suppressed.kind === 'string' && typeof f.suppressed.reason === 'string'));
}

/** A line break and the indentation JSON.stringify(…, null, 2) gives a line `depth` levels deep. */
function newline(depth: number): string {
  return `\n${'  '.repeat(depth)}`;
}

/**
 * A patch as `nested(patchJson(patch), depth)` prints it. An operation whose value JSON has no
 * text for (undefined) has no `value` member there, as JSON.stringify leaves such a key out.
 */
function patchText(patch: readonly PatchOp[], depth: number): string {
  if (patch.length === 0) return '[]';
  const item = newline(depth + 1);
  const field = newline(depth + 2);
  let out = '[';
  for (const [i, op] of patch.entries()) {
    const value = op.op === 'remove' ? undefined : (JSON.stringify(op.value, null, 2) as string | undefined);
    const valueText = value === undefined ? '' : `,${field}"value": ${value.includes('\n') ? value.replaceAll('\n', field) : value}`;
    out += `${i === 0 ? '' : ','}${item}{${field}"op": ${JSON.stringify(op.op)},${field}"path": ${JSON.stringify(toJsonPointer(op.path))}${valueText}${item}}`;
  }
  return `${out}${newline(depth)}]`;
}

/** A finding's suggestions as `nested(suggestions.map(…), 3)` in `findingJson` prints them. */
function suggestionsText(suggestions: readonly Suggestion[] | undefined): string {
  if (suggestions === undefined || suggestions.length === 0) return '[]';
  let out = '[';
  for (const [i, s] of suggestions.entries()) {
    if (typeof s.message !== 'string') return nested(suggestions.map((x) => ({ message: x.message, patch: patchJson(x.patch) })), 3);
    out += `${i === 0 ? '' : ','}\n        {\n          "message": ${JSON.stringify(s.message)},\n          "patch": ${patchText(s.patch, 5)}\n        }`;
  }
  return `${out}\n      ]`;
}

/** The text a rule's findings share up to their message, and from their remediation to their fix. */
interface RuleText {
  readonly finding: Pick<Finding, 'ruleId' | 'severity' | 'area' | 'title' | 'remediation'>;
  readonly head: string;
  readonly remediation: string;
}

/**
 * Prints findings as `nested(findingJson(f), 2)` does, without building each finding's object
 * and re-indenting its text: a report holds thousands of findings, and those objects and strings
 * were most of its cost. What findings repeat is printed once per report: a rule's title and
 * remediation, and (findings come sorted by resource) the resource of the previous finding.
 */
function findingWriter(): (f: Finding) => string {
  const rules = new Map<string, RuleText>();
  const ruleText = (f: Finding): RuleText => {
    const known = rules.get(f.ruleId);
    const k = known?.finding;
    if (known !== undefined && k?.severity === f.severity && k.area === f.area && k.title === f.title && k.remediation === f.remediation) return known;
    const made: RuleText = {
      finding: f,
      head: `{\n      "ruleId": ${JSON.stringify(f.ruleId)},\n      "severity": ${JSON.stringify(f.severity)},\n      "area": ${JSON.stringify(f.area)},\n      "title": ${JSON.stringify(f.title)},\n      "message": `,
      remediation: `,\n      "remediation": ${JSON.stringify(f.remediation)},\n      "fix": `,
    };
    rules.set(f.ruleId, made);
    return made;
  };
  let last: { readonly resource: Finding['resource']; readonly file: string | undefined; readonly text: string } | undefined;
  const resourceText = (r: KubeResourceRef, file: string | undefined): string => {
    if (last?.resource !== r || last.file !== file) {
      const text = `,\n      "resource": {\n        "apiVersion": ${JSON.stringify(r.apiVersion)},\n        "kind": ${JSON.stringify(r.kind)},\n        "namespace": ${r.namespace === undefined ? 'null' : JSON.stringify(r.namespace)},\n        "name": ${JSON.stringify(r.name)},\n        "file": ${file === undefined ? 'null' : JSON.stringify(file)},\n        "line": `;
      last = { resource: r, file, text };
    }
    return last.text;
  };
  const fingerprintOf = fingerprinter();
  return (f) => {
    if (!fitsTemplate(f)) return nested(findingJson(f), 2);
    const rule = ruleText(f);
    const l = f.location;
    const pointer = toJsonPointer(f.path);
    const exemption = f.suppressed === undefined ? ''
      : `,\n      "exemption": {\n        "kind": ${JSON.stringify(f.suppressed.kind)},\n        "reason": ${JSON.stringify(f.suppressed.reason)}\n      }`;
    return rule.head + JSON.stringify(f.message) + resourceText(f.resource as KubeResourceRef, l?.file)
      + (l === undefined ? 'null,\n        "column": null' : `${numberText(l.line)},\n        "column": ${numberText(l.column)}`)
      + `,\n        "arn": null,\n        "id": null\n      },\n      "origin": ${f.origin === undefined ? 'null' : JSON.stringify(f.origin)}`
      + `,\n      "path": ${JSON.stringify(toDottedPath(f.path))},\n      "pointer": ${JSON.stringify(pointer)}${rule.remediation}`
      + (f.fix ? patchText(f.fix, 3) : 'null')
      + `,\n      "suggestions": ${suggestionsText(f.suggestions)},\n      "evidence": ${f.evidence ? nested(evidenceJson(f.evidence), 3) : 'null'}`
      // A fingerprint is `v1:` and hex digits, which JSON prints as they are.
      + `,\n      "fingerprint": "${fingerprintOf(f, pointer)}",\n      "baselineState": ${f.baselineState === undefined ? 'null' : JSON.stringify(f.baselineState)}${exemption}\n    }`;
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
  const text = findingWriter();
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
    for (const [i, finding] of list.entries()) yield `${i === 0 ? '\n' : ',\n'}    ${text(finding)}`;
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
