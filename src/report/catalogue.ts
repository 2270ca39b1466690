/**
 * Reports for the commands whose results are not rule findings but entries of their own catalogue
 * (`rbac risky`: risks; `pss check`: Pod Security checks): SARIF, JUnit and Markdown from one
 * row shape, so each such command writes the same formats as `scan` without an adapter per format.
 * Pure: rows in, text out.
 */
import { SEVERITIES, severityRank, type Severity } from '../core/finding.js';
import { plural } from '../core/plural.js';
import type { Gap } from '../core/resource.js';
import { xmlAttr, xmlText } from './junit.js';
import { escapeMarkdown } from './markdown.js';

/** One check of the catalogue (a SARIF rule, a JUnit suite). */
export interface CatalogueEntry {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly helpUri: string;
}

/** One result: a failed check for a subject (`failed: false` is a pass, listed by JUnit only). */
export interface CatalogueRow {
  readonly id: string;
  readonly severity: Severity;
  /** `ServiceAccount ci/deployer`, `Deployment shop/web`. */
  readonly subject: string;
  readonly message: string;
  /** The file and line it was read from, when it was read from a file. */
  readonly file?: string;
  readonly line?: number;
  /** Where it is when not in a file: `cluster-wide`, `namespace ci`, `cluster:prod`. */
  readonly scope: string;
  readonly failed: boolean;
}

export interface CatalogueReport {
  /** `eksguard rbac risky`: names the tool run in Markdown and JUnit. */
  readonly command: string;
  /** `risk`, `denied pod spec`: what the headline counts. */
  readonly noun: string;
  readonly entries: readonly CatalogueEntry[];
  readonly rows: readonly CatalogueRow[];
  readonly gaps: readonly Gap[];
  readonly notes?: readonly string[];
}

const SARIF_LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

function uriOf(file: string): string {
  return file === '-' ? 'stdin' : file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** SARIF 2.1.0: every entry is a rule, every failed row a result; input problems are notifications. */
export function renderCatalogueSarif(report: CatalogueReport, version: string, idPrefix = ''): string {
  const index = new Map(report.entries.map((e, i) => [e.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'eksguard', version, informationUri: 'https://github.com/eksguard/eksguard',
          rules: report.entries.map((e) => ({
            id: `${idPrefix}${e.id}`, name: e.id, shortDescription: { text: e.title }, fullDescription: { text: e.description }, helpUri: e.helpUri,
            properties: { tags: ['security', 'kubernetes'] },
          })),
        },
      },
      invocations: [{
        executionSuccessful: report.gaps.length === 0,
        toolExecutionNotifications: report.gaps.map((g) => ({ level: 'error', message: { text: `${g.source}${g.line !== undefined ? `:${g.line}` : ''}: ${g.message} (${g.code})` } })),
      }],
      results: report.rows.filter((r) => r.failed).map((r) => ({
        ruleId: `${idPrefix}${r.id}`,
        ...(index.has(r.id) ? { ruleIndex: index.get(r.id) } : {}),
        level: SARIF_LEVEL[r.severity],
        message: { text: r.message },
        locations: [{
          ...(r.file !== undefined ? { physicalLocation: { artifactLocation: { uri: uriOf(r.file) }, ...(r.line !== undefined ? { region: { startLine: r.line } } : {}) } } : {}),
          logicalLocations: [{ name: r.subject, kind: 'object' }],
        }],
        properties: { severity: r.severity, 'security-severity': SECURITY_SEVERITY[r.severity], subject: r.subject, scope: r.scope },
      })),
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function attrs(values: Readonly<Record<string, string | number | undefined>>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlAttr(String(value))}"`)
    .join('');
}

/** JUnit XML: one suite per entry with results, one case per row (failing or passing); input problems are the `errors` suite. */
export function renderCatalogueJunit(report: CatalogueReport): string {
  const suites: { xml: string; tests: number; failures: number; errors: number }[] = [];
  const ids = [...new Set(report.rows.map((r) => r.id))].sort((a, b) => a.localeCompare(b));
  for (const id of ids) {
    const rows = report.rows.filter((r) => r.id === id);
    const cases = rows.map((r) => {
      const open = `    <testcase${attrs({ classname: id, name: r.subject, file: r.file, line: r.line })}`;
      if (!r.failed) return `${open}/>`;
      const body = `${r.severity}: ${r.message}\n  ${r.file !== undefined ? `at ${r.file}${r.line !== undefined ? `:${r.line}` : ''}` : `in ${r.scope}`}`;
      return `${open}>\n      <failure${attrs({ type: r.severity, message: r.message })}>${xmlText(body)}</failure>\n    </testcase>`;
    });
    const failures = rows.filter((r) => r.failed).length;
    suites.push({ xml: [`  <testsuite${attrs({ name: id, tests: rows.length, failures, errors: 0, skipped: 0 })}>`, ...cases, '  </testsuite>'].join('\n'), tests: rows.length, failures, errors: 0 });
  }
  if (report.gaps.length > 0) {
    const cases = report.gaps.map((g) => `    <testcase${attrs({ classname: 'errors', name: `${g.source}${g.line !== undefined ? `:${g.line}` : ''}` })}>\n      <error${attrs({ type: g.code, message: g.message })}/>\n    </testcase>`);
    suites.push({ xml: [`  <testsuite${attrs({ name: 'errors', tests: cases.length, failures: 0, errors: cases.length, skipped: 0 })}>`, ...cases, '  </testsuite>'].join('\n'), tests: cases.length, failures: 0, errors: cases.length });
  }
  const total = (pick: (s: (typeof suites)[number]) => number): number => suites.reduce((n, s) => n + pick(s), 0);
  const root = attrs({ name: report.command, tests: total((s) => s.tests), failures: total((s) => s.failures), errors: total((s) => s.errors), skipped: 0 });
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${root}>`, ...suites.map((s) => s.xml), '</testsuites>', ''].join('\n');
}

const DEFAULT_MAX_ROWS = 50;

/** A Markdown table for a pull-request comment, worst first; everything from the input is escaped. */
export function renderCatalogueMarkdown(report: CatalogueReport, maxRows = DEFAULT_MAX_ROWS): string {
  const failed = report.rows.filter((r) => r.failed).sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const urls = new Map(report.entries.map((e) => [e.id, e.helpUri]));
  const counts = SEVERITIES.map((s) => [s, failed.filter((r) => r.severity === s).length] as const).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  const out = [`### ${report.command}`, ''];
  out.push(failed.length === 0 ? `**No ${report.noun}s**` : `**${plural(failed.length, report.noun)}**: ${counts.join(', ')}`, '');
  if (failed.length > 0) {
    out.push('| Severity | Check | Subject | Where | Message |', '|---|---|---|---|---|');
    for (const r of failed.slice(0, maxRows)) {
      const url = urls.get(r.id);
      const id = url !== undefined ? `[${escapeMarkdown(r.id)}](${url})` : escapeMarkdown(r.id);
      const where = r.file !== undefined ? `${r.file}${r.line !== undefined ? `:${r.line}` : ''}` : r.scope;
      out.push(`| ${r.severity} | ${id} | ${escapeMarkdown(r.subject)} | ${escapeMarkdown(where)} | ${escapeMarkdown(r.message)} |`);
    }
    if (failed.length > maxRows) out.push('', `… and ${failed.length - maxRows} more (\`-o json\` lists every one).`);
    out.push('');
  }
  if ((report.notes ?? []).length > 0) {
    out.push('<details><summary>Notes</summary>', '', ...(report.notes ?? []).map((n) => `- ${escapeMarkdown(n)}`), '', '</details>', '');
  }
  if (report.gaps.length > 0) {
    out.push(`**Incomplete: ${plural(report.gaps.length, 'input problem')}**`, '');
    for (const g of report.gaps) out.push(`- ${escapeMarkdown(`${g.source}${g.line !== undefined ? `:${g.line}` : ''}: ${g.message} (${g.code})`)}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
