/**
 * `eksguard incident locate | isolate` as a user runs them: from files, from a snapshot, and from a
 * live cluster (the real Kubernetes client against a local HTTPS API server).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/resource.js';
import { runCli } from '../cli-harness.js';
import { startFakeApiServer, type FakeApiServer } from '../collect/kube/fake-api-server.js';
import { writeKubeconfig } from '../collect/kube/kubeconfig.js';
import { ACCOUNT, REGION } from '../builders-aws.js';
import { yamlOf } from '../generate/support.js';
import { awsDump, clusterDump, DIGEST } from '../incident/fixtures.js';
import { makeTempDir } from '../temp-dir.js';

const TOKEN = 'incident-token';
const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/web:1.4.2`;

interface LocateJson { targets: { name: string; kind: string; node: string | null; instanceId: string | null }[]; serviceAccounts: { name: string; iamRoles: { arn: string }[]; rbac: unknown[] }[] }

describe('eksguard incident', () => {
  let dir: string;
  let dump: string;
  let aws: string;
  let server: FakeApiServer;
  let kubeconfig: string;
  beforeAll(async () => {
    dir = makeTempDir('e2e-incident');
    dump = join(dir, 'cluster.yaml');
    writeFileSync(dump, yamlOf(...clusterDump()));
    aws = join(dir, 'aws');
    makeAwsDir(aws);
    server = await startFakeApiServer({ objects: clusterDump() as unknown as KubeObject[], token: TOKEN });
    kubeconfig = writeKubeconfig(dir, { server: server.url, ca: server.ca, token: TOKEN });
  });
  afterAll(() => server.close());

  function makeAwsDir(path: string): void {
    mkdirSync(path, { recursive: true });
    awsDump().forEach((doc, i) => writeFileSync(join(path, `evidence-${i}.json`), JSON.stringify(doc)));
  }

  it('locate from files, as a table', async () => {
    const run = await runCli(['incident', 'locate', dump, '--image', IMAGE, '--aws-dump', aws]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`image ${IMAGE}: 3 pods`);
    expect(run.stdout).toMatch(/shop\s+web-5d8f-aaaaa\s+ReplicaSet web-5d8f < Deployment web\s+ip-10-0-1-1\.eu-west-1\.compute\.internal\s+i-0aaa1111aaaa11111\s+web\s+app \(tag\)/);
    expect(run.stdout).toContain(`IAM role: arn:aws:iam::${ACCOUNT}:role/shop-web (IRSA`);
    expect(run.stdout).toContain('RBAC: Role/config-reader in shop via RoleBinding/web-config');
  });

  it('locate by digest as JSON; nothing matched is exit 1', async () => {
    const run = await runCli(['incident', 'locate', dump, '--image', `shop/web@${DIGEST}`, '-o', 'json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as LocateJson).targets.map((t) => t.name)).toEqual(['report', 'web-5d8f-aaaaa', 'web-5d8f-bbbbb']);
    const none = await runCli(['incident', 'locate', dump, '--image', 'nginx:1.25']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('eksguard: nothing in the input matches image nginx:1.25\n');
  });

  it('locate from a snapshot gives what the files give', async () => {
    const snapshot = join(dir, 'snap.json');
    expect((await runCli(['snapshot', dump, '--output-file', snapshot, '-q'])).code).toBe(0);
    const fromSnapshot = await runCli(['incident', 'locate', '--snapshot', snapshot, '--service-account', 'shop:web', '-o', 'json']);
    const fromFiles = await runCli(['incident', 'locate', dump, '--service-account', 'shop:web', '-o', 'json']);
    expect(fromSnapshot.code).toBe(0);
    const strip = (text: string) => (JSON.parse(text) as LocateJson).targets.map((t) => `${t.kind} ${t.name} ${t.node ?? ''}`);
    expect(strip(fromSnapshot.stdout)).toEqual(strip(fromFiles.stdout));
  });

  it('locate from the live cluster reads every pod of a controller, not one sample', async () => {
    const run = await runCli(['incident', 'locate', '--cluster', '--kubeconfig', kubeconfig, '--workload', 'deployment/shop/web', '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as LocateJson;
    expect(json.targets.map((t) => t.name)).toEqual(['web-5d8f-aaaaa', 'web-5d8f-bbbbb', 'web-5d8f-ccccc']);
    expect(json.targets[0]?.instanceId).toBe('i-0aaa1111aaaa11111');
    expect(json.serviceAccounts[0]?.rbac).toHaveLength(1);
  });

  it('isolate from the live cluster: the script, with the warning about the policy that still allows traffic', async () => {
    const run = await runCli(['incident', 'isolate', '--cluster', '--kubeconfig', kubeconfig, '--pod', 'shop/web-5d8f-aaaaa', '--incident', 'IR-7', '-o', 'script']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(run.stdout).toContain("INCIDENT=IR-7\n");
    expect(run.stdout).toContain('kubectl cordon "$NODE"');
    expect(run.stderr).toMatch(/^eksguard: warning: NetworkPolicy shop\/allow-same-namespace still selects the pod/);
  });

  it('isolate -o yaml: an applyable quarantine policy with the steps as comments', async () => {
    const run = await runCli(['incident', 'isolate', dump, '--aws-dump', aws, '--pod', 'shop/web-5d8f-aaaaa']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('#   aws ec2 modify-instance-attribute --instance-id "$INSTANCE_ID" --disable-api-termination');
    expect(run.stdout).toMatch(/\n---\napiVersion: networking.k8s.io\/v1\nkind: NetworkPolicy\n/);
  });

  it.each([
    [['incident', 'isolate', 'DUMP', '--pod', 'shop/nope'], /^eksguard: pod shop\/nope is not in the input \(3 pods read\)\nhint: /],
    [['incident', 'isolate', 'DUMP', '--pod', 'nope'], /^eksguard: --pod "nope": expected NAMESPACE\/NAME/],
    [['incident', 'locate', 'DUMP'], /^eksguard: locate what\?/],
    [['incident', 'locate', 'DUMP', '--image', 'x', '--pod', 'a/b'], /^eksguard: locate what\?/],
    [['incident', 'locate', 'DUMP', '--workload', 'Service/shop/web'], /^eksguard: --workload: unknown kind Service/],
    [['incident', 'locate', 'DUMP', '--image', 'UPPER CASE'], /is not an image reference/],
  ])('bad input %j: one clear line, exit 2', async (args, message) => {
    const run = await runCli(args.map((a) => (a === 'DUMP' ? dump : a)));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
