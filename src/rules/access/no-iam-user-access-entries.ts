import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';

export type MessageId = 'iamUserEntry';

const IAM_USER = /^arn:aws[\w-]*:iam::\d{12}:user\//;

export default defineRule({
  id: 'no-iam-user-access-entries',
  meta: {
    area: 'access',
    severity: 'medium',
    docs: { description: 'Disallow EKS access entries for IAM users', controls: ['eks-bp:iam'] },
    evidence: ['aws'],
    messages: {
      iamUserEntry: 'Cluster {{cluster}} has an access entry for IAM user {{principal}}: cluster access rides on that user\'s long-lived access keys.',
    },
    rationale: 'IAM users authenticate with long-lived access keys that leak into laptops, CI variables and shell histories, and per-user entries multiply as people join and leave. The guide asks for IAM roles (ideally IAM Identity Center permission sets) that people assume with short-lived credentials, one access entry per role.',
    remediation: 'Create an access entry for a role the user assumes (an IAM Identity Center permission set or a role with a trust policy for the user), then delete the user\'s access entry.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:eks:access-entry'(target): Generator<Report<MessageId>> {
      const principal = target.data.principalArn ?? '';
      if (IAM_USER.test(principal)) yield { messageId: 'iamUserEntry', path: ['principalArn'], data: { cluster: target.data.clusterName ?? '', principal } };
    },
  }),
});
