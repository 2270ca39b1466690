/** The `pss check` reports: a table for people, JSON (DESIGN.md's shape) for machines. */
import { createColors } from 'picocolors';
import type { Gap } from '../core/resource.js';
import type { CheckReport, NamespaceVerdictPolicy, PodSpecVerdict } from './check-inventory.js';
import { formatPolicy } from './levels.js';
import { SCHEMA_VERSIONS } from '../schemas/versions.js';
import { describeWorkload, gapJson, gapLines, lineOf, plural, resourceJson, tableWidth, violationJson, type TableStyle } from './render-common.js';
import { wrapText, wrapWords } from '../report/terminal-text.js';
import { terminalText } from '../core/terminal-text.js';

export function renderCheckJson(report: CheckReport, gaps: readonly Gap[]): string {
  return `${JSON.stringify({
    schemaVersion: SCHEMA_VERSIONS['pss-check'],
    level: report.level,
    version: report.version,
    results: report.results.map((r) => ({
      resource: resourceJson(r.workload),
      level: r.level,
      version: r.version,
      allowed: r.result.allowed,
      violations: r.result.violations.map(violationJson),
    })),
    namespaces: report.namespaces.map((ns) => ({
      name: ns.name,
      source: ns.source,
      level: ns.enforce.level,
      version: ns.enforce.version,
      labelErrors: ns.labelErrors,
    })),
    gaps: gaps.map(gapJson),
  }, null, 2)}\n`;
}

const SOURCE_WORDS: Readonly<Record<NamespaceVerdictPolicy['source'], string>> = {
  option: 'as asked',
  labels: 'its enforce label',
  unlabelled: "no enforce label: PSA's default",
  absent: "not in the input: PSA's default (add the Namespace object to use its labels)",
};

export function renderCheckTable(report: CheckReport, gaps: readonly Gap[], options: TableStyle): string {
  const c = createColors(options.color);
  const columns = tableWidth(options);
  const out: string[] = [];
  const width = Math.max(0, ...report.results.flatMap((r) => r.result.violations.map((v) => v.check.length)));
  const verdictLines = (r: PodSpecVerdict): string[] => {
    const verdict = r.result.allowed ? c.green('allowed') : c.red(c.bold('DENIED '));
    const rest = wrapText(`${describeWorkload(r.workload)}  ${formatPolicy(r.level, r.version)}`, columns, ' '.repeat(9), ' '.repeat(11), c.bold);
    return [`${verdict}  ${(rest[0] ?? '').slice(9)}`, ...rest.slice(1)];
  };
  // Messages hang under the message column; when the check column leaves it too little room, under the check.
  const messageAt = 9 + width + 2 <= columns - 30 ? 9 + width + 2 : 11;
  for (const r of report.results) {
    out.push(...verdictLines(r));
    for (const v of r.result.violations) {
      const line = lineOf(r.workload, v.paths);
      const text = wrapText(`${v.message}${line !== undefined ? `  line ${line}` : ''}`, columns, ' '.repeat(messageAt), ' '.repeat(messageAt));
      const head = `         ${v.check.padEnd(width)}  `;
      if (messageAt === head.length) out.push(`${head}${(text[0] ?? '').slice(messageAt)}`, ...text.slice(1));
      else out.push(head.trimEnd(), ...text);
    }
  }
  if (report.results.length > 0) out.push('');

  if (report.level === null && report.namespaces.length > 0) {
    out.push(c.bold('Policy per namespace (enforce):'));
    const nameWidth = Math.max(...report.namespaces.map((ns) => ns.name.length));
    for (const ns of report.namespaces) {
      const lead = `  ${terminalText(ns.name).padEnd(nameWidth)}  ${formatPolicy(ns.enforce.level, ns.enforce.version).padEnd(18)}  `;
      const words = wrapText(SOURCE_WORDS[ns.source], columns, lead.length <= columns - 30 ? ' '.repeat(lead.length) : '    ', lead.length <= columns - 30 ? ' '.repeat(lead.length) : '    ', c.dim);
      if (lead.length <= columns - 30) out.push(`${lead}${(words[0] ?? '').slice(lead.length)}`, ...words.slice(1));
      else out.push(lead.trimEnd(), ...words);
      for (const e of ns.labelErrors) out.push(...wrapText(`label ${e.label}=${JSON.stringify(e.value)} is not valid: PSA uses ${e.fallback}`, columns, '    ', '      ', c.yellow));
    }
    out.push('');
  }
  if (gaps.length > 0) {
    out.push(c.bold(c.red(`Incomplete: ${plural(gaps.length, 'input problem')}:`)));
    for (const line of gapLines(gaps)) out.push(...wrapText(line, columns, '  ', '    '));
    out.push('');
  }
  const denied = report.results.filter((r) => !r.result.allowed).length;
  const judged = report.level === null
    ? `at each namespace's enforce level${report.version !== null ? `, version ${report.version}` : ''}`
    : `at ${formatPolicy(report.level, report.version ?? 'latest')}`;
  const headline = denied === 0 ? c.green(`${plural(report.results.length, 'pod spec')} allowed`) : `${c.red(`${denied} of ${plural(report.results.length, 'pod spec')} denied`)}`;
  out.push(...wrapWords([`${headline} ${judged}`, ...(gaps.length > 0 ? [c.red(plural(gaps.length, 'gap'))] : [])], columns, '', '  ', ' · '));
  return `${out.join('\n')}\n`;
}
