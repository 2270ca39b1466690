/** AWS resources as rule targets: each with a reference that names it (ARN and/or id), where it was read, and its data as the API returns it. */
import type { AwsResourceRef } from '../finding.js';
import { buildArn } from './arn.js';
import type { Origin } from '../resource.js';
import type {
  AwsEvidence, Ec2Instance, Ec2LaunchTemplateVersion, Ec2SecurityGroup, Ec2Subnet, EcrRepository, EksAccessEntry, EksAddon,
  EksCluster, EksNodegroup, EksPodIdentityAssociation, IamRole, Sourced,
  EfsFileSystem, LogsLogGroup,
} from './model.js';

/**
 * A VPC the evidence's clusters run in, as their `describe-cluster` output names it (no
 * `describe-vpcs` is read): findings about the VPC itself name it, not the cluster.
 */
export interface Ec2ClusterVpc {
  readonly VpcId: string;
  /** The clusters in it, by name or ARN. */
  readonly clusters: readonly string[];
}

/** A KMS key the evidence's clusters encrypt Secrets with, as `describe-cluster` names it. */
export interface KmsClusterKey {
  /** The key's ARN as the cluster's encryption config gives it. */
  readonly KeyArn: string;
  readonly clusters: readonly string[];
}

export interface AwsTarget<T> {
  readonly ref: AwsResourceRef;
  readonly origin: Origin;
  readonly data: T;
}

/** The AWS target kinds rules can key handlers by (`aws:<service>:<type>`). */
export interface AwsTargetMap {
  readonly 'aws:eks:cluster': AwsTarget<EksCluster>;
  readonly 'aws:eks:nodegroup': AwsTarget<EksNodegroup>;
  readonly 'aws:eks:addon': AwsTarget<EksAddon>;
  readonly 'aws:eks:access-entry': AwsTarget<EksAccessEntry>;
  readonly 'aws:eks:pod-identity-association': AwsTarget<EksPodIdentityAssociation>;
  readonly 'aws:ec2:launch-template-version': AwsTarget<Ec2LaunchTemplateVersion>;
  readonly 'aws:ec2:instance': AwsTarget<Ec2Instance>;
  readonly 'aws:ec2:security-group': AwsTarget<Ec2SecurityGroup>;
  readonly 'aws:ec2:subnet': AwsTarget<Ec2Subnet>;
  readonly 'aws:ec2:vpc': AwsTarget<Ec2ClusterVpc>;
  readonly 'aws:kms:key': AwsTarget<KmsClusterKey>;
  readonly 'aws:iam:role': AwsTarget<IamRole>;
  readonly 'aws:ecr:repository': AwsTarget<EcrRepository>;
  readonly 'aws:logs:log-group': AwsTarget<LogsLogGroup>;
  readonly 'aws:efs:file-system': AwsTarget<EfsFileSystem>;
}
export type AwsTargetKind = keyof AwsTargetMap;

export const AWS_TARGET_KINDS: readonly AwsTargetKind[] = [
  'aws:eks:cluster', 'aws:eks:nodegroup', 'aws:eks:addon', 'aws:eks:access-entry', 'aws:eks:pod-identity-association',
  'aws:ec2:launch-template-version', 'aws:ec2:instance', 'aws:ec2:security-group', 'aws:ec2:subnet', 'aws:ec2:vpc', 'aws:kms:key', 'aws:iam:role', 'aws:ecr:repository',
  'aws:logs:log-group', 'aws:efs:file-system',
];

export function isAwsTargetKind(kind: string): kind is AwsTargetKind {
  return (AWS_TARGET_KINDS as readonly string[]).includes(kind);
}

/** A string field of AWS output, or undefined when the output holds something else there (dumps are hand-carried files). */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `arn:partition:service:region:account:resource` → region; empty for global services (IAM). */
export function regionOfArn(arn: unknown): string | undefined {
  const region = text(arn)?.split(':')[3];
  return region === undefined || region === '' ? undefined : region;
}

export function accountOfArn(arn: unknown): string | undefined {
  const account = text(arn)?.split(':')[4];
  return account === undefined || account === '' ? undefined : account;
}

/** `us-east-1a` → `us-east-1`; `us-west-2-lax-1a` (a Local Zone) → `us-west-2`. */
export function regionOfZone(zone: unknown): string | undefined {
  const name = text(zone);
  return name === undefined ? undefined : /^([a-z]{2}(?:-[a-z]+)+-\d+)/.exec(name)?.[1];
}

function ref(service: string, type: string, fields: { region?: unknown; arn?: unknown; id?: unknown; name?: unknown }): AwsResourceRef {
  const region = text(fields.region);
  const arn = text(fields.arn);
  const id = text(fields.id);
  const name = text(fields.name);
  return {
    provider: 'aws', service, type,
    ...(region !== undefined ? { region } : {}),
    ...(arn !== undefined ? { arn } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}

/** A field of a nested object that may be missing or not an object at all. */
function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function origin(source: string): Origin {
  return { type: 'aws', source };
}

/**
 * The account the evidence was read from, for resources whose output names no owner: the one
 * account of its clusters' ARNs, else of its EC2 owner ids; undefined when they disagree or say nothing.
 */
export function evidenceAccount(evidence: AwsEvidence): string | undefined {
  const one = (accounts: readonly (string | undefined)[]) => {
    const set = new Set(accounts.filter((a): a is string => a !== undefined));
    return set.size === 1 ? [...set][0] : undefined;
  };
  return one(evidence.eks.clusters.map((c) => accountOfArn(c.data.arn)))
    ?? one([...evidence.ec2.securityGroups, ...evidence.ec2.subnets].map((r) => text(r.data.OwnerId)));
}

/** What a cluster names of a resource no call describes (its VPC, its KMS key): the id, and the clusters naming it. */
interface ClusterNamed {
  readonly id: string;
  readonly clusters: string[];
  readonly region?: string;
  readonly account?: string;
}

/** The resources the clusters name, once each, located at (and placed by the ARN of) the first cluster naming each. */
function namedByClusters(evidence: AwsEvidence, idsOf: (cluster: EksCluster) => readonly unknown[]): Sourced<ClusterNamed>[] {
  const found = new Map<string, Sourced<ClusterNamed>>();
  for (const { data: cluster, source } of evidence.eks.clusters) {
    const name = text(cluster.name) ?? text(cluster.arn) ?? '(unnamed cluster)';
    for (const id of idsOf(cluster).map(text)) {
      if (id === undefined) continue;
      const known = found.get(id);
      if (known !== undefined) {
        if (!known.data.clusters.includes(name)) known.data.clusters.push(name);
        continue;
      }
      const region = regionOfArn(cluster.arn);
      const account = accountOfArn(cluster.arn);
      found.set(id, { source, data: { id, clusters: [name], ...(region !== undefined ? { region } : {}), ...(account !== undefined ? { account } : {}) } });
    }
  }
  return [...found.values()];
}

/** Every AWS target of the evidence, by kind. `defaultRegion` fills in resources whose output does not say (EC2 launch templates). */
export function buildAwsTargets(evidence: AwsEvidence, defaultRegion?: string): { readonly [K in AwsTargetKind]: readonly AwsTargetMap[K][] } {
  const make = <T>(list: readonly Sourced<T>[], toRef: (data: T) => AwsResourceRef): AwsTarget<T>[] =>
    list.map(({ data, source }) => ({ ref: toRef(data), origin: origin(source), data }));
  const region = (arn: unknown) => regionOfArn(arn) ?? defaultRegion;
  const account = evidenceAccount(evidence);
  // The owner the output names wins; the evidence's account stands in where it names none.
  const owner = (...candidates: unknown[]) => candidates.map(text).find((a) => a !== undefined) ?? account;
  return {
    // EKS names its resources: the name is their plain id too (an access entry's is its principal).
    'aws:eks:cluster': make(evidence.eks.clusters, (c) => ref('eks', 'cluster', { region: region(c.arn), arn: c.arn, id: c.name, name: c.name })),
    'aws:eks:nodegroup': make(evidence.eks.nodegroups, (n) => ref('eks', 'nodegroup', { region: region(n.nodegroupArn), arn: n.nodegroupArn, id: n.nodegroupName, name: n.nodegroupName })),
    'aws:eks:addon': make(evidence.eks.addons, (a) => ref('eks', 'addon', { region: region(a.addonArn), arn: a.addonArn, id: a.addonName, name: a.addonName })),
    'aws:eks:access-entry': make(evidence.eks.accessEntries, (e) => ref('eks', 'access-entry', { region: region(e.accessEntryArn), arn: e.accessEntryArn, id: e.principalArn, name: e.principalArn })),
    'aws:eks:pod-identity-association': make(evidence.eks.podIdentityAssociations, (a) => ref('eks', 'pod-identity-association', {
      region: region(a.associationArn), arn: a.associationArn, id: a.associationId, name: `${text(a.namespace) ?? ''}/${text(a.serviceAccount) ?? ''}`,
    })),
    'aws:ec2:launch-template-version': make(evidence.ec2.launchTemplateVersions, (v) => {
      const id = text(v.LaunchTemplateId);
      const version = String(v.VersionNumber ?? '?');
      // The launch template's ARN (versions have none of their own); the id keeps the version.
      return ref('ec2', 'launch-template-version', {
        region: defaultRegion,
        arn: id === undefined ? undefined : buildArn('launch-template', { region: defaultRegion, account: owner(accountOfArn(v.CreatedBy)), name: id }),
        id: `${id ?? text(v.LaunchTemplateName) ?? ''}:${version}`,
        name: `${text(v.LaunchTemplateName) ?? id ?? ''} version ${version}`,
      });
    }),
    'aws:ec2:instance': make(evidence.ec2.instances, (i) => {
      const instanceRegion = regionOfZone(field(i.Placement, 'AvailabilityZone')) ?? defaultRegion;
      const interfaceOwner = Array.isArray(i.NetworkInterfaces) ? i.NetworkInterfaces.map((n) => field(n, 'OwnerId')).find((o) => text(o) !== undefined) : undefined;
      const id = text(i.InstanceId);
      return ref('ec2', 'instance', {
        region: instanceRegion, id,
        arn: id === undefined ? undefined : buildArn('instance', { region: instanceRegion, account: owner(interfaceOwner), name: id }),
      });
    }),
    'aws:ec2:security-group': make(evidence.ec2.securityGroups, (g) => ref('ec2', 'security-group', {
      region: region(g.SecurityGroupArn), id: g.GroupId, name: g.GroupName,
      arn: text(g.SecurityGroupArn) ?? (text(g.GroupId) === undefined ? undefined : buildArn('security-group', { region: region(g.SecurityGroupArn), account: owner(g.OwnerId), name: text(g.GroupId) ?? '' })),
    })),
    'aws:ec2:subnet': make(evidence.ec2.subnets, (s) => {
      const subnetRegion = regionOfZone(s.AvailabilityZone) ?? region(s.SubnetArn);
      const id = text(s.SubnetId);
      return ref('ec2', 'subnet', {
        region: subnetRegion, id, name: id,
        arn: text(s.SubnetArn) ?? (id === undefined ? undefined : buildArn('subnet', { region: subnetRegion, account: owner(s.OwnerId), name: id })),
      });
    }),
    'aws:ec2:vpc': namedByClusters(evidence, (c) => [c.resourcesVpcConfig?.vpcId]).map(({ data, source }) => ({
      ref: ref('ec2', 'vpc', { region: data.region, id: data.id, name: data.id, arn: buildArn('vpc', { region: data.region, account: data.account ?? account, name: data.id }) }),
      origin: origin(source), data: { VpcId: data.id, clusters: data.clusters },
    })),
    'aws:kms:key': namedByClusters(evidence, (c) => (Array.isArray(c.encryptionConfig) ? c.encryptionConfig : []).map((e) => field(field(e, 'provider'), 'keyArn'))).map(({ data, source }) => {
      // EKS gives the key's ARN; a bare key id (hand-written dumps) is placed in the cluster's region and account.
      const arn = data.id.startsWith('arn:') ? data.id : buildArn('kms-key', { region: data.region, account: data.account ?? account, name: data.id });
      return {
        ref: ref('kms', 'key', { region: regionOfArn(arn) ?? data.region, arn, id: data.id.slice(data.id.lastIndexOf('/') + 1) }),
        origin: origin(source), data: { KeyArn: data.id, clusters: data.clusters },
      };
    }),
    'aws:iam:role': make(evidence.iam.roles, (r) => ref('iam', 'role', {
      id: r.RoleName, name: r.RoleName,
      arn: text(r.Arn) ?? (text(r.RoleName) === undefined ? undefined
        : buildArn('iam-role', { region: defaultRegion, account: owner(), name: `${text(r.Path) ?? '/'}${text(r.RoleName) ?? ''}` })),
    })),
    'aws:ecr:repository': make(evidence.ecr.repositories, (r) => ref('ecr', 'repository', {
      region: region(r.repositoryArn), id: r.repositoryName, name: r.repositoryName,
      arn: text(r.repositoryArn) ?? (text(r.repositoryName) === undefined ? undefined
        : buildArn('ecr-repository', { region: region(r.repositoryArn), account: owner(r.registryId), name: text(r.repositoryName) ?? '' })),
    })),
    'aws:logs:log-group': make(evidence.logGroups, (g) => {
      const groupRegion = region(g.arn);
      const name = text(g.logGroupName);
      // The output's `arn` ends in `:*` (its streams): the group's own ARN is built, as exclusions name it.
      return ref('logs', 'log-group', { region: groupRegion, name, id: name, arn: name === undefined ? undefined : buildArn('log-group', { region: groupRegion, account: owner(accountOfArn(g.arn)), name }) });
    }),
    'aws:efs:file-system': make(evidence.efs.fileSystems, (f) => ref('efs', 'file-system', {
      region: region(f.FileSystemArn), arn: f.FileSystemArn, id: f.FileSystemId, name: text(f.Name) ?? text(f.FileSystemId),
    })),
  };
}
