/**
 * Baselines: the fingerprint survives shifted lines, reordered documents and a renamed file, and
 * tells apart findings that share rule, object and field; `scan --baseline` marks findings in
 * every format, fails only on new ones and says "N new, M fixed"; `eksguard diff` lists new,
 * fixed and unchanged findings, with Markdown safe for a pull-request comment.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFindings } from '../../src/baseline/compare.js';
import { fingerprint, fingerprinter } from '../../src/baseline/fingerprint.js';
import { parseReportFindings } from '../../src/baseline/report-findings.js';
import type { Finding } from '../../src/core/finding.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

const web = (name: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      hostPID: true
      containers:
        - name: web
          image: nginx:1.27
          securityContext: {privileged: true}${extra}
`;

function finding(extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'no-privileged-containers', messageId: 'x', message: 'Container "web" runs privileged.', severity: 'critical', area: 'workload', title: 't', remediation: 'r.',
    resource: { provider: 'kubernetes', apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
    path: ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'],
    location: { file: 'k8s/web.yaml', line: 12, column: 5 },
    ...extra,
  };
}

describe('fingerprint', () => {
  it('ignores the file, the line and the apiVersion; keeps rule, identity, field and message apart', () => {
    const base = fingerprint(finding());
    expect(fingerprint(finding({ location: { file: 'moved/renamed.yaml', line: 99, column: 1 } }))).toBe(base);
    expect(fingerprint(finding({ resource: { provider: 'kubernetes', apiVersion: 'extensions/v1beta1', kind: 'Deployment', namespace: 'shop', name: 'web' } }))).toBe(base);
    expect(fingerprint(finding({ ruleId: 'no-host-namespaces' }))).not.toBe(base);
    expect(fingerprint(finding({ resource: { provider: 'kubernetes', apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'lab', name: 'web' } }))).not.toBe(base);
    expect(fingerprint(finding({ path: ['spec', 'template', 'spec', 'containers', 1, 'securityContext', 'privileged'] }))).not.toBe(base);
    expect(fingerprint(finding({ message: 'Container "sidecar" runs privileged.' }))).not.toBe(base);
    const arn = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';
    expect(fingerprint(finding({ resource: { provider: 'aws', service: 'eks', type: 'cluster', arn, region: 'eu-west-1' }, location: undefined })))
      .toBe(fingerprint(finding({ resource: { provider: 'aws', service: 'eks', type: 'cluster', arn, name: 'prod' }, location: undefined })));
  });

  it('keeps the values baselines stored by users hold (pinned: computed before the fingerprinter existed), and a report\'s fingerprinter gives the same ones', () => {
    const pinned: [Finding, string][] = [
      [finding(), 'v1:296a1e5e19364f24424376730205af5dafd5e00e77d4cd7eca4da07b9da9a2a5'],
      [finding({ resource: { provider: 'kubernetes', apiVersion: 'v1', kind: 'Namespace', name: 'a/b~c' }, path: ['metadata', 'labels', 'x/y~z'] }), 'v1:2378cd207d8039f625cdccb84cc37878d3622f2c93e8b8be95ac874e48b7b56c'],
      [finding({ resource: { provider: 'aws', service: 'eks', type: 'cluster', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod' } }), 'v1:9f162d4b73b396386d5148d9dbe97b5e872e8968ea6087b4e3839297395e4e26'],
    ];
    const ofReport = fingerprinter();
    for (const [f, value] of pinned) {
      expect(fingerprint(f)).toBe(value);
      expect(ofReport(f)).toBe(value);
      expect(ofReport(f)).toBe(value); // its message hash now remembered
    }
  });

  it('is the same for a finding and for the same finding read back from -o json', async () => {
    const dir = makeTempDir('baseline');
    writeFileSync(join(dir, 'a.yaml'), web('web'));
    const run = await runCli(['scan', join(dir, 'a.yaml'), '-o', 'json', '--fail-on', 'none']);
    const doc = JSON.parse(run.stdout) as { findings: { fingerprint: string }[] };
    const read = parseReportFindings(run.stdout, 'a.json');
    expect(read.findings.map(fingerprint)).toEqual(doc.findings.map((f) => f.fingerprint));
  });

  it('counts findings that share a fingerprint: one of two overlays fixed is one fixed finding', () => {
    const a = finding({ location: { file: 'overlays/a/web.yaml', line: 1, column: 1 } });
    const b = finding({ location: { file: 'overlays/b/web.yaml', line: 1, column: 1 } });
    const c = compareFindings([a, b], [a]);
    expect(c.unchanged).toEqual([a]);
    expect(c.fixed).toHaveLength(1);
    expect(c.new).toEqual([]);
  });
});

describe('parseReportFindings', () => {
  it('names the file and the finding it cannot read', () => {
    expect(() => parseReportFindings('{', 'old.json')).toThrow(/^old\.json: not JSON/);
    expect(() => parseReportFindings('{"tool":{}}', 'old.json')).toThrow(/old\.json: no "findings" list/);
    expect(() => parseReportFindings('{"findings":[{"ruleId":"x","message":"m","severity":"grave","resource":{"kind":"Pod","name":"a"}}]}', 'old.json')).toThrow(/old\.json: findings\[0\]: severity "grave"/);
  });
});

describe('eksguard scan --baseline', () => {
  async function baselineRun() {
    const dir = makeTempDir('baseline');
    writeFileSync(join(dir, 'app.yaml'), `${web('web')}---\n${web('api')}`);
    const old = await runCli(['scan', join(dir, 'app.yaml'), '-o', `json=${join(dir, 'old.json')}`]);
    expect(old.code).toBe(1);
    // Lines shift, documents swap, the file is renamed; api is fixed, a new Deployment appears.
    writeFileSync(join(dir, 'renamed.yaml'), `# moved\n# here\n${web('cart')}---\n${web('web')}`);
    return { dir, old: JSON.parse(readFileSync(join(dir, 'old.json'), 'utf8')) as { findings: { fingerprint: string; resource: { name: string } }[] } };
  }

  it('marks findings of the baseline in JSON, SARIF (with absent results), table and Markdown, and fails only on new ones', async () => {
    const { dir, old } = await baselineRun();
    const args = ['scan', join(dir, 'renamed.yaml'), '--baseline', join(dir, 'old.json')];
    const run = await runCli([...args, '-o', 'table', '-o', `json=${join(dir, 'new.json')}`, '-o', `sarif=${join(dir, 'new.sarif')}`, '-o', `markdown=${join(dir, 'new.md')}`, '-o', `junit=${join(dir, 'new.xml')}`, '-o', `ocsf=${join(dir, 'new.ocsf.json')}`, '--no-color']);
    expect(run.code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'new.json'), 'utf8')) as { findings: { baselineState: string; resource: { name: string } }[]; baseline: { new: number; unchanged: number; fixed: unknown[] } };
    expect(new Set(report.findings.filter((f) => f.resource.name === 'web').map((f) => f.baselineState))).toEqual(new Set(['unchanged']));
    expect(new Set(report.findings.filter((f) => f.resource.name === 'cart').map((f) => f.baselineState))).toEqual(new Set(['new']));
    const apiCount = old.findings.filter((f) => f.resource.name === 'api').length;
    expect(report.baseline.fixed).toHaveLength(apiCount);
    const newCount = report.findings.filter((f) => f.baselineState === 'new').length;
    expect(run.stdout).toContain(`${newCount} new, ${apiCount} fixed since the baseline`);
    expect(run.stdout).toMatch(/\[baseline\]/);
    const sarif = JSON.parse(readFileSync(join(dir, 'new.sarif'), 'utf8')) as { runs: { results: { baselineState: string }[] }[] };
    const states = sarif.runs[0]?.results.map((r) => r.baselineState) ?? [];
    expect(states.filter((s) => s === 'absent')).toHaveLength(apiCount);
    expect(states.filter((s) => s === 'new')).toHaveLength(newCount);
    expect(states.every((s) => ['new', 'unchanged', 'absent'].includes(s))).toBe(true);
    expect(readFileSync(join(dir, 'new.md'), 'utf8')).toContain(`${newCount} new, ${apiCount} fixed since the baseline`);
    expect(readFileSync(join(dir, 'new.md'), 'utf8')).toMatch(/^\| critical \(baseline\) \| /m);
    expect(readFileSync(join(dir, 'new.xml'), 'utf8')).toContain('[baseline: already in the baseline report]');
    const ocsf = JSON.parse(readFileSync(join(dir, 'new.ocsf.json'), 'utf8')) as { unmapped: { baseline_state: string | null } }[];
    expect(ocsf.filter((e) => e.unmapped.baseline_state === 'unchanged')).toHaveLength(report.findings.filter((f) => f.baselineState === 'unchanged').length);

    // Only the baseline's own findings left: exit 0 at the default --fail-on.
    const same = await runCli(['scan', join(dir, 'app.yaml'), '--baseline', join(dir, 'old.json'), '-o', 'json']);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).baseline).toMatchObject({ new: 0, unchanged: old.findings.length, fixed: [] });
  });

  it('refuses a baseline that is not a report, in one line', async () => {
    const dir = makeTempDir('baseline');
    writeFileSync(join(dir, 'x.json'), '[1,2]');
    const run = await runCli(['scan', 'examples/hardened', '--baseline', join(dir, 'x.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/x\.json: no "findings" list/);
    const missing = await runCli(['scan', 'examples/hardened', '--baseline', join(dir, 'nope.json')]);
    expect(missing.stderr).toMatch(/--baseline .*nope\.json: cannot read \(ENOENT\)/);
  });
});

describe('eksguard diff', () => {
  it('gives new, fixed and unchanged findings as JSON, table and a PR-sized Markdown with mentions neutralised', async () => {
    const dir = makeTempDir('diff');
    writeFileSync(join(dir, 'a.yaml'), `${web('web')}---\n${web('api')}`);
    writeFileSync(join(dir, 'b.yaml'), `${web('web')}---\n${web('"@admin"')}`);
    await runCli(['scan', join(dir, 'a.yaml'), '-o', `json=${join(dir, 'old.json')}`]);
    await runCli(['scan', join(dir, 'b.yaml'), '-o', `json=${join(dir, 'new.json')}`]);
    const json = await runCli(['diff', join(dir, 'old.json'), join(dir, 'new.json'), '-o', 'json']);
    expect(json.code).toBe(1);
    const d = JSON.parse(json.stdout) as Record<'new' | 'fixed' | 'unchanged', { resource: { name: string } }[]> & { summary: Record<string, number> };
    expect(new Set(d.new.map((f) => f.resource.name))).toEqual(new Set(['@admin']));
    expect(new Set(d.fixed.map((f) => f.resource.name))).toEqual(new Set(['api']));
    expect(new Set(d.unchanged.map((f) => f.resource.name))).toEqual(new Set(['web']));
    expect(d.summary).toEqual({ new: d.new.length, fixed: d.fixed.length, unchanged: d.unchanged.length });
    const md = await runCli(['diff', join(dir, 'old.json'), join(dir, 'new.json'), '-o', 'markdown']);
    expect(md.stdout).toContain(`### eksguard: ${d.new.length} new, ${d.fixed.length} fixed`);
    expect(md.stdout).toContain('@\u200Badmin');
    expect(md.stdout).not.toMatch(/@admin/);
    const table = await runCli(['diff', join(dir, 'old.json'), join(dir, 'new.json'), '--no-color', '--fail-on', 'none']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`${d.new.length} new, ${d.fixed.length} fixed, ${d.unchanged.length} unchanged`);
    const same = await runCli(['diff', join(dir, 'old.json'), join(dir, 'old.json'), '-o', 'markdown']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('No change in findings.');
  });

  it('keeps a large diff within a PR comment', async () => {
    const many = Array.from({ length: 400 }, (_, i) => finding({ message: `m${i} ${'x'.repeat(400)}`, location: undefined }));
    const { renderDiffMarkdown } = await import('../../src/baseline/render-diff.js');
    const md = renderDiffMarkdown({ new: many, fixed: many, unchanged: many }, '0.1.0');
    expect(md.length).toBeLessThan(65_536);
    expect(md).toContain('… and 360 more');
  });
});
