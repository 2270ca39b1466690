import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import type { AuditResult } from '../../src/engine/audit.js';
import { renderJunit, xmlAttr, xmlText } from '../../src/report/junit.js';
import type { ScanResult } from '../../src/scan.js';
import { scanExamples } from './scan-fixture.js';

interface Leaf { readonly '@_message'?: string; readonly '@_type'?: string; readonly '#text'?: string }
interface TestCase {
  readonly '@_classname': string;
  readonly '@_name': string;
  readonly '@_file'?: string;
  readonly '@_line'?: number;
  readonly failure?: Leaf;
  readonly error?: Leaf;
  readonly skipped?: Leaf | '';
}
interface TestSuite { readonly '@_name': string; readonly '@_tests': number; readonly '@_failures': number; readonly '@_errors': number; readonly '@_skipped': number; readonly testcase: TestCase[] }
interface Parsed { readonly testsuites: { readonly '@_tests': number; readonly '@_failures': number; readonly '@_errors': number; readonly '@_skipped': number; readonly testsuite: TestSuite[] } }

function parse(xml: string): Parsed {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseAttributeValue: true,
    processEntities: true,
    htmlEntities: true, // also decodes numeric references such as &#10;
    trimValues: false,
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  });
  return parser.parse(xml) as Parsed;
}

describe('JUnit reporter on a scan', () => {
  let result: ScanResult;
  let parsed: Parsed;
  let cases: TestCase[];

  beforeAll(async () => {
    result = await scanExamples({ recordChecks: true });
    parsed = parse(renderJunit(result));
    cases = parsed.testsuites.testsuite.filter((s) => s['@_name'] !== 'errors').flatMap((s) => s.testcase);
  });

  it('has one suite per rule and one case per (rule, resource) check', () => {
    const checks = result.checks ?? [];
    expect(checks.length).toBeGreaterThan(0);
    const notEvaluated = cases.filter((c) => c['@_name'] === 'not evaluated');
    expect(cases.length - notEvaluated.length).toBe(checks.length);
    expect(notEvaluated).toHaveLength(result.notEvaluated.length);
    const suites = parsed.testsuites.testsuite.map((s) => s['@_name']).filter((n) => n !== 'errors');
    expect(suites).toEqual([...new Set(checks.map((c) => c.ruleId).concat(result.notEvaluated.map((n) => n.ruleId)))].sort());
    for (const suite of parsed.testsuites.testsuite) {
      expect(suite['@_tests']).toBe(suite.testcase.length);
      expect(suite['@_failures']).toBe(suite.testcase.filter((c) => c.failure !== undefined).length);
      if (suite['@_name'] !== 'errors') expect(suite.testcase.every((c) => c['@_classname'] === suite['@_name'])).toBe(true);
    }
  });

  it('fails exactly the failed checks, and their failures carry every finding', () => {
    const failed = cases.filter((c) => c.failure !== undefined);
    expect(failed).toHaveLength((result.checks ?? []).filter((c) => !c.passed).length);
    expect(parsed.testsuites['@_failures']).toBe(failed.length);
    const bodies = failed.map((c) => c.failure?.['#text'] ?? '').join('\n');
    for (const f of result.findings) expect(bodies).toContain(`${f.severity}: ${f.message}\n  at ${f.location?.file}:${f.location?.line}:${f.location?.column}`);
    const findingLines = bodies.split('\n').filter((l) => /^(critical|high|medium|low|info): /.test(l));
    expect(findingLines).toHaveLength(result.findings.length);
  });

  it('names cases readably, with the file and document line', () => {
    const web = cases.find((c) => c['@_classname'] === 'no-privileged-containers' && c['@_name'] === 'Deployment shop/web');
    expect(web).toMatchObject({ '@_file': 'examples/insecure/shop.yaml' });
    expect(typeof web?.['@_line']).toBe('number');
    const build = cases.find((c) => c['@_classname'] === 'no-privileged-containers' && c['@_name'] === 'CronJob ci/nightly-image-build');
    expect(build?.failure?.['@_type']).toBe('critical');
    expect(build?.failure?.['#text']).toContain('path: spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged');
  });

  it('skips exempted checks with the reason, and lists gaps in the errors suite', () => {
    const debug = cases.find((c) => c['@_classname'] === 'no-host-namespaces' && c['@_name'] === 'Pod lab/debug');
    expect(debug?.skipped).toEqual({ '@_message': 'exempted: node debugging pod <temporary> & deleted after use' });
    const errors = parsed.testsuites.testsuite.find((s) => s['@_name'] === 'errors');
    expect(errors?.testcase.map((c) => c.error?.['@_type'])).toEqual(result.gaps.map((g) => g.code));
    expect(errors?.['@_errors']).toBe(result.gaps.length);
  });

  it('refuses an audit run without recorded checks', () => {
    expect(() => renderJunit({ ...result, checks: undefined })).toThrow(/recordChecks/);
  });
});

describe('JUnit escaping', () => {
  const nasty = 'a <b> & "c" \'d\'\nnext line\ttab \u0001 end ]]>';

  it('escapes text and attributes so that they parse back to the same string', () => {
    expect(xmlText('<&>')).toBe('&lt;&amp;&gt;');
    expect(xmlAttr('"\'\n')).toBe('&quot;&apos;&#10;');
    const finding: Finding = {
      ruleId: 'no-privileged-containers', messageId: 'x', message: nasty, severity: 'high', area: 'workload', title: 't', remediation: 'Fix & retry.',
      resource: { provider: 'kubernetes', apiVersion: 'v1', kind: 'Pod', namespace: 'a&b', name: '<pod>' }, path: ['spec'],
      location: { file: 'dir/"odd" file.yaml', line: 3, column: 1 },
    };
    const audit: AuditResult = {
      findings: [finding],
      exempted: [],
      checks: [{ ruleId: finding.ruleId, resource: { provider: 'kubernetes', apiVersion: 'v1', kind: 'Pod', namespace: 'a&b', name: '<pod>' }, file: 'dir/"odd" file.yaml', line: 1, passed: false }],
      gaps: [{ source: 'x<y>.yaml', line: 2, code: 'YAML_SYNTAX', message: nasty }],
      notEvaluated: [],
      summary: { bySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 }, findings: 1, exempted: 0, resources: 1, rulesRun: 1, checks: 1, passed: 0, score: 0 },
    };
    const parsed = parse(renderJunit(audit));
    const [suite, errors] = parsed.testsuites.testsuite;
    const testcase = suite?.testcase[0];
    const expected = nasty.replace('\u0001', '\uFFFD');
    expect(testcase?.['@_name']).toBe('Pod a&b/<pod>');
    expect(testcase?.['@_file']).toBe('dir/"odd" file.yaml');
    expect(testcase?.failure?.['@_message']).toBe(expected);
    expect(testcase?.failure?.['#text']).toContain(`high: ${expected}`);
    expect(errors?.testcase[0]?.['@_name']).toBe('x<y>.yaml:2');
    expect(errors?.testcase[0]?.error?.['@_message']).toBe(expected);
  });
});
