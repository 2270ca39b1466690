/** What each command's result becomes on the HTML page: scan, audit analyze and rbac risky. Pure. */
import type { AuditLogResult } from '../../audit-log/result.js';
import { baselineSentence, type BaselineSummary } from '../../baseline/compare.js';
import { toDottedPath } from '../../core/field-path.js';
import { SEVERITIES, type Finding, type Severity } from '../../core/finding.js';
import { formatRef, type Gap } from '../../core/resource.js';
import type { AuditResult } from '../../engine/audit.js';
import { describeVia } from '../../rbac/via.js';
import type { RiskyReport } from '../../rbac/risky.js';
import type { ReportedRule } from '../context.js';
import { patchJson } from '../json.js';
import type { HtmlFinding, HtmlPage } from './model.js';

/** Events shown per audit-log finding; the count says how many there were. */
const MAX_EVENTS = 10;
const MAX_SOURCES_LISTED = 8;

export interface HtmlContext {
  readonly version: string;
  /** When the report was made (ISO 8601); the CLI passes the clock, reporters do not read it. */
  readonly generatedAt?: string;
  readonly sources: readonly { readonly path: string }[];
  readonly rules?: readonly ReportedRule[];
  readonly baseline?: BaselineSummary;
  /** What else the header names: the cluster, the AWS account and region. */
  readonly facts?: readonly (readonly [string, string])[];
}

function where(f: Finding): string {
  if (f.location) return `${f.location.file}:${f.location.line}`;
  if (f.resource.provider === 'aws' && f.resource.arn !== undefined) return f.resource.arn;
  return f.origin ?? '';
}

function patchText(f: Finding): string {
  if (f.fix) return JSON.stringify(patchJson(f.fix), null, 2);
  if (f.suggestions && f.suggestions.length > 0) return JSON.stringify(f.suggestions.map((s) => ({ suggestion: s.message, patch: patchJson(s.patch) })), null, 2);
  return '';
}

export function htmlFinding(f: Finding, urls: ReadonlyMap<string, string>): HtmlFinding {
  const events = f.evidence?.events.slice(0, MAX_EVENTS).map((e) => ({ time: e.time, user: e.impersonatedUser !== undefined ? `${e.user} as ${e.impersonatedUser}` : e.user, sourceIP: e.sourceIP, verb: e.verb, object: e.object, code: e.code ?? null }));
  return {
    severity: f.severity,
    ruleId: f.ruleId,
    title: f.title,
    area: f.area,
    namespace: f.resource.provider === 'kubernetes' ? f.resource.namespace ?? '' : '',
    resource: formatRef(f.resource),
    where: where(f),
    message: f.message,
    path: toDottedPath(f.path),
    remediation: f.remediation,
    url: urls.get(f.ruleId) ?? '',
    patch: patchText(f),
    baseline: f.baselineState ?? null,
    ...(events !== undefined ? { events, eventCount: f.evidence?.count ?? events.length } : {}),
  };
}

function gapRows(gaps: readonly Gap[]): HtmlPage['gaps'] {
  return gaps.map((g) => ({ where: `${g.source}${g.line !== undefined ? `:${g.line}` : ''}`, code: g.code, message: g.message }));
}

function facts(context: HtmlContext): [string, string][] {
  const paths = context.sources.map((s) => s.path);
  const listed = paths.length > MAX_SOURCES_LISTED ? [...paths.slice(0, MAX_SOURCES_LISTED), `and ${paths.length - MAX_SOURCES_LISTED} more`] : paths;
  return [
    ...(paths.length > 0 ? [['Sources', listed.join(', ')] as [string, string]] : []),
    ...(context.facts ?? []).map(([k, v]) => [k, v] as [string, string]),
    ...(context.generatedAt !== undefined ? [['Generated', context.generatedAt] as [string, string]] : []),
  ];
}

function fromAuditResult(command: string, result: AuditResult, context: HtmlContext, noun: string): HtmlPage {
  const urls = new Map((context.rules ?? []).map((r) => [r.rule.id, r.rule.meta.docs.url]));
  const s = result.summary;
  const extras = [`${s.rulesRun} rules`];
  if (s.exempted > 0) extras.push(`${s.exempted} exempted`);
  if (result.gaps.length > 0) extras.push(`${result.gaps.length} input problem${result.gaps.length === 1 ? '' : 's'}`);
  if (context.baseline !== undefined) extras.push(baselineSentence(context.baseline));
  return {
    command,
    version: context.version,
    facts: facts(context),
    summary: { findings: s.findings, bySeverity: s.bySeverity, score: s.score ?? undefined, extras },
    noun,
    findings: result.findings.map((f) => htmlFinding(f, urls)),
    exempted: result.exempted.map((f) => ({ finding: htmlFinding(f, urls), kind: f.suppressed?.kind ?? 'config', reason: f.suppressed?.reason ?? '' })),
    notEvaluated: result.notEvaluated,
    gaps: gapRows(result.gaps),
    notes: [],
  };
}

export function htmlFromScan(result: AuditResult, context: HtmlContext): HtmlPage {
  return fromAuditResult('eksguard scan', result, context, 'findings');
}

export function htmlFromAuditLog(result: AuditLogResult, context: HtmlContext): HtmlPage {
  const page = fromAuditResult('eksguard audit analyze', result, { ...context, rules: result.detections }, 'findings');
  const unjudged = result.unjudged.map((u) => `${u.detection}: ${u.count} event${u.count === 1 ? '' : 's'} not judged, ${u.reason}`);
  return { ...page, summary: { ...page.summary, extras: [`${result.events} events`, ...page.summary.extras] }, timeline: result.timeline, notes: unjudged };
}

const RBAC_DOCS = 'https://github.com/eksguard/eksguard/blob/main/docs/rbac.md#risky';

export function htmlFromRisky(report: RiskyReport, gaps: readonly Gap[], context: HtmlContext): HtmlPage {
  const bySeverity = Object.fromEntries(SEVERITIES.map((sev) => [sev, 0])) as Record<Severity, number>;
  for (const r of report.risks) bySeverity[r.severity] += 1;
  const findings: HtmlFinding[] = report.risks.map((r) => ({
    severity: r.severity,
    ruleId: r.id,
    title: r.title,
    area: 'rbac',
    namespace: r.namespace ?? '',
    resource: `${r.subject.kind} ${r.subject.namespace !== undefined ? `${r.subject.namespace}/` : ''}${r.subject.name}`,
    where: r.via.map((v) => v.source).find((s) => s !== undefined) ?? (r.namespace === undefined ? 'cluster-wide' : `namespace ${r.namespace}`),
    message: r.message,
    path: r.via.slice(0, 3).map(describeVia).join('; '),
    remediation: r.heldBy.length > 0 ? `Held by: ${r.heldBy.join('; ')}` : '',
    url: RBAC_DOCS,
    patch: '',
    baseline: null,
    steps: r.path,
  }));
  return {
    command: 'eksguard rbac risky',
    version: context.version,
    facts: facts(context),
    summary: { findings: findings.length, bySeverity, extras: gaps.length > 0 ? [`${gaps.length} input problem${gaps.length === 1 ? '' : 's'}`] : [] },
    noun: 'risks',
    findings,
    exempted: [],
    notEvaluated: [],
    gaps: gapRows(gaps),
    notes: report.notes,
  };
}
