/**
 * One report grammar for every reporting command: `-o FORMAT[=FILE]`, `--output-file`,
 * `--fail-on`, and reports never written over an input (rbac risky, pss check/advise, audit rbac).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFailOn, parseReportTargets } from '../../src/cli/report-output.js';
import { runCli } from '../cli-harness.js';
import { realisticCluster, toYaml } from '../rbac/realistic-cluster.js';
import { makeTempDir } from '../temp-dir.js';

function validateSarif(log: unknown): unknown[] {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  ajvFormats.default(ajv);
  const validate = ajv.compile(schema);
  return validate(log) ? [] : (validate.errors ?? []);
}

const PODS = `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: agent, namespace: shop }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      hostNetwork: true
      containers: [{ name: agent, image: agent:1, securityContext: { privileged: true } }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: web:1 }]
`;

let dir = '';
let dump = '';
let pods = '';
beforeAll(() => {
  dir = makeTempDir('grammar');
  dump = join(dir, 'rbac.yaml');
  writeFileSync(dump, toYaml(realisticCluster()));
  pods = join(dir, 'pods.yaml');
  writeFileSync(pods, PODS);
});

describe('the shared parsers', () => {
  it('--fail-on takes every severity, info included, and none; a typo gets a suggestion', () => {
    for (const value of ['critical', 'high', 'medium', 'low', 'info', 'none']) expect(parseFailOn(value)).toBe(value);
    expect(() => parseFailOn('hihg')).toThrow('--fail-on hihg: expected one of critical, high, medium, low, info, none; did you mean "high"?');
    expect(() => parseFailOn('x')).toThrow(/expected one of critical, high, medium, low, info, none$/);
  });

  it('-o names an unknown format with the accepted ones and the nearest', () => {
    expect(() => parseReportTargets(['jsno'], undefined, ['table', 'json'], 'table')).toThrow('-o jsno: unknown format "jsno"; expected one of table, json; did you mean "json"?');
    expect(parseReportTargets(['json=a.json', 'table'], undefined, ['table', 'json'], 'table')).toEqual([{ format: 'json', file: 'a.json' }, { format: 'table' }]);
  });
});

describe('rbac risky', () => {
  it('writes JUnit and Markdown, each to its FORMAT=FILE, and the table to stdout', async () => {
    const junit = join(dir, 'out', 'risky.xml');
    const markdown = join(dir, 'out', 'risky.md');
    const run = await runCli(['rbac', 'risky', dump, '-o', 'table', '-o', `junit=${junit}`, '-o', `markdown=${markdown}`, '--fail-on', 'none']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/risks?: /);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="eksguard rbac risky" tests="\d+" failures="[1-9]\d*"/);
    expect(xml).toContain('<testsuite name="escalation-path"');
    const md = readFileSync(markdown, 'utf8');
    expect(md).toMatch(/^### eksguard rbac risky\n\n\*\*\d+ risks\*\*: /);
    expect(md).toContain('| Severity | Check | Subject | Where | Message |');
  });

  it('--fail-on info is accepted (help lists it too)', async () => {
    const run = await runCli(['rbac', 'risky', dump, '-o', 'json', '--fail-on', 'info']);
    expect(run.code).toBe(1);
  });

  it('refuses to write a report over one of its inputs, before reading anything', async () => {
    const before = readFileSync(dump, 'utf8');
    const run = await runCli(['rbac', 'risky', dump, '-o', `json=${dump}`]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `eksguard: refusing to write the report to ${dump}: it is one of the inputs\n` });
    expect(readFileSync(dump, 'utf8')).toBe(before);
  });
});

describe('pss check and pss advise', () => {
  it('pss check writes SARIF that validates, with each violation as severe as the rule that checks the same field', async () => {
    const run = await runCli(['pss', 'check', pods, '--level', 'baseline', '-o', 'sarif']);
    expect(run.code).toBe(1);
    const log = JSON.parse(run.stdout) as { runs: { results: { ruleId: string; properties: { severity: string } }[] }[] };
    expect(validateSarif(log)).toEqual([]);
    const results = log.runs[0]?.results ?? [];
    // no-privileged-containers and no-host-namespaces are the rules with those PSS controls.
    expect(results.map((r) => [r.ruleId, r.properties.severity]).sort()).toEqual([['pss/hostNamespaces', 'high'], ['pss/privileged', 'critical']].sort());
  });

  it('pss check --fail-on: exit 1 only for violations at or above it; the default fails on any denial', async () => {
    expect((await runCli(['pss', 'check', pods, '--level', 'restricted', '-o', 'json'])).code).toBe(1);
    expect((await runCli(['pss', 'check', pods, '--level', 'restricted', '-o', 'json', '--fail-on', 'critical'])).code).toBe(1);
    expect((await runCli(['pss', 'check', pods, '--level', 'restricted', '-o', 'json', '--fail-on', 'none'])).code).toBe(0);
    const web = join(dir, 'web.yaml');
    writeFileSync(web, PODS.split('---\n').filter((d) => !d.includes('agent')).join('---\n'));
    // web only misses restricted settings: high at most (require-run-as-non-root, no-privilege-escalation).
    expect((await runCli(['pss', 'check', web, '--level', 'restricted', '-o', 'json', '--fail-on', 'critical'])).code).toBe(0);
    expect((await runCli(['pss', 'check', web, '--level', 'restricted', '-o', 'json', '--fail-on', 'high'])).code).toBe(1);
  });

  it('pss check writes JUnit with passing and failing cases, and Markdown', async () => {
    const junit = join(dir, 'pss.xml');
    const run = await runCli(['pss', 'check', pods, '--level', 'baseline', '-o', 'markdown', '-o', `junit=${junit}`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('### eksguard pss check');
    expect(run.stdout).toContain('Deployment shop/agent');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="allowed" tests="1" failures="0"');
    expect(xml).toContain('<testsuite name="privileged" tests="1" failures="1"');
  });

  it('pss advise exits 0 by default and 1 with --fail-on, and writes what blocks the next level as SARIF', async () => {
    expect((await runCli(['pss', 'advise', pods])).code).toBe(0);
    expect((await runCli(['pss', 'advise', pods, '--fail-on', 'high', '-o', 'json'])).code).toBe(1);
    const run = await runCli(['pss', 'advise', pods, '-o', 'sarif']);
    const log = JSON.parse(run.stdout) as { runs: { results: { message: { text: string } }[] }[] };
    expect(validateSarif(log)).toEqual([]);
    expect(log.runs[0]?.results.some((r) => r.message.text.startsWith('blocks baseline in namespace shop: '))).toBe(true);
  });

  it('pss check reads a snapshot, as rbac does', async () => {
    const snapshot = join(dir, 'pods.snapshot.json');
    expect((await runCli(['snapshot', pods, '--output-file', snapshot, '-q'])).code).toBe(0);
    const run = await runCli(['pss', 'check', '--snapshot', snapshot, '--level', 'baseline', '-o', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { results: { resource: { name: string }; allowed: boolean }[] };
    expect(report.results.map((r) => [r.resource.name, r.allowed]).sort()).toEqual([['agent', false], ['web', true]]);
  });

  it('refuse to write over an input, and say what to give when nothing is given', async () => {
    const run = await runCli(['pss', 'advise', pods, '-o', `yaml=${pods}`]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `eksguard: refusing to write the report to ${pods}: it is one of the inputs\n` });
    const none = await runCli(['pss', 'check']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^eksguard: nothing to read\nhint: Give --cluster .*--snapshot FILE/);
  });
});

describe('audit rbac --output-file', () => {
  it('refuses to write the roles over the audit log it reads', async () => {
    const log = join(dir, 'audit.log');
    writeFileSync(log, `${JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'a', stage: 'ResponseComplete', requestURI: '/api/v1/pods', verb: 'list', user: { username: 'alice' }, objectRef: { resource: 'pods', apiVersion: 'v1' }, responseStatus: { code: 200 }, requestReceivedTimestamp: '2026-01-01T00:00:00Z' })}\n`);
    const run = await runCli(['audit', 'rbac', log, '--user', 'alice', '--output-file', log]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `eksguard: refusing to write the roles to ${log}: it is one of the inputs\n` });
    expect(existsSync(log)).toBe(true);
    expect(readFileSync(log, 'utf8')).toContain('"auditID":"a"');
  });
});

describe('SARIF lists every rule with its enabled state', () => {
  it('scan -o sarif: the rules that ran are enabled, opt-in ones and those turned off are listed disabled', async () => {
    const cwd = makeTempDir('sarif-enabled');
    writeFileSync(join(cwd, 'eksguard.yaml'), 'rules:\n  no-host-ports: off\n');
    const run = await runCli(['scan', pods, '-o', 'sarif', '--fail-on', 'none', '--allow-gaps'], { cwd });
    const log = JSON.parse(run.stdout) as { runs: { tool: { driver: { rules: { id: string; defaultConfiguration: { enabled: boolean } }[] } } }[] };
    expect(validateSarif(log)).toEqual([]);
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    const { builtinRules } = await import('../../src/rules/index.js');
    expect(rules.map((r) => r.id).sort()).toEqual(Object.keys(builtinRules).sort());
    const enabled = (id: string) => rules.find((r) => r.id === id)?.defaultConfiguration.enabled;
    expect(enabled('no-privileged-containers')).toBe(true);
    expect(enabled('no-host-ports')).toBe(false);
    expect(enabled('restrict-image-registries')).toBe(false);
    expect(enabled('require-tenant-node-isolation')).toBe(false);
  });
});
