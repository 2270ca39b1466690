/** The AWS account and region a report is about, read from ARNs (EKS clusters first, then findings). Pure. */
import type { Finding } from '../core/finding.js';

export interface AwsScope {
  readonly account?: string;
  readonly region?: string;
}

const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]*):(\d{12}):/;

/** The first ARN with an account and a region decides; IAM ARNs (no region) give only the account. */
export function awsScopeOf(arns: Iterable<string>): AwsScope {
  let account: string | undefined;
  let region: string | undefined;
  for (const arn of arns) {
    const m = ARN.exec(arn);
    if (m === null) continue;
    account ??= m[2];
    if (region === undefined && m[1] !== undefined && m[1] !== '') region = m[1];
    if (account !== undefined && region !== undefined) break;
  }
  return { ...(account !== undefined ? { account } : {}), ...(region !== undefined ? { region } : {}) };
}

export function findingArns(findings: readonly Finding[]): string[] {
  const out: string[] = [];
  for (const f of findings) if (f.resource.provider === 'aws' && f.resource.arn !== undefined) out.push(f.resource.arn);
  return out;
}
