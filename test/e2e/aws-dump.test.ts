import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

interface JsonFinding { ruleId: string; severity: string; resource: { kind: string; name: string | null; arn: string | null; id: string | null; service?: string; file: string | null }; origin: string | null; pointer: string; exemption?: { kind: string; reason: string } }
interface JsonReport { findings: JsonFinding[]; exempted: JsonFinding[]; gaps: { source: string; code: string; message: string }[]; notEvaluated: { ruleId: string; reason: string }[]; sources: { path: string; objects: number }[] }

async function scanJson(args: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const run = await runCli(['scan', ...args, '-o', 'json']);
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}

/** Every rule that judges AWS evidence fires on the weak dump, on the resources named here (kind and name or ARN). */
const WEAK_EXPECTED: Readonly<Record<string, readonly string[]>> = {
  'no-bootstrap-cluster-admin': ['cluster shop-weak'],
  'no-iam-user-access-entries': ['access-entry arn:aws:iam::111122223333:user/alice'],
  'no-open-security-group-ingress': ['security-group eks-remoteAccess-general', 'security-group shop-weak-control-plane', 'security-group shop-weak-nodes'],
  'no-overprivileged-workload-roles': ['role shop-weak-app', 'role shop-weak-reports'],
  'no-public-cluster-endpoint': ['cluster shop-weak'],
  'no-shared-control-plane-security-group': ['nodegroup apps'],
  'no-shared-iam-roles': ['pod-identity-association shop/cart', 'pod-identity-association shop/checkout'],
  'no-ssh-access-to-nodes': ['instance i-0weak000000000001', 'instance i-0weak000000000002', 'launch-template-version shop-weak-apps version 2', 'nodegroup general'],
  'no-system-masters-mappings': ['access-entry arn:aws:iam::111122223333:role/Admin', 'access-entry arn:aws:iam::111122223333:user/alice'],
  'require-amazon-inspector': ['cluster shop-weak'],
  'require-api-authentication-mode': ['cluster shop-weak'],
  'require-audit-log-retention': ['log-group /aws/eks/shop-weak/cluster'],
  'require-auth-failure-alarm': ['cluster shop-weak'],
  'require-cloudtrail': ['cluster shop-weak'],
  'require-container-optimized-os': ['nodegroup apps', 'nodegroup general'],
  'require-control-plane-logging': ['cluster shop-weak'],
  'require-current-node-ami': ['launch-template-version shop-weak-apps version 2', 'nodegroup general'],
  'require-ebs-encryption': ['cluster shop-weak', 'launch-template-version shop-weak-apps version 2'],
  'require-ecr-vpc-endpoints': ['vpc vpc-0weak00000000000'],
  'require-efs-encryption-at-rest': ['file-system shop-weak-shared'],
  'require-guardduty-eks-protection': ['cluster shop-weak'],
  'require-image-scanning': ['repository shop/web'],
  'require-immutable-image-tags': ['repository shop/web'],
  'require-imdsv2': ['instance i-0weak000000000001', 'instance i-0weak000000000002', 'launch-template-version shop-weak-apps version 2'],
  'require-managed-node-lifecycle': ['instance i-0weak000000000001', 'instance i-0weak000000000003'],
  'require-pod-identity-for-aws-node': ['addon vpc-cni'],
  'require-private-node-subnets': ['instance i-0weak000000000001', 'instance i-0weak000000000002', 'launch-template-version shop-weak-apps version 2', 'subnet subnet-0weakpub100000', 'subnet subnet-0weakpub200000'],
  'require-scoped-irsa-trust-policy': ['role shop-weak-app', 'role shop-weak-reports'],
  'require-secrets-encryption': ['cluster shop-weak'],
  'require-supported-kubernetes-version': ['cluster shop-weak'],
  'require-vpc-flow-logs': ['vpc vpc-0weak00000000000'],
  'restrict-ecr-repository-policy': ['repository shop/web', 'role Admin', 'role shop-weak-app'],
  'restrict-imds-hop-limit': ['instance i-0weak000000000001', 'instance i-0weak000000000002', 'launch-template-version shop-weak-apps version 2'],
  'restrict-node-instance-role': ['role shop-weak-node-role'],
};

describe('eksguard scan --aws-dump', () => {
  it('finds what is wrong with the weak cluster, naming each AWS resource, and exits 1', async () => {
    const { code, report, stderr } = await scanJson(['--aws-dump', 'test/fixtures/aws/weak']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(report.gaps).toEqual([]);
    const byRule: Record<string, string[]> = {};
    for (const f of report.findings) (byRule[f.ruleId] ??= []).push(`${f.resource.kind} ${f.resource.name ?? f.resource.arn ?? ''}`);
    for (const list of Object.values(byRule)) list.splice(0, list.length, ...[...new Set(list)].sort());
    expect(byRule).toEqual(WEAK_EXPECTED);
    const cluster = report.findings.find((f) => f.ruleId === 'no-public-cluster-endpoint');
    expect(cluster?.resource).toMatchObject({ kind: 'cluster', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/shop-weak', service: 'eks', file: null });
    expect(cluster?.origin).toBe('test/fixtures/aws/weak/eks/describe-cluster.json');
    // Manifest rules had no manifests to judge: not evaluated, never passed.
    expect(report.notEvaluated.map((n) => n.ruleId)).toContain('no-privileged-containers');
  });

  it('finds nothing of medium or worse in the hardened cluster (nothing at all, in fact)', async () => {
    const { code, report } = await scanJson(['--aws-dump', 'test/fixtures/aws/hardened', '--fail-on', 'low']);
    expect(report.gaps).toEqual([]);
    expect(report.findings.map((f) => `${f.ruleId} ${f.resource.name ?? ''}`)).toEqual([]);
    expect(code).toBe(0);
    expect(report.notEvaluated.filter((n) => !n.reason.includes('needs manifests'))).toEqual([]);
  });

  it('scans manifests and AWS evidence as one inventory', async () => {
    const dir = makeTempDir('aws');
    writeFileSync(join(dir, 'k8s.yaml'), [
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny, namespace: shop }\nspec: { podSelector: {}, policyTypes: [Ingress, Egress] }',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: reports\n  namespace: shop\n  annotations: { eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/shop-weak-reports" }',
    ].join('\n---\n'));
    const { report } = await scanJson([join(dir, 'k8s.yaml'), '--aws-dump', 'test/fixtures/aws/weak']);
    const engine = report.findings.filter((f) => f.ruleId === 'require-network-policy-engine');
    expect(engine.map((f) => `${f.resource.kind} ${f.resource.name ?? ''} ${f.pointer}`)).toEqual(['addon vpc-cni /configurationValues']);
    const irsa = report.findings.filter((f) => f.ruleId === 'no-overprivileged-workload-roles' && f.resource.name === 'shop-weak-reports');
    expect(irsa).toHaveLength(1);
  });

  it('judges the images pods run against the scan findings, and the opt-in permissions boundary, on the weak dump but not the hardened one', async () => {
    const dir = makeTempDir('aws');
    const image = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4.2';
    writeFileSync(join(dir, 'pods.yaml'), [
      'apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: shop }',
      `spec:\n  containers: [{ name: app, image: "${image}" }]`,
      `status:\n  containerStatuses: [{ name: app, image: "${image}", imageID: "docker-pullable://111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web@sha256:${'a1'.repeat(32)}" }]`,
    ].join('\n'));
    const rules = ['--rule', 'no-running-critical-vulnerabilities', '--rule', 'require-permissions-boundary'];
    const weak = await scanJson([join(dir, 'pods.yaml'), '--aws-dump', 'test/fixtures/aws/weak', ...rules]);
    expect(weak.report.notEvaluated).toEqual([]);
    expect(weak.report.findings.map((f) => `${f.ruleId} ${f.resource.kind} ${f.resource.name ?? ''} ${f.pointer}`).sort()).toEqual([
      'no-running-critical-vulnerabilities Pod web /spec/containers/0/image',
      'require-permissions-boundary role shop-weak-app /PermissionsBoundary',
      'require-permissions-boundary role shop-weak-reports /PermissionsBoundary',
    ]);
    const hardened = await scanJson([join(dir, 'pods.yaml'), '--aws-dump', 'test/fixtures/aws/hardened', ...rules]);
    expect(hardened.report.notEvaluated).toEqual([]);
    expect(hardened.report.gaps).toEqual([]);
    expect(hardened.report.findings).toEqual([]);
    expect(hardened.code).toBe(0);
  });

  it('exempts AWS resources by ARN or id through eksguard.yaml, and lists them as exempted', async () => {
    const dir = makeTempDir('aws');
    const config = join(dir, 'eksguard.yaml');
    writeFileSync(config, 'exclusions:\n  - reason: break-glass role, reviewed quarterly\n    rules: [no-system-masters-mappings]\n    arns: ["arn:aws:eks:*:111122223333:access-entry/shop-weak/role/*/Admin/*"]\n  - reason: bastion SSH, behind the VPN\n    arns: [sg-0weakremote000000]\n');
    const { report } = await scanJson(['--aws-dump', 'test/fixtures/aws/weak', '--config', config]);
    expect(report.exempted.map((f) => `${f.ruleId} ${f.resource.name ?? ''}`).sort()).toEqual([
      'no-open-security-group-ingress eks-remoteAccess-general',
      'no-system-masters-mappings arn:aws:iam::111122223333:role/Admin',
    ]);
    expect(report.findings.some((f) => f.ruleId === 'no-system-masters-mappings' && f.resource.name?.endsWith('user/alice'))).toBe(true);
  });

  it('names every AWS finding by ARN, and exempts a finding of each resource type by the ARN built for it', async () => {
    // The account and region the weak account's own output names; EC2 ids and names from its files.
    const cluster = (JSON.parse(readFileSync('test/fixtures/aws/weak/eks/describe-cluster.json', 'utf8')) as { cluster: { arn: string } }).cluster.arn;
    const [, , , region, account] = cluster.split(':');
    const ec2 = `arn:aws:ec2:${region}:${account}`;
    const byType: Readonly<Record<string, string>> = {
      'security-group': `${ec2}:security-group/sg-0weakremote000000`, // its output carries no SecurityGroupArn
      'launch-template-version': `${ec2}:launch-template/lt-0weak000000000001`,
      subnet: `${ec2}:subnet/subnet-0weakpub100000`,
      vpc: `${ec2}:vpc/vpc-0weak00000000000`,
      instance: `${ec2}:instance/i-0weak000000000003`,
      role: `arn:aws:iam::${account}:role/shop-weak-node-role`,
      repository: `arn:aws:ecr:${region}:${account}:repository/shop/web`,
      'log-group': `arn:aws:logs:${region}:${account}:log-group:/aws/eks/shop-weak/cluster`, // built: the output's arn ends in :*
      'file-system': `arn:aws:elasticfilesystem:${region}:${account}:file-system/fs-0weak0000000001`,
    };
    const before = await scanJson(['--aws-dump', 'test/fixtures/aws/weak']);
    expect(before.report.findings.filter((f) => f.resource.arn === null)).toEqual([]);
    const dir = makeTempDir('aws');
    const config = join(dir, 'eksguard.yaml');
    writeFileSync(config, `exclusions:\n${Object.entries(byType).map(([type, arn]) => `  - reason: ${type}\n    arns: ["${arn}"]\n`).join('')}`);
    const { report } = await scanJson(['--aws-dump', 'test/fixtures/aws/weak', '--config', config]);
    for (const [type, arn] of Object.entries(byType)) {
      const exempted = report.exempted.filter((f) => f.exemption?.reason === type);
      expect(exempted.length, type).toBeGreaterThan(0);
      expect(exempted.every((f) => f.resource.kind === type && f.resource.arn === arn), type).toBe(true);
      // Every finding on that resource went, and findings on its siblings stayed.
      expect(report.findings.filter((f) => f.resource.arn === arn), type).toEqual([]);
      expect(before.report.findings.filter((f) => f.resource.arn === arn)).toHaveLength(exempted.length);
    }
    expect(report.findings.length + report.exempted.length).toBe(before.report.findings.length);
    expect(report.findings.some((f) => f.resource.kind === 'subnet' && f.resource.name === 'subnet-0weakpub200000')).toBe(true);
  });

  it('names every AWS finding by its plain id in JSON, the table and SARIF', async () => {
    const { report } = await scanJson(['--aws-dump', 'test/fixtures/aws/weak']);
    const ids = (kind: string) => [...new Set(report.findings.filter((f) => f.resource.kind === kind).map((f) => f.resource.id))].sort();
    expect(report.findings.filter((f) => f.resource.id === null)).toEqual([]);
    expect(ids('security-group')).toContain('sg-0weakremote000000');
    expect(ids('launch-template-version')).toEqual(['lt-0weak000000000001:2']);
    expect(ids('role')).toContain('shop-weak-node-role');
    expect(ids('repository')).toEqual(['shop/web']);
    expect(ids('vpc')).toEqual(['vpc-0weak00000000000']);
    expect(ids('cluster')).toEqual(['shop-weak']);
    const table = await runCli(['scan', '--aws-dump', 'test/fixtures/aws/weak', '-o', 'table'], { env: { COLUMNS: '300' } });
    expect(table.stdout).toContain('security-group eks-remoteAccess-general (sg-0weakremote000000)');
    expect(table.stdout).toContain('launch-template-version shop-weak-apps version 2 (lt-0weak000000000001:2)');
    const sarif = JSON.parse((await runCli(['scan', '--aws-dump', 'test/fixtures/aws/weak', '-o', 'sarif'])).stdout) as { runs: { results: { ruleId: string; locations: { logicalLocations: { name: string; properties?: { id?: string } }[] }[] }[] }[] };
    const logical = sarif.runs[0]?.results.flatMap((r) => r.locations.flatMap((l) => l.logicalLocations)) ?? [];
    expect(logical.find((l) => l.name === 'eks-remoteAccess-general')?.properties?.id).toBe('sg-0weakremote000000');
  });

  it('exempts a KMS key\'s finding by the key\'s ARN', async () => {
    const dir = makeTempDir('aws');
    cpSync('test/fixtures/aws/hardened', dir, { recursive: true });
    const rotation = join(dir, 'kms', 'get-key-rotation-status.json');
    writeFileSync(rotation, readFileSync(rotation, 'utf8').replace('"KeyRotationEnabled": true', '"KeyRotationEnabled": false'));
    const cluster = (JSON.parse(readFileSync(join(dir, 'eks', 'describe-cluster.json'), 'utf8')) as { cluster: { encryptionConfig: { provider: { keyArn: string } }[] } }).cluster;
    const key = cluster.encryptionConfig[0]?.provider.keyArn ?? '';
    const open = await scanJson(['--aws-dump', dir]);
    expect(open.report.findings.map((f) => `${f.ruleId} ${f.resource.kind} ${f.resource.arn ?? ''}`)).toEqual([`require-kms-key-rotation key ${key}`]);
    const config = join(dir, 'eksguard.yaml');
    writeFileSync(config, `exclusions:\n  - reason: rotated by hand\n    arns: ["${key}"]\n`);
    const { report } = await scanJson(['--aws-dump', dir, '--config', config]);
    expect(report.findings).toEqual([]);
    expect(report.exempted.map((f) => `${f.ruleId} ${f.resource.arn ?? ''}`)).toEqual([`require-kms-key-rotation ${key}`]);
  });

  it('gives AWS findings a logical location in SARIF', async () => {
    const run = await runCli(['scan', '--aws-dump', 'test/fixtures/aws/weak', '-o', 'sarif']);
    const sarif = JSON.parse(run.stdout) as { runs: { results: { ruleId: string; locations: { logicalLocations: { fullyQualifiedName: string }[]; physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const result = sarif.runs[0]?.results.find((r) => r.ruleId === 'no-public-cluster-endpoint');
    expect(result?.locations[0]?.logicalLocations[0]?.fullyQualifiedName).toBe('arn:aws:eks:eu-west-1:111122223333:cluster/shop-weak');
    expect(result?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('eksguard-no-source-file');
  });

  it('reports an unrecognised file as a gap naming it, goes on, and exits 2', async () => {
    const dir = makeTempDir('aws');
    cpSync('test/fixtures/aws/hardened', dir, { recursive: true });
    writeFileSync(join(dir, 'README.json'), '{"note": "copied from the ticket"}');
    const { code, report, stderr } = await scanJson(['--aws-dump', dir]);
    expect(code).toBe(2);
    expect(report.gaps.map((g) => [g.source, g.code])).toEqual([[join(dir, 'README.json'), 'NOT_AWS_EVIDENCE']]);
    expect(stderr).toContain('README.json: not a recognised AWS CLI output');
    expect(report.findings).toEqual([]);
  });

  it('picks one cluster with --cluster-name, and says which exist when the name is wrong', async () => {
    // Two clusters of one account: the hardened dump, plus the weak cluster's own EKS outputs.
    const dir = makeTempDir('aws');
    cpSync('test/fixtures/aws/hardened', join(dir, 'account'), { recursive: true });
    for (const name of ['describe-cluster.json', 'describe-nodegroup-general.json', 'describe-nodegroup-apps.json']) {
      cpSync(join('test/fixtures/aws/weak/eks', name), join(dir, 'shop-weak', name));
    }
    const both = await scanJson(['--aws-dump', dir, '--fail-on', 'none']);
    const hardened = await scanJson(['--aws-dump', dir, '--cluster-name', 'shop-hardened', '--fail-on', 'none']);
    expect(both.report.findings.filter((f) => f.ruleId === 'no-public-cluster-endpoint').map((f) => f.resource.name)).toEqual(['shop-weak']);
    expect(hardened.report.gaps).toEqual([]);
    expect(hardened.report.findings).toEqual([]);
    const wrong = await runCli(['scan', '--aws-dump', dir, '--cluster-name', 'prod']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--cluster-name prod: no eks describe-cluster output[\s\S]*shop-hardened, shop-weak|shop-weak, shop-hardened/);
  });
});
