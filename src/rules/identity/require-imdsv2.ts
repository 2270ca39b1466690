import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';

export type MessageId = 'launchTemplateTokensOptional' | 'instanceTokensOptional';

export default defineRule({
  id: 'require-imdsv2',
  meta: {
    area: 'identity',
    severity: 'high',
    docs: { description: 'Require IMDSv2 (session tokens) on nodes', controls: ['eks-bp:iam'] },
    evidence: ['aws'],
    messages: {
      launchTemplateTokensOptional: 'Launch template {{template}} sets HttpTokens {{value}}: nodes launched from it answer IMDSv1 requests, which any SSRF or pod can use to read the node role\'s credentials.',
      instanceTokensOptional: 'Node instance {{instance}} has HttpTokens {{value}}: it answers IMDSv1 requests, which any SSRF or pod can use to read the node role\'s credentials.',
    },
    rationale: 'The instance metadata service hands out the node role\'s credentials. IMDSv1 answers a plain GET, so a server-side request forgery in any pod, or any pod on the host network, can read them. IMDSv2 requires a PUT for a session token first, which SSRF rarely can do and which the hop limit keeps inside the node.',
    remediation: 'Set MetadataOptions HttpTokens to required in the node launch templates (and HttpPutResponseHopLimit to 1), then roll the node groups; for running instances, aws ec2 modify-instance-metadata-options --http-tokens required.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:ec2:launch-template-version'(target, inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      if (aws?.launchTemplateVersionInUse(target.data) !== true) return;
      const options = target.data.LaunchTemplateData?.MetadataOptions;
      if (options?.HttpEndpoint === 'disabled' || options?.HttpTokens === 'required') return;
      // Unset, the AMI decides: EKS-optimized AL2023 AMIs require IMDSv2 (ImdsSupport v2.0). That holds when the
      // template names no AMI and every node group launching from it has an AL2023 AMI type.
      const nodegroups = aws.nodegroupsUsing(target.data);
      if (options?.HttpTokens === undefined && target.data.LaunchTemplateData?.ImageId === undefined
        && nodegroups.length > 0 && nodegroups.every((n) => n.amiType?.startsWith('AL2023_') === true)) return;
      yield { messageId: 'launchTemplateTokensOptional', path: ['LaunchTemplateData', 'MetadataOptions', 'HttpTokens'], data: { template: target.ref.name ?? '', value: options?.HttpTokens ?? 'unset (the AMI or account default applies, often optional)' } };
    },
    *'aws:ec2:instance'(target): Generator<Report<MessageId>> {
      const options = target.data.MetadataOptions;
      if (options === undefined || options.HttpEndpoint === 'disabled' || options.HttpTokens === 'required') return;
      yield { messageId: 'instanceTokensOptional', path: ['MetadataOptions', 'HttpTokens'], data: { instance: target.data.InstanceId ?? '', value: options.HttpTokens ?? 'unset' } };
    },
  }),
});
