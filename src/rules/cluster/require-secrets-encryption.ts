import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { clusterName } from '../shared/aws.js';

export type MessageId = 'noEnvelopeEncryption';

export default defineRule({
  id: 'require-secrets-encryption',
  meta: {
    area: 'cluster',
    severity: 'high',
    docs: { description: 'Require envelope encryption of Kubernetes Secrets with a customer KMS key', controls: ['eks-bp:data-encryption', 'cis-eks:5.3.1'] },
    evidence: ['aws'],
    messages: {
      noEnvelopeEncryption: 'Cluster {{cluster}} has no encryptionConfig for secrets with a customer-managed KMS key: Secrets are encrypted in etcd only with keys you neither control nor can revoke or audit.',
    },
    rationale: 'With KMS envelope encryption, each Secret\'s data key is wrapped by a KMS key you own: you control who can decrypt, every use of the key lands in CloudTrail, and disabling the key makes the Secrets unreadable. Without it, anyone who obtains an etcd backup or snapshot depends only on AWS-managed encryption.',
    remediation: 'Associate a customer-managed symmetric KMS key: aws eks associate-encryption-config --cluster-name CLUSTER --encryption-config \'[{"resources":["secrets"],"provider":{"keyArn":"arn:aws:kms:REGION:ACCOUNT:key/ID"}}]\' (it cannot be removed once set).',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:eks:cluster'(target): Generator<Report<MessageId>> {
      const configured = (target.data.encryptionConfig ?? []).some((c) => (c.resources ?? []).includes('secrets') && (c.provider?.keyArn ?? '') !== '');
      if (!configured) yield { messageId: 'noEnvelopeEncryption', path: ['encryptionConfig'], data: { cluster: clusterName(target.data) } };
    },
  }),
});
