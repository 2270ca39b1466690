/**
 * `-o asff`: AWS Security Finding Format (SchemaVersion 2018-10-08), the documents `--security-hub`
 * imports, as `{ "Findings": [...] }` (the shape `aws securityhub batch-import-findings
 * --cli-input-json` reads, 100 at a time). Each finding's `Id` is its baseline fingerprint, so a
 * finding keeps its Security Hub record from scan to scan; the resource is the EKS cluster or AWS
 * resource by its ASFF type, or the Kubernetes object as `Other` with its details. Exempted
 * findings are left out: Security Hub mirrors what is to be fixed. Needs the account and region
 * (ProductArn, AwsAccountId). Pure.
 */
import { toDottedPath } from '../core/field-path.js';
import type { Finding, Severity } from '../core/finding.js';
import { formatRef } from '../core/resource.js';
import type { AuditResult } from '../engine/audit.js';
import { fingerprint } from '../baseline/fingerprint.js';
import type { ReportedRule } from './context.js';
import { CIS, standardsByRule } from './standards.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';

export interface AsffContext {
  readonly version: string;
  readonly rules: readonly ReportedRule[];
  readonly generatedAt: string;
  readonly account: string;
  readonly region: string;
  /** What was scanned, in a few words (`cluster prod`, `k8s/`): findings of other targets are not archived in its name. */
  readonly target: string;
  /** The EKS cluster the Kubernetes objects run in, when known: a second resource of their findings. */
  readonly clusterArn?: string;
}

const LABEL: Readonly<Record<Severity, string>> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFORMATIONAL' };

/** ASFF resource types of the AWS resources rules report on; anything else is `Other`. */
const RESOURCE_TYPE: Readonly<Record<string, string>> = {
  'eks/cluster': 'AwsEksCluster',
  'ec2/security-group': 'AwsEc2SecurityGroup',
  'ec2/instance': 'AwsEc2Instance',
  'ec2/subnet': 'AwsEc2Subnet',
  'ec2/launch-template-version': 'AwsEc2LaunchTemplate',
  'iam/role': 'AwsIamRole',
  'ecr/repository': 'AwsEcrRepository',
};

/** Field limits of BatchImportFindings: a longer value fails the whole finding. */
const MAX_TITLE = 256;
const MAX_DESCRIPTION = 1024;
const MAX_RECOMMENDATION = 512;
const MAX_DETAIL = 1024;
const MAX_REQUIREMENTS = 32;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function productArn(region: string, account: string): string {
  return `arn:aws:securityhub:${region}:${account}:product/${account}/default`;
}

function partitionOf(arn: string | undefined): string {
  return /^arn:(aws[a-z-]*):/.exec(arn ?? '')?.[1] ?? 'aws';
}

function resources(f: Finding, context: AsffContext): object[] {
  const r = f.resource;
  if (r.provider === 'aws') {
    const type = RESOURCE_TYPE[`${r.service}/${r.type}`] ?? 'Other';
    const id = r.arn ?? r.id ?? r.name ?? `${r.service}/${r.type}`;
    return [{
      Type: type, Id: id, Partition: partitionOf(r.arn), Region: r.region ?? context.region,
      ...(type === 'Other' ? { Details: { Other: { service: r.service, type: r.type, ...(r.name !== undefined ? { name: clip(r.name, MAX_DETAIL) } : {}) } } } : {}),
    }];
  }
  const other: Record<string, string> = { kind: r.kind, apiVersion: r.apiVersion, name: clip(r.name, MAX_DETAIL) };
  if (r.namespace !== undefined) other.namespace = r.namespace;
  if (f.location) other.file = clip(`${f.location.file}:${f.location.line}`, MAX_DETAIL);
  if (f.origin !== undefined) other.origin = clip(f.origin, MAX_DETAIL);
  if (f.path.length > 0) other.fieldPath = clip(toDottedPath(f.path), MAX_DETAIL);
  const object = {
    Type: 'Other',
    Id: clip(`kubernetes:${context.clusterArn ?? context.target}/${r.kind}/${r.namespace ?? ''}/${r.name}`, 512),
    Partition: partitionOf(context.clusterArn), Region: context.region,
    Details: { Other: other },
  };
  return context.clusterArn !== undefined
    ? [object, { Type: 'AwsEksCluster', Id: context.clusterArn, Partition: partitionOf(context.clusterArn), Region: context.region }]
    : [object];
}

/** Ids: the fingerprint, and `/2`, `/3`... for findings that share one (the same object in two overlays), in report order. */
export function asffIds(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const id = fingerprint(f);
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}/${n}`;
  });
}

export function asffFindings(result: AuditResult, context: AsffContext): Record<string, unknown>[] {
  const standards = standardsByRule(context.rules);
  const ids = asffIds(result.findings);
  return result.findings.map((f, i) => {
    const s = standards.get(f.ruleId);
    const cis = (s?.requirements ?? []).some((r) => r.startsWith('cis:'));
    return {
      SchemaVersion: ASFF_SCHEMA_VERSION,
      Id: ids[i] ?? fingerprint(f),
      ProductArn: productArn(context.region, context.account),
      ProductName: 'eksguard',
      CompanyName: 'eksguard',
      GeneratorId: `eksguard/${f.ruleId}`,
      AwsAccountId: context.account,
      Region: context.region,
      Types: [
        f.area === 'audit' ? 'Unusual Behaviors/User/Kubernetes audit log' : 'Software and Configuration Checks/AWS Security Best Practices/EKS Best Practices Guide',
        ...(cis ? [`Software and Configuration Checks/Industry and Regulatory Standards/${CIS}`] : []),
      ],
      CreatedAt: f.evidence?.firstSeen ?? context.generatedAt,
      UpdatedAt: context.generatedAt,
      ...(f.evidence?.firstSeen !== undefined ? { FirstObservedAt: f.evidence.firstSeen } : {}),
      ...(f.evidence?.lastSeen !== undefined ? { LastObservedAt: f.evidence.lastSeen } : {}),
      Severity: { Label: LABEL[f.severity], Original: f.severity },
      Title: clip(f.title || f.ruleId, MAX_TITLE),
      Description: clip(`${f.message} (${formatRef(f.resource)})`, MAX_DESCRIPTION),
      Remediation: { Recommendation: { Text: clip(f.remediation, MAX_RECOMMENDATION), ...(s?.url !== undefined ? { Url: s.url } : {}) } },
      ...(s?.url !== undefined ? { SourceUrl: s.url } : {}),
      ProductFields: {
        'eksguard/ruleId': f.ruleId,
        'eksguard/target': clip(context.target, 2048),
        'eksguard/version': context.version,
        ...(f.baselineState !== undefined ? { 'eksguard/baselineState': f.baselineState } : {}),
      },
      Resources: resources(f, context),
      Compliance: { Status: 'FAILED', ...(s !== undefined && s.requirements.length > 0 ? { RelatedRequirements: s.requirements.slice(0, MAX_REQUIREMENTS) } : {}) },
      RecordState: 'ACTIVE',
    };
  });
}

export function renderAsff(result: AuditResult, context: AsffContext): string {
  return `${JSON.stringify({ Findings: asffFindings(result, context) }, null, 2)}\n`;
}
