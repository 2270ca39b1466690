import { plural } from '../core/plural.js';
import { createColors } from 'picocolors';
import { toDottedPath } from '../core/field-path.js';
import { SEVERITIES, type Finding, type Severity } from '../core/finding.js';
import { terminalMessage, terminalText } from '../core/terminal-text.js';
import { gapText } from '../core/gap-text.js';
import type { AuditResult } from '../engine/audit.js';
import type { ReportContext } from './json.js';
import { baselineSentence } from '../baseline/compare.js';

export interface TableOptions {
  readonly color: boolean;
  /** What the summary line counts (`object` for manifests, `event` for audit logs). */
  readonly noun?: string;
  /** Extra sections (an audit log's timeline), printed before the summary line. */
  readonly appendix?: string;
}

type Colors = ReturnType<typeof createColors>;

function paint(c: Colors, severity: Severity, text: string): string {
  switch (severity) {
    case 'critical': return c.bold(c.magenta(text));
    case 'high': return c.red(text);
    case 'medium': return c.yellow(text);
    case 'low': return c.cyan(text);
    default: return c.dim(text);
  }
}

function resourceHeading(f: Finding): string {
  const r = f.resource;
  const name = r.provider === 'kubernetes' ? `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}` : `${r.type} ${r.name ?? r.arn ?? r.id ?? ''}`;
  const where = f.location ? `${f.location.file}` : (f.origin ?? '');
  // Names and file names come from the input: shown, never obeyed by the terminal.
  return terminalText(where ? `${name}  (${where})` : name);
}

function groupByResource(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = resourceHeading(f);
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  return groups;
}

/** The report for people: findings grouped by resource, then exemptions, gaps and a summary line. */
export function renderTable(result: AuditResult, context: ReportContext, options: TableOptions): string {
  const c = createColors(options.color);
  const out: string[] = [];
  for (const [heading, findings] of groupByResource(result.findings)) {
    out.push(c.bold(heading));
    for (const f of findings) {
      const line = f.location ? `${String(f.location.line).padStart(5)}` : '     ';
      out.push(`  ${c.dim(line)}  ${paint(c, f.severity, f.severity.padEnd(8))}  ${terminalMessage(f.message)} ${c.dim(f.ruleId)}${f.baselineState === 'unchanged' ? c.dim(' [baseline]') : ''}`);
      if (f.path.length > 0) out.push(`  ${' '.repeat(5)}  ${' '.repeat(8)}  ${c.dim(terminalText(toDottedPath(f.path)))}`);
      const first = f.evidence?.events[0];
      if (f.evidence && first) {
        const who = `${first.user || '(no user)'}${first.impersonatedUser ? ` as ${first.impersonatedUser}` : ''}`;
        const more = f.evidence.count > 1 ? ` (+${f.evidence.count - 1} more event${f.evidence.count === 2 ? '' : 's'})` : '';
        out.push(`  ${' '.repeat(5)}  ${' '.repeat(8)}  ${c.dim(terminalMessage(`first: ${first.time} ${who} from ${first.sourceIP || '?'}: ${first.verb} ${first.object}${first.code !== undefined ? ` → ${first.code}` : ''} [${first.auditID}]${more}`))}`);
      }
    }
    out.push('');
  }
  if (result.exempted.length > 0) {
    const reasons = new Map<string, number>();
    for (const f of result.exempted) {
      const key = `${f.suppressed?.kind ?? 'config'}: ${f.suppressed?.reason ?? ''}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    out.push(c.bold(`Exempted (${result.exempted.length}):`));
    for (const [reason, count] of [...reasons].sort((a, b) => b[1] - a[1])) out.push(`  ${String(count).padStart(4)}  ${terminalMessage(reason)}`);
    out.push(c.dim('  (-o json lists each exempted finding with its reason)'));
    out.push('');
  }
  if (result.notEvaluated.length > 0) {
    // Grouped by reason: a chart scan skips whole areas for one reason, and one line each says so.
    const byReason = new Map<string, string[]>();
    for (const n of result.notEvaluated) byReason.set(n.reason, [...(byReason.get(n.reason) ?? []), n.ruleId]);
    out.push(c.bold(`Not evaluated (${plural(result.notEvaluated.length, 'rule')}; the input lacks what they need):`));
    for (const [reason, ids] of byReason) out.push(`  ${terminalMessage(reason)}: ${c.dim(terminalText(ids.join(', ')))}`);
    out.push('');
  }
  if (result.gaps.length > 0) {
    out.push(c.bold(c.red(`Incomplete: ${plural(result.gaps.length, 'input problem')}:`)));
    for (const g of result.gaps) out.push(`  ${gapText(g)} ${c.dim(g.code)}`);
    out.push('');
  }
  if (options.appendix) out.push(options.appendix);
  const s = result.summary;
  const counts = SEVERITIES.filter((sev) => s.bySeverity[sev] > 0).map((sev) => paint(c, sev, `${s.bySeverity[sev]} ${sev}`));
  const noun = options.noun ?? 'object';
  const scanned = `${plural(s.resources, noun)} in ${plural(context.sources.filter((x) => !x.skipped).length, 'source')}`;
  const headline = s.findings === 0 ? c.green('No findings') : `${plural(s.findings, 'finding')}: ${counts.join(', ')}`;
  const extras = [s.score === null ? 'nothing checked' : `score ${s.score}/100`, scanned, plural(s.rulesRun, 'rule')];
  if (s.exempted > 0) extras.push(`${s.exempted} exempted`);
  if (result.gaps.length > 0) extras.push(c.red(plural(result.gaps.length, 'gap')));
  out.push(`${headline} · ${extras.join(' · ')}`);
  if (context.baseline !== undefined) out.push(baselineSentence(context.baseline));
  return `${out.join('\n')}\n`;
}
