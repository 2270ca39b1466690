/** What the AWS rules share: evidence checks, the workload roles of a cluster, and names for messages. */
import type { AwsInventory } from '../../core/aws/aws-inventory.js';
import type { AwsCall, EksCluster, IamRole } from '../../core/aws/model.js';
import { principalsOf } from '../../core/aws/policy.js';
import type { Inventory } from '../../core/inventory.js';
import { parseImageReference } from './image-reference.js';

/** `eks:DescribeCluster` → `aws eks describe-cluster`, for messages that name the command to run. */
export function commandOf(call: AwsCall): string {
  const [service, action] = call.split(':') as [string, string];
  return `aws ${service} ${action.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

/**
 * A `notEvaluated` hook for rules that need some AWS calls' output: AWS evidence without it (a
 * dump that lacks those files, a live read refused one of them) cannot answer, which is "not
 * evaluated", never "passed". Evidence is enough when any one of the listed calls was read and no
 * gap says part of one was not.
 */
export function needsAwsCalls(...calls: AwsCall[]): (inventory: Inventory) => string | undefined {
  return (inventory) => {
    const aws = inventory.aws;
    if (aws === undefined) return undefined; // the engine already says the scan read no AWS evidence
    // A call refused or failed for part of it (one detector, one trail) leaves the answer incomplete.
    const unread = inventory.unread.reason(new Set(), calls);
    if (unread !== undefined) return unread;
    if (calls.some((call) => aws.collected(call))) return undefined;
    return `the AWS evidence holds no ${calls.map(commandOf).join(' or ')} output`;
  };
}

/** Combines hooks: the first reason wins. */
export function allOf(...hooks: ((inventory: Inventory) => string | undefined)[]): (inventory: Inventory) => string | undefined {
  return (inventory) => {
    for (const hook of hooks) {
      const reason = hook(inventory);
      if (reason !== undefined) return reason;
    }
    return undefined;
  };
}

export function clusterName(cluster: EksCluster): string {
  return cluster.name ?? cluster.arn ?? '(unnamed cluster)';
}

/** `https://oidc.eks.eu-west-1.amazonaws.com/id/ABC` → `oidc.eks.eu-west-1.amazonaws.com/id/ABC`, the form trust policies use. */
export function issuerHost(cluster: EksCluster): string | undefined {
  const issuer = cluster.identity?.oidc?.issuer;
  return issuer === undefined ? undefined : issuer.replace(/^https:\/\//, '').replace(/\/$/, '');
}

export const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** Who runs as a workload role: a ServiceAccount through IRSA, or a Pod Identity association. */
export interface RoleUser {
  readonly via: 'irsa' | 'pod-identity';
  /** `namespace/name` of the ServiceAccount. */
  readonly serviceAccount: string;
  readonly cluster?: string;
}

const usersCache = new WeakMap<Inventory, ReadonlyMap<string, readonly RoleUser[]>>();

/** Workload roles by ARN, with who uses each: ServiceAccount IRSA annotations (Kubernetes) and Pod Identity associations (AWS). */
export function workloadRoleUsers(inventory: Inventory): ReadonlyMap<string, readonly RoleUser[]> {
  let map = usersCache.get(inventory);
  if (map === undefined) {
    const users = new Map<string, RoleUser[]>();
    const add = (arn: string, user: RoleUser) => {
      const list = users.get(arn) ?? [];
      if (!list.some((u) => u.via === user.via && u.serviceAccount === user.serviceAccount && u.cluster === user.cluster)) list.push(user);
      users.set(arn, list);
    };
    for (const sa of inventory.ofKind('ServiceAccount')) {
      const arn = sa.object.metadata?.annotations?.[IRSA_ANNOTATION];
      if (sa.object.apiVersion === 'v1' && typeof arn === 'string' && arn.trim() !== '') add(arn.trim(), { via: 'irsa', serviceAccount: `${sa.ref.namespace ?? 'default'}/${sa.ref.name}` });
    }
    for (const { data } of inventory.aws?.evidence.eks.podIdentityAssociations ?? []) {
      if (data.roleArn !== undefined) add(data.roleArn, { via: 'pod-identity', serviceAccount: `${data.namespace ?? ''}/${data.serviceAccount ?? ''}`, ...(data.clusterName !== undefined ? { cluster: data.clusterName } : {}) });
    }
    map = users;
    usersCache.set(inventory, map);
  }
  return map;
}

/** The users of a role, matching ARNs with or without the role's path. */
export function usersOfRole(inventory: Inventory, roleArn: string | undefined): readonly RoleUser[] {
  if (roleArn === undefined) return [];
  const map = workloadRoleUsers(inventory);
  const exact = map.get(roleArn);
  if (exact) return exact;
  const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const account = roleArn.split(':')[4];
  for (const [arn, list] of map) if (arn.slice(arn.lastIndexOf('/') + 1) === name && arn.split(':')[4] === account) return list;
  return [];
}

export function describeUsers(users: readonly RoleUser[]): string {
  return users.map((u) => `${u.serviceAccount} (${u.via === 'irsa' ? 'IRSA' : 'Pod Identity'})`).join(', ');
}

/** Who uses a workload role, for messages: `used by shop/web (IRSA)`, or `trusted by EKS workloads` when only its trust policy says so. */
export function describeRoleUse(inventory: Inventory, roleArn: string | undefined): string {
  const users = usersOfRole(inventory, roleArn);
  return users.length > 0 ? `used by ${describeUsers(users)}` : 'trusted by EKS workloads';
}

/** The evidence's clusters' issuers, in trust-policy form. */
export function clusterIssuers(aws: AwsInventory | undefined): ReadonlySet<string> {
  return new Set((aws?.clusters ?? []).map(issuerHost).filter((h): h is string => h !== undefined));
}

/** Whether the role is a workload's: used through IRSA or Pod Identity, or trusting Pod Identity or one of the scanned clusters' issuers. */
export function isWorkloadRole(role: IamRole, inventory: Inventory): boolean {
  if (usersOfRole(inventory, role.Arn).length > 0) return true;
  const issuers = clusterIssuers(inventory.aws);
  return (role.AssumeRolePolicyDocument?.Statement ?? []).some((s) =>
    principalsOf(s, 'Service').includes('pods.eks.amazonaws.com')
    || principalsOf(s, 'Federated').some((p) => [...issuers].some((issuer) => p.endsWith(`:oidc-provider/${issuer}`))));
}

/** `arn:aws:iam::aws:policy/AdministratorAccess` → `AdministratorAccess` for AWS managed policies; undefined for others. */
export function awsManagedPolicyName(arn: string | undefined): string | undefined {
  const match = arn === undefined ? null : /^arn:aws[\w-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match?.[1];
}

/** `111122223333.dkr.ecr.eu-west-1.amazonaws.com` (and the FIPS / China forms). */
const ECR_HOST = /^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;

const ecrPullsCache = new WeakMap<Inventory, ReadonlyMap<string, ReadonlySet<string>> | undefined>();

/**
 * The ECR repositories the cluster's workloads pull from (`registry/path` of their images), each
 * with the tags they pull by, when the input holds workloads with ECR images; undefined otherwise,
 * and then every repository of the evidence is judged. A reference with a digest pulls by the
 * digest (its tag, if any, is not looked up); one with neither tag nor digest pulls `latest`.
 */
export function ecrPulls(inventory: Inventory): ReadonlyMap<string, ReadonlySet<string>> | undefined {
  if (ecrPullsCache.has(inventory)) return ecrPullsCache.get(inventory);
  const pulls = new Map<string, Set<string>>();
  for (const workload of inventory.workloads) {
    for (const { container } of workload.containers) {
      const reference = typeof container.image === 'string' ? parseImageReference(container.image) : undefined;
      if (reference === undefined || !ECR_HOST.test(reference.registry)) continue;
      const repository = `${reference.registry}/${reference.path}`;
      const tags = pulls.get(repository) ?? new Set<string>();
      pulls.set(repository, tags);
      if (reference.digest === undefined) tags.add(reference.tag ?? 'latest');
    }
  }
  const scope = pulls.size > 0 ? pulls : undefined;
  ecrPullsCache.set(inventory, scope);
  return scope;
}

/** Whether a repository is one the audit judges: used by the cluster's workloads, or any when usage is unknown. */
export function repositoryInScope(inventory: Inventory, repositoryUri: string | undefined): boolean {
  const scope = ecrPulls(inventory);
  return scope === undefined || (repositoryUri !== undefined && scope.has(repositoryUri));
}
