/**
 * The `rbac` reports: a table for people, JSON for machines (keys always present, `null` for
 * absent values, as every eksguard JSON output), SARIF for `risky`. Pure: answer in, text out.
 */
import { plural } from '../core/plural.js';
import { createColors } from 'picocolors';
import { columns, wrapText, wrapWords } from '../report/terminal-text.js';
import type { Severity } from '../core/finding.js';
import type { Gap } from '../core/resource.js';
import type { IamCoverage } from './iam-identities.js';
import type { LookupAnswer, LookupRow } from './lookup.js';
import { describeRequest } from './query.js';
import { RISKS, type RiskId } from './risk-catalogue.js';
import type { Risk, RiskyReport } from './risky.js';
import { describeVia, type Via } from './via.js';
import type { WhoCanAnswer, WhoCanSubject } from './who-can.js';
import { SCHEMA_VERSIONS } from '../schemas/versions.js';
import type { CatalogueReport } from '../report/catalogue.js';

const RBAC_RISKY_DOCS = 'https://github.com/eksguard/eksguard/blob/main/docs/rbac.md#risky';

export interface RenderOptions {
  readonly color: boolean;
  /** Columns to wrap to: the terminal's, or 100 when not writing to one. */
  readonly width?: number;
}

const DEFAULT_WIDTH = 100;
/** Narrower than this, indents would leave too little room for words; the lines overflow instead. */
const MIN_WIDTH = 40;
const widthOf = (options: RenderOptions): number => Math.max(MIN_WIDTH, options.width ?? DEFAULT_WIDTH);

const nul = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

function gapJson(gap: Gap) {
  return { source: gap.source, line: nul(gap.line), code: gap.code, message: gap.message };
}

function gapLines(gaps: readonly Gap[]): string[] {
  return gaps.map((g) => `${g.source}${g.line !== undefined ? `:${g.line}` : ''}: ${g.message}`);
}

function viaJson(via: Via) {
  return { kind: via.kind, name: via.name, namespace: nul(via.namespace), role: nul(via.role), mapping: nul(via.mapping), as: nul(via.as), source: nul(via.source) };
}

function coverageJson(coverage: IamCoverage) {
  return { rbac: true, awsAuth: coverage.awsAuth, accessEntries: coverage.accessEntries, authenticationMode: nul(coverage.authenticationMode) };
}

/** `RBAC + aws-auth (no EKS access entries in the input)`, for table headings. */
function coverageLine(coverage: IamCoverage): string {
  const parts = ['RBAC'];
  if (coverage.awsAuth === 'present') parts.push('aws-auth');
  if (coverage.accessEntries === 'present') parts.push('EKS access entries and access policies');
  const missing: string[] = [];
  if (coverage.awsAuth === 'absent') missing.push('no aws-auth');
  if (coverage.accessEntries === 'not-collected') missing.push('no EKS access entries');
  if (coverage.awsAuth === 'ignored') missing.push('aws-auth ignored by authentication mode API');
  return `${parts.join(' + ')}${missing.length > 0 ? ` (${missing.join(', ')} in the input)` : ''}`;
}

export function table(rows: readonly (readonly string[])[], header: readonly string[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('   ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The notes and input problems every rbac table ends with, wrapped under their bullet. */
function notesAndGaps(notes: readonly string[], gaps: readonly Gap[], c: ReturnType<typeof createColors>, width: number): string[] {
  const out: string[] = [];
  if (notes.length > 0) {
    out.push(c.dim('Notes:'));
    for (const note of notes) out.push(...wrapText(`- ${note}`, width, '  ', '    ', c.dim));
    out.push('');
  }
  if (gaps.length > 0) {
    out.push(c.bold(c.red(`Incomplete: ${plural(gaps.length, 'input problem')}:`)));
    for (const line of gapLines(gaps)) out.push(...wrapText(line, width, '  ', '    '));
    out.push('');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// who-can
// ---------------------------------------------------------------------------------------------

export function renderWhoCanJson(answer: WhoCanAnswer, gaps: readonly Gap[]): string {
  const { request, scope } = answer.query;
  const resource = 'nonResourceURL' in request
    ? { apiGroup: null, resource: null, subresource: null, name: null, nonResourceURL: request.nonResourceURL }
    : { apiGroup: request.apiGroup, resource: request.resource, subresource: nul(request.subresource), name: nul(request.name), nonResourceURL: null };
  return `${JSON.stringify({
    schemaVersion: SCHEMA_VERSIONS['rbac-who-can'],
    request: { verb: request.verb, ...resource, namespace: scope.type === 'namespace' ? scope.namespace : null, scope: scope.type },
    subjects: answer.subjects.map((s) => ({
      kind: s.kind, name: s.name, namespace: nul(s.namespace), via: s.via.map(viaJson),
      scope: { clusterWide: s.scope.clusterWide, namespaces: s.scope.namespaces }, members: nul(s.members),
    })),
    dangling: answer.dangling.map((d) => ({ kind: d.kind, name: d.name, namespace: nul(d.namespace), roleRef: d.roleRef, subjects: d.subjects, source: nul(d.source) })),
    coverage: coverageJson(answer.coverage),
    notes: answer.notes,
    gaps: gaps.map(gapJson),
  }, null, 2)}\n`;
}

function subjectName(s: Pick<WhoCanSubject, 'kind' | 'name' | 'namespace'>): string {
  return s.kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name;
}

function whereWords(answer: WhoCanAnswer): string {
  switch (answer.query.scope.type) {
    case 'namespace': return ` in namespace ${answer.query.scope.namespace}`;
    case 'cluster': return '';
    default: return ' in any namespace';
  }
}

export function renderWhoCanTable(answer: WhoCanAnswer, gaps: readonly Gap[], options: RenderOptions): string {
  const c = createColors(options.color);
  const width = widthOf(options);
  const out: string[] = [];
  out.push(...wrapText(`Who can ${describeRequest(answer.query.request)}${whereWords(answer)}`, width, '', '  ', c.bold));
  out.push(...wrapText(`From ${coverageLine(answer.coverage)}.`, width, '', '  ', c.dim));
  out.push('');
  const rows: string[][] = [];
  for (const s of answer.subjects) {
    s.via.forEach((via, i) => {
      rows.push([i === 0 ? s.kind : '', i === 0 ? subjectName(s) : '', via.namespace ?? 'cluster-wide', describeVia(via)]);
    });
    if (s.members !== undefined) rows.push(['', '', '', `(${s.members})`]);
  }
  out.push(...columns([['KIND', 'NAME', 'SCOPE', 'VIA'], ...rows], width, (row, _col, text) => (row === 0 ? c.dim(text) : text), { gap: 3, narrow: [1, 2] }));
  out.push('');
  if (answer.dangling.length > 0) {
    out.push(...wrapText(`${plural(answer.dangling.length, 'binding')} in scope name a role that does not exist, and grant nothing until someone creates it:`, width, '', '  ', c.yellow));
    for (const d of answer.dangling) {
      out.push(...wrapText(`${d.kind} ${d.namespace !== undefined ? `${d.namespace}/` : ''}${d.name} → ${d.roleRef} (missing)${d.subjects.length > 0 ? `, for ${d.subjects.join(', ')}` : ''}${d.source !== undefined ? `  ${d.source}` : ''}`, width, '  ', '    '));
    }
    out.push('');
  }
  out.push(...notesAndGaps(answer.notes, gaps, c, width));
  const others = answer.subjects.length - 1;
  out.push(...wrapText(`${plural(answer.subjects.length, 'subject')} (system:masters${others > 0 ? ` and ${others} granted the request` : ' only'})${gaps.length > 0 ? ` · ${plural(gaps.length, 'gap')}` : ''}`, width, '', '  '));
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// lookup
// ---------------------------------------------------------------------------------------------

function lookupSubject(row: Pick<LookupRow, 'subject'>): string {
  const s = row.subject;
  return `${s.kind}/${s.kind === 'ServiceAccount' ? `${s.namespace ?? ''}:${s.name}` : s.name}`;
}

export function lookupRole(row: LookupRow): string {
  return `${row.role.kind}/${row.role.name}${row.role.missing ? ' (missing)' : ''}`;
}

export function lookupSource(row: LookupRow): string {
  return `${row.source.kind.replace(' ', '-')}/${row.source.name}`;
}

export function renderLookupJson(answer: LookupAnswer, gaps: readonly Gap[]): string {
  return `${JSON.stringify({
    schemaVersion: SCHEMA_VERSIONS['rbac-lookup'],
    query: { subject: answer.query.subject, kind: nul(answer.query.kind), exact: answer.query.exact === true },
    subjects: answer.subjects.map((s) => ({ kind: s.kind, name: s.name, namespace: nul(s.namespace), mappedFrom: s.mappedFrom, notes: s.notes })),
    rows: answer.rows.map((r) => ({
      subject: { kind: r.subject.kind, name: r.subject.name, namespace: nul(r.subject.namespace) },
      scope: r.scope,
      role: { kind: r.role.kind, name: r.role.name, missing: r.role.missing },
      source: { kind: r.source.kind, name: r.source.name, namespace: nul(r.source.namespace), location: nul(r.source.location) },
      through: nul(r.through),
    })),
    coverage: coverageJson(answer.coverage),
    notes: answer.notes,
    gaps: gaps.map(gapJson),
  }, null, 2)}\n`;
}

/** rbac-lookup's `-o wide` columns (SUBJECT SCOPE ROLE SOURCE), plus THROUGH when a row is inherited. */
export function renderLookupTable(answer: LookupAnswer, gaps: readonly Gap[], options: RenderOptions): string {
  const c = createColors(options.color);
  const width = widthOf(options);
  const out: string[] = [];
  if (answer.rows.length === 0) {
    out.push('No RBAC Bindings found');
  } else {
    const through = answer.rows.some((r) => r.through !== undefined);
    const header = ['SUBJECT', 'SCOPE', 'ROLE', 'SOURCE', ...(through ? ['THROUGH'] : [])];
    const rows = answer.rows.map((r) => [lookupSubject(r), r.scope, lookupRole(r), lookupSource(r), ...(through ? [r.through ?? ''] : [])]);
    out.push(...columns([header, ...rows], width, (row, _col, text) => (row === 0 ? c.dim(text) : text), { gap: 3, narrow: [0, 1, 2, 3] }));
  }
  const details = answer.subjects.filter((s) => s.mappedFrom.length > 0 || s.notes.length > 0);
  if (details.length > 0) {
    out.push('');
    for (const s of details) {
      out.push(...wrapText(lookupSubject({ subject: s }), width, '', '  ', c.bold));
      for (const m of s.mappedFrom) out.push(...wrapText(`mapped from ${m}`, width, '  ', '    '));
      for (const n of s.notes) out.push(...wrapText(n, width, '  ', '    '));
    }
  }
  out.push('');
  out.push(...wrapText(`From ${coverageLine(answer.coverage)}. Built-in grants every identity has through system:authenticated are left out.`, width, '', '  ', c.dim));
  for (const note of answer.notes) out.push(...wrapText(`- ${note}`, width, '  ', '    ', c.dim));
  if (gaps.length > 0) {
    out.push('');
    out.push(c.bold(c.red(`Incomplete: ${plural(gaps.length, 'input problem')}:`)));
    for (const line of gapLines(gaps)) out.push(...wrapText(line, width, '  ', '    '));
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// risky
// ---------------------------------------------------------------------------------------------

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

function riskSubject(risk: Risk): string {
  const s = risk.subject;
  return `${s.kind} ${s.kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name}`;
}

export function renderRiskyJson(report: RiskyReport, gaps: readonly Gap[]): string {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, report.risks.filter((r) => r.severity === s).length]));
  return `${JSON.stringify({
    schemaVersion: SCHEMA_VERSIONS['rbac-risky'],
    summary: { risks: report.risks.length, bySeverity },
    risks: report.risks.map((r) => ({
      id: r.id, severity: r.severity, title: r.title,
      subject: { kind: r.subject.kind, name: r.subject.name, namespace: nul(r.subject.namespace) },
      namespace: nul(r.namespace), message: r.message, path: r.path, via: r.via.map(viaJson), heldBy: r.heldBy,
    })),
    coverage: coverageJson(report.coverage),
    notes: report.notes,
    gaps: gaps.map(gapJson),
  }, null, 2)}\n`;
}

/** What `risky -v` adds: every binding or mapping a risk comes through (the table shows three), and the docs link. */
export interface RiskyTableOptions extends RenderOptions {
  readonly verbose?: boolean;
}

/** Bindings and mappings listed under a risk in the default table; `-v` and `-o json` have them all. */
const SHOWN_VIA = 3;

export function renderRiskyTable(report: RiskyReport, gaps: readonly Gap[], options: RiskyTableOptions): string {
  const c = createColors(options.color);
  const paint: Readonly<Record<Severity, (s: string) => string>> = {
    critical: (s) => c.bold(c.red(s)), high: c.red, medium: c.yellow, low: c.cyan, info: c.dim,
  };
  const width = widthOf(options);
  const hang = ' '.repeat(10);
  const out: string[] = [];
  for (const r of report.risks) {
    const head = wrapText(`${riskSubject(r)}  ${r.id}`, width, hang, `${hang}  `, c.bold);
    out.push(`${paint[r.severity](r.severity.toUpperCase().padEnd(8))}  ${(head[0] ?? '').slice(hang.length)}`, ...head.slice(1));
    if (r.path.length > 1) {
      out.push(...wrapText(r.path[0] ?? '', width, hang, `${hang}  `));
      for (const step of r.path.slice(1)) out.push(...wrapText(`→ ${step}`, width, `${hang}  `, `${hang}    `));
    } else {
      out.push(...wrapText(r.message, width, hang, hang));
    }
    const vias = options.verbose === true ? r.via : r.via.slice(0, SHOWN_VIA);
    if (r.path.length > 1) for (const via of vias) out.push(...wrapText(`via ${describeVia(via)}${via.source !== undefined ? `  ${via.source}` : ''}`, width, hang, `${hang}  `, c.dim));
    // Without -v the line says what it leaves out; with it, a binding without a source is named too.
    else for (const via of vias) if (via.source !== undefined || options.verbose === true) out.push(...wrapText(`${describeVia(via)}${via.source !== undefined ? `  ${via.source}` : ''}`, width, hang, `${hang}  `, c.dim));
    if (vias.length < r.via.length) out.push(...wrapText(`(+${plural(r.via.length - vias.length, 'more binding')}: -v or -o json lists them)`, width, hang, `${hang}  `, c.dim));
    if (r.heldBy.length > 0) out.push(...wrapText(`held by: ${r.heldBy.join('; ')}`, width, hang, `${hang}  `, c.dim));
    if (options.verbose === true) out.push(...wrapText(`docs: ${RBAC_RISKY_DOCS}`, width, hang, `${hang}  `, c.dim));
  }
  if (report.risks.length > 0) out.push('');
  out.push(...notesAndGaps(report.notes, gaps, c, width));
  const counts = SEVERITIES.map((s) => [s, report.risks.filter((r) => r.severity === s).length] as const).filter(([, n]) => n > 0);
  const headline = report.risks.length === 0
    ? c.green('No risky permissions or escalation paths found')
    : `${plural(report.risks.length, 'risk')}: ${counts.map(([s, n]) => paint[s](`${n} ${s}`)).join(', ')}`;
  out.push(...wrapWords([headline, `from ${coverageLine(report.coverage)}`, ...(gaps.length > 0 ? [c.red(plural(gaps.length, 'gap'))] : [])], width, '', '  ', ' · '));
  return `${out.join('\n')}\n`;
}

const SARIF_LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** `file:line` → location; anything else (a cluster, a dump file) names the subject logically. */
function sarifLocation(risk: Risk) {
  const source = risk.via[0]?.source;
  const m = source === undefined ? null : /^(.*):(\d+)$/.exec(source);
  const logical = [{ name: riskSubject(risk), kind: 'object' }];
  if (m === null || m[1] === undefined || m[1].startsWith('cluster:')) return { logicalLocations: logical };
  const uri = m[1] === '-' ? 'stdin' : m[1].split(/[\\/]/).map(encodeURIComponent).join('/');
  return { physicalLocation: { artifactLocation: { uri }, region: { startLine: Number(m[2]) } }, logicalLocations: logical };
}

export function renderRiskySarif(report: RiskyReport, version: string): string {
  const ids = Object.keys(RISKS) as RiskId[];
  const rules = ids.map((id) => ({
    id: `rbac/${id}`,
    name: id,
    shortDescription: { text: RISKS[id].title },
    fullDescription: { text: RISKS[id].description },
    helpUri: RBAC_RISKY_DOCS,
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'eksguard', version, informationUri: 'https://github.com/eksguard/eksguard', rules } },
      results: report.risks.map((r) => ({
        ruleId: `rbac/${r.id}`,
        ruleIndex: ids.indexOf(r.id),
        level: SARIF_LEVEL[r.severity],
        message: { text: r.message },
        locations: [sarifLocation(r)],
        properties: { severity: r.severity, subject: riskSubject(r), scope: r.namespace ?? 'cluster-wide' },
      })),
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** The risks as catalogue rows, for the JUnit and Markdown reports (src/report/catalogue.ts). */
export function riskyCatalogue(report: RiskyReport, gaps: readonly Gap[]): CatalogueReport {
  const entries = (Object.keys(RISKS) as RiskId[]).map((id) => ({ id, title: RISKS[id].title, description: RISKS[id].description, helpUri: RBAC_RISKY_DOCS }));
  const rows = report.risks.map((r) => {
    const source = r.via.map((v) => v.source).find((s) => s !== undefined);
    const m = source === undefined ? null : /^(.*):(\d+)$/.exec(source);
    const inFile = m !== null && m[1] !== undefined && !m[1].startsWith('cluster:');
    return {
      id: r.id, severity: r.severity, subject: riskSubject(r), message: r.message, failed: true,
      scope: r.namespace !== undefined ? `namespace ${r.namespace}` : 'cluster-wide',
      ...(inFile && m?.[1] !== undefined ? { file: m[1], line: Number(m[2]) } : {}),
    };
  });
  return { command: 'eksguard rbac risky', noun: 'risk', entries, rows, gaps, notes: report.notes };
}
