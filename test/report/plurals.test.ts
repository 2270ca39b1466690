/** Summary lines count in words that agree with the count: "1 object in 1 source · 1 rule". */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plural } from '../../src/core/plural.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers: [{name: c, image: nginx, securityContext: {privileged: true}}]\n';

/** A directory with one manifest, and a kustomization.yaml the walk lists as skipped. */
function onePod(): string {
  const dir = makeTempDir('plurals');
  writeFileSync(join(dir, 'pod.yaml'), POD);
  writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [pod.yaml]\n');
  return dir;
}

describe('plurals', () => {
  it('plural() gives the singular for one, the plural for zero and many', () => {
    expect([plural(0, 'rule'), plural(1, 'rule'), plural(2, 'rule'), plural(1, 'input problem'), plural(3, 'input problem')]).toEqual(['0 rules', '1 rule', '2 rules', '1 input problem', '3 input problems']);
  });

  it('the table says "1 finding", "1 object in 1 source" (skipped files not counted) and "1 rule"', async () => {
    const run = await runCli(['scan', onePod(), '--rule', 'no-privileged-containers']);
    const last = run.stdout.trimEnd().split('\n').at(-1);
    expect(last).toBe('1 finding: 1 critical · score 0/100 · 1 object in 1 source · 1 rule');
  });

  it('"Not evaluated (1 rule; ...)", and the Markdown summary in the same words', async () => {
    const dir = onePod();
    const run = await runCli(['scan', dir, '--rule', 'no-privileged-containers', '--rule', 'no-wildcard-rbac']);
    expect(run.stdout).toContain('Not evaluated (1 rule; the input lacks what they need):');
    const markdown = await runCli(['scan', dir, '--rule', 'no-privileged-containers', '-o', 'markdown']);
    expect(markdown.stdout).toMatch(/\b1 object\b.*\b1 rule\b/);
    expect(markdown.stdout).not.toMatch(/\b1 (objects|rules|sources)\b/);
  });

  it('snapshot says "saved 1 object"', async () => {
    const dir = onePod();
    const run = await runCli(['snapshot', join(dir, 'pod.yaml'), '--output-file', join(dir, 'snap.json')]);
    expect(run.stderr).toBe(`eksguard: saved 1 object to ${join(dir, 'snap.json')}\n`);
  });
});
