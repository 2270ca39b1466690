/**
 * How every command that reads manifests treats its input (issue #12): JSON located like YAML,
 * each file and object counted once, ordinary repositories scanned without errors, and runs that
 * judged nothing saying so.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

interface JsonReport {
  sources: { path: string; documents: number; objects: number; skipped: string | null; duplicates: number }[];
  summary: { checks: number; score: number | null; rulesRun: number };
  findings: { ruleId: string; path: string; resource: { kind: string; name: string; file: string; line: number; column: number } }[];
  gaps: { source: string; code: string; message: string }[];
  notEvaluated: { ruleId: string; reason: string }[];
}

const BIN = resolve('bin/eksguard.js');

/** The built CLI in a working directory of its own, as a user runs it there (relative paths included). */
function runIn(cwd: string, args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

function tree(files: Record<string, string>): string {
  const root = makeTempDir('inputs');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** What `kubectl get deploy,sa -n shop -o json` prints: a List with status and managedFields. */
const kubectlList = {
  apiVersion: 'v1',
  items: [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        annotations: { 'deployment.kubernetes.io/revision': '3' },
        creationTimestamp: '2026-11-02T10:11:12Z',
        generation: 3,
        managedFields: [{ apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:template': {} } }, manager: 'kubectl-client-side-apply', operation: 'Update', time: '2026-11-02T10:11:12Z' }],
        name: 'web',
        namespace: 'shop',
        resourceVersion: '81723',
        uid: '5d0b6c1e-7a0f-4a8e-9f38-2c1f0d6c9b11',
      },
      spec: {
        progressDeadlineSeconds: 600,
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{
              image: 'nginx:1.27',
              imagePullPolicy: 'IfNotPresent',
              name: 'web',
              resources: {},
              securityContext: { privileged: true },
              terminationMessagePath: '/dev/termination-log',
            }],
            dnsPolicy: 'ClusterFirst',
            hostPID: true,
            restartPolicy: 'Always',
          },
        },
      },
      status: { availableReplicas: 2, conditions: [{ type: 'Available', status: 'True' }], observedGeneration: 3, readyReplicas: 2, replicas: 2 },
    },
  ],
  kind: 'List',
  metadata: { resourceVersion: '' },
};

describe('JSON input', () => {
  for (const [style, indent] of [['pretty-printed', 4], ['minified', 0]] as const) {
    it(`locates findings in a ${style} kubectl get -o json List by line and column`, async () => {
      const text = `${JSON.stringify(kubectlList, null, indent)}\n`;
      const dir = tree({ 'live.json': text });
      const run = await runCli(['scan', join(dir, 'live.json'), '-o', 'json', '--rule', 'no-privileged-containers,no-host-namespaces']);
      const report = JSON.parse(run.stdout) as JsonReport;
      const lines = text.split('\n');
      const at = (ruleId: string) => {
        const f = report.findings.find((x) => x.ruleId === ruleId);
        expect(f, ruleId).toBeDefined();
        return lines[(f?.resource.line ?? 1) - 1]?.slice((f?.resource.column ?? 1) - 1) ?? '';
      };
      expect(at('no-privileged-containers')).toMatch(/^"privileged": ?true/);
      expect(at('no-host-namespaces')).toMatch(/^"hostPID": ?true/);
      if (indent > 0) expect(report.findings.every((f) => f.resource.line > 1)).toBe(true);
    });
  }
});

const web = (securityContext: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            ${securityContext}
`;

interface SarifLog { runs: { results: { ruleId: string; locations: unknown[] }[] }[] }

describe('duplicates', () => {
  it('reads a file once whether named twice or inside a directory also named: each finding once, in JSON and SARIF', async () => {
    const dir = tree({ 'k8s/app.yaml': web('privileged: true'), 'k8s/other.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n' });
    const file = join(dir, 'k8s', 'app.yaml');
    const sarifFile = join(dir, 'out.sarif');
    const run = await runCli(['scan', file, join(dir, 'k8s'), file, '-o', 'json', '-o', `sarif=${sarifFile}`]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    const keys = report.findings.map((f) => `${f.ruleId} ${f.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('no-privileged-containers spec.template.spec.containers[0].securityContext.privileged');
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as SarifLog;
    expect(sarif.runs[0]?.results).toHaveLength(report.findings.length);
    expect(report.sources.filter((s) => s.skipped === null).map((s) => s.path)).toEqual([file, join(dir, 'k8s', 'other.yaml')]);
  });

  it('judges an object from a file and from a snapshot once when they agree, and says where it came from', async () => {
    const dir = tree({ 'app.yaml': web('privileged: true') });
    const snap = join(dir, 'snap.json');
    expect((await runCli(['snapshot', join(dir, 'app.yaml'), '--output-file', snap, '--quiet'])).code).toBe(0);
    const run = await runCli(['scan', join(dir, 'app.yaml'), '--snapshot', snap, '-o', 'json']);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.gaps).toEqual([]);
    expect(report.findings.filter((f) => f.ruleId === 'no-privileged-containers')).toHaveLength(1);
    expect(report.sources.map((s) => [s.path, s.objects, s.duplicates])).toEqual([[join(dir, 'app.yaml'), 1, 0], [snap, 1, 1]]);
  });

  it('names both places of two differing versions in a gap and judges the weaker one, whatever the order', async () => {
    const dir = tree({ 'a/web.yaml': web('privileged: true'), 'b/web.yaml': web('runAsNonRoot: true') });
    for (const order of [['a', 'b'], ['b', 'a']]) {
      const paths = order.map((d) => join(dir, d, 'web.yaml'));
      const run = await runCli(['scan', ...paths, '-o', 'json']);
      expect(run.code).toBe(2);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.gaps.map((g) => g.code)).toEqual(['CONFLICTING_VERSIONS']);
      expect(report.gaps[0]?.message).toContain(`Deployment shop/web is read in 2 versions that differ (${paths[0]}:1, ${paths[1]}:1)`);
      expect(report.gaps[0]?.message).toContain(`the weaker one, from ${join(dir, 'a', 'web.yaml')}:1`);
      // The privileged version is judged, at its own lines.
      const privileged = report.findings.filter((f) => f.ruleId === 'no-privileged-containers');
      expect(privileged.map((f) => [f.resource.file, f.resource.line])).toEqual([[join(dir, 'a', 'web.yaml'), 13]]);
      expect(report.findings.every((f) => f.resource.file === join(dir, 'a', 'web.yaml'))).toBe(true);
    }
  });
});

describe('nothing evaluated', () => {
  it('prints no score and exits 2 when no selected rule could be evaluated, but still writes the report', async () => {
    const run = await runCli(['scan', 'examples/', '--rule', 'require-imdsv2']);
    expect(run.code).toBe(2);
    expect(run.stdout).not.toMatch(/score/);
    expect(run.stdout).toContain('Not evaluated (1 rule');
    expect(run.stderr).toBe('eksguard: the selected rule could not be evaluated on this input (the report\'s "not evaluated" says why)\n');
    const json = await runCli(['scan', 'examples/', '--rule', 'require-imdsv2', '-o', 'json']);
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report.summary).toMatchObject({ checks: 0, score: null, rulesRun: 0 });
    expect(report.gaps).toEqual([]);
    expect(report.notEvaluated.map((n) => n.ruleId)).toEqual(['require-imdsv2']);
    expect((await runCli(['scan', 'examples/', '--rule', 'require-imdsv2', '--allow-gaps'])).code).toBe(0);
  });

  it('prints no perfect score over an input whose only file is broken', async () => {
    const dir = tree({ 'broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n' });
    const run = await runCli(['scan', join(dir, 'broken.yaml'), '-o', 'json']);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.summary.score).toBeNull();
    expect(report.gaps.map((g) => g.code)).toEqual(['YAML_SYNTAX']);
    const table = await runCli(['scan', join(dir, 'broken.yaml')]);
    expect(table.stdout).not.toContain('score 100/100');
  });
});

describe('an ordinary repository', () => {
  const repo = {
    'docker-compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n',
    'mkdocs.yml': 'site_name: Demo\ntheme:\n  name: material\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n',
    '.github/workflows/ci.yml': 'name: ci\non:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n',
    'infra/stack.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Env:\n    Type: String\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub "demo-${Env}"\n  Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Bucket\nOutputs:\n  Arn:\n    Value: !GetAtt Bucket.Arn\n',
    'package.json': JSON.stringify({ name: 'demo', version: '1.0.0', scripts: { test: 'node --test' } }, null, 2),
    'iam/deploy-policy.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['eks:DescribeCluster'], Resource: '*' }] }, null, 2),
    'chart/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
    'chart/values.yaml': 'replicaCount: 1\n',
    'chart/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "demo.fullname" . }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n',
    'deploy/app.yaml': web('privileged: true'),
  };

  it('scans the manifests, lists everything else as skipped with the reason, and has no gaps', async () => {
    const dir = tree(repo);
    const run = runIn(dir, ['scan', '.', '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.gaps).toEqual([]);
    expect(report.findings.every((f) => f.resource.name === 'web')).toBe(true);
    const skipped = Object.fromEntries(report.sources.filter((s) => s.skipped !== null).map((s) => [s.path.replace(/^(\.\/)?/, ''), s.skipped]));
    expect(skipped).toEqual({
      '.github': 'hidden directory, not walked (name it to scan it)',
      chart: 'Helm chart: render it first (helm template RELEASE CHART | eksguard scan -)',
      'docker-compose.yaml': 'not a Kubernetes manifest (looks like a Docker Compose file)',
      'iam/deploy-policy.json': 'not a Kubernetes manifest (looks like an IAM policy document)',
      'infra/stack.yaml': 'not a Kubernetes manifest (looks like a CloudFormation template)',
      'mkdocs.yml': 'not a Kubernetes manifest (looks like an MkDocs configuration)',
      'package.json': 'not a Kubernetes manifest',
    });
    expect(report.sources.filter((s) => s.skipped === null).map((s) => s.path)).toEqual(['deploy/app.yaml']);
    // Named, the workflows are read and skipped for what they are.
    const workflows = runIn(dir, ['scan', '.github/workflows', 'deploy', '-o', 'json']);
    const named = JSON.parse(workflows.stdout) as JsonReport;
    expect(named.sources.find((s) => s.path.endsWith('ci.yml'))?.skipped).toBe('not a Kubernetes manifest (looks like a CI workflow)');
  }, 120_000);

  it('keeps a chart named on the command line and a document naming apiVersion without kind as gaps', async () => {
    const dir = tree({ ...repo, 'deploy/half.yaml': 'apiVersion: v1\nmetadata:\n  name: half\n' });
    const run = runIn(dir, ['scan', '.', 'chart', '-o', 'json']);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.gaps.map((g) => [g.source, g.code])).toEqual([['deploy/half.yaml', 'NOT_A_KUBE_OBJECT'], ['chart', 'UNREADABLE']]);
    expect(report.gaps[1]?.message).toContain('helm template');
  }, 120_000);
});

describe('nothing to read', () => {
  it('is one line naming the path and the reason in words, exit 2, and nothing on stdout, for every command', async () => {
    const dir = tree({ 'docs/index.md': '# hello\n', 'compose/docker-compose.yml': 'services: {}\n' });
    mkdirSync(join(dir, 'empty'));
    const cases: [string[], string][] = [
      [['scan', 'missing.yaml'], 'eksguard: missing.yaml: no such file or directory\n'],
      [['scan', 'empty'], 'eksguard: empty: no manifests in it (no .yaml, .yml or .json files)\n'],
      [['scan', 'docs', '-o', 'json'], 'eksguard: docs: no manifests in it (no .yaml, .yml or .json files)\n'],
      [['scan', 'compose'], 'eksguard: compose: no Kubernetes manifests in it (1 file skipped as not meant for Kubernetes)\n'],
      [['scan', 'missing.yaml', 'empty'], 'eksguard: missing.yaml: no such file or directory; empty: no manifests in it (no .yaml, .yml or .json files)\n'],
      [['pss', 'check', 'missing.yaml'], 'eksguard: missing.yaml: no such file or directory\n'],
      [['rbac', 'risky', 'empty'], 'eksguard: empty: no manifests in it (no .yaml, .yml or .json files)\n'],
      [['snapshot', 'missing.yaml', '--output-file', 'snap.json'], 'eksguard: missing.yaml: no such file or directory\n'],
    ];
    for (const [args, stderr] of cases) {
      const run = runIn(dir, args);
      expect(run.stderr, args.join(' ')).toBe(stderr);
      expect(run.stdout, args.join(' ')).toBe('');
      expect(run.code, args.join(' ')).toBe(2);
    }
  }, 180_000); // eight CLI processes: slow on a busy machine

  it('writes the report as usual when some input was read', async () => {
    const dir = tree({ 'app.yaml': web('privileged: true') });
    const run = runIn(dir, ['scan', 'missing.yaml', 'app.yaml', '-o', 'json']);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.gaps.map((g) => [g.source, g.code])).toEqual([['missing.yaml', 'NOT_FOUND']]);
    expect(report.findings.length).toBeGreaterThan(0);
  }, 120_000);
});

describe('audit analyze on something that is not an audit log', () => {
  it('says so once, not once per line', async () => {
    const dir = tree({
      'pod.yaml': web('privileged: true'),
      'objects.jsonl': '{"apiVersion":"v1","kind":"ConfigMap"}\n{"a":1}\n{"b":2}\n',
    });
    for (const [file, first] of [['pod.yaml', 'not JSON'], ['objects.jsonl', 'kind "ConfigMap" is not an audit Event']] as const) {
      const run = await runCli(['audit', 'analyze', join(dir, file), '-o', 'json']);
      expect(run.code).toBe(2);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.gaps).toHaveLength(1);
      expect(report.gaps[0]?.code).toBe('NOT_AN_AUDIT_EVENT');
      expect(report.gaps[0]?.message).toMatch(/^not an audit log: none of its \d+ records is a Kubernetes audit event \(the first: /);
      expect(report.gaps[0]?.message).toContain(first);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
