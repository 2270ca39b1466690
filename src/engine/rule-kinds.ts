import type { AwsCall } from '../core/aws/model.js';
import { isAwsTargetKind, type AwsTargetKind } from '../core/aws/targets.js';
import { WORKLOAD_KINDS } from '../core/workload.js';
import type { AnyRule, Handlers } from '../rules/define-rule.js';

/** Every kind: a rule keyed by `object` judges whatever the input holds. */
export const ALL_KINDS = 'all';
export type KindsNeeded = ReadonlySet<string> | typeof ALL_KINDS;

/** What a handler key or a `reads` entry stands for, in Kubernetes kinds. */
function expand(key: string): readonly string[] | typeof ALL_KINDS {
  if (key === 'object') return ALL_KINDS;
  if (key === 'workload') return WORKLOAD_KINDS;
  // A namespace target is the Namespace object plus the workloads that run there.
  if (key === 'namespace') return ['Namespace', ...WORKLOAD_KINDS];
  // AWS targets (`aws:eks:cluster`, ...) come from the AWS collector, not from Kubernetes.
  if (key.startsWith('aws:')) return [];
  return [key];
}

/**
 * The Kubernetes kinds the given rules judge or look up: their handler keys, expanded, plus their
 * `meta.reads`. A live collection reads these and nothing else, so the permissions it needs
 * follow from the rules that are on.
 */
export function kindsNeeded(rules: readonly { readonly rule: AnyRule; readonly handlers: Handlers<string> }[]): KindsNeeded {
  const kinds = new Set<string>();
  for (const { rule, handlers } of rules) {
    for (const key of [...Object.keys(handlers), ...(rule.meta.reads ?? [])]) {
      const expanded = expand(key);
      if (expanded === ALL_KINDS) return ALL_KINDS;
      for (const kind of expanded) kinds.add(kind);
    }
  }
  return kinds;
}

/** The AWS calls whose output holds each AWS target kind: any of them unread leaves the targets incomplete. */
const TARGET_CALLS: Readonly<Record<AwsTargetKind, readonly AwsCall[]>> = {
  'aws:eks:cluster': ['eks:DescribeCluster'],
  'aws:eks:nodegroup': ['eks:DescribeNodegroup'],
  'aws:eks:addon': ['eks:DescribeAddon'],
  'aws:eks:access-entry': ['eks:ListAccessEntries', 'eks:DescribeAccessEntry'],
  'aws:eks:pod-identity-association': ['eks:ListPodIdentityAssociations', 'eks:DescribePodIdentityAssociation'],
  'aws:ec2:launch-template-version': ['ec2:DescribeLaunchTemplateVersions'],
  'aws:ec2:instance': ['ec2:DescribeInstances'],
  'aws:ec2:security-group': ['ec2:DescribeSecurityGroups'],
  'aws:ec2:subnet': ['ec2:DescribeSubnets'],
  'aws:ec2:vpc': ['eks:DescribeCluster'],
  'aws:kms:key': ['eks:DescribeCluster'],
  'aws:iam:role': ['iam:GetAccountAuthorizationDetails', 'iam:GetRole'],
  'aws:ecr:repository': ['ecr:DescribeRepositories'],
  'aws:logs:log-group': ['logs:DescribeLogGroups'],
  'aws:efs:file-system': ['efs:DescribeFileSystems'],
};

/**
 * What one rule reads, for deciding whether the scan read all of it: the Kubernetes kinds of its
 * handler keys and `meta.reads`, and the AWS calls behind its AWS handler keys and AWS `reads`
 * entries (`aws:iam:role`). Rules whose other AWS lookups need a call say so in `notEvaluated`.
 *
 * Pod specs are the exception (`podSpecKinds`): they live in several kinds, and the same spec shows
 * in a controller and in its pods, so a rule judging them still runs when some of those kinds were
 * refused — the refusals stay gaps (exit code 2) — and is not evaluated only when none was read.
 */
export function evidenceOfRule(rule: AnyRule, handlers: Handlers<string>): {
  readonly kinds: KindsNeeded;
  readonly podSpecKinds: readonly string[];
  readonly awsCalls: readonly AwsCall[];
} {
  const calls = new Set<AwsCall>();
  const keys = [...Object.keys(handlers), ...(rule.meta.reads ?? [])];
  for (const key of keys) {
    if (isAwsTargetKind(key)) for (const call of TARGET_CALLS[key]) calls.add(call);
  }
  const judgesPodSpecs = keys.includes('workload') || keys.includes('namespace');
  const kinds = kindsNeeded([{ rule, handlers }]);
  if (!judgesPodSpecs || kinds === ALL_KINDS) return { kinds, podSpecKinds: [], awsCalls: [...calls] };
  const explicit = new Set((rule.meta.reads ?? []).filter((key) => WORKLOAD_KINDS.includes(key)));
  const others = new Set([...kinds].filter((kind) => !WORKLOAD_KINDS.includes(kind) || explicit.has(kind)));
  return { kinds: others, podSpecKinds: WORKLOAD_KINDS, awsCalls: [...calls] };
}
