/** `--cluster-name`: keep one cluster of a dump that holds several, and what belongs to it. Pure. */
import { clusterOfInstance } from '../../core/aws/aws-inventory.js';
import type { AwsEvidence } from '../../core/aws/model.js';
import { UsageError } from '../../core/errors.js';
import type { Gap } from '../../core/resource.js';
import type { ClusterGap } from './recognise.js';

/** The gaps that concern cluster `name`: failed calls about other clusters are dropped, account-wide ones kept. */
export function selectClusterGaps(gaps: readonly Gap[], clusterGaps: readonly ClusterGap[], name: string): Gap[] {
  const others = new Set(clusterGaps.filter((c) => c.clusterName !== name).map((c) => c.gap));
  return gaps.filter((g) => !others.has(g));
}

export function selectCluster(evidence: AwsEvidence, name: string, dir: string): AwsEvidence {
  const names = evidence.eks.clusters.map((c) => c.data.name).filter((n): n is string => n !== undefined);
  if (!names.includes(name)) {
    throw new UsageError(`--cluster-name ${name}: no eks describe-cluster output for it in ${dir}`, names.length > 0 ? `Clusters found: ${names.join(', ')}.` : 'Add the output of aws eks describe-cluster --name NAME to the directory (docs/aws-evidence.md).');
  }
  const mine = (clusterName: string | undefined) => clusterName === undefined || clusterName === name;
  const nodegroups = evidence.eks.nodegroups.filter((n) => mine(n.data.clusterName));
  const dropped = evidence.eks.nodegroups.filter((n) => !mine(n.data.clusterName));
  const usedBy = (list: typeof nodegroups, id: string | undefined, ltName: string | undefined) =>
    list.some((n) => (id !== undefined && n.data.launchTemplate?.id === id) || (ltName !== undefined && n.data.launchTemplate?.name === ltName));
  return {
    ...evidence,
    eks: {
      clusters: evidence.eks.clusters.filter((c) => c.data.name === name),
      nodegroups,
      addons: evidence.eks.addons.filter((a) => mine(a.data.clusterName)),
      accessEntries: evidence.eks.accessEntries.filter((e) => mine(e.data.clusterName)),
      accessPolicies: evidence.eks.accessPolicies.filter((p) => mine(p.data.clusterName)),
      podIdentityAssociations: evidence.eks.podIdentityAssociations.filter((a) => mine(a.data.clusterName)),
    },
    ec2: {
      ...evidence.ec2,
      instances: evidence.ec2.instances.filter((i) => mine(clusterOfInstance(i.data))),
      // A launch template only other clusters' node groups use is theirs.
      launchTemplateVersions: evidence.ec2.launchTemplateVersions.filter((v) =>
        usedBy(nodegroups, v.data.LaunchTemplateId, v.data.LaunchTemplateName) || !usedBy(dropped, v.data.LaunchTemplateId, v.data.LaunchTemplateName)),
    },
  };
}
