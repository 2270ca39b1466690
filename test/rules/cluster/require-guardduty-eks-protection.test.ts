import rule from '../../../src/rules/cluster/require-guardduty-eks-protection.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const detector = (features: [string, string][], extra: Record<string, unknown> = {}) => ({
  Status: 'ENABLED', ServiceRole: 'arn:aws:iam::111122223333:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty',
  Features: features.map(([Name, Status]) => ({ Name, Status })), ...extra,
});

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: audit logs and runtime monitoring on', aws: HARDENED_DUMP },
    { name: 'the older EKS_RUNTIME_MONITORING feature and the legacy data source', aws: [describeCluster(), { DetectorIds: ['d1'] }, detector([['EKS_RUNTIME_MONITORING', 'ENABLED']], { DataSources: { Kubernetes: { AuditLogs: { Status: 'ENABLED' } } } })] },
  ],
  invalid: [
    {
      name: 'the weak dump: detector on, EKS features off',
      aws: WEAK_DUMP,
      findings: [{ messageId: 'auditLogMonitoringOff', path: '', data: { cluster: 'shop-weak' } }, { messageId: 'runtimeMonitoringOff', path: '', data: { cluster: 'shop-weak' } }],
    },
    { name: 'no detector in the region', aws: [describeCluster(), { DetectorIds: [] }], findings: [{ messageId: 'noDetector', path: '', data: { cluster: 'demo' } }] },
    {
      name: 'a suspended detector',
      aws: [describeCluster(), { DetectorIds: ['d1'] }, detector([['EKS_AUDIT_LOGS', 'ENABLED'], ['RUNTIME_MONITORING', 'ENABLED']], { Status: 'DISABLED' })],
      findings: [{ messageId: 'noDetector', path: '', data: { cluster: 'demo' } }],
    },
  ],
  notEvaluated: [
    { name: 'a dump without GuardDuty output', aws: describeCluster(), reason: 'no aws guardduty list-detectors or aws guardduty get-detector output' },
  ],
});
