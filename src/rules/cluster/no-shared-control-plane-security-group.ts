import type { Report } from '../../core/finding.js';
import { nodegroupOfInstance } from '../../core/aws/aws-inventory.js';
import { defineRule } from '../define-rule.js';

export type MessageId = 'sharedSecurityGroup';

export default defineRule({
  id: 'no-shared-control-plane-security-group',
  meta: {
    area: 'cluster',
    severity: 'medium',
    docs: { description: 'Disallow custom control-plane security groups on managed node groups', controls: ['eks-bp:network-security'] },
    evidence: ['aws'],
    messages: {
      sharedSecurityGroup: 'Node group {{nodegroup}} uses security group {{group}}, which is also a custom control-plane security group of cluster {{cluster}}: node and control-plane rules can no longer be told apart, and deleting the node group can fail or strip the control plane\'s access.',
    },
    rationale: 'The additional security groups given at cluster creation (resourcesVpcConfig.securityGroupIds) guard the control-plane network interfaces. Attaching the same group to nodes merges two trust zones: every rule opened for nodes also opens the control plane, and managed node-group deletion can hang on, or remove rules from, a group the control plane depends on. The EKS-created cluster security group is meant to be shared and is not reported.',
    remediation: 'Give nodes their own security group (or the EKS-created cluster security group) in the launch template, roll the node group, then remove the control-plane group from it.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:eks:nodegroup'(target, inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      const ng = target.data;
      const cluster = aws?.cluster(ng.clusterName);
      if (aws === undefined || cluster === undefined) return;
      const eksCreated = cluster.resourcesVpcConfig?.clusterSecurityGroupId;
      const custom = new Set((cluster.resourcesVpcConfig?.securityGroupIds ?? []).filter((id) => id !== eksCreated));
      if (custom.size === 0) return;
      const groups = new Map<string, (string | number)[]>();
      for (const { data: version } of aws.evidence.ec2.launchTemplateVersions) {
        if (!aws.nodegroupsUsing(version).some((n) => n.nodegroupName === ng.nodegroupName && n.clusterName === ng.clusterName)) continue;
        for (const id of version.LaunchTemplateData?.SecurityGroupIds ?? []) groups.set(id, ['launchTemplate']);
        for (const ni of version.LaunchTemplateData?.NetworkInterfaces ?? []) for (const id of ni.Groups ?? []) groups.set(id, ['launchTemplate']);
      }
      for (const { data: instance } of aws.evidence.ec2.instances) {
        if (nodegroupOfInstance(instance) !== ng.nodegroupName) continue;
        for (const g of instance.SecurityGroups ?? []) if (g.GroupId !== undefined && !groups.has(g.GroupId)) groups.set(g.GroupId, ['resources']);
      }
      for (const [id, path] of groups) {
        if (custom.has(id)) yield { messageId: 'sharedSecurityGroup', path, data: { nodegroup: ng.nodegroupName ?? '', group: id, cluster: cluster.name ?? '' } };
      }
    },
  }),
});
