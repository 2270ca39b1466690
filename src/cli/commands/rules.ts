import { plural } from '../../core/plural.js';
import { UsageError } from '../../core/errors.js';
import { describeFixClasses, type AnyRule } from '../../rules/define-rule.js';
import { builtinRules } from '../../rules/index.js';
import { ExitCode, type Io } from '../io.js';
import { readRuleDoc, type RuleDocExtract } from '../rule-docs.js';

function ruleJson(rule: AnyRule): object {
  return {
    id: rule.id,
    area: rule.meta.area,
    severity: rule.meta.severity,
    title: rule.meta.docs.description,
    evidence: rule.meta.evidence,
    controls: rule.meta.docs.controls ?? [],
    cisEks: cisIdsOf(rule),
    rationale: rule.meta.rationale,
    remediation: rule.meta.remediation,
    options: rule.meta.schema ? { schema: rule.meta.schema, defaults: rule.defaultOptions } : null,
    fixable: rule.meta.fixable === true,
    hasSuggestions: rule.meta.hasSuggestions === true,
    fix: rule.meta.fix ?? null,
    docs: rule.meta.docs.url,
  };
}

function indent(block: string): string {
  return block.split('\n').map((line) => (line === '' ? '' : `    ${line}`)).join('\n');
}

/** What `eksguard fix` does with the rule's suggestions (docs/fix.md). */
function fixClassLines(rule: AnyRule): string[] {
  const classes = describeFixClasses(rule);
  if (classes === undefined) return ['eksguard fix: no mechanical fix'];
  return [`eksguard fix: ${classes} (safe: applied by default; review: with --unsafe or --rule ${rule.id})`];
}

/** The long form: metadata, then the doc page's examples and references, so the terminal answers "what does it want?". */
function explain(rule: AnyRule, doc: RuleDocExtract | undefined): string {
  const lines = [
    `${rule.id} — ${rule.meta.docs.description}`,
    `area: ${rule.meta.area}   severity: ${rule.meta.severity}   evidence: ${rule.meta.evidence.join(', ')}`,
    ...(rule.meta.docs.controls?.length ? [`controls: ${rule.meta.docs.controls.join(', ')}`] : []),
    '',
    `Why: ${rule.meta.rationale}`,
    '',
    `Fix: ${rule.meta.remediation}`,
    ...fixClassLines(rule),
    ...(rule.meta.schema ? ['', `Options (defaults): ${JSON.stringify(rule.defaultOptions)}`] : []),
    ...(doc?.incorrect !== undefined ? ['', 'Fails:', indent(doc.incorrect)] : []),
    ...(doc?.correct !== undefined ? ['', 'Passes:', indent(doc.correct)] : []),
    ...(doc && doc.references.length > 0 ? ['', 'References:', ...doc.references.map((l) => `  ${l}`)] : []),
    '',
    `Docs: ${rule.meta.docs.url}`,
    `Exempt one object: annotate it with ignore-check.eksguard.io/${rule.id}: "<reason>"`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The CIS Amazon EKS Benchmark recommendations a rule checks (`4.1.4`), from its `cis-eks:` controls. */
export function cisIdsOf(rule: AnyRule): readonly string[] {
  return (rule.meta.docs.controls ?? []).filter((c) => c.startsWith('cis-eks:')).map((c) => c.slice('cis-eks:'.length));
}

/** `--cis`: rules with a CIS EKS id; `--cis 4.1.4`: rules for that recommendation (an unknown id is a usage error). */
function filterByCis(rules: readonly AnyRule[], cis: string | true | undefined): readonly AnyRule[] {
  if (cis === undefined) return rules;
  const mapped = rules.filter((r) => cisIdsOf(r).length > 0);
  if (cis === true) return mapped;
  const wanted = cis.trim();
  const found = mapped.filter((r) => cisIdsOf(r).includes(wanted));
  if (found.length === 0) {
    const known = [...new Set(mapped.flatMap(cisIdsOf))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    throw new UsageError(`no rule checks CIS EKS ${wanted}`, `Rules cover: ${known.join(', ')}.`);
  }
  return found;
}

export function runRules(id: string | undefined, format: 'table' | 'json', io: Io, cis?: string | true): ExitCode {
  const rules = filterByCis(Object.values(builtinRules) as AnyRule[], cis);
  if (id !== undefined) {
    const rule = rules.find((r) => r.id === id);
    if (!rule) throw new UsageError(`unknown rule id ${id}`, 'eksguard rules lists every rule id.');
    const doc = readRuleDoc(rule.id);
    if (format === 'json') {
      const extra = { examples: { incorrect: doc?.incorrect ?? null, correct: doc?.correct ?? null }, references: doc?.references ?? [] };
      io.stdout.write(`${JSON.stringify({ ...ruleJson(rule), ...extra }, null, 2)}\n`);
    } else io.stdout.write(explain(rule, doc));
    return ExitCode.Ok;
  }
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(rules.map(ruleJson), null, 2)}\n`);
    return ExitCode.Ok;
  }
  const sorted = [...rules].sort((a, b) => a.meta.area.localeCompare(b.meta.area) || a.id.localeCompare(b.id));
  const rows = cis === undefined
    ? [['ID', 'AREA', 'SEVERITY', 'EVIDENCE', 'TITLE'], ...sorted.map((r) => [r.id, r.meta.area, r.meta.severity, r.meta.evidence.join(','), r.meta.docs.description])]
    : [['ID', 'AREA', 'SEVERITY', 'CIS EKS', 'TITLE'], ...sorted.map((r) => [r.id, r.meta.area, r.meta.severity, cisIdsOf(r).join(','), r.meta.docs.description])];
  const widths = [0, 1, 2, 3].map((col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  for (const row of rows) {
    io.stdout.write(`${row.map((cell, col) => (col < widths.length ? cell.padEnd(widths[col] ?? 0) : cell)).join('  ')}\n`);
  }
  io.stdout.write(`\n${plural(rules.length, 'rule')}${cis === undefined ? '' : ' mapped to the CIS Amazon EKS Benchmark v1.8.0'}. eksguard rules ID explains one.\n`);
  return ExitCode.Ok;
}
