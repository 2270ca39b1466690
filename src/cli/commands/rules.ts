import { UsageError } from '../../core/errors.js';
import type { AnyRule } from '../../rules/define-rule.js';
import { builtinRules } from '../../rules/index.js';
import { ExitCode, type Io } from '../io.js';

function ruleJson(rule: AnyRule): object {
  return {
    id: rule.id,
    area: rule.meta.area,
    severity: rule.meta.severity,
    title: rule.meta.docs.description,
    evidence: rule.meta.evidence,
    controls: rule.meta.docs.controls ?? [],
    rationale: rule.meta.rationale,
    remediation: rule.meta.remediation,
    options: rule.meta.schema ? { schema: rule.meta.schema, defaults: rule.defaultOptions } : null,
    fixable: rule.meta.fixable === true,
    hasSuggestions: rule.meta.hasSuggestions === true,
    docs: rule.meta.docs.url,
  };
}

export function runRules(id: string | undefined, format: 'table' | 'json', io: Io): ExitCode {
  const rules = Object.values(builtinRules) as AnyRule[];
  if (id !== undefined) {
    const rule = rules.find((r) => r.id === id);
    if (!rule) throw new UsageError(`unknown rule id ${id}`, 'eksguard rules lists every rule id.');
    if (format === 'json') io.stdout.write(`${JSON.stringify(ruleJson(rule), null, 2)}\n`);
    else {
      const lines = [
        `${rule.id} — ${rule.meta.docs.description}`,
        `area: ${rule.meta.area}   severity: ${rule.meta.severity}   evidence: ${rule.meta.evidence.join(', ')}`,
        ...(rule.meta.docs.controls?.length ? [`controls: ${rule.meta.docs.controls.join(', ')}`] : []),
        '',
        `Why: ${rule.meta.rationale}`,
        '',
        `Fix: ${rule.meta.remediation}`,
        ...(rule.meta.schema ? ['', `Options (defaults): ${JSON.stringify(rule.defaultOptions)}`] : []),
        '',
        `Docs: ${rule.meta.docs.url}`,
        `Exempt one object: annotate it with ignore-check.eksguard.io/${rule.id}: "<reason>"`,
      ];
      io.stdout.write(`${lines.join('\n')}\n`);
    }
    return ExitCode.Ok;
  }
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(rules.map(ruleJson), null, 2)}\n`);
    return ExitCode.Ok;
  }
  const width = Math.max(...rules.map((r) => r.id.length));
  const sorted = [...rules].sort((a, b) => a.meta.area.localeCompare(b.meta.area) || a.id.localeCompare(b.id));
  for (const rule of sorted) {
    io.stdout.write(`${rule.id.padEnd(width)}  ${rule.meta.severity.padEnd(8)}  ${rule.meta.area.padEnd(8)}  ${rule.meta.docs.description}\n`);
  }
  io.stdout.write(`\n${rules.length} rules. eksguard rules ID explains one.\n`);
  return ExitCode.Ok;
}
