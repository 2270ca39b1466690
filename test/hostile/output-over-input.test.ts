/** A report file named like one of the inputs would destroy what it reports on: refused, in one line. */
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

const MANIFEST = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default}\nspec:\n  containers: [{name: c, image: busybox}]\n';

function manifest(): { dir: string; file: string } {
  const dir = makeTempDir('over-input');
  const file = join(dir, 'pod.yaml');
  writeFileSync(file, MANIFEST);
  return { dir, file };
}

describe('-o FORMAT=FILE over an input', () => {
  it('scan refuses the input file itself, relative or absolute, with one line and exit 2', async () => {
    const { dir, file } = manifest();
    for (const [target, cwd] of [[file, process.cwd()], ['pod.yaml', dir]] as const) {
      const run = await runCli(['scan', file, '-o', `json=${target}`], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`eksguard: refusing to write the report to ${file}: it is one of the inputs\n`);
      expect(readFileSync(file, 'utf8')).toBe(MANIFEST);
    }
  });

  it('scan refuses a link to the input, and --output-file too', async () => {
    const { dir, file } = manifest();
    const link = join(dir, 'link.json');
    symlinkSync(file, link);
    const run = await runCli(['scan', file, '-o', 'sarif', '--output-file', link]);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('it is one of the inputs');
    expect(readFileSync(file, 'utf8')).toBe(MANIFEST);
  });

  it('scan still writes a report beside the input', async () => {
    const { dir, file } = manifest();
    const run = await runCli(['scan', file, '-o', `json=${join(dir, 'report.json')}`, '--fail-on', 'none']);
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toHaveProperty('findings');
  });

  it('audit analyze refuses the audit log it reads', async () => {
    const dir = makeTempDir('over-log');
    const log = join(dir, 'audit.log');
    const event = JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'a', stage: 'ResponseComplete', requestURI: '/api/v1/pods', verb: 'list', user: { username: 'u' }, requestReceivedTimestamp: '2026-01-01T00:00:00Z', stageTimestamp: '2026-01-01T00:00:00Z' });
    writeFileSync(log, `${event}\n`);
    const run = await runCli(['audit', 'analyze', log, '-o', `json=${log}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('it is one of the inputs');
    expect(readFileSync(log, 'utf8')).toBe(`${event}\n`);
  });
});
