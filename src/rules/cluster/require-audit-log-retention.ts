import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { clusterName, needsAwsCalls } from '../shared/aws.js';

export interface Options {
  readonly minRetentionDays: number;
}

export type MessageId = 'shortRetention' | 'notEncrypted' | 'noLogGroup';

/** `/aws/eks/NAME/cluster`: where EKS sends the control-plane logs of cluster NAME. */
export function clusterLogGroup(cluster: string): string {
  return `/aws/eks/${cluster}/cluster`;
}

export default defineRule({
  id: 'require-audit-log-retention',
  meta: {
    area: 'cluster',
    severity: 'medium',
    docs: { description: 'Require the cluster\'s control-plane log group to keep logs long enough and to be encrypted with a KMS key', controls: ['eks-bp:detective-controls', 'cis-eks:2.1.2'] },
    evidence: ['aws'],
    messages: {
      shortRetention: 'Log group {{logGroup}} of cluster {{cluster}} keeps the control-plane logs for {{days}} days, less than {{minimum}}: the audit trail of an incident found later is gone.',
      notEncrypted: 'Log group {{logGroup}} of cluster {{cluster}} is not encrypted with a KMS key: the audit log is protected only by CloudWatch Logs\' default encryption, with no key policy limiting who reads it.',
      noLogGroup: 'Cluster {{cluster}} sends control-plane logs ({{types}}), but the account has no log group {{logGroup}}: the logs are not kept.',
    },
    rationale: 'The audit log is the record of who did what to the cluster; an investigation often starts weeks after the fact, and CIS 2.1.2 asks that audit logs be kept and protected. CloudWatch Logs keeps a log group\'s events for as long as its retention says (never expiring when none is set). A customer managed KMS key adds a key policy to who may read the logs, and lets access be revoked by disabling the key.',
    remediation: 'Set the retention of /aws/eks/CLUSTER/cluster to at least the required number of days (aws logs put-retention-policy --log-group-name /aws/eks/CLUSTER/cluster --retention-in-days 365), and associate a customer managed KMS key whose key policy allows CloudWatch Logs (aws logs associate-kms-key). If the log group is missing while logging is on, turn the cluster\'s logging off and on again so that EKS recreates it.',
    schema: {
      type: 'object', additionalProperties: false,
      properties: {
        minRetentionDays: { type: 'integer', minimum: 1, description: 'The fewest days the log group must keep events; a log group that never expires passes.' },
      },
    },
  },
  defaultOptions: { minRetentionDays: 90 },
  notEvaluated: needsAwsCalls('logs:DescribeLogGroups'),
  create: ({ minRetentionDays }) => ({
    *'aws:logs:log-group'(target, inventory): Generator<Report<MessageId>> {
      const name = target.data.logGroupName ?? '';
      const cluster = (inventory.aws?.clusters ?? []).map((c) => clusterName(c)).find((c) => clusterLogGroup(c) === name);
      // The listing is by prefix: `/aws/eks/NAME/cluster-old` is not the cluster's log group.
      if (cluster === undefined) return;
      const days = target.data.retentionInDays;
      // No retention: CloudWatch Logs never expires the events.
      if (typeof days === 'number' && days < minRetentionDays) {
        yield { messageId: 'shortRetention', path: ['retentionInDays'], data: { logGroup: name, cluster, days, minimum: minRetentionDays } };
      }
      if (typeof target.data.kmsKeyId !== 'string' || target.data.kmsKeyId === '') {
        yield { messageId: 'notEncrypted', path: ['kmsKeyId'], data: { logGroup: name, cluster } };
      }
    },
    *'aws:eks:cluster'(target, inventory): Generator<Report<MessageId>> {
      const cluster = clusterName(target.data);
      const logGroup = clusterLogGroup(cluster);
      const types = (target.data.logging?.clusterLogging ?? []).filter((l) => l.enabled === true).flatMap((l) => l.types ?? []);
      if (types.length === 0) return; // nothing is sent: require-control-plane-logging says so
      if ((inventory.aws?.evidence.logGroups ?? []).some((g) => g.data.logGroupName === logGroup)) return;
      yield { messageId: 'noLogGroup', path: ['logging', 'clusterLogging'], data: { cluster, logGroup, types: types.join(', ') } };
    },
  }),
});
