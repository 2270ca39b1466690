/**
 * Findings read back from a `-o json` report (docs/json-output.md), for `--baseline` and
 * `eksguard diff`: enough of each finding to fingerprint, list and report it again. A report that
 * is not one is a usage error naming the file and the finding. Pure.
 */
import { UsageError } from '../core/errors.js';
import { SEVERITIES, type Finding, type ResourceRef, type Severity, type Suppression } from '../core/finding.js';

/** The findings of a report, and the exempted ones (kept apart: a baseline holds only the former). */
export interface ReportFindings {
  readonly findings: readonly Finding[];
  readonly exempted: readonly Finding[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** RFC 6901 segments, unescaped; kept as strings, which give the same pointer back. */
function pathOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function resourceOf(r: Json): ResourceRef | undefined {
  const kind = text(r.kind);
  const name = text(r.name);
  const arn = text(r.arn);
  const service = text(r.service);
  if (kind === undefined) return undefined;
  if (arn !== undefined || service !== undefined) {
    const region = text(r.region);
    return { provider: 'aws', service: service ?? 'aws', type: kind, ...(arn !== undefined ? { arn } : {}), ...(name !== undefined ? { name } : {}), ...(region !== undefined ? { region } : {}) };
  }
  if (name === undefined) return undefined;
  const namespace = text(r.namespace);
  return { provider: 'kubernetes', apiVersion: text(r.apiVersion) ?? '', kind, name, ...(namespace !== undefined && namespace !== '' ? { namespace } : {}) };
}

function findingOf(value: unknown, where: string): Finding {
  const bad = (what: string) => new UsageError(`${where}: ${what}; is this an eksguard -o json report?`, 'Give reports written by eksguard scan -o json (docs/json-output.md).');
  if (!isObject(value)) throw bad('not an object');
  const ruleId = text(value.ruleId);
  const severity = text(value.severity);
  const message = text(value.message);
  if (ruleId === undefined || message === undefined) throw bad('no ruleId or message');
  if (severity === undefined || !(SEVERITIES as readonly string[]).includes(severity)) throw bad(`severity ${JSON.stringify(value.severity)} is not one of ${SEVERITIES.join(', ')}`);
  const resource = isObject(value.resource) ? resourceOf(value.resource) : undefined;
  if (resource === undefined) throw bad('no resource with a kind and a name or ARN');
  const r = value.resource as Json;
  const file = text(r.file);
  const origin = text(value.origin);
  const exemption = isObject(value.exemption) ? value.exemption : undefined;
  const kind = text(exemption?.kind);
  const suppressed: Suppression | undefined = exemption !== undefined && (kind === 'annotation' || kind === 'config' || kind === 'default') ? { kind, reason: text(exemption.reason) ?? '' } : undefined;
  return {
    ruleId,
    messageId: 'report',
    message,
    severity: severity as Severity,
    area: text(value.area) ?? '',
    title: text(value.title) ?? '',
    remediation: text(value.remediation) ?? '',
    resource,
    path: pathOf(text(value.pointer) ?? ''),
    ...(file !== undefined ? { location: { file, line: typeof r.line === 'number' ? r.line : 1, column: typeof r.column === 'number' ? r.column : 1 } } : {}),
    ...(origin !== undefined ? { origin } : {}),
    ...(suppressed !== undefined ? { suppressed } : {}),
  };
}

/** Parses the text of a `-o json` report; `file` names it in errors. */
export function parseReportFindings(textValue: string, file: string): ReportFindings {
  let doc: unknown;
  try {
    doc = JSON.parse(textValue);
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${(error as Error).message})`, 'Give a report written by eksguard scan -o json.');
  }
  if (!isObject(doc) || !Array.isArray(doc.findings)) throw new UsageError(`${file}: no "findings" list; is this an eksguard -o json report?`, 'Give a report written by eksguard scan -o json.');
  const exempted = Array.isArray(doc.exempted) ? doc.exempted : [];
  return {
    findings: doc.findings.map((f, i) => findingOf(f, `${file}: findings[${i}]`)),
    exempted: exempted.map((f, i) => findingOf(f, `${file}: exempted[${i}]`)),
  };
}
