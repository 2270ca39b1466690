import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';

export type MessageId = 'al2' | 'customAmi';

export default defineRule({
  id: 'require-container-optimized-os',
  meta: {
    area: 'node',
    severity: 'low',
    docs: { description: 'Require Bottlerocket or the EKS-optimised Amazon Linux 2023 AMI on nodes', controls: ['eks-bp:infrastructure-security'] },
    evidence: ['aws'],
    messages: {
      al2: 'Node group {{nodegroup}} runs Amazon Linux 2 (amiType {{amiType}}), which is past the end of EKS AMI support: no new patched AMIs.',
      customAmi: 'Node group {{nodegroup}} runs a custom AMI (amiType CUSTOM): eksguard cannot tell whether it is a container-optimised, supported OS.',
    },
    rationale: 'A container-optimised OS has less to attack: Bottlerocket has a read-only root, no shell or package manager, and SELinux enforcing; the EKS-optimised AL2023 AMI is minimal and patched by AWS. Amazon Linux 2 AMIs for EKS are no longer built (Kubernetes 1.33 and later have none), so AL2 nodes stop getting fixes.',
    remediation: 'Move node groups to BOTTLEROCKET_* or AL2023_* AMI types (a new node group, then drain and delete the old one). For custom AMIs, build on Bottlerocket or the EKS-optimised AL2023 AMI and exempt the node group with its reason.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:eks:nodegroup'(target): Generator<Report<MessageId>> {
      const amiType = target.data.amiType ?? '';
      const nodegroup = target.data.nodegroupName ?? '';
      if (amiType.startsWith('AL2_')) yield { messageId: 'al2', path: ['amiType'], data: { nodegroup, amiType } };
      else if (amiType === 'CUSTOM') yield { messageId: 'customAmi', path: ['amiType'], severity: 'info', data: { nodegroup } };
    },
  }),
});
