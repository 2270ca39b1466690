import { plural } from '../core/plural.js';
import { SEVERITIES, severityRank, type Finding, type ResourceRef } from '../core/finding.js';
import type { AuditResult } from '../engine/audit.js';
import { scoreWords, type ReportedRule } from './context.js';
import type { ReportContext } from './json.js';
import { baselineSentence } from '../baseline/compare.js';
import { escapeMarkdown } from './markdown-text.js';

export interface MarkdownContext extends ReportContext {
  /** Rules the scan ran; their docs URLs turn rule ids into links. */
  readonly rules: readonly ReportedRule[];
}

export interface MarkdownOptions {
  /** Rows of the findings table; the rest are counted in an "and N more" line (a PR comment holds at most 65,536 characters). */
  readonly maxFindings?: number;
}

const DEFAULT_MAX_FINDINGS = 50;

export { escapeMarkdown };

function resourceName(ref: ResourceRef): string {
  if (ref.provider === 'kubernetes') return `${ref.kind} ${ref.namespace !== undefined ? `${ref.namespace}/` : ''}${ref.name}`;
  return `${ref.type} ${ref.name ?? ref.id ?? ref.arn ?? ''}`.trim();
}

function where(f: Finding): string {
  if (f.location) return `${f.location.file}:${f.location.line}`;
  return f.origin ?? '';
}

/** Findings in a table for a pull-request comment, worst first, with exemptions, rules not evaluated and input problems below. */
export function renderMarkdown(audit: AuditResult, context: MarkdownContext, options: MarkdownOptions = {}): string {
  const max = Math.max(0, options.maxFindings ?? DEFAULT_MAX_FINDINGS);
  const urls = new Map(context.rules.map((r) => [r.rule.id, r.rule.meta.docs.url]));
  const s = audit.summary;
  const out: string[] = ['### eksguard', ''];

  const counts = SEVERITIES.filter((sev) => s.bySeverity[sev] > 0).map((sev) => `${s.bySeverity[sev]} ${sev}`);
  const headline = s.findings === 0 ? '**No findings**' : `**${plural(s.findings, 'finding')}**: ${counts.join(', ')}`;
  const extras = [...scoreWords(s.score), plural(s.resources, 'object'), plural(s.rulesRun, 'rule')];
  if (s.exempted > 0) extras.push(`${s.exempted} exempted`);
  if (audit.gaps.length > 0) extras.push(`**${plural(audit.gaps.length, 'input problem')}**`);
  out.push(`${headline} · ${extras.join(' · ')}`, '');
  if (context.baseline !== undefined) out.push(baselineSentence(context.baseline), '');

  if (audit.findings.length > 0) {
    // Stable sort: worst first, and the engine's file/line order within a severity.
    const sorted = [...audit.findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
    out.push('| Severity | Rule | Resource | Location | Message |', '|---|---|---|---|---|');
    for (const f of sorted.slice(0, max)) {
      const url = urls.get(f.ruleId);
      const rule = url !== undefined ? `[${escapeMarkdown(f.ruleId)}](${url})` : escapeMarkdown(f.ruleId);
      out.push(`| ${f.severity}${f.baselineState === 'unchanged' ? ' (baseline)' : ''} | ${rule} | ${escapeMarkdown(resourceName(f.resource))} | ${escapeMarkdown(where(f))} | ${escapeMarkdown(f.message)} |`);
    }
    if (sorted.length > max) out.push('', `… and ${sorted.length - max} more (\`eksguard scan -o json\` lists every finding).`);
    out.push('');
  }

  if (audit.exempted.length > 0) {
    const reasons = new Map<string, number>();
    for (const f of audit.exempted) {
      const key = `${f.suppressed?.kind ?? 'config'}: ${f.suppressed?.reason ?? ''}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    out.push('<details><summary>' + `Exempted: ${audit.exempted.length}` + '</summary>', '');
    for (const [reason, count] of [...reasons].sort((a, b) => b[1] - a[1])) out.push(`- ${count} × ${escapeMarkdown(reason)}`);
    out.push('', '</details>', '');
  }

  if (audit.notEvaluated.length > 0) {
    out.push('<details><summary>' + `Not evaluated: ${plural(audit.notEvaluated.length, 'rule')}` + '</summary>', '');
    for (const n of audit.notEvaluated) out.push(`- ${escapeMarkdown(n.ruleId)}: ${escapeMarkdown(n.reason)}`);
    out.push('', '</details>', '');
  }

  if (audit.gaps.length > 0) {
    out.push(`**Incomplete audit**: ${plural(audit.gaps.length, 'input problem')}`, '');
    for (const g of audit.gaps) out.push(`- ${escapeMarkdown(`${g.source}${g.line !== undefined ? `:${g.line}` : ''}`)}: ${escapeMarkdown(g.message)} (${escapeMarkdown(g.code)})`);
    out.push('');
  }

  out.push(`<sub>eksguard ${escapeMarkdown(context.version)}</sub>`);
  return `${out.join('\n')}\n`;
}
