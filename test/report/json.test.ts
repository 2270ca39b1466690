/**
 * The JSON report is written in pieces (jsonReportChunks), a finding at a time, so a scan of
 * 100,000 objects never holds the whole report as one string. The pieces must make exactly the
 * text one JSON.stringify(report, null, 2) of the whole makes: consumers diff reports byte by byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baselineJson, findingJson, gapJson, jsonReportChunks, renderJson, type ReportContext } from '../../src/report/json.js';
import type { AuditResult } from '../../src/engine/audit.js';
import type { Finding, PatchOp } from '../../src/core/finding.js';
import { SCHEMA_VERSIONS } from '../../src/schemas/versions.js';
import { scanExamples } from './scan-fixture.js';

/** The report as one object, printed the way the reporter printed it before it streamed. */
function whole(result: AuditResult, context: ReportContext): string {
  return `${JSON.stringify({
    schemaVersion: SCHEMA_VERSIONS.scan,
    tool: { name: 'eksguard', version: context.version },
    sources: context.sources.map((s) => ({ path: s.path, documents: s.documents, objects: s.objects, skipped: s.skipped ?? null, duplicates: s.duplicates ?? 0 })),
    summary: result.summary,
    findings: result.findings.map(findingJson),
    exempted: result.exempted.map(findingJson),
    gaps: result.gaps.map(gapJson),
    notEvaluated: result.notEvaluated,
    baseline: baselineJson(context.baseline),
  }, null, 2)}\n`;
}

describe('jsonReportChunks', () => {
  it('makes the text of one JSON.stringify of the whole report, findings, exemptions and gaps included', async () => {
    const result = await scanExamples();
    expect(result.findings.length).toBeGreaterThan(10);
    expect(result.exempted.length).toBeGreaterThan(0);
    const context = { version: '1.2.3', sources: result.sources };
    const chunks = [...jsonReportChunks(result, context)];
    expect(chunks.length).toBeGreaterThan(result.findings.length); // one piece per finding at least
    expect(chunks.join('')).toBe(whole(result, context));
    expect(renderJson(result, context)).toBe(whole(result, context));
  });

  it('prints empty lists and a baseline as JSON.stringify does, and messages with line breaks and quotes escaped', async () => {
    const result = await scanExamples();
    const [first] = result.findings;
    if (first === undefined) throw new Error('the examples have findings');
    const odd = { ...first, message: 'line 1\nline 2 "quoted" \u2028 \\ end' };
    const shaped: AuditResult = { ...result, findings: [odd], exempted: [], gaps: [] };
    const context: ReportContext = { version: '1', sources: [], baseline: { file: 'old.json', new: 1, unchanged: 0, fixed: [first] } };
    expect(renderJson(shaped, context)).toBe(whole(shaped, context));
    expect(JSON.parse(renderJson(shaped, context))).toMatchObject({ findings: [{ message: odd.message }], exempted: [], gaps: [] });
  });
});

describe('the findings of jsonReportChunks', () => {
  // Findings are printed by a template, not by JSON.stringify: every shape a finding can take must print the same text.
  const text = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('a/b~c', 'line\nbreak', '"q"', '\u2028', '\ud800'));
  const value = fc.jsonValue({ maxDepth: 3 }).map((v) => v as unknown);
  const path = fc.array(fc.oneof(text, fc.nat(20)), { maxLength: 5 });
  const patchOp: fc.Arbitrary<PatchOp> = fc.oneof(
    fc.record({ op: fc.constantFrom('add' as const, 'replace' as const), path, value: fc.oneof(value, fc.constant(undefined)) }),
    fc.record({ op: fc.constant('remove' as const), path }),
  );
  const patch = fc.array(patchOp, { maxLength: 3 });
  const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
  const kube = fc.record({
    provider: fc.constant('kubernetes' as const), apiVersion: text, kind: text, name: text, namespace: optional(text),
  }, { requiredKeys: ['provider', 'apiVersion', 'kind', 'name'] });
  const aws = fc.record({
    provider: fc.constant('aws' as const), service: text, type: text, region: optional(text), arn: optional(text), id: optional(text), name: optional(text),
  }, { requiredKeys: ['provider', 'service', 'type'] });
  const finding: fc.Arbitrary<Finding> = fc.record({
    ruleId: fc.constantFrom('rule-a', 'rule-b'),
    messageId: fc.constant('m'),
    message: text,
    severity: fc.constantFrom('critical' as const, 'low' as const),
    area: fc.constantFrom('workload', 'network'),
    title: fc.constantFrom('Title one', 'Title "two"'),
    remediation: fc.constantFrom('Fix it.', 'Fix\tit.'),
    resource: fc.oneof(kube, aws),
    path,
    location: optional(fc.record({ file: fc.constantFrom('a.yaml', 'dir/b "c".yaml'), line: fc.oneof(fc.nat(9999), fc.constant(Number.NaN)), column: fc.nat(80) })),
    origin: optional(text),
    fix: optional(patch),
    suggestions: optional(fc.array(fc.record({ messageId: fc.constant('s'), message: text, patch }), { maxLength: 2 })),
    suppressed: optional(fc.record({ kind: fc.constantFrom('annotation' as const, 'config' as const), reason: text })),
    evidence: optional(fc.record({ count: fc.nat(5), events: fc.constant([]) })),
    baselineState: optional(fc.constantFrom('new' as const, 'unchanged' as const)),
  }, { requiredKeys: ['ruleId', 'messageId', 'message', 'severity', 'area', 'title', 'remediation', 'resource', 'path'] });

  it('print as JSON.stringify prints findingJson, whatever their fields hold', () => {
    fc.assert(fc.property(fc.array(finding, { minLength: 1, maxLength: 6 }), (findings) => {
      const result: AuditResult = {
        findings, exempted: findings.slice(0, 2), gaps: [], notEvaluated: [],
        summary: { bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, findings: findings.length, exempted: 0, resources: 0, rulesRun: 0, checks: 0, passed: 0 },
      };
      const context: ReportContext = { version: '1', sources: [] };
      expect(renderJson(result, context)).toBe(whole(result, context));
    }), { numRuns: 300 });
  });
});
