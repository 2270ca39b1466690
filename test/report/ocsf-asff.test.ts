/**
 * `-o ocsf` and `-o asff` on the weak AWS fixture plus a manifest: one event or finding per
 * finding, the OCSF Compliance Finding shape with the rules' standards, and ASFF that Security
 * Hub accepts (schema version, ProductArn of the account, unique stable Ids, typed resources).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../src/rules/index.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

const ACCOUNT = '111122223333';
const pod = `apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: lab}
spec:
  hostPID: true
  containers: [{name: c, image: "busybox:1.36"}]
`;

async function reports(): Promise<{ json: { findings: { ruleId: string; severity: string; fingerprint: string }[]; exempted: unknown[] }; ocsf: Record<string, unknown>[]; asff: Record<string, unknown>[] }> {
  const dir = makeTempDir('ocsf');
  writeFileSync(join(dir, 'pod.yaml'), pod);
  const args = ['scan', join(dir, 'pod.yaml'), '--aws-dump', resolve('test/fixtures/aws/weak'), '--allow-gaps', '--fail-on', 'none'];
  const [json, ocsf, asff] = await Promise.all(['json', 'ocsf', 'asff'].map((o) => runCli([...args, '-o', o])));
  return {
    json: JSON.parse(json?.stdout ?? '') as never,
    ocsf: JSON.parse(ocsf?.stdout ?? '') as never,
    asff: (JSON.parse(asff?.stdout ?? '') as { Findings: Record<string, unknown>[] }).Findings,
  };
}

describe('-o ocsf and -o asff', async () => {
  const { json, ocsf, asff } = await reports();

  it('writes one OCSF Compliance Finding per finding and exemption, with the guide section and CIS ids', () => {
    expect(ocsf).toHaveLength(json.findings.length + json.exempted.length);
    for (const e of ocsf) {
      expect(e).toMatchObject({ class_uid: 2003, category_uid: 2, activity_id: 1, type_uid: 200301, metadata: { version: '1.1.0', product: { name: 'eksguard' } } });
      expect(e.severity_id).toBeGreaterThanOrEqual(1);
      expect((e.compliance as { standards: string[] }).standards).toContain('AWS EKS Best Practices Guide for Security');
      expect(e.cloud).toMatchObject({ provider: 'AWS', region: 'eu-west-1', account: { uid: ACCOUNT } });
    }
    const withCis = Object.values(builtinRules).find((r) => (r.meta.docs.controls as readonly string[] | undefined)?.some((c) => c.startsWith('cis:')));
    const cisEvent = ocsf.find((e) => (e.compliance as { control: string }).control === withCis?.id);
    if (cisEvent !== undefined) expect((cisEvent.compliance as { standards: string[] }).standards).toContain('CIS Amazon EKS Benchmark');
    const ids: Record<string, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
    expect(ocsf.slice(0, json.findings.length).map((e) => e.severity_id)).toEqual(json.findings.map((f) => ids[f.severity]));
    expect(ocsf.slice(0, json.findings.length).map((e) => (e.finding_info as { uid: string }).uid)).toEqual(json.findings.map((f) => f.fingerprint));
  });

  it('writes ASFF Security Hub accepts: one per finding, unique stable Ids, the account\'s ProductArn, typed resources', () => {
    expect(asff).toHaveLength(json.findings.length);
    expect(new Set(asff.map((f) => f.Id)).size).toBe(asff.length);
    expect(asff.map((f) => f.Id).sort()).toEqual(json.findings.map((f) => f.fingerprint).sort());
    const types = new Set(asff.flatMap((f) => (f.Resources as { Type: string }[]).map((r) => r.Type)));
    for (const t of ['AwsEksCluster', 'AwsEc2SecurityGroup', 'AwsIamRole', 'Other']) expect(types).toContain(t);
    for (const f of asff) {
      expect(f).toMatchObject({ SchemaVersion: '2018-10-08', ProductArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`, AwsAccountId: ACCOUNT, Region: 'eu-west-1', RecordState: 'ACTIVE' });
      expect(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).toContain((f.Severity as { Label: string }).Label);
      expect((f.Remediation as { Recommendation: { Text: string; Url: string } }).Recommendation.Url).toMatch(/^https:\/\//);
      expect(String(f.Title).length).toBeLessThanOrEqual(256);
      expect(String(f.Description).length).toBeLessThanOrEqual(1024);
    }
    const kube = asff.find((f) => (f.Resources as { Type: string; Details?: { Other: Record<string, string> } }[])[0]?.Details?.Other.kind === 'Pod');
    expect((kube?.Resources as { Details: { Other: Record<string, string> } }[])[0]?.Details.Other).toMatchObject({ kind: 'Pod', namespace: 'lab', name: 'debug' });
  });
});
