import rule from '../../../src/rules/cluster/require-audit-log-retention.js';
import { ACCOUNT, HARDENED_DUMP, REGION, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const NAME = '/aws/eks/demo/cluster';
const ARN = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${NAME}`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/logs-key`;
const groups = (...list: Record<string, unknown>[]) => ({ logGroups: list.map((g) => ({ logGroupName: NAME, arn: `${ARN}:*`, ...g })) });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: a year, with a KMS key', aws: HARDENED_DUMP },
    { name: 'a log group that never expires, with a KMS key', aws: [describeCluster(), groups({ kmsKeyId: KEY })] },
    { name: 'exactly the minimum', aws: [describeCluster(), groups({ retentionInDays: 30, kmsKeyId: KEY })], options: { minRetentionDays: 30 } },
    { name: 'logging off and no log group: nothing is kept, and require-control-plane-logging says so', aws: [describeCluster({ logging: { clusterLogging: [{ types: ['audit'], enabled: false }] } }), groups()].map((d, i) => (i === 1 ? { logGroups: [] } : d)) },
    { name: 'another log group under the same prefix', aws: [describeCluster(), groups({ kmsKeyId: KEY }), { logGroups: [{ logGroupName: `${NAME}-old`, retentionInDays: 1 }] }] },
  ],
  invalid: [
    {
      name: 'the weak dump: a week, no KMS key',
      aws: WEAK_DUMP,
      findings: [
        { messageId: 'notEncrypted', path: '/kmsKeyId', resource: `log-group arn:aws:logs:eu-west-1:111122223333:log-group:/aws/eks/shop-weak/cluster`, data: { logGroup: '/aws/eks/shop-weak/cluster', cluster: 'shop-weak' } },
        { messageId: 'shortRetention', path: '/retentionInDays', data: { logGroup: '/aws/eks/shop-weak/cluster', cluster: 'shop-weak', days: 7, minimum: 90 } },
      ],
    },
    {
      name: 'a month, when the setting asks for a year',
      aws: [describeCluster(), groups({ retentionInDays: 30, kmsKeyId: KEY })],
      options: { minRetentionDays: 365 },
      findings: [{ messageId: 'shortRetention', path: '/retentionInDays', resource: `log-group ${ARN}`, data: { logGroup: NAME, cluster: 'demo', days: 30, minimum: 365 } }],
    },
    {
      name: 'audit logging on, and no log group',
      aws: [describeCluster(), { logGroups: [] }],
      findings: [{ messageId: 'noLogGroup', path: '/logging/clusterLogging', data: { cluster: 'demo', logGroup: NAME, types: 'api, audit, authenticator, controllerManager, scheduler' } }],
    },
  ],
  notEvaluated: [
    { name: 'a dump without describe-log-groups output', aws: describeCluster(), reason: 'no aws logs describe-log-groups output' },
  ],
});
