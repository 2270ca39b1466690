/**
 * Markdown reports are made for pull-request comments: untrusted text in them (here a file name
 * an attacker chose) must neither notify people nor link issues, in every Markdown renderer.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/report/markdown-text.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

const HOSTILE_NAME = 'x @everyone @org/team #1 GH-1 gh-22 org/repo#3';
const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n    securityContext:\n      privileged: true\n';

/** Mentions and references GitHub acts on; none may survive in a report. */
function expectInert(markdown: string): void {
  expect(markdown).not.toMatch(/@everyone|@org|(^|[^\w])#\d|GH-\d|repo#\d/i);
  expect(markdown).toContain('@\u200Beveryone');
}

describe('mentions and references in Markdown reports', () => {
  it('the shared escape breaks each one', () => {
    expectInert(escapeMarkdown(HOSTILE_NAME));
  });

  it('scan -o markdown and diff -o markdown neutralise them in file names', async () => {
    const dir = makeTempDir('md');
    // The slashes make directories: the path as a whole carries every mention.
    mkdirSync(join(dir, 'x @everyone @org', 'team #1 GH-1 gh-22 org'), { recursive: true });
    const file = join(dir, `${HOSTILE_NAME}.yaml`);
    writeFileSync(file, pod);
    const scan = await runCli(['scan', file, '-o', 'markdown']);
    expect(scan.stdout).toContain('privileged');
    expectInert(scan.stdout);
    const before = join(dir, 'old.json');
    writeFileSync(before, JSON.stringify({ findings: [] }));
    const json = await runCli(['scan', file, '-o', `json=${join(dir, 'new.json')}`]);
    expect(json.code).toBe(1);
    const diff = await runCli(['diff', before, join(dir, 'new.json'), '-o', 'markdown']);
    expect(diff.stdout).toContain('New');
    expectInert(diff.stdout);
  });
});
