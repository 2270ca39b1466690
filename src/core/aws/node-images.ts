/**
 * What the nodes of the evidence's clusters run on, and what to compare it with: the SSM public
 * parameters AWS publishes for each EKS-optimised AMI flavour and Kubernetes version, and the
 * instance types of node groups, launch templates and instances. The live collector reads what
 * these name, the rules judge with the same functions, so both ask the same questions. Pure.
 */
import { listOf } from './aws-inventory.js';
import type { AwsEvidence, Ec2LaunchTemplateVersion, EksNodegroup } from './model.js';

/** Amazon Linux AMI types → the part of `/aws/service/eks/optimized-ami/VERSION/…/recommended/release_version`. */
const AMAZON_LINUX: Readonly<Record<string, string>> = {
  AL2_x86_64: 'amazon-linux-2', AL2_x86_64_GPU: 'amazon-linux-2-gpu', AL2_ARM_64: 'amazon-linux-2-arm64',
  AL2023_x86_64_STANDARD: 'amazon-linux-2023/x86_64/standard', AL2023_ARM_64_STANDARD: 'amazon-linux-2023/arm64/standard',
  AL2023_x86_64_NVIDIA: 'amazon-linux-2023/x86_64/nvidia', AL2023_ARM_64_NVIDIA: 'amazon-linux-2023/arm64/nvidia',
  AL2023_x86_64_NEURON: 'amazon-linux-2023/x86_64/neuron',
};
/** Bottlerocket AMI types → variant suffix and architecture of `/aws/service/bottlerocket/aws-k8s-VERSION[-nvidia]/ARCH/…`. */
const BOTTLEROCKET: Readonly<Record<string, readonly [string, string]>> = {
  BOTTLEROCKET_x86_64: ['', 'x86_64'], BOTTLEROCKET_ARM_64: ['', 'arm64'],
  BOTTLEROCKET_x86_64_NVIDIA: ['-nvidia', 'x86_64'], BOTTLEROCKET_ARM_64_NVIDIA: ['-nvidia', 'arm64'],
};

/** How a node group's release is dated against the latest one. */
export type ReleaseCheck =
  /** Amazon Linux: both releases carry their build date (`1.31.2-20241121`); `latest` holds the latest release. */
  | { readonly kind: 'release-date'; readonly latest: string }
  /** Bottlerocket: `latest` and `current` name the images (`image_id`) whose creation dates are compared. */
  | { readonly kind: 'image'; readonly latest: string; readonly current: string };

/** The parameters that date a managed node group's EKS-optimised release; undefined for custom and Windows AMIs. */
export function releaseCheck(amiType: string | undefined, version: string | undefined, releaseVersion: string | undefined): ReleaseCheck | undefined {
  if (amiType === undefined || version === undefined || releaseVersion === undefined || releaseVersion === '') return undefined;
  const linux = AMAZON_LINUX[amiType];
  if (linux !== undefined) return { kind: 'release-date', latest: `/aws/service/eks/optimized-ami/${version}/${linux}/recommended/release_version` };
  const rocket = BOTTLEROCKET[amiType];
  if (rocket === undefined) return undefined;
  const root = `/aws/service/bottlerocket/aws-k8s-${version}${rocket[0]}/${rocket[1]}`;
  return { kind: 'image', latest: `${root}/latest/image_id`, current: `${root}/${releaseVersion}/image_id` };
}

/**
 * The EKS-optimised image a custom AMI is compared with: the recommended Amazon Linux 2023 image of
 * the same Kubernetes version (every EKS-optimised flavour is rebuilt on the same cadence).
 */
export function customImageReference(version: string): string {
  return `/aws/service/eks/optimized-ami/${version}/amazon-linux-2023/x86_64/standard/recommended/image_id`;
}

/** `1.31.2-20241121` → `2024-11-21`; undefined when the release names no date. */
export function releaseDate(releaseVersion: string | undefined): string | undefined {
  const match = /-(\d{4})(\d{2})(\d{2})$/.exec(releaseVersion ?? '');
  return match === null ? undefined : `${match[1] ?? ''}-${match[2] ?? ''}-${match[3] ?? ''}`;
}

/** Whole days from `from` to `to` (ISO dates or timestamps); undefined when either is not a date. */
export function daysBetween(from: string | undefined, to: string | undefined): number | undefined {
  const a = Date.parse(from ?? '');
  const b = Date.parse(to ?? '');
  return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.floor((b - a) / 86_400_000);
}

function clusterVersion(evidence: AwsEvidence, clusterName: string | undefined): string | undefined {
  const clusters = evidence.eks.clusters.map((c) => c.data);
  return (clusters.find((c) => c.name === clusterName) ?? (clusters.length === 1 ? clusters[0] : undefined))?.version;
}

/** The Kubernetes version of a node group: its own, else its cluster's. */
export function nodegroupVersion(evidence: AwsEvidence, nodegroup: EksNodegroup): string | undefined {
  return nodegroup.version ?? clusterVersion(evidence, nodegroup.clusterName);
}

/** The Kubernetes version a launch template's nodes join: that of a node group using it, else the only cluster's. */
export function launchTemplateVersionOf(evidence: AwsEvidence, template: Ec2LaunchTemplateVersion): string | undefined {
  const user = evidence.eks.nodegroups.map((n) => n.data).find((n) =>
    (n.launchTemplate?.id !== undefined && n.launchTemplate.id === template.LaunchTemplateId)
    || (n.launchTemplate?.name !== undefined && n.launchTemplate.name === template.LaunchTemplateName));
  return user !== undefined ? nodegroupVersion(evidence, user) : clusterVersion(evidence, undefined);
}

/** The SSM public parameters that date the evidence's node images. */
export function nodeImageParameters(evidence: AwsEvidence): string[] {
  const names = new Set<string>();
  for (const { data } of evidence.eks.nodegroups) {
    const check = releaseCheck(data.amiType, nodegroupVersion(evidence, data), data.releaseVersion);
    if (check !== undefined) names.add(check.latest);
    if (check?.kind === 'image') names.add(check.current);
  }
  for (const { data } of evidence.ec2.launchTemplateVersions) {
    const version = data.LaunchTemplateData?.ImageId !== undefined ? launchTemplateVersionOf(evidence, data) : undefined;
    if (version !== undefined) names.add(customImageReference(version));
  }
  return [...names].sort();
}

/** The images to describe for their creation dates: those the parameters name, and the launch templates' own. */
export function nodeImageIds(evidence: AwsEvidence): string[] {
  const ids = new Set<string>();
  for (const { data } of evidence.ssmParameters) if (data.Name?.endsWith('/image_id') === true && data.Value?.startsWith('ami-') === true) ids.add(data.Value);
  for (const { data } of evidence.ec2.launchTemplateVersions) if (data.LaunchTemplateData?.ImageId !== undefined) ids.add(data.LaunchTemplateData.ImageId);
  return [...ids].sort();
}

/** EKS launches a managed node group that names no instance type on t3.medium. */
export const DEFAULT_NODEGROUP_INSTANCE_TYPE = 't3.medium';

/** The instance types a managed node group launches: its own list, its launch template's type, else the EKS default. */
export function nodegroupInstanceTypes(evidence: AwsEvidence, nodegroup: EksNodegroup): string[] {
  const own = listOf(nodegroup.instanceTypes);
  if (own.length > 0) return [...own];
  const lt = nodegroup.launchTemplate;
  if (lt !== undefined) {
    const types = evidence.ec2.launchTemplateVersions.map((v) => v.data)
      .filter((v) => (lt.id !== undefined && v.LaunchTemplateId === lt.id) || (lt.name !== undefined && v.LaunchTemplateName === lt.name))
      .map((v) => v.LaunchTemplateData?.InstanceType).filter((t): t is NonNullable<typeof t> => t !== undefined);
    if (types.length > 0) return [...new Set(types.map(String))];
  }
  return [DEFAULT_NODEGROUP_INSTANCE_TYPE];
}

/** Every instance type the evidence's nodes run as or launch as: node groups, launch templates, instances. */
export function nodeInstanceTypes(evidence: AwsEvidence): string[] {
  const types = new Set<string>();
  for (const { data } of evidence.eks.nodegroups) for (const t of nodegroupInstanceTypes(evidence, data)) types.add(t);
  for (const { data } of evidence.ec2.launchTemplateVersions) if (data.LaunchTemplateData?.InstanceType !== undefined) types.add(String(data.LaunchTemplateData.InstanceType));
  for (const { data } of evidence.ec2.instances) if (data.InstanceType !== undefined) types.add(String(data.InstanceType));
  return [...types].sort();
}
