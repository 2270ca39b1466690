import { plural } from '../../core/plural.js';
import { UsageError } from '../../core/errors.js';
import { describeFixClasses, type AnyRule } from '../../rules/define-rule.js';
import { builtinRules } from '../../rules/index.js';
import { createColors } from 'picocolors';
import { didYouMean } from '../../core/did-you-mean.js';
import { terminalText } from '../../core/terminal-text.js';
import { resolveRules } from '../../engine/rule-set.js';
import { columns, wrap } from '../../report/terminal-text.js';
import { paintSeverity } from '../../report/table.js';
import { loadConfig } from '../../scan.js';
import { ExitCode, terminalWidth, wantsColor, type Io } from '../io.js';
import { readRuleDoc, type RuleDocExtract } from '../rule-docs.js';

function ruleJson(rule: AnyRule, enabled: ReadonlySet<string>): object {
  return {
    id: rule.id,
    area: rule.meta.area,
    severity: rule.meta.severity,
    enabled: enabled.has(rule.id),
    enabledByDefault: rule.meta.enabledByDefault !== false,
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
function explain(rule: AnyRule, doc: RuleDocExtract | undefined, enabled: string): string {
  const lines = [
    `${rule.id} — ${rule.meta.docs.description}`,
    `area: ${rule.meta.area}   severity: ${rule.meta.severity}   enabled: ${enabled}   evidence: ${rule.meta.evidence.join(', ')}`,
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

export interface RulesArgs {
  readonly id?: string;
  readonly output: 'table' | 'json';
  readonly cis?: string | true;
  /** `--config FILE` (default ./eksguard.yaml when present): whether each rule is enabled depends on it. */
  readonly config?: string;
  readonly color?: boolean;
}

/** The ids of the rules a scan with this config runs: opt-in rules count only when the config turns them on. */
async function enabledIds(args: RulesArgs, io: Io): Promise<ReadonlySet<string>> {
  const { config, file } = await loadConfig(args.config, io.cwd);
  return new Set(resolveRules(builtinRules, { config, ...(file !== undefined ? { configFile: file } : {}) }).map((r) => r.rule.id));
}

/** `yes`, or why not: opt-in rules (enabledByDefault: false) are off until the config names them. */
function enabledWord(rule: AnyRule, enabled: ReadonlySet<string>): string {
  if (enabled.has(rule.id)) return 'yes';
  return rule.meta.enabledByDefault === false ? 'no (opt-in)' : 'no (config)';
}

function rulesTable(rows: readonly (readonly string[])[], width: number, color: boolean): string[] {
  const c = createColors(color);
  return columns(rows, width, (row, col, text) => (row === 0 ? c.bold(text) : col === 2 ? paintSeverity(c, text.trim(), text) : text), { narrow: [4], squeeze: [0, 4] });
}

export async function runRules(args: RulesArgs, io: Io): Promise<ExitCode> {
  const all = Object.values(builtinRules) as AnyRule[];
  const rules = filterByCis(all, args.cis);
  const enabled = await enabledIds(args, io);
  if (args.id !== undefined) {
    const id = args.id;
    const rule = rules.find((r) => r.id === id);
    if (!rule) throw new UsageError(`unknown rule id ${terminalText(id)}${didYouMean(id, rules.map((r) => r.id))}`, 'eksguard rules lists every rule id.');
    const doc = readRuleDoc(rule.id);
    if (args.output === 'json') {
      const extra = { examples: { incorrect: doc?.incorrect ?? null, correct: doc?.correct ?? null }, references: doc?.references ?? [] };
      io.stdout.write(`${JSON.stringify({ ...ruleJson(rule, enabled), ...extra }, null, 2)}\n`);
    } else io.stdout.write(explain(rule, doc, enabledWord(rule, enabled)));
    return ExitCode.Ok;
  }
  if (args.output === 'json') {
    io.stdout.write(`${JSON.stringify(rules.map((r) => ruleJson(r, enabled)), null, 2)}\n`);
    return ExitCode.Ok;
  }
  const sorted = [...rules].sort((a, b) => a.meta.area.localeCompare(b.meta.area) || a.id.localeCompare(b.id));
  const rows = args.cis === undefined
    ? [['ID', 'AREA', 'SEVERITY', 'ENABLED', 'EVIDENCE', 'TITLE'], ...sorted.map((r) => [r.id, r.meta.area, r.meta.severity, enabledWord(r, enabled), r.meta.evidence.join(', '), r.meta.docs.description])]
    : [['ID', 'AREA', 'SEVERITY', 'ENABLED', 'CIS EKS', 'TITLE'], ...sorted.map((r) => [r.id, r.meta.area, r.meta.severity, enabledWord(r, enabled), cisIdsOf(r).join(','), r.meta.docs.description])];
  const width = terminalWidth(io);
  for (const line of rulesTable(rows, width, wantsColor(io, args.color))) io.stdout.write(`${line}\n`);
  const on = rules.filter((r) => enabled.has(r.id)).length;
  const summary = `${plural(rules.length, 'rule')}${args.cis === undefined ? '' : ' mapped to the CIS Amazon EKS Benchmark v1.8.0'}, ${on} enabled. eksguard rules ID explains one.`;
  io.stdout.write(`\n${wrap(summary, width, '', '  ').join('\n')}\n`);
  return ExitCode.Ok;
}
