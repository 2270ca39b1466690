/**
 * How every command that reads manifests treats its input (issue #12): JSON located like YAML,
 * each file and object counted once, ordinary repositories scanned without errors, and runs that
 * judged nothing saying so.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
