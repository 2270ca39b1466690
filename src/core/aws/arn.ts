/**
 * ARNs of the AWS resources findings name, built the way AWS documents each type, for the outputs
 * (SARIF, table, JSON) and `exclusions: arns:` when the API output does not carry one itself
 * (EC2 gives ids and owner ids, CloudWatch Logs names, KMS key ids). Hand-written because the SDK
 * has only a generic ARN parser (`@aws-sdk/util-arn-parser`), not the per-type resource forms.
 */

/** The resource types whose ARN this module can build. */
export type ArnType = 'security-group' | 'launch-template' | 'vpc' | 'subnet' | 'instance' | 'iam-role' | 'kms-key' | 'ecr-repository' | 'log-group';

/** `cn-north-1` → `aws-cn`, `us-gov-west-1` → `aws-us-gov`, anything else → `aws`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

const ACCOUNT = /^\d{12}$/;

/**
 * The ARN of a resource: `name` is the plain id (`sg-…`, `lt-…`, `i-…`, a KMS key id), or the name
 * for roles (with their path, `/path/name`), repositories and log groups. Undefined when the account
 * or (for regional types) the region is unknown: a guessed ARN would exempt or name the wrong thing.
 */
export function buildArn(type: ArnType, fields: { readonly region?: string | undefined; readonly account?: string | undefined; readonly name: string }): string | undefined {
  const { region, account, name } = fields;
  if (account === undefined || !ACCOUNT.test(account) || name === '') return undefined;
  if (type === 'iam-role') {
    // IAM is global: no region in the ARN, and the partition comes from any region of the evidence.
    return `arn:${partitionOf(region ?? '')}:iam::${account}:role/${name.replace(/^\/+/, '')}`;
  }
  if (region === undefined || region === '') return undefined;
  const prefix = `arn:${partitionOf(region)}`;
  switch (type) {
    case 'security-group':
    case 'launch-template':
    case 'vpc':
    case 'subnet':
    case 'instance':
      return `${prefix}:ec2:${region}:${account}:${type}/${name}`;
    case 'kms-key':
      return `${prefix}:kms:${region}:${account}:key/${name}`;
    case 'ecr-repository':
      return `${prefix}:ecr:${region}:${account}:repository/${name}`;
    case 'log-group':
      return `${prefix}:logs:${region}:${account}:log-group:${name}`;
  }
}
