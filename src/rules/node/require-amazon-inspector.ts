import type { Report } from '../../core/finding.js';
import { accountOfArn } from '../../core/aws/targets.js';
import { defineRule } from '../define-rule.js';
import { clusterName, needsAwsCalls } from '../shared/aws.js';

export type MessageId = 'scanningOff';

const RESOURCES = [
  { key: 'ec2', what: 'EC2 scanning (CVEs in node packages)' },
  { key: 'ecr', what: 'ECR scanning (CVEs in container images)' },
] as const;

export default defineRule({
  id: 'require-amazon-inspector',
  meta: {
    area: 'node',
    severity: 'low',
    docs: { description: 'Require Amazon Inspector scanning of nodes and images', controls: ['eks-bp:infrastructure-security', 'eks-bp:image-security'] },
    evidence: ['aws'],
    messages: {
      scanningOff: 'Cluster {{cluster}}: Amazon Inspector {{what}} is {{status}} in account {{account}}.',
    },
    rationale: 'Inspector continuously matches the packages on nodes and in ECR images against new CVEs, so a vulnerable kernel or library is reported when the advisory appears rather than at the next manual scan. It is the guide\'s recommended vulnerability scanner for nodes.',
    remediation: 'Enable Inspector for EC2 and ECR: aws inspector2 enable --resource-types EC2 ECR (nodes also need the SSM agent and the AmazonSSMManagedInstanceCore policy for EC2 scanning).',
  },
  defaultOptions: {},
  notEvaluated: needsAwsCalls('inspector2:BatchGetAccountStatus'),
  create: () => ({
    *'aws:eks:cluster'(target, inventory): Generator<Report<MessageId>> {
      const accounts = inventory.aws?.evidence.inspector2.accounts.map((a) => a.data) ?? [];
      const account = accountOfArn(target.data.arn);
      const state = accounts.find((a) => a.accountId === account) ?? (accounts.length === 1 ? accounts[0] : undefined);
      for (const { key, what } of RESOURCES) {
        const status = state?.resourceState?.[key]?.status ?? 'not enabled';
        if (status !== 'ENABLED') yield { messageId: 'scanningOff', path: [], data: { cluster: clusterName(target.data), what, status, account: account ?? state?.accountId ?? '' } };
      }
    },
  }),
});
