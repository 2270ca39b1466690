import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAwsDump } from '../../src/collect/aws-dump/read-dump.js';
import { runCli } from '../cli-harness.js';
import { awsEvidenceOf } from '../rule-tester.js';
import { fakeAws, loadFixture } from './fake-aws-cli.js';
import { externalProgram } from '../support/external.js';
import { makeTempDir } from '../temp-dir.js';

/** The copy-paste script of docs/aws-evidence.md, as an auditor would save it. */
function documentedScript(): string {
  const blocks = readFileSync('docs/aws-evidence.md', 'utf8').split(/^```bash\n/m).slice(1).map((b) => b.slice(0, b.indexOf('\n```')));
  const script = blocks.find((b) => b.startsWith('#!/usr/bin/env bash'));
  if (script === undefined) throw new Error('no dump script in docs/aws-evidence.md');
  return `${script}\n`;
}

// The fake `aws` is a shell shim that posts its arguments to this loopback server (one node process
// per call would make the test slow): the server answers from the fixture the test names.
let server: Server;
let port = 0;
let fixture: ReturnType<typeof loadFixture> = [];
// The fake `aws` shim posts with curl.
const curl = externalProgram('curl', 'the test of the documented AWS CLI dump script (test/aws/dump-script.test.ts)');

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const args = Buffer.concat(chunks).toString('utf8').split('\0').slice(0, -1);
      const answer = fakeAws(fixture, args);
      res.writeHead(answer.code === 0 ? 200 : 500, { 'content-type': 'text/plain' });
      res.end(answer.code === 0 ? answer.stdout : answer.stderr);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

async function runScript(fixtureDir: string, cluster: string, images?: string): Promise<string> {
  fixture = loadFixture(fixtureDir);
  const dir = makeTempDir('dump-script');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'aws'), [
    '#!/bin/sh',
    'tmp=$(mktemp)',
    `code=$(printf '%s\\0' "$@" | '${curl.path}' -s -o "$tmp" -w '%{http_code}' --data-binary @- http://127.0.0.1:${port}/)`,
    'if [ "$code" = 200 ]; then cat "$tmp"; rm -f "$tmp"; exit 0; fi',
    'cat "$tmp" >&2; rm -f "$tmp"; exit 254',
    '',
  ].join('\n'));
  chmodSync(join(bin, 'aws'), 0o755);
  writeFileSync(join(dir, 'dump.sh'), documentedScript());
  const out = join(dir, 'out');
  if (images !== undefined) writeFileSync(join(dir, 'images.txt'), images);
  await promisify(execFile)('bash', [join(dir, 'dump.sh'), cluster, 'eu-west-1', out], {
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: dir, ...(images !== undefined ? { EKSGUARD_IMAGES: join(dir, 'images.txt') } : {}) },
  });
  return out;
}

/** The evidence a dump gives, without where each item was read and when: what a rule sees. */
function evidenceOf(dir: string): unknown {
  const evidence = awsEvidenceOf(dir);
  const strip = (value: unknown): unknown => {
    // Files are read in name order, and the script names files differently: compare lists as sets.
    if (Array.isArray(value)) return value.map(strip).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    if (value instanceof Set) return [...value].sort();
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if ('data' in record && 'source' in record) return strip(record.data);
      return Object.fromEntries(Object.entries(record).filter(([k]) => k !== 'collectedAt').map(([k, v]) => [k, strip(v)]));
    }
    return value;
  };
  return strip(evidence);
}

describe('the dump script of docs/aws-evidence.md', () => {
  it('records a failed call as a file eksguard reads as a gap, whatever its error message holds', async () => {
    const dir = makeTempDir('dump-script');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    // An aws that refuses, with quotes, a backslash and a tab in its message, after an empty line as the CLI prints it.
    writeFileSync(join(bin, 'aws'), String.raw`#!/bin/sh
printf '\nAn error occurred (AccessDeniedException) when calling the ListAddons operation: "x"\\y\tz\n' >&2
exit 254
`);
    chmodSync(join(bin, 'aws'), 0o755);
    const j = /^j\(\) \{\n[\s\S]*?\n\}$/m.exec(documentedScript())?.[0];
    expect(j).toBeDefined();
    writeFileSync(join(dir, 'run.sh'), `CLUSTER=prod\n${j ?? ''}\nmkdir -p eks\nj eks/list-addons.json eks list-addons --cluster-name prod\n`);
    const run = await promisify(execFile)('bash', [join(dir, 'run.sh')], { cwd: dir, env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
    expect(run.stderr).toContain('skipped: aws eks list-addons --cluster-name prod');
    expect(readdirSync(join(dir, 'eks'))).toEqual(['list-addons.failed.json']);
    const record: unknown = JSON.parse(readFileSync(join(dir, 'eks', 'list-addons.failed.json'), 'utf8'));
    expect(record).toEqual({ eksguardFailedCall: 'eks list-addons', clusterName: 'prod', error: 'An error occurred (AccessDeniedException) when calling the ListAddons operation: "x"\\y z' });
    const scan = await runCli(['scan', '--aws-dump', dir, '-o', 'json', '--rule', 'require-pod-identity-for-aws-node']);
    expect((JSON.parse(scan.stdout) as { gaps: { code: string }[] }).gaps.map((g) => g.code)).toEqual(['AWS_FORBIDDEN']);
  });

  /** A whole run of the script: a hundred fake calls, each a shell, a curl and a request, on a machine other tests load too. */
const SCRIPT_TIMEOUT_MS = 120_000;

// One fixture only: each fake call is a shell, a curl and a request, seconds in all on a busy machine.
  it.skipIf(curl.missing)('collects, from the hardened fixture\'s account, the evidence the fixture holds, with no gaps', async () => {
    const out = await runScript('test/fixtures/aws/hardened', 'shop-hardened');
    expect(evidenceOf(out)).toEqual(evidenceOf('test/fixtures/aws/hardened'));
    const run = await runCli(['scan', '--aws-dump', out, '-o', 'json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { gaps: unknown[] }).gaps).toEqual([]);
  }, SCRIPT_TIMEOUT_MS);

  it.skipIf(curl.missing)('with EKSGUARD_IMAGES, reads the scan findings of the ECR images the cluster runs and Inspector\'s for their repositories', async () => {
    const digest = `sha256:${'a1'.repeat(32)}`;
    const out = await runScript('test/fixtures/aws/weak', 'shop-weak', [
      `111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4.2 docker-pullable://111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web@${digest}`,
      '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.0 docker-pullable://602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni@sha256:' + 'c3'.repeat(32),
      'docker.io/library/redis:7 docker.io/library/redis@sha256:' + 'd4'.repeat(32),
      '',
    ].join('\n'));
    expect(readdirSync(join(out, 'ecr')).filter((f) => f.startsWith('describe-image-scan-findings'))).toEqual([`describe-image-scan-findings-shop_web_${digest.replace(':', '_')}.json`]);
    expect(readdirSync(join(out, 'inspector2')).filter((f) => f.startsWith('list-findings'))).toEqual(['list-findings-shop_web.json']);
    // The weak fixture lacks some outputs the script asks for (their records are gaps); none of the ECR or Inspector calls failed.
    const { evidence, gaps } = await readAwsDump(out);
    expect(gaps.filter((g) => /\/(ecr|inspector2)\//.test(g.source))).toEqual([]);
    expect(evidence.ecr.imageScanFindings?.map((s) => s.data.imageId?.imageDigest)).toEqual([digest]);
    expect(evidence.collected.has('inspector2:ListFindings')).toBe(true);
    expect(evidence.ecr.repositoryPolicies?.map((p) => p.data.repositoryName)).toEqual(['shop/web']);
    expect(evidence.collected.has('ecr:GetRepositoryPolicy')).toBe(true);
  }, SCRIPT_TIMEOUT_MS);
});
