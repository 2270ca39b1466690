import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../src/core/finding.js';
import type { AuditResult } from '../../src/engine/audit.js';
import { escapeMarkdown, renderMarkdown } from '../../src/report/markdown.js';
import { builtinRules } from '../../src/rules/index.js';
import { scanExamples } from './scan-fixture.js';

function finding(severity: Severity, message: string, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'no-privileged-containers', messageId: 'x', message, severity, area: 'workload', title: 't', remediation: 'r.',
    resource: { provider: 'kubernetes', apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web' }, path: [],
    location: { file: 'k8s/web.yaml', line: 7, column: 3 },
    ...extra,
  };
}

function audit(findings: Finding[], rest: Partial<AuditResult> = {}): AuditResult {
  const bySeverity = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) bySeverity[f.severity] += 1;
  return {
    findings, exempted: [], gaps: [], notEvaluated: [],
    summary: { bySeverity, findings: findings.length, exempted: rest.exempted?.length ?? 0, resources: 3, rulesRun: 2, checks: 6, passed: 4, score: 70 },
    ...rest,
  };
}

const context = { version: '0.1.0', sources: [], rules: [{ rule: builtinRules['no-privileged-containers'], severity: 'critical' as const }] };

/** Splits a table row on the `|` that are not escaped. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
}

describe('markdown reporter', () => {
  it('escapes | and newlines (and markup) so that a message stays in its cell', () => {
    expect(escapeMarkdown('a|b\nc')).toBe('a\\|b<br>c');
    expect(escapeMarkdown('<img src=x> [x](y) *b* _i_ `c` & \\')).toBe('\\<img src=x\\> \\[x\\](y) \\*b\\* \\_i\\_ \\`c\\` &amp; \\\\');
    const md = renderMarkdown(audit([finding('high', 'uses | pipes\nand two\r\nlines')]), context);
    const row = md.split('\n').find((l) => l.startsWith('| high'));
    expect(row).toBeDefined();
    expect(cells(row ?? '')).toEqual([
      'high',
      `[no-privileged-containers](${builtinRules['no-privileged-containers'].meta.docs.url})`,
      'Pod shop/web',
      'k8s/web.yaml:7',
      'uses \\| pipes<br>and two<br>lines',
    ]);
  });

  it('opens with counts per severity and the score, and lists the worst first', () => {
    const md = renderMarkdown(audit([finding('low', 'minor'), finding('critical', 'bad'), finding('medium', 'meh')]), context);
    expect(md).toContain('**3 findings**: 1 critical, 1 medium, 1 low · score 70/100');
    const rows = md.split('\n').filter((l) => /^\| (critical|medium|low) /.test(l));
    expect(rows.map((r) => cells(r)[0])).toEqual(['critical', 'medium', 'low']);
  });

  it('caps the table with an "and N more" line', () => {
    const many = Array.from({ length: 7 }, (_, i) => finding('medium', `m${i}`));
    const md = renderMarkdown(audit(many), context, { maxFindings: 5 });
    expect(md.split('\n').filter((l) => l.startsWith('| medium'))).toHaveLength(5);
    expect(md).toContain('… and 2 more');
    expect(renderMarkdown(audit(many), context)).not.toContain('more (');
  });

  it('shows exemptions with reasons, rules not evaluated and input problems', () => {
    const exempted = [
      finding('high', 'x', { suppressed: { kind: 'annotation', reason: 'debug | pod' } }),
      finding('high', 'y', { suppressed: { kind: 'annotation', reason: 'debug | pod' } }),
      finding('low', 'z', { suppressed: { kind: 'config', reason: 'lab' } }),
    ];
    const md = renderMarkdown(audit([], {
      exempted,
      notEvaluated: [{ ruleId: 'require-resource-quota', reason: 'no ResourceQuota objects in the input' }],
      gaps: [{ source: 'bad.yaml', line: 4, code: 'YAML_SYNTAX', message: 'unexpected <end>' }],
    }), context);
    expect(md).toContain('**No findings**');
    expect(md).toContain('Exempted: 3');
    expect(md).toContain('- 2 × annotation: debug \\| pod');
    expect(md).toContain('- 1 × config: lab');
    expect(md).toContain('- require-resource-quota: no ResourceQuota objects in the input');
    expect(md).toContain('**Incomplete audit**: 1 input problem');
    expect(md).toContain('- bad.yaml:4: unexpected \\<end\\> (YAML\\_SYNTAX)');
  });

  it('renders a real scan', async () => {
    const result = await scanExamples();
    const md = renderMarkdown(result, { version: '0.1.0', sources: result.sources, rules: result.rules });
    expect(md).toContain(`**${result.findings.length} findings**`);
    expect(md).toContain('| critical | [no-privileged-containers](');
    expect(md).toMatch(/examples\/insecure\/node-agents\.yaml:\d+/);
    expect(md).toContain(`… and ${result.findings.length - 50} more`);
  });
});
