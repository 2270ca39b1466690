/**
 * Hostile AWS evidence directories: conflicting outputs, too many files, special files and
 * nesting. Each case reads a generated directory; none may crash, hang or drop a file silently.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAwsDump } from '../../src/collect/aws-dump/read-dump.js';
import { MAX_NESTING } from '../../src/core/input-bounds.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

const hardened = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'aws', 'hardened', 'eks', 'describe-cluster.json'), 'utf8')) as { cluster: Record<string, unknown> };

function describeCluster(publicEndpoint: boolean): string {
  const vpc = hardened.cluster.resourcesVpcConfig as Record<string, unknown>;
  return JSON.stringify({ cluster: { ...hardened.cluster, resourcesVpcConfig: { ...vpc, endpointPublicAccess: publicEndpoint, publicAccessCidrs: publicEndpoint ? ['0.0.0.0/0'] : [] } } });
}

interface Report { findings: { ruleId: string }[]; gaps: { source: string; code: string; message: string }[] }

describe('conflicting AWS evidence', () => {
  it('two describe-cluster outputs of one cluster that differ: a gap naming both files, and the weaker (public) one judged, in either order', async () => {
    for (const [first, second] of [[false, true], [true, false]] as const) {
      const dir = makeTempDir('aws-conflict');
      writeFileSync(join(dir, 'a-cluster.json'), describeCluster(first));
      writeFileSync(join(dir, 'b-cluster.json'), describeCluster(second));
      const run = await runCli(['scan', '--aws-dump', dir, '-o', 'json', '--allow-gaps']);
      const report = JSON.parse(run.stdout) as Report;
      const conflict = report.gaps.find((g) => g.code === 'CONFLICTING_VERSIONS');
      expect(conflict?.message).toContain('a-cluster.json');
      expect(conflict?.message).toContain('b-cluster.json');
      expect(conflict?.message).toContain(`the weaker one, from ${join(dir, first ? 'a-cluster.json' : 'b-cluster.json')}`);
      expect(report.findings.map((f) => f.ruleId)).toContain('no-public-cluster-endpoint');
    }
  });

  it('the same output twice is one cluster, no gap', async () => {
    const dir = makeTempDir('aws-same');
    writeFileSync(join(dir, 'a.json'), describeCluster(false));
    writeFileSync(join(dir, 'b.json'), describeCluster(false));
    const result = await readAwsDump(dir);
    expect(result.gaps).toEqual([]);
    expect(result.evidence.eks.clusters).toHaveLength(1);
  });
});

describe('an --aws-dump directory', () => {
  it('with more files than the bound: all within it read, the rest counted in a gap', async () => {
    const dir = makeTempDir('aws-many');
    for (let i = 0; i < 12; i++) writeFileSync(join(dir, `listing-${String(i).padStart(2, '0')}.json`), JSON.stringify({ clusters: [] }));
    const result = await readAwsDump(dir, { maxFiles: 10 });
    expect(result.sources).toHaveLength(10);
    expect(result.gaps).toEqual([expect.objectContaining({ code: 'TOO_LARGE', message: expect.stringContaining('2 were not') as unknown })]);
  });

  it('holding more bytes than the bound: the files within it read in name order, the rest counted in a gap naming the first', async () => {
    const dir = makeTempDir('aws-bytes');
    const listing = JSON.stringify({ clusters: [] });
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `listing-${i}.json`), listing);
    const result = await readAwsDump(dir, { maxBytes: listing.length * 3 });
    expect(result.sources).toHaveLength(3);
    expect(result.gaps).toEqual([expect.objectContaining({ code: 'TOO_LARGE', message: expect.stringMatching(/; 2 files were not read, the first .*listing-3\.json/) as unknown })]);
    // At the bound exactly, everything is read.
    expect((await readAwsDump(dir, { maxBytes: listing.length * 5 })).gaps).toEqual([]);
  });

  it('reads 10,001 files (more than the old silent bound)', async () => {
    const dir = makeTempDir('aws-10k');
    for (let i = 0; i < 10_000; i++) writeFileSync(join(dir, `l${i}.json`), '{"clusters":[]}');
    writeFileSync(join(dir, 'zz-cluster.json'), describeCluster(true));
    const result = await readAwsDump(dir);
    expect(result.gaps).toEqual([]);
    expect(result.evidence.eks.clusters).toHaveLength(1);
  }, 60_000);

  it('follows a symlink to a regular file and names a FIFO or a symlink to a device, never reading it', async () => {
    const dir = makeTempDir('aws-special');
    const outside = makeTempDir('aws-outside');
    writeFileSync(join(outside, 'real.json'), describeCluster(false));
    symlinkSync(join(outside, 'real.json'), join(dir, 'cluster.json'));
    symlinkSync('/dev/zero', join(dir, 'zero.json'));
    execFileSync('mkfifo', [join(dir, 'pipe.json')]);
    const started = Date.now();
    const result = await readAwsDump(dir);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.evidence.eks.clusters).toHaveLength(1);
    expect(result.gaps.map((g) => [g.source.slice(dir.length + 1), g.message])).toEqual([
      ['pipe.json', 'not a regular file (a FIFO (named pipe)); not read'],
      ['zero.json', 'not a regular file (a character device); not read'],
    ]);
  });

  it(`a file nested deeper than ${MAX_NESTING} levels is a gap for that file; the others are read`, async () => {
    const dir = makeTempDir('aws-deep');
    mkdirSync(join(dir, 'eks'));
    writeFileSync(join(dir, 'eks', 'cluster.json'), describeCluster(true));
    writeFileSync(join(dir, 'deep.json'), `{"cluster":${'['.repeat(50_000)}${']'.repeat(50_000)}}`);
    const run = await runCli(['scan', '--aws-dump', dir, '-o', 'json']);
    expect(run.stderr).not.toMatch(/Maximum call stack|\n\s+at /);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.gaps).toEqual([expect.objectContaining({ source: join(dir, 'deep.json'), code: 'TOO_DEEP', message: `nesting deeper than ${MAX_NESTING} levels; not read` })]);
    expect(report.findings.map((f) => f.ruleId)).toContain('no-public-cluster-endpoint');
    expect(run.code).toBe(2);
  });
});
