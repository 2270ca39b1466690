/**
 * The JSON report is written in pieces (jsonReportChunks), a finding at a time, so a scan of
 * 100,000 objects never holds the whole report as one string. The pieces must make exactly the
 * text one JSON.stringify(report, null, 2) of the whole makes: consumers diff reports byte by byte.
 */
import { describe, expect, it } from 'vitest';
import { baselineJson, findingJson, gapJson, jsonReportChunks, renderJson, type ReportContext } from '../../src/report/json.js';
import type { AuditResult } from '../../src/engine/audit.js';
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
