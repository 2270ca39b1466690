/**
 * Pods held by custom controllers, through the CLI: a Knative Service, Configuration and Revision
 * and a KEDA ScaledJob are judged where their pod specs are (path and line of each finding), and
 * `fix` patches them there; a core Service and a Volcano Job, namesakes of pod-template owners,
 * are neither judged nor reported as gaps.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

const MANIFESTS = `# Knative Serving and KEDA: pods held by custom controllers
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
  namespace: serve
spec:
  template:
    metadata:
      labels:
        app: hello
    spec:
      containerConcurrency: 10
      containers:
        - name: app
          image: registry.example/hello:1.2.3
          securityContext:
            privileged: true
---
apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: hello-config
  namespace: serve
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example/hello:1.2.3
          securityContext:
            privileged: true
---
apiVersion: serving.knative.dev/v1
kind: Revision
metadata:
  name: hello-00001
  namespace: serve
spec:
  timeoutSeconds: 300
  containers:
    - name: app
      image: registry.example/hello:1.2.3
      securityContext:
        privileged: true
---
apiVersion: keda.sh/v1alpha1
kind: ScaledJob
metadata:
  name: drain
  namespace: queue
spec:
  pollingInterval: 30
  jobTargetRef:
    parallelism: 1
    template:
      spec:
        restartPolicy: Never
        containers:
          - name: worker
            image: registry.example/worker:1.2.3
            securityContext:
              privileged: true
  triggers:
    - type: aws-sqs-queue
      metadata:
        queueURL: https://sqs.eu-west-1.amazonaws.com/123456789012/jobs
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: serve
spec:
  selector:
    app: hello
  ports:
    - port: 80
---
apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata:
  name: train
  namespace: queue
spec:
  tasks:
    - name: worker
      replicas: 2
      template:
        spec:
          containers:
            - name: trainer
              image: registry.example/trainer:1.2.3
              securityContext:
                privileged: true
`;

interface JsonFinding {
  readonly ruleId: string;
  readonly path: string;
  readonly resource: { readonly apiVersion: string; readonly kind: string; readonly name: string; readonly line: number };
}

interface FixReport {
  readonly files: readonly { readonly fixes: readonly { readonly ruleId: string; readonly resource: string; readonly patch: readonly { readonly op: string; readonly path: string }[] }[] }[];
}

function writeManifests(): { dir: string; file: string } {
  const dir = makeTempDir('custom-controllers');
  const file = join(dir, 'serve.yaml');
  writeFileSync(file, MANIFESTS);
  return { dir, file };
}

describe('eksguard scan on pods held by Knative Serving and KEDA', () => {
  it('reports each privileged container at its path and line, and leaves a core Service and a Volcano Job alone', async () => {
    const { file } = writeManifests();
    const run = await runCli(['scan', file, '--rule', 'no-privileged-containers', '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[]; gaps: unknown[]; summary: { resources: number } };
    expect(report.findings.map((f) => [f.resource.apiVersion, f.resource.kind, f.resource.name, f.path, f.resource.line])).toEqual([
      ['serving.knative.dev/v1', 'Service', 'hello', 'spec.template.spec.containers[0].securityContext.privileged', 18],
      ['serving.knative.dev/v1', 'Configuration', 'hello-config', 'spec.template.spec.containers[0].securityContext.privileged', 32],
      ['serving.knative.dev/v1', 'Revision', 'hello-00001', 'spec.containers[0].securityContext.privileged', 45],
      ['keda.sh/v1alpha1', 'ScaledJob', 'drain', 'spec.jobTargetRef.template.spec.containers[0].securityContext.privileged', 63],
    ]);
    expect(MANIFESTS.split('\n').filter((_, i) => [18, 32, 45, 63].includes(i + 1)).map((line) => line.trim())).toEqual(Array(4).fill('privileged: true'));
    expect(report.gaps).toEqual([]);
    expect(report.summary.resources).toBe(6);
  });
});

describe('eksguard fix on pods held by Knative Serving and KEDA', () => {
  it('patches the pod spec where each keeps it', async () => {
    const { file } = writeManifests();
    const run = await runCli(['fix', file, '--rule', 'no-privileged-containers,require-seccomp-profile', '-o', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as FixReport;
    const patches = (report.files[0]?.fixes ?? []).map((fix) => [fix.resource, fix.ruleId, fix.patch.map((p) => `${p.op} ${p.path}`)]);
    expect(patches).toEqual([
      ['Service serve/hello', 'require-seccomp-profile', ['add /spec/template/spec/securityContext/seccompProfile']],
      ['Service serve/hello', 'no-privileged-containers', ['replace /spec/template/spec/containers/0/securityContext/privileged']],
      ['Configuration serve/hello-config', 'require-seccomp-profile', ['add /spec/template/spec/securityContext/seccompProfile']],
      ['Configuration serve/hello-config', 'no-privileged-containers', ['replace /spec/template/spec/containers/0/securityContext/privileged']],
      ['Revision serve/hello-00001', 'require-seccomp-profile', ['add /spec/securityContext/seccompProfile']],
      ['Revision serve/hello-00001', 'no-privileged-containers', ['replace /spec/containers/0/securityContext/privileged']],
      ['ScaledJob queue/drain', 'require-seccomp-profile', ['add /spec/jobTargetRef/template/spec/securityContext/seccompProfile']],
      ['ScaledJob queue/drain', 'no-privileged-containers', ['replace /spec/jobTargetRef/template/spec/containers/0/securityContext/privileged']],
    ]);
  });

  it('writes fixes that a second scan finds nothing left of, and leaves the core Service and Volcano Job as they were', async () => {
    const { file } = writeManifests();
    const write = await runCli(['fix', file, '--write', '--rule', 'no-privileged-containers']);
    expect(write.code).toBe(0);
    const docs = jsYaml.loadAll(readFileSync(file, 'utf8')) as Record<string, unknown>[];
    const before = jsYaml.loadAll(MANIFESTS) as Record<string, unknown>[];
    const at = (doc: unknown, path: readonly (string | number)[]): unknown => path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], doc);
    expect(at(docs[0], ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'])).toBe(false);
    expect(at(docs[1], ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'])).toBe(false);
    expect(at(docs[2], ['spec', 'containers', 0, 'securityContext', 'privileged'])).toBe(false);
    expect(at(docs[3], ['spec', 'jobTargetRef', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'])).toBe(false);
    expect(docs.slice(4)).toEqual(before.slice(4));
    const again = await runCli(['scan', file, '--rule', 'no-privileged-containers', '-o', 'json']);
    expect((JSON.parse(again.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });
});
