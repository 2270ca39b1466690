import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';

export type MessageId = 'publicSubnet' | 'publicInstance' | 'publicLaunchTemplate';

export default defineRule({
  id: 'require-private-node-subnets',
  meta: {
    area: 'node',
    severity: 'medium',
    docs: { description: 'Require worker nodes in private subnets, without public IP addresses', controls: ['eks-bp:infrastructure-security', 'cis-eks:5.4.3'] },
    evidence: ['aws'],
    messages: {
      publicSubnet: 'Subnet {{subnet}} hosts nodes and gives every instance launched in it a public IP address (MapPublicIpOnLaunch).',
      publicInstance: 'Node instance {{instance}} has public IP address {{ip}}.',
      publicLaunchTemplate: 'Launch template {{template}} gives nodes a public IP address (AssociatePublicIpAddress).',
    },
    rationale: 'A node with a public address is one security-group mistake away from exposing the kubelet, node ports or SSH to the internet, and its egress bypasses the NAT and egress controls of the VPC. Nodes need no inbound path from the internet: load balancers in public subnets forward to them.',
    remediation: 'Launch nodes in private subnets (with a NAT gateway or VPC endpoints for egress): set the node group\'s subnets to private ones, turn off MapPublicIpOnLaunch on node subnets, and remove AssociatePublicIpAddress from launch templates.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:ec2:subnet'(target, inventory): Generator<Report<MessageId>> {
      const id = target.data.SubnetId;
      if (id === undefined || target.data.MapPublicIpOnLaunch !== true || inventory.aws?.nodeSubnetIds().has(id) !== true) return;
      yield { messageId: 'publicSubnet', path: ['MapPublicIpOnLaunch'], data: { subnet: id } };
    },
    *'aws:ec2:instance'(target): Generator<Report<MessageId>> {
      const ip = target.data.PublicIpAddress;
      if (ip === undefined || ip === '') return;
      yield { messageId: 'publicInstance', path: ['PublicIpAddress'], data: { instance: target.data.InstanceId ?? '', ip } };
    },
    *'aws:ec2:launch-template-version'(target, inventory): Generator<Report<MessageId>> {
      if (inventory.aws?.launchTemplateVersionInUse(target.data) !== true) return;
      for (const [index, ni] of (target.data.LaunchTemplateData?.NetworkInterfaces ?? []).entries()) {
        if (ni.AssociatePublicIpAddress === true) {
          yield { messageId: 'publicLaunchTemplate', path: ['LaunchTemplateData', 'NetworkInterfaces', index, 'AssociatePublicIpAddress'], data: { template: target.ref.name ?? '' } };
        }
      }
    },
  }),
});
