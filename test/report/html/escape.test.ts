/** The HTML page's escaping, without a browser: text, attributes, and JSON inside a script element. */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/finding.js';
import { htmlFromScan } from '../../../src/report/html/adapters.js';
import { escapeHtml, scriptJson } from '../../../src/report/html/escape.js';
import { embedData, packFindings, renderHtml } from '../../../src/report/html/page.js';

const HOSTILE = '</script><script>alert(1)</script><!-- <img src=x onerror=alert(1)> \u2028 & "\'';

describe('HTML escaping', () => {
  it('escapes text and attribute values', () => {
    expect(escapeHtml('<a href="x">&\'</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  });

  it('keeps JSON inside a script element: no <, > or &, line separators escaped, and it parses back unchanged', () => {
    const text = scriptJson({ s: HOSTILE });
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual({ s: HOSTILE });
  });

  it('embeds the findings gzipped in base64: nothing HTML or JSON would need escaped, and they unpack to the packed rows', () => {
    const finding: Finding = {
      ruleId: 'no-host-namespaces', messageId: 'x', message: `Pod ${HOSTILE} shares the host PID namespace.`, severity: 'high', area: 'workload', title: 't', remediation: 'r',
      resource: { provider: 'kubernetes', apiVersion: 'v1', kind: 'Pod', namespace: HOSTILE, name: HOSTILE }, path: ['spec'],
    };
    const page = htmlFromScan({
      findings: [finding, { ...finding, message: 'Another \u00e9 \u{1F600}' }], exempted: [], gaps: [], notEvaluated: [],
      summary: { bySeverity: { critical: 0, high: 2, medium: 0, low: 0, info: 0 }, findings: 2, exempted: 0, resources: 1, rulesRun: 1, checks: 2, passed: 0, score: 0 },
    }, { version: 't', sources: [] });
    const text = embedData(page);
    const { gzip } = JSON.parse(text) as { gzip: string };
    expect(gzip).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(gunzipSync(Buffer.from(gzip, 'base64')).toString('utf8'))).toEqual({ noun: page.noun, ...packFindings(page.findings) });
  });

  it('puts a hostile name nowhere as markup: the page holds exactly its own two scripts and no img', () => {
    const finding: Finding = {
      ruleId: 'no-host-namespaces', messageId: 'x', message: `Pod ${HOSTILE} shares the host PID namespace.`, severity: 'high', area: 'workload', title: HOSTILE, remediation: HOSTILE,
      resource: { provider: 'kubernetes', apiVersion: 'v1', kind: 'Pod', namespace: HOSTILE, name: HOSTILE }, path: ['spec', HOSTILE],
      location: { file: HOSTILE, line: 1, column: 1 }, suppressed: undefined,
    };
    const exempted: Finding = { ...finding, suppressed: { kind: 'annotation', reason: HOSTILE } };
    const html = renderHtml(htmlFromScan({
      findings: [finding], exempted: [exempted], gaps: [{ source: HOSTILE, code: 'YAML_SYNTAX', message: HOSTILE }], notEvaluated: [{ ruleId: HOSTILE, reason: HOSTILE }],
      summary: { bySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 }, findings: 1, exempted: 1, resources: 1, rulesRun: 1, checks: 1, passed: 0, score: 0 },
    }, { version: HOSTILE, sources: [{ path: HOSTILE }], facts: [[HOSTILE, HOSTILE]] }));
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<!-- <');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-[A-Za-z0-9+/=]+&#39;/);
  });
});
