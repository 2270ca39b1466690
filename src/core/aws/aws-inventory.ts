/**
 * Read-only views over the AWS evidence that rules share: which node groups, instances, launch
 * templates, security groups, subnets and roles belong to a cluster's nodes, and look-ups by ARN.
 * Built on first use, like the Kubernetes indexes of the Inventory.
 */
import type { AwsCall, AwsEvidence, Ec2Instance, Ec2LaunchTemplateVersion, EksCluster, EksNodegroup, IamManagedPolicy, IamRole } from './model.js';
import type { PolicyDocument } from './policy.js';
import { buildAwsTargets, regionOfArn, type AwsTargetKind, type AwsTargetMap } from './targets.js';

/** Instance tags that name the EKS cluster an instance belongs to (managed node groups, eksctl, Karpenter, Auto Mode). */
const CLUSTER_TAGS = ['aws:eks:cluster-name', 'eks:cluster-name', 'eks:eks-cluster-name'] as const;
const CLUSTER_TAG_PREFIX = 'kubernetes.io/cluster/';

/** The items of a list field, or none when the output holds something else there. */
export function listOf<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value.filter((item) => item !== null && item !== undefined) : [];
}

export function tagValue(tags: readonly { readonly Key?: string; readonly Value?: string }[] | undefined, key: string): string | undefined {
  const value = listOf(tags).find((t) => t.Key === key)?.Value;
  return typeof value === 'string' ? value : undefined;
}

/** The cluster an instance's tags name, if any. */
export function clusterOfInstance(instance: Ec2Instance): string | undefined {
  for (const key of CLUSTER_TAGS) {
    const value = tagValue(instance.Tags, key);
    if (value !== undefined && value !== '') return value;
  }
  const tag = listOf(instance.Tags).find((t) => typeof t.Key === 'string' && t.Key.startsWith(CLUSTER_TAG_PREFIX));
  return tag?.Key?.slice(CLUSTER_TAG_PREFIX.length);
}

/** The managed node group an instance's tags name, if any. */
export function nodegroupOfInstance(instance: Ec2Instance): string | undefined {
  return tagValue(instance.Tags, 'eks:nodegroup-name');
}

/** `arn:aws:iam::123:role/path/name` → `name`. */
export function roleNameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export class AwsInventory {
  readonly evidence: AwsEvidence;
  /** The region every cluster of the evidence is in, when they agree (filled in where an output does not say). */
  readonly region: string | undefined;
  private targetLists: { readonly [K in AwsTargetKind]: readonly AwsTargetMap[K][] } | undefined;
  private roleIndex: Map<string, IamRole> | undefined;
  private policyIndex: Map<string, IamManagedPolicy> | undefined;

  constructor(evidence: AwsEvidence) {
    this.evidence = evidence;
    const regions = new Set(evidence.eks.clusters.map((c) => regionOfArn(c.data.arn)).filter((r): r is string => r !== undefined));
    this.region = regions.size === 1 ? [...regions][0] : undefined;
  }

  collected(call: AwsCall): boolean {
    return this.evidence.collected.has(call);
  }

  targets<K extends AwsTargetKind>(kind: K): readonly AwsTargetMap[K][] {
    this.targetLists ??= buildAwsTargets(this.evidence, this.region);
    return this.targetLists[kind];
  }

  /** How many AWS resources the evidence holds as targets. */
  get resourceCount(): number {
    this.targetLists ??= buildAwsTargets(this.evidence, this.region);
    return Object.values(this.targetLists).reduce((sum, list) => sum + list.length, 0);
  }

  get clusters(): readonly EksCluster[] {
    return this.evidence.eks.clusters.map((c) => c.data);
  }

  cluster(name: string | undefined): EksCluster | undefined {
    return name === undefined ? undefined : this.clusters.find((c) => c.name === name);
  }

  nodegroupsOf(clusterName: string | undefined): readonly EksNodegroup[] {
    return this.evidence.eks.nodegroups.map((n) => n.data).filter((n) => clusterName === undefined || n.clusterName === clusterName);
  }

  /** The EKS add-on of that name on a cluster (the only cluster, when the add-on output does not say). */
  addon(clusterName: string | undefined, addonName: string) {
    return this.evidence.eks.addons.map((a) => a.data).find((a) => a.addonName === addonName && (clusterName === undefined || a.clusterName === undefined || a.clusterName === clusterName));
  }

  accessPoliciesOf(clusterName: string | undefined, principalArn: string | undefined) {
    return this.evidence.eks.accessPolicies
      .map((p) => p.data)
      .filter((p) => p.principalArn === principalArn && (clusterName === undefined || p.clusterName === undefined || p.clusterName === clusterName))
      .flatMap((p) => p.associatedAccessPolicies ?? []);
  }

  /** A role by ARN; ARNs written without the role's path (as annotations sometimes are) match by account and name. */
  role(arn: string | undefined): IamRole | undefined {
    if (arn === undefined) return undefined;
    if (this.roleIndex === undefined) {
      this.roleIndex = new Map();
      for (const { data } of this.evidence.iam.roles) if (data.Arn !== undefined) this.roleIndex.set(data.Arn, data);
    }
    const exact = this.roleIndex.get(arn);
    if (exact) return exact;
    const account = arn.split(':')[4];
    const name = roleNameOfArn(arn);
    return this.evidence.iam.roles.map((r) => r.data).find((r) => r.RoleName === name && r.Arn?.split(':')[4] === account);
  }

  /** The role an instance profile carries (`RoleDetail.InstanceProfileList`). */
  roleOfInstanceProfile(profileArn: string | undefined): IamRole | undefined {
    if (profileArn === undefined) return undefined;
    return this.evidence.iam.roles.map((r) => r.data).find((r) => r.InstanceProfileList?.some((p) => p.Arn === profileArn));
  }

  managedPolicy(arn: string | undefined): IamManagedPolicy | undefined {
    if (arn === undefined) return undefined;
    if (this.policyIndex === undefined) {
      this.policyIndex = new Map();
      for (const { data } of this.evidence.iam.policies) if (data.Arn !== undefined) this.policyIndex.set(data.Arn, data);
    }
    return this.policyIndex.get(arn);
  }

  /** The document of a managed policy's default version, when the evidence holds it. */
  managedPolicyDocument(arn: string | undefined): PolicyDocument | undefined {
    const policy = this.managedPolicy(arn);
    const versions = policy?.PolicyVersionList ?? [];
    return (versions.find((v) => v.IsDefaultVersion === true) ?? versions.find((v) => v.VersionId === policy?.DefaultVersionId))?.Document;
  }

  /** The node groups that launch from this launch template version (by id or name; `$Default`/`$Latest` resolved). */
  nodegroupsUsing(version: Ec2LaunchTemplateVersion): readonly EksNodegroup[] {
    return this.nodegroupsOf(undefined).filter((n) => {
      const lt = n.launchTemplate;
      if (lt === undefined) return false;
      const same = (lt.id !== undefined && lt.id === version.LaunchTemplateId) || (lt.name !== undefined && lt.name === version.LaunchTemplateName);
      return same && this.resolvesTo(lt.version, version);
    });
  }

  private resolvesTo(wanted: string | undefined, version: Ec2LaunchTemplateVersion): boolean {
    if (wanted === undefined || wanted === '$Default') return version.DefaultVersion === true;
    if (wanted === '$Latest') {
      const numbers = this.evidence.ec2.launchTemplateVersions
        .map((v) => v.data)
        .filter((v) => v.LaunchTemplateId === version.LaunchTemplateId)
        .map((v) => v.VersionNumber ?? 0);
      return version.VersionNumber === Math.max(...numbers);
    }
    return String(version.VersionNumber) === wanted;
  }

  /**
   * Whether nodes launch from this version: a node group names it, or — for a template no node
   * group uses (self-managed groups, Karpenter) — it is the template's default version.
   */
  launchTemplateVersionInUse(version: Ec2LaunchTemplateVersion): boolean {
    if (this.nodegroupsUsing(version).length > 0) return true;
    const usedByAnyNodegroup = this.nodegroupsOf(undefined).some((n) =>
      (n.launchTemplate?.id !== undefined && n.launchTemplate.id === version.LaunchTemplateId)
      || (n.launchTemplate?.name !== undefined && n.launchTemplate.name === version.LaunchTemplateName));
    return !usedByAnyNodegroup && version.DefaultVersion === true;
  }

  /** The security groups the control plane uses: the EKS-created cluster group, and the custom ones given at creation. */
  controlPlaneSecurityGroupIds(): ReadonlySet<string> {
    const ids = new Set<string>();
    for (const c of this.clusters) {
      if (c.resourcesVpcConfig?.clusterSecurityGroupId) ids.add(c.resourcesVpcConfig.clusterSecurityGroupId);
      for (const id of c.resourcesVpcConfig?.securityGroupIds ?? []) ids.add(id);
    }
    return ids;
  }

  /** Security groups of the nodes: from instances, in-use launch template versions, and node groups' remote-access groups. */
  nodeSecurityGroupIds(): ReadonlySet<string> {
    const ids = new Set<string>();
    for (const { data } of this.evidence.ec2.instances) for (const g of data.SecurityGroups ?? []) if (g.GroupId) ids.add(g.GroupId);
    for (const { data } of this.evidence.ec2.launchTemplateVersions) {
      if (!this.launchTemplateVersionInUse(data)) continue;
      for (const id of data.LaunchTemplateData?.SecurityGroupIds ?? []) ids.add(id);
      for (const ni of data.LaunchTemplateData?.NetworkInterfaces ?? []) for (const id of ni.Groups ?? []) ids.add(id);
    }
    for (const n of this.nodegroupsOf(undefined)) if (n.resources?.remoteAccessSecurityGroup) ids.add(n.resources.remoteAccessSecurityGroup);
    return ids;
  }

  /** Subnets nodes launch into: node groups' subnets and the instances'. */
  nodeSubnetIds(): ReadonlySet<string> {
    const ids = new Set<string>();
    for (const n of this.nodegroupsOf(undefined)) for (const id of n.subnets ?? []) ids.add(id);
    for (const { data } of this.evidence.ec2.instances) if (data.SubnetId) ids.add(data.SubnetId);
    return ids;
  }

  /** ARNs of the roles nodes run as: node groups' node roles, Auto Mode's node role, and the roles of instances' profiles. */
  nodeRoleArns(): ReadonlySet<string> {
    const arns = new Set<string>();
    for (const n of this.nodegroupsOf(undefined)) if (n.nodeRole) arns.add(n.nodeRole);
    for (const c of this.clusters) if (c.computeConfig?.enabled === true && c.computeConfig.nodeRoleArn) arns.add(c.computeConfig.nodeRoleArn);
    for (const { data } of this.evidence.ec2.instances) {
      const role = this.roleOfInstanceProfile(data.IamInstanceProfile?.Arn);
      if (role?.Arn) arns.add(role.Arn);
    }
    return arns;
  }
}
