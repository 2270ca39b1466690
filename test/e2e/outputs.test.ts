import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../src/rules/index.js';
import { parseRuleDoc, readRuleDoc } from '../../src/cli/rule-docs.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

function tempDir(): string {
  return makeTempDir('out');
}

describe('eksguard scan with several outputs', () => {
  it('writes table to stdout and each FORMAT=FILE report, with the exit code of a single-format run', async () => {
    const dir = tempDir();
    const run = await runCli([
      'scan', 'examples/insecure',
      '-o', 'table',
      '-o', `sarif=${join(dir, 'eksguard.sarif')}`,
      '-o', `junit=${join(dir, 'nested', 'junit.xml')}`,
      '-o', `markdown=${join(dir, 'comment.md')}`,
      '-o', `json=${join(dir, 'report.json')}`,
    ]);
    const single = await runCli(['scan', 'examples/insecure']);
    expect(run.code).toBe(single.code);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(single.stdout);
    expect(run.stderr).toBe('');
    const sarif = JSON.parse(readFileSync(join(dir, 'eksguard.sarif'), 'utf8')) as { version: string; runs: { results: unknown[] }[] };
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { findings: unknown[]; exempted: unknown[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results).toHaveLength(json.findings.length + json.exempted.length);
    expect(readFileSync(join(dir, 'nested', 'junit.xml'), 'utf8')).toMatch(/^<\?xml[^>]*>\n<testsuites name="eksguard" tests="\d+" failures="\d+"/);
    expect(readFileSync(join(dir, 'comment.md'), 'utf8')).toContain('| Severity | Rule | Resource | Location | Message |');
  });

  it('sends the one format without a file to stdout, and --output-file to the single format', async () => {
    const dir = tempDir();
    const run = await runCli(['scan', 'examples/hardened', '-o', 'markdown', '-o', `sarif=${join(dir, 'x.sarif')}`, '--fail-on', 'none']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^### eksguard/);
    expect(existsSync(join(dir, 'x.sarif'))).toBe(true);

    const file = await runCli(['scan', 'examples/hardened', '-o', 'sarif', '--output-file', join(dir, 'y.sarif'), '--fail-on', 'none']);
    expect(file.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'y.sarif'), 'utf8')).version).toBe('2.1.0');

    const mixed = await runCli(['scan', 'examples/hardened', '-o', 'table', '-o', `junit=${join(dir, 'j.xml')}`, '--output-file', join(dir, 't.txt'), '--fail-on', 'none']);
    expect(mixed.stdout).toBe('');
    expect(readFileSync(join(dir, 't.txt'), 'utf8')).toMatch(/score \d+\/100/);
    expect(readFileSync(join(dir, 't.txt'), 'utf8')).not.toContain('\u001b['); // no colour in files
  });

  it('resolves FORMAT=FILE against the working directory', async () => {
    const dir = tempDir();
    const run = await runCli(['scan', `${process.cwd()}/examples/hardened`, '-o', 'junit=out/junit.xml', '--fail-on', 'none'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'out', 'junit.xml'))).toBe(true);
  });

  it('reads standard input into SARIF with a placeholder URI', async () => {
    const run = await runCli(['scan', '-', '-o', 'sarif'], { stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers: [{name: a, image: "x:1"}]\n' });
    expect(run.code).toBe(1);
    const log = JSON.parse(run.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    const hostPid = log.runs[0]?.results.find((r) => r.ruleId === 'no-host-namespaces');
    expect(hostPid?.locations[0]?.physicalLocation).toMatchObject({ artifactLocation: { uri: 'stdin' }, region: { startLine: 5 } });
  });

  it.each([
    [['-o', 'json', '-o', 'sarif'], 'only one report can go to standard output'],
    [['-o', 'yaml'], 'unknown format "yaml"'],
    [['-o', 'sarif='], 'no file after "="'],
    [['-o', 'json', '-o', 'sarif', '--output-file', 'x'], '--output-file: 2 formats have no file'],
    [['-o', 'sarif=a.sarif', '--output-file', 'x'], '--output-file: every -o already names its file'],
    [['-o', 'sarif=a.out', '-o', 'json=a.out'], 'two reports would be written to a.out'],
  ])('rejects %j as a usage error', async (args, message) => {
    const run = await runCli(['scan', 'examples/hardened', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('documents the formats and the FORMAT=FILE form in --help', async () => {
    const run = await runCli(['scan', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('table|json|sarif|junit|markdown');
    expect(run.stdout).toContain('-o sarif=eksguard.sarif');
  });
});

describe('eksguard rules', () => {
  it('lists id, area, severity, enabled, evidence and title for every rule, titles wrapped under their column', async () => {
    const run = await runCli(['rules']);
    const lines = run.stdout.split('\n');
    expect(lines.every((l) => l.length <= 100)).toBe(true);
    // At 100 columns the title goes under its row, indented, wrapped if long: the row's cells, then the title.
    const rows: string[][] = [];
    for (const line of lines) {
      const last = rows.at(-1);
      if (line.startsWith(' ') && last !== undefined) last.push(line.trim());
      else if (line !== '') rows.push([line]);
    }
    const cells = (row: readonly string[]): string[] => [...(row[0] ?? '').split(/\s{2,}/), row.slice(1).join(' ')];
    const [header, ...body] = rows;
    expect(cells(header ?? [])).toEqual(['ID', 'AREA', 'SEVERITY', 'ENABLED', 'EVIDENCE', 'TITLE']);
    for (const rule of Object.values(builtinRules)) {
      const row = body.find((r) => r[0]?.startsWith(`${rule.id} `));
      const enabled = rule.meta.enabledByDefault === false ? 'no (opt-in)' : 'yes';
      expect(cells(row ?? [])).toEqual([rule.id, rule.meta.area, rule.meta.severity, enabled, rule.meta.evidence.join(', '), rule.meta.docs.description]);
    }
  });

  it('says a rule is enabled as the config in effect has it: opt-in rules turned on, others turned off', async () => {
    const dir = makeTempDir('rules-config');
    writeFileSync(join(dir, 'eksguard.yaml'), 'rules:\n  restrict-image-registries: high\n  no-host-ports: off\n');
    const json = JSON.parse((await runCli(['rules', '-o', 'json'], { cwd: dir })).stdout) as { id: string; enabled: boolean; enabledByDefault: boolean }[];
    const of = (id: string) => json.find((r) => r.id === id);
    expect(of('restrict-image-registries')).toMatchObject({ enabled: true, enabledByDefault: false });
    expect(of('no-host-ports')).toMatchObject({ enabled: false, enabledByDefault: true });
    expect(of('require-tenant-node-isolation')).toMatchObject({ enabled: false, enabledByDefault: false });
    const table = (await runCli(['rules'], { cwd: dir })).stdout;
    expect(table).toMatch(/^no-host-ports +\S+ +\S+ +no \(config\) +/m);
    expect(table).toMatch(/^require-tenant-node-isolation +\S+ +\S+ +no \(opt-in\) /m);
    expect((await runCli(['rules', 'restrict-image-registries'], { cwd: dir })).stdout).toContain('enabled: yes');
  });

  it('suggests the nearest id for a typo', async () => {
    const run = await runCli(['rules', 'no-privileged-container']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'eksguard: unknown rule id no-privileged-container; did you mean no-privileged-containers?\nhint: eksguard rules lists every rule id.\n' });
  });

  it('explains one rule with a failing and a passing example and its references', async () => {
    const run = await runCli(['rules', 'no-privileged-containers']);
    expect(run.stdout).toMatch(/Fails:\n {4}apiVersion: v1\n[\s\S]*privileged: true/);
    expect(run.stdout).toMatch(/Passes:\n {4}apiVersion: v1\n[\s\S]*privileged: false/);
    expect(run.stdout).toMatch(/References:\n {2}- EKS Best Practices Guide/);
    const json = JSON.parse((await runCli(['rules', 'no-privileged-containers', '-o', 'json'])).stdout) as { examples: { incorrect: string; correct: string }; references: string[] };
    expect(json.examples.incorrect).toContain('privileged: true');
    expect(json.references.length).toBeGreaterThan(0);
  });

  it('finds both examples and references on every rule page', () => {
    for (const [id, rule] of Object.entries(builtinRules)) {
      const doc = readRuleDoc(id);
      // Rules judged on AWS evidence alone show AWS CLI output (JSON) instead of manifests.
      const awsOnly = !rule.meta.evidence.some((e) => e === 'manifests' || e === 'cluster');
      const shape = awsOnly ? /^\s*(?:\/\/[^\n]*\n\s*)*\{[\s\S]*\}\s*$/ : /\bkind: /;
      expect(doc?.incorrect, id).toMatch(shape);
      expect(doc?.correct, id).toMatch(shape);
      expect(doc?.references.length, id).toBeGreaterThan(0);
    }
  });

  it('takes the first block after each heading, whatever the fence', () => {
    const doc = parseRuleDoc([
      '# x', '', 'Examples of **incorrect** manifests:', '', '````yaml', 'a: 1', '```', 'still: inside', '````', '', '```yaml', 'second: 1', '```',
      'Examples of **correct** manifests:', '~~~', 'b: 2', '~~~', '## References', '', '- one', '- two', '', '## Next', '- not this',
    ].join('\n'));
    expect(doc).toEqual({ incorrect: 'a: 1\n```\nstill: inside', correct: 'b: 2', references: ['- one', '- two'] });
  });

  it('reads the docs shipped beside dist/ from the built binary', () => {
    const out = execFileSync(process.execPath, ['bin/eksguard.js', 'rules', 'no-host-namespaces'], { encoding: 'utf8' });
    expect(out).toContain('Fails:');
    expect(out).toContain('Passes:');
  });
});
