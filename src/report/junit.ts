import { toDottedPath } from '../core/field-path.js';
import { severityRank, type Finding, type ResourceRef } from '../core/finding.js';
import type { Gap } from '../core/resource.js';
import type { AuditResult, Check } from '../engine/audit.js';

/** Characters XML 1.0 cannot carry even as references; replaced rather than dropped so the gap shows. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Attribute values also escape quotes, and keep line breaks and tabs (a parser would fold them to spaces). */
export function xmlAttr(value: string): string {
  return xmlText(value).replaceAll('"', '&quot;').replaceAll("'", '&apos;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;');
}

function attrs(values: Readonly<Record<string, string | number | undefined>>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlAttr(String(value))}"`)
    .join('');
}

function resourceName(ref: ResourceRef): string {
  if (ref.provider === 'kubernetes') return `${ref.kind} ${ref.namespace !== undefined ? `${ref.namespace}/` : ''}${ref.name}`;
  return `${ref.type} ${ref.name ?? ref.id ?? ref.arn ?? ''}`.trim();
}

/** Identifies one (rule, resource) pair; the file keeps apart same-named objects of two overlays. */
function pairKey(ruleId: string, ref: ResourceRef, file: string | undefined): string {
  const identity = ref.provider === 'kubernetes'
    ? [ref.apiVersion, ref.kind, ref.namespace ?? '', ref.name]
    : [ref.service, ref.type, ref.arn ?? ref.id ?? ref.name ?? ''];
  return JSON.stringify([ruleId, ...identity, file ?? '']);
}

function groupFindings(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = pairKey(f.ruleId, f.resource, f.location?.file);
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  return groups;
}

interface Case {
  readonly ruleId: string;
  readonly resource: ResourceRef;
  readonly file?: string;
  readonly line?: number;
  readonly passed: boolean;
}

interface Outcome {
  readonly xml: string;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
}

function failureBody(findings: readonly Finding[]): string {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${f.severity}: ${f.message}${f.baselineState === 'unchanged' ? ' [baseline: already in the baseline report]' : ''}`);
    if (f.location) lines.push(`  at ${f.location.file}:${f.location.line}:${f.location.column}`);
    else if (f.origin !== undefined) lines.push(`  in ${f.origin}`);
    if (f.path.length > 0) lines.push(`  path: ${toDottedPath(f.path)}`);
  }
  const first = findings[0];
  if (first) lines.push('', `Remediation: ${first.remediation}`);
  return lines.join('\n');
}

function testcase(c: Case, failed: readonly Finding[], exempted: readonly Finding[]): Outcome {
  const open = `    <testcase${attrs({ classname: c.ruleId, name: resourceName(c.resource), file: c.file, line: c.line })}`;
  const worst = failed.reduce<Finding | undefined>((w, f) => (w === undefined || severityRank(f.severity) > severityRank(w.severity) ? f : w), undefined);
  if (worst) {
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
    const body = failureBody(failed);
    return { xml: `${open}>\n      <failure${attrs({ type: worst.severity, message: `${worst.message}${more}` })}>${xmlText(body)}</failure>\n    </testcase>`, failures: 1, errors: 0, skipped: 0 };
  }
  if (!c.passed) {
    // A failed check without findings is a rule that threw; the gap with its message is in the errors suite.
    return { xml: `${open}>\n      <error${attrs({ type: 'RULE_CRASH', message: 'the rule failed on this resource; see the errors test suite' })}/>\n    </testcase>`, failures: 0, errors: 1, skipped: 0 };
  }
  if (exempted.length > 0) {
    const reasons = [...new Set(exempted.map((f) => f.suppressed?.reason ?? ''))].join('; ');
    return { xml: `${open}>\n      <skipped${attrs({ message: `exempted: ${reasons}` })}/>\n    </testcase>`, failures: 0, errors: 0, skipped: 1 };
  }
  return { xml: `${open}/>`, failures: 0, errors: 0, skipped: 0 };
}

function suite(name: string, cases: readonly Outcome[]): Outcome & { readonly tests: number } {
  const failures = cases.reduce((n, c) => n + c.failures, 0);
  const errors = cases.reduce((n, c) => n + c.errors, 0);
  const skipped = cases.reduce((n, c) => n + c.skipped, 0);
  const xml = [`  <testsuite${attrs({ name, tests: cases.length, failures, errors, skipped })}>`, ...cases.map((c) => c.xml), '  </testsuite>'].join('\n');
  return { xml, tests: cases.length, failures, errors, skipped };
}

function gapCase(gap: Gap): Outcome {
  const name = `${gap.source}${gap.line !== undefined ? `:${gap.line}` : ''}`;
  return {
    xml: `    <testcase${attrs({ classname: 'errors', name })}>\n      <error${attrs({ type: gap.code, message: gap.message })}/>\n    </testcase>`,
    failures: 0,
    errors: 1,
    skipped: 0,
  };
}

function asCase(check: Check): Case {
  const resource: ResourceRef = check.resource;
  return { ruleId: check.ruleId, resource, passed: check.passed, ...(check.file !== undefined ? { file: check.file } : {}), ...(check.line !== undefined ? { line: check.line } : {}) };
}

/**
 * JUnit XML for CI dashboards: one test suite per rule, one test case per (rule, resource) pair
 * judged, failing with every finding of that pair; exempted pairs are skipped with the reason;
 * rules not evaluated are one skipped case; input problems are the `errors` suite.
 * Needs an audit run with `recordChecks`, as passes are test cases too.
 */
export function renderJunit(audit: AuditResult): string {
  if (audit.checks === undefined) throw new Error('renderJunit needs an audit run with recordChecks');
  const failing = groupFindings(audit.findings);
  const exempted = groupFindings(audit.exempted);
  const byRule = new Map<string, Outcome[]>();
  const add = (ruleId: string, outcome: Outcome): void => {
    const list = byRule.get(ruleId);
    if (list) list.push(outcome);
    else byRule.set(ruleId, [outcome]);
  };
  const seen = new Set<string>();
  for (const check of audit.checks) {
    const key = pairKey(check.ruleId, check.resource, check.file);
    seen.add(key);
    add(check.ruleId, testcase(asCase(check), failing.get(key) ?? [], exempted.get(key) ?? []));
  }
  // A finding whose pair was not recorded (not expected) still gets its own case, so no failure is ever lost.
  for (const [key, list] of [...failing, ...exempted]) {
    const first = list[0];
    if (seen.has(key) || first === undefined) continue;
    seen.add(key);
    const c: Case = { ruleId: first.ruleId, resource: first.resource, passed: !failing.has(key), ...(first.location ? { file: first.location.file } : {}) };
    add(first.ruleId, testcase(c, failing.get(key) ?? [], exempted.get(key) ?? []));
  }
  for (const n of audit.notEvaluated) {
    add(n.ruleId, { xml: `    <testcase${attrs({ classname: n.ruleId, name: 'not evaluated' })}>\n      <skipped${attrs({ message: `not evaluated: ${n.reason}` })}/>\n    </testcase>`, failures: 0, errors: 0, skipped: 1 });
  }
  const suites = [...byRule].sort((a, b) => a[0].localeCompare(b[0])).map(([ruleId, cases]) => suite(ruleId, cases));
  if (audit.gaps.length > 0) suites.push(suite('errors', audit.gaps.map(gapCase)));
  const total = (pick: (s: (typeof suites)[number]) => number): number => suites.reduce((n, s) => n + pick(s), 0);
  const root = attrs({ name: 'eksguard', tests: total((s) => s.tests), failures: total((s) => s.failures), errors: total((s) => s.errors), skipped: total((s) => s.skipped) });
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${root}>`, ...suites.map((s) => s.xml), '</testsuites>', ''].join('\n');
}
