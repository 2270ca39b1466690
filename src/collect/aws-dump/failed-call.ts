/**
 * The record the dump script (docs/aws-evidence.md) writes when an AWS CLI call fails:
 * `{"eksguardFailedCall": "eks describe-cluster", "error": "An error occurred (AccessDeniedException) ..."}`.
 * A dump cannot otherwise tell a refused call from a resource that does not exist (no file either
 * way), so the record becomes the gap a live read would give, with what the call left unread. Pure.
 */
import type { AwsCall } from '../../core/aws/model.js';
import type { Gap } from '../../core/resource.js';
import { LIVE_CALLS, UNREAD_WHEN_FAILED, type LiveCall } from '../aws/calls.js';

/** Error codes of a refusal, as the AWS CLI prints them (`An error occurred (CODE) when calling ...`). */
const DENIED = /\((AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedException|AuthorizationError)\)/;
/** What was asked about does not exist: nothing is missing from the evidence. */
const GONE = /\(([A-Za-z.]*NotFound[A-Za-z]*|NoSuchEntity|[A-Za-z.]*NotFoundException)\)/;

/**
 * Failures that are the answer, not missing evidence: EKS refuses the access-entry calls on a cluster
 * in CONFIG_MAP mode (it has no access entries), and a cluster that never logged has no log group
 * (so no metric filters). The live read records both as empty outputs; the dump reader does the same:
 * the calls count as read, with nothing in them, and no gap.
 */
const ANSWERS: readonly { readonly command: RegExp; readonly error: RegExp; readonly calls: readonly AwsCall[] }[] = [
  {
    command: /^eks (list-access-entries|describe-access-entry|list-associated-access-policies)$/,
    error: /\(InvalidRequestException\).*authentication mode must be/i,
    calls: ['eks:ListAccessEntries', 'eks:DescribeAccessEntry', 'eks:ListAssociatedAccessPolicies'],
  },
  { command: /^logs describe-metric-filters$/, error: /\(ResourceNotFoundException\)/, calls: ['logs:DescribeMetricFilters'] },
  // A public parameter AWS does not publish (a Kubernetes version or AMI flavour without it): nothing to compare with.
  { command: /^ssm get-parameter$/, error: /\(ParameterNotFound\)/, calls: ['ssm:GetParameter'] },
  // A repository without a policy, an image ECR never scanned (or no longer holds): nothing there.
  { command: /^ecr get-repository-policy$/, error: /\(RepositoryPolicyNotFoundException\)/, calls: ['ecr:GetRepositoryPolicy'] },
  { command: /^ecr describe-image-scan-findings$/, error: /\((ScanNotFoundException|ImageNotFoundException)\)/, calls: ['ecr:DescribeImageScanFindings'] },
];

/** The calls a failed-call record answers with an empty output, or undefined when it is a real failure (a gap). */
export function answeredByFailure(doc: Readonly<Record<string, unknown>>): readonly AwsCall[] | undefined {
  const command = typeof doc.eksguardFailedCall === 'string' ? doc.eksguardFailedCall.trim().replace(/\s+/g, ' ') : '';
  const error = typeof doc.error === 'string' ? doc.error : '';
  return ANSWERS.find((a) => a.command.test(command) && a.error.test(error))?.calls;
}

export function isFailedCallRecord(doc: Readonly<Record<string, unknown>>): boolean {
  return typeof doc.eksguardFailedCall === 'string';
}

/** `eks describe-cluster` → `eks:DescribeCluster`, the IAM action the CLI command calls. */
export function actionOfCommand(command: string): string {
  const [service = '', operation = ''] = command.trim().split(/\s+/);
  return `${service}:${operation.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`;
}

function isLiveCall(action: string): action is LiveCall {
  return (LIVE_CALLS as readonly string[]).includes(action);
}

/** The gap a failed-call record stands for. */
export function failedCallGap(doc: Readonly<Record<string, unknown>>, source: string): Gap {
  const command = typeof doc.eksguardFailedCall === 'string' ? doc.eksguardFailedCall : '';
  const error = typeof doc.error === 'string' && doc.error.trim() !== '' ? doc.error.trim() : 'no error message';
  const action = actionOfCommand(command);
  const code = /\(([A-Za-z]+)\)/.exec(error)?.[1] ?? 'error';
  const denied = DENIED.test(error);
  const unread = GONE.test(error) || !isLiveCall(action) ? {}
    : { unread: { awsCalls: UNREAD_WHEN_FAILED[action], cause: `${action} ${denied ? 'denied' : 'failed'} when the dump was taken: ${code}` } };
  return denied
    ? { source, code: 'AWS_FORBIDDEN', message: `${action} was denied when the dump was taken (aws ${command}): grant it (deploy/iam-policy.json) and dump again; rules that need it are not evaluated [${error}]`, ...unread }
    : { source, code: 'AWS_UNAVAILABLE', message: `${action} failed when the dump was taken (aws ${command}): ${error}`, ...unread };
}

/**
 * Calls about one cluster (its node groups, add-ons, access entries, nodes, VPC, log group, keys):
 * their failure leaves that cluster's evidence incomplete, no other's. Every other call the dump
 * script makes (IAM, CloudWatch alarms, ECR, GuardDuty, Inspector, CloudTrail, STS) reads the
 * account, and its failure counts whichever cluster is judged.
 */
const CLUSTER_SCOPED = /^(eks (?!list-clusters$)\S+|ec2 \S+|logs \S+|kms \S+)$/;

export function isClusterScopedCall(doc: Readonly<Record<string, unknown>>): boolean {
  return typeof doc.eksguardFailedCall === 'string' && CLUSTER_SCOPED.test(doc.eksguardFailedCall.trim().replace(/\s+/g, ' '));
}

/** The cluster the record names (the dump script writes `clusterName` since it judges per cluster); older records name none. */
export function clusterOfRecord(doc: Readonly<Record<string, unknown>>): string | undefined {
  return typeof doc.clusterName === 'string' && doc.clusterName.trim() !== '' ? doc.clusterName.trim() : undefined;
}
