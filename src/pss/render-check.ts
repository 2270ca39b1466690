/** The `pss check` reports: a table for people, JSON (DESIGN.md's shape) for machines. */
import { createColors } from 'picocolors';
import type { Gap } from '../core/resource.js';
import type { CheckReport, NamespaceVerdictPolicy, PodSpecVerdict } from './check-inventory.js';
import { formatPolicy } from './levels.js';
import { SCHEMA_VERSIONS } from '../schemas/versions.js';
import { describeWorkload, gapJson, gapLines, lineOf, plural, resourceJson, violationJson } from './render-common.js';

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

export function renderCheckTable(report: CheckReport, gaps: readonly Gap[], options: { readonly color: boolean }): string {
  const c = createColors(options.color);
  const out: string[] = [];
  const width = Math.max(0, ...report.results.flatMap((r) => r.result.violations.map((v) => v.check.length)));
  const verdictLine = (r: PodSpecVerdict): string => {
    const verdict = r.result.allowed ? c.green('allowed') : c.red(c.bold('DENIED '));
    return `${verdict}  ${c.bold(describeWorkload(r.workload))}  ${c.dim(formatPolicy(r.level, r.version))}`;
  };
  for (const r of report.results) {
    out.push(verdictLine(r));
    for (const v of r.result.violations) {
      const line = lineOf(r.workload, v.paths);
      out.push(`         ${v.check.padEnd(width)}  ${v.message}${line !== undefined ? c.dim(`  line ${line}`) : ''}`);
    }
  }
  if (report.results.length > 0) out.push('');

  if (report.level === null && report.namespaces.length > 0) {
    out.push(c.bold('Policy per namespace (enforce):'));
    const nameWidth = Math.max(...report.namespaces.map((ns) => ns.name.length));
    for (const ns of report.namespaces) {
      out.push(`  ${ns.name.padEnd(nameWidth)}  ${formatPolicy(ns.enforce.level, ns.enforce.version).padEnd(18)}  ${c.dim(SOURCE_WORDS[ns.source])}`);
      for (const e of ns.labelErrors) out.push(c.yellow(`  ${' '.repeat(nameWidth)}  label ${e.label}=${JSON.stringify(e.value)} is not valid: PSA uses ${e.fallback}`));
    }
    out.push('');
  }
  if (gaps.length > 0) {
    out.push(c.bold(c.red(`Incomplete: ${plural(gaps.length, 'input problem')}:`)));
    for (const line of gapLines(gaps)) out.push(`  ${line}`);
    out.push('');
  }
  const denied = report.results.filter((r) => !r.result.allowed).length;
  const judged = report.level === null
    ? `at each namespace's enforce level${report.version !== null ? `, version ${report.version}` : ''}`
    : `at ${formatPolicy(report.level, report.version ?? 'latest')}`;
  const headline = denied === 0 ? c.green(`${plural(report.results.length, 'pod spec')} allowed`) : `${c.red(`${denied} of ${plural(report.results.length, 'pod spec')} denied`)}`;
  out.push(`${headline} ${judged}${gaps.length > 0 ? ` · ${c.red(plural(gaps.length, 'gap'))}` : ''}`);
  return `${out.join('\n')}\n`;
}
