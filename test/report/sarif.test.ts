import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { renderSarif, NO_FILE_URI, STDIN_URI, artifactUri } from '../../src/report/sarif.js';
import type { ScanResult } from '../../src/scan.js';
import { scanExamples } from './scan-fixture.js';

// The official SARIF 2.1.0 schema as Microsoft's SARIF SDK ships it (the final 2.1.0 text, rtm.5,
// JSON Schema draft-04), loaded from node_modules rather than copied here.
const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;

// Both are CommonJS; their module.exports carries the class (and plugin) as `default` too, which works under Node and Vite alike.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;

function validator(): (data: unknown) => string[] {
  // unicodeRegExp off: the schema's language-tag pattern has a stray `]`, an error only in unicode mode.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

const cwd = process.cwd();

function render(result: ScanResult): Sarif.Log {
  return JSON.parse(renderSarif(result, { version: '0.1.0', sources: result.sources, rules: result.rules, cwd })) as Sarif.Log;
}

function only<T>(items: readonly T[] | undefined): T {
  expect(items).toHaveLength(1);
  const [item] = items ?? [];
  if (item === undefined) throw new Error('expected one item');
  return item;
}

describe('SARIF reporter', () => {
  let result: ScanResult;
  let log: Sarif.Log;
  let run: Sarif.Run;

  beforeAll(async () => {
    result = await scanExamples();
    log = render(result);
    run = only(log.runs);
  });

  it('scans input that exercises every part of the log', () => {
    expect(result.findings.length).toBeGreaterThan(10);
    expect(result.exempted.some((f) => f.suppressed?.kind === 'annotation')).toBe(true);
    expect(result.exempted.some((f) => f.suppressed?.kind === 'config')).toBe(true);
    expect(result.gaps.map((g) => g.code)).toContain('YAML_SYNTAX');
    expect(result.findings.some((f) => f.location?.file === '-')).toBe(true);
  });

  it('is valid against the official SARIF 2.1.0 schema', () => {
    expect(validator()(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  });

  it('the validator does reject a broken log (the test is not vacuous)', () => {
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    const first = broken.runs[0]?.results[0];
    if (first) first.level = 'fatal';
    expect(validator()(broken).length).toBeGreaterThan(0);
  });

  it('describes every rule that ran, with help, help URI and GitHub severity', () => {
    const driver = run.tool.driver;
    expect(driver.name).toBe('eksguard');
    expect(driver.version).toBe('0.1.0');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    const rules = driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(result.rules.map((r) => r.rule.id).sort());
    for (const descriptor of rules) {
      const enabled = result.rules.find((r) => r.rule.id === descriptor.id);
      if (!enabled) throw new Error(`no rule ${descriptor.id}`);
      expect(descriptor.helpUri).toBe(enabled.rule.meta.docs.url);
      expect(descriptor.shortDescription?.text).toBe(enabled.rule.meta.docs.description);
      expect(descriptor.fullDescription?.text).toBe(enabled.rule.meta.rationale);
      expect(descriptor.help?.text).toContain(enabled.rule.meta.remediation);
      expect(descriptor.help?.markdown).toContain(enabled.rule.meta.remediation);
      expect(descriptor.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      const props = descriptor.properties ?? {};
      expect(props.tags).toContain('security');
      expect(['very-high', 'high', 'medium', 'low']).toContain(props.precision);
      expect(props['security-severity']).toBe({ critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' }[enabled.severity]);
      expect(descriptor.defaultConfiguration?.level).toBe({ critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' }[enabled.severity]);
    }
  });

  it('gives each finding its rule, level, file and line, and logical location', () => {
    const results = run.results ?? [];
    const all = [...result.findings, ...result.exempted];
    expect(results).toHaveLength(all.length);
    const rules = run.tool.driver.rules ?? [];
    all.forEach((finding, i) => {
      const r = results[i];
      if (!r) throw new Error(`no result ${i}`);
      expect(r.ruleId).toBe(finding.ruleId);
      expect(rules[r.ruleIndex ?? -1]?.id).toBe(finding.ruleId);
      expect(r.message.text).toBe(finding.message);
      expect(r.level).toBe({ critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' }[finding.severity]);
      const location = only(r.locations);
      expect(location.physicalLocation?.region?.startLine).toBe(finding.location?.line);
      expect(location.physicalLocation?.region?.startColumn).toBe(finding.location?.column);
      const uri = location.physicalLocation?.artifactLocation?.uri ?? '';
      if (finding.location?.file === '-') expect(uri).toBe(STDIN_URI);
      else expect(uri).toBe(finding.location?.file);
      expect(uri).not.toContain('\\');
      const logical = only(location.logicalLocations);
      const ref = finding.resource;
      if (ref.provider !== 'kubernetes') throw new Error('expected a Kubernetes resource');
      expect(logical).toEqual({ name: ref.name, kind: 'resource', fullyQualifiedName: [ref.kind, ref.namespace, ref.name].filter((p) => p !== undefined).join('/') });
    });
    const privileged = results.find((r) => r.ruleId === 'no-privileged-containers' && r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName === 'CronJob/ci/nightly-image-build');
    expect(privileged?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe('examples/insecure/node-agents.yaml');
    // Line 44 of node-agents.yaml is `privileged: true` of the build container.
    const line = privileged?.locations?.[0]?.physicalLocation?.region?.startLine ?? 0;
    expect(readFileSync('examples/insecure/node-agents.yaml', 'utf8').split('\n')[line - 1]).toMatch(/privileged: true/);
  });

  it('gives every result a physical location with an artifact URI (GitHub rejects the whole log otherwise)', () => {
    for (const r of run.results ?? []) {
      expect(r.locations?.length).toBeGreaterThan(0);
      expect(r.locations?.every((l) => typeof l.physicalLocation?.artifactLocation?.uri === 'string')).toBe(true);
    }
  });

  it('marks the placeholder URI of standard input', () => {
    const stdin = (run.results ?? []).find((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri === STDIN_URI);
    expect(stdin?.locations?.[0]?.physicalLocation?.artifactLocation?.description?.text).toContain('standard input');
  });

  it('lists exempted findings as suppressed results with the reason', () => {
    const suppressed = (run.results ?? []).filter((r) => r.suppressions !== undefined);
    expect(suppressed).toHaveLength(result.exempted.length);
    const annotated = suppressed.find((r) => r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName === 'Pod/lab/debug');
    expect(annotated?.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'node debugging pod <temporary> & deleted after use' }]);
    const excluded = suppressed.find((r) => r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName?.startsWith('DaemonSet/logging/'));
    expect(excluded?.suppressions?.[0]).toMatchObject({ kind: 'external', justification: 'namespace excluded by --exclude-namespace' });
  });

  it('reports input problems as failed-invocation notifications', () => {
    const invocation = only(run.invocations);
    expect(invocation.executionSuccessful).toBe(false);
    const notes = invocation.toolExecutionNotifications ?? [];
    expect(notes).toHaveLength(result.gaps.length);
    const syntax = notes.find((n) => n.descriptor?.id === 'YAML_SYNTAX');
    expect(syntax?.level).toBe('error');
    expect(syntax?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(STDIN_URI);
  });

  it('keeps fingerprints when lines move, and they tell results apart', async () => {
    const shifted = render(await scanExamples({ shift: 3 }));
    const key = (r: Sarif.Result) => `${r.ruleId} ${r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName ?? ''} ${String(r.properties?.fieldPath)}`;
    const before = new Map((run.results ?? []).map((r) => [key(r), r]));
    const tuner = (shifted.runs[0]?.results ?? []).find((r) => r.ruleId === 'no-host-namespaces' && key(r).includes('Pod/lab/tuner'));
    const original = tuner && before.get(key(tuner));
    expect(tuner?.locations?.[0]?.physicalLocation?.region?.startLine).toBe((original?.locations?.[0]?.physicalLocation?.region?.startLine ?? 0) + 3);
    expect(tuner?.partialFingerprints).toEqual(original?.partialFingerprints);
    const prints = (run.results ?? []).map((r) => r.partialFingerprints?.['eksguard/v1']);
    expect(prints.every((p) => typeof p === 'string' && p.length === 64)).toBe(true);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('is byte-for-byte the same for the same input', async () => {
    const again = await scanExamples();
    expect(renderSarif(again, { version: '0.1.0', sources: again.sources, rules: again.rules, cwd })).toBe(`${JSON.stringify(log, null, 2)}\n`);
  });
});

describe('SARIF for objects no file holds', () => {
  it('still gives every result a physical location, which GitHub requires of each one', () => {
    const finding: Finding = {
      ruleId: 'no-privileged-containers', messageId: 'x', message: 'm', severity: 'low', area: 'tenancy', title: 't', remediation: 'r.',
      resource: { provider: 'kubernetes', apiVersion: 'v1', kind: 'Namespace', name: 'shop' }, path: ['metadata', 'labels'],
    };
    const fromCluster: Finding = { ...finding, resource: { ...finding.resource, name: 'ci' }, origin: 'cluster:prod' };
    const audit = {
      findings: [finding, fromCluster], exempted: [], gaps: [], notEvaluated: [{ ruleId: 'no-privileged-containers', reason: 'because' }],
      summary: { bySeverity: { critical: 0, high: 0, medium: 0, low: 2, info: 0 }, findings: 2, exempted: 0, resources: 2, rulesRun: 1, checks: 2, passed: 0, score: 0 },
    };
    const log = JSON.parse(renderSarif(audit, { version: '0.1.0', sources: [], rules: [], cwd })) as Sarif.Log;
    expect(validator()(log)).toEqual([]);
    const results = log.runs[0]?.results ?? [];
    expect(results.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri)).toEqual([NO_FILE_URI, NO_FILE_URI]);
    expect(results[1]?.locations?.[0]?.physicalLocation?.artifactLocation?.description?.text).toContain('cluster:prod');
    expect(results.map((r) => r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName)).toEqual(['Namespace/shop', 'Namespace/ci']);
    expect(log.runs[0]?.invocations?.[0]?.toolConfigurationNotifications?.[0]).toMatchObject({ level: 'note', associatedRule: { id: 'no-privileged-containers' } });
  });
});

describe('artifactUri', () => {
  it('is relative with forward slashes inside the working directory, a file URI outside it', () => {
    expect(artifactUri('k8s/app.yaml', '/repo')).toBe('k8s/app.yaml');
    expect(artifactUri('/repo/k8s/my app#1.yaml', '/repo')).toBe('k8s/my%20app%231.yaml');
    expect(artifactUri('/elsewhere/app.yaml', '/repo')).toBe('file:///elsewhere/app.yaml');
    expect(artifactUri('../app.yaml', '/repo/sub')).toBe('file:///repo/app.yaml');
    expect(artifactUri('-', '/repo')).toBe(STDIN_URI);
  });
});
