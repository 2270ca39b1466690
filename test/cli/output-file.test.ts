/**
 * Report files: `-` is standard output, and a file that cannot be written fails the run at once,
 * before any scanning, with one line naming it and the reason in words.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareOutputFile, writeBatched } from '../../src/cli/output-file.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

describe('-o FORMAT=-', () => {
  it('writes the report to standard output, and no file named -', async () => {
    const cwd = makeTempDir('dash');
    const run = await runCli(['scan', join(process.cwd(), 'examples/insecure'), '-o', 'json=-'], { cwd });
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('counts as the one report on standard output', async () => {
    const run = await runCli(['scan', 'examples/insecure', '-o', 'json=-', '-o', 'table']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('only one report can go to standard output');
  });

  it('--output-file - is standard output too', async () => {
    const cwd = makeTempDir('dash');
    const run = await runCli(['scan', join(process.cwd(), 'examples/hardened'), '-o', 'sarif', '--output-file', '-', '--fail-on', 'none'], { cwd });
    expect((JSON.parse(run.stdout) as { version: string }).version).toBe('2.1.0');
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('an unwritable report file', () => {
  it('under /proc fails at once with one line, and does not spin (Node\'s recursive mkdir loops there)', () => {
    const started = Date.now();
    const run = spawnSync(process.execPath, ['bin/eksguard.js', 'scan', 'examples/', '-o', 'table', '-o', 'json=/proc/eksguard-x/y.json'], { encoding: 'utf8', timeout: 20_000 });
    expect(run.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('eksguard: cannot write the report to /proc/eksguard-x/y.json: its directory does not exist and cannot be created there\n');
    expect(run.stdout).toBe(''); // nothing was scanned: the table is not printed either
  });

  it('below a regular file, or a directory, fails before the scan for scan, audit analyze, rbac risky and snapshot', async () => {
    const dir = makeTempDir('unwritable');
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    const below = join(file, 'out', 'report.json');
    expect(await runCli(['scan', 'examples/', '-o', 'table', '-o', `json=${below}`])).toEqual({ code: 2, stdout: '', stderr: `eksguard: cannot write the report to ${below}: a part of the path is not a directory\n` });
    expect(await runCli(['scan', 'examples/', '-o', `sarif=${dir}`])).toEqual({ code: 2, stdout: '', stderr: `eksguard: cannot write the report to ${dir}: it is a directory\n` });
    expect(await runCli(['audit', 'analyze', 'examples/audit-logs', '-o', 'table', '-o', `json=${below}`])).toMatchObject({ code: 2, stdout: '', stderr: `eksguard: cannot write the report to ${below}: a part of the path is not a directory\n` });
    expect(await runCli(['rbac', 'risky', 'examples/', '--output-file', below])).toMatchObject({ code: 2, stdout: '', stderr: `eksguard: cannot write the report to ${below}: a part of the path is not a directory\n` });
    expect(await runCli(['snapshot', 'examples/', '--output-file', below])).toMatchObject({ code: 2, stdout: '', stderr: `eksguard: cannot write the snapshot to ${below}: a part of the path is not a directory\n` });
  });

  it('a missing directory is still made, several levels deep', async () => {
    const dir = makeTempDir('nested');
    const target = join(dir, 'a', 'b', 'c', 'report.json');
    await prepareOutputFile(target);
    expect(existsSync(join(dir, 'a', 'b', 'c'))).toBe(true);
    const run = await runCli(['scan', 'examples/hardened', '-o', `json=${target}`, '--fail-on', 'none']);
    expect(run.code).toBe(0);
    expect((JSON.parse(readFileSync(target, 'utf8')) as { findings: unknown[] }).findings).toBeDefined();
  });
});

describe('writeBatched', () => {
  it('writes the pieces\' UTF-8 in order, in few batches, a piece larger than a batch included', async () => {
    // Pieces of one, two, three and four UTF-8 bytes per character, and one piece of 3 MB.
    const pieces = Array.from({ length: 40_000 }, (_, i) => `{"n": ${i}, "m": "caf\u00e9 \u20ac \u{1F600}"},\n`);
    pieces.splice(20_000, 0, 'x'.repeat(3 << 20));
    const batches: Buffer[] = [];
    await writeBatched(pieces, async (batch) => { batches.push(Buffer.from(batch)); });
    expect(Buffer.concat(batches).toString('utf8')).toBe(pieces.join(''));
    expect(batches.length).toBeGreaterThan(2);
    expect(batches.length).toBeLessThan(10);
  });

  it('hands each batch over in its own buffer: a stream may still hold the last one when write returns', async () => {
    const held: Uint8Array[] = [];
    // Three pieces fit a batch: a buffer used again while the stream held it would show other digits.
    const pieces = Array.from({ length: 10 }, (_, i) => String(i).repeat(200_000));
    await writeBatched(pieces, async (batch) => { held.push(batch); });
    expect(held.length).toBe(4);
    expect(held.map((b) => Buffer.from(b).toString('utf8')).join('')).toBe(pieces.join(''));
  });

  it('with reuse, two buffers take turns, each refilled only after its write has ended', async () => {
    const seen: ArrayBufferLike[] = [];
    const copies: string[] = [];
    const pending: { batch: Uint8Array; text: string }[] = [];
    const pieces = Array.from({ length: 30 }, (_, i) => String(i % 10).repeat(200_000));
    await writeBatched(pieces, async (batch) => {
      const text = Buffer.from(batch).toString('utf8');
      pending.push({ batch, text });
      seen.push(batch.buffer);
      await new Promise((resolve) => setTimeout(resolve, 2));
      // The bytes are still the batch's when its write ends: nothing was rendered into it meanwhile.
      expect(Buffer.from(batch).toString('utf8')).toBe(text);
      copies.push(text);
    }, true);
    expect(copies.join('')).toBe(pieces.join(''));
    expect(new Set(seen).size).toBe(2);
    expect(seen.length).toBe(10);
  });

  it('renders the next batch while one is written, but never starts a write before the last has ended', async () => {
    const events: string[] = [];
    let writing = 0;
    const pieces = (function* () {
      for (let i = 0; i < 6; i += 1) {
        events.push(`render ${i}`);
        yield String(i).repeat(200_000);
      }
    })();
    await writeBatched(pieces, async (batch) => {
      expect(writing).toBe(0);
      writing += 1;
      events.push(`write ${Buffer.from(batch).toString('utf8', 0, 1)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      writing -= 1;
    });
    // The batch of pieces 0-2 is written while piece 3 (the next batch's first) was rendered before
    // that write ended: the second write waits for it.
    expect(events).toEqual(['render 0', 'render 1', 'render 2', 'render 3', 'write 0', 'render 4', 'render 5', 'write 3']);
    expect(writing).toBe(0);
  });

  it('fails with the first failed write, and writes nothing after it', async () => {
    const written: string[] = [];
    const pieces = Array.from({ length: 12 }, (_, i) => String(i % 10).repeat(200_000));
    const attempt = writeBatched(pieces, async (batch) => {
      const first = Buffer.from(batch).toString('utf8', 0, 1);
      if (written.length === 1) throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
      written.push(first);
    });
    await expect(attempt).rejects.toThrow('no space left');
    expect(written).toEqual(['0']);
  });

  it('writes nothing for no pieces', async () => {
    const batches: Uint8Array[] = [];
    await writeBatched([], async (batch) => { batches.push(batch); });
    expect(batches).toEqual([]);
  });
});
