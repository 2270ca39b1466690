import type { AwsInventory } from '../../core/aws/aws-inventory.js';
import { customImageReference, daysBetween, launchTemplateVersionOf, nodegroupVersion, releaseCheck, releaseDate } from '../../core/aws/node-images.js';
import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { defineRule } from '../define-rule.js';
import { allOf, needsAwsCalls } from '../shared/aws.js';

export interface Options {
  readonly maxAgeDays: number;
}

export type MessageId = 'oldRelease' | 'oldImage';

function parameterValue(aws: AwsInventory, name: string): string | undefined {
  return aws.evidence.ssmParameters.find((p) => p.data.Name === name)?.data.Value;
}

function imageDate(aws: AwsInventory, imageId: string | undefined): string | undefined {
  return imageId === undefined ? undefined : aws.evidence.images.find((i) => i.data.ImageId === imageId)?.data.CreationDate;
}

/** Images are read for Bottlerocket node groups and for launch templates with their own AMI: only then does the rule need them. */
function needsImages(inventory: Inventory): string | undefined {
  const aws = inventory.aws;
  if (aws === undefined) return undefined;
  const needed = aws.evidence.eks.nodegroups.some((n) => releaseCheck(n.data.amiType, nodegroupVersion(aws.evidence, n.data), n.data.releaseVersion)?.kind === 'image')
    || aws.evidence.ec2.launchTemplateVersions.some((v) => v.data.LaunchTemplateData?.ImageId !== undefined && aws.launchTemplateVersionInUse(v.data));
  return needed ? needsAwsCalls('ec2:DescribeImages')(inventory) : undefined;
}

export default defineRule({
  id: 'require-current-node-ami',
  meta: {
    area: 'node',
    severity: 'medium',
    docs: { description: 'Require node AMIs no older than the latest EKS-optimised release by more than a set number of days', controls: ['eks-bp:infrastructure-security'] },
    evidence: ['aws'],
    messages: {
      oldRelease: 'Node group {{nodegroup}} runs AMI release {{release}}, {{days}} days older than the latest EKS-optimised release for Kubernetes {{version}} ({{latest}}); at most {{maximum}} days are allowed: its nodes miss the OS and kubelet fixes released since.',
      oldImage: 'Launch template {{template}} launches nodes from image {{image}}, created {{days}} days before the recommended EKS-optimised image for Kubernetes {{version}} ({{reference}}); at most {{maximum}} days are allowed: the nodes miss the OS fixes released since.',
    },
    rationale: 'AWS releases EKS-optimised AMIs every few weeks with kernel, container runtime and kubelet security fixes, and publishes the latest release of each flavour as an SSM public parameter. Nodes built from an older image keep the vulnerabilities fixed since, however well the cluster is configured. The guide asks to keep the worker nodes\' OS up to date and to replace nodes rather than patch them in place.',
    remediation: 'Update managed node groups to the latest AMI release (aws eks update-nodegroup-version --cluster-name CLUSTER --nodegroup-name NAME), or let EKS Auto Mode or Karpenter\'s drift replace nodes. For custom AMIs, rebuild from the latest EKS-optimised base image on a schedule and roll the launch template version out.',
    schema: {
      type: 'object', additionalProperties: false,
      properties: {
        maxAgeDays: { type: 'integer', minimum: 0, description: 'How many days a node image may lag the latest EKS-optimised release before it is reported.' },
      },
    },
  },
  defaultOptions: { maxAgeDays: 60 },
  notEvaluated: allOf(needsAwsCalls('ssm:GetParameter'), needsImages),
  create: ({ maxAgeDays }) => ({
    *'aws:eks:nodegroup'(target, inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      if (aws === undefined) return;
      const data = target.data;
      const version = nodegroupVersion(aws.evidence, data);
      // Custom AMIs are judged through their launch template; Windows AMIs are not judged.
      const check = releaseCheck(data.amiType, version, data.releaseVersion);
      if (check === undefined) return;
      const latestValue = parameterValue(aws, check.latest);
      // A flavour AWS publishes no parameter for has nothing to compare with.
      if (latestValue === undefined) return;
      const days = check.kind === 'release-date'
        ? daysBetween(releaseDate(data.releaseVersion), releaseDate(latestValue))
        : daysBetween(imageDate(aws, parameterValue(aws, check.current)), imageDate(aws, latestValue));
      if (days === undefined || days <= maxAgeDays) return;
      yield {
        messageId: 'oldRelease',
        path: ['releaseVersion'],
        data: { nodegroup: data.nodegroupName ?? '', release: data.releaseVersion ?? '', version: version ?? '', latest: check.kind === 'release-date' ? latestValue : `image ${latestValue}`, days, maximum: maxAgeDays },
      };
    },
    *'aws:ec2:launch-template-version'(target, inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      const image = target.data.LaunchTemplateData?.ImageId;
      if (aws === undefined || image === undefined || !aws.launchTemplateVersionInUse(target.data)) return;
      const version = launchTemplateVersionOf(aws.evidence, target.data);
      if (version === undefined) return;
      const reference = parameterValue(aws, customImageReference(version));
      const days = daysBetween(imageDate(aws, image), imageDate(aws, reference));
      if (reference === undefined || days === undefined || days <= maxAgeDays) return;
      yield {
        messageId: 'oldImage',
        path: ['LaunchTemplateData', 'ImageId'],
        data: { template: target.ref.name ?? target.ref.id ?? '', image, version, reference, days, maximum: maxAgeDays },
      };
    },
  }),
});
