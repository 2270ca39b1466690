import type { GuardDutyDetector } from '../../core/aws/model.js';
import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { clusterName, needsAwsCalls } from '../shared/aws.js';

export type MessageId = 'noDetector' | 'auditLogMonitoringOff' | 'runtimeMonitoringOff';

function featureEnabled(detector: GuardDutyDetector, names: readonly string[]): boolean {
  return (detector.Features ?? []).some((f) => f.Name !== undefined && names.includes(f.Name) && f.Status === 'ENABLED');
}

export default defineRule({
  id: 'require-guardduty-eks-protection',
  meta: {
    area: 'cluster',
    severity: 'medium',
    docs: { description: 'Require GuardDuty EKS audit-log and runtime monitoring', controls: ['eks-bp:runtime-security', 'eks-bp:detective-controls'] },
    evidence: ['aws'],
    messages: {
      noDetector: 'Cluster {{cluster}}: GuardDuty has no enabled detector in this account and region, so nothing watches the cluster for threats.',
      auditLogMonitoringOff: 'Cluster {{cluster}}: GuardDuty EKS Protection (EKS_AUDIT_LOGS) is off, so GuardDuty does not analyse the cluster\'s audit log for credential misuse or known attack patterns.',
      runtimeMonitoringOff: 'Cluster {{cluster}}: GuardDuty Runtime Monitoring is off, so nothing reports malicious processes, reverse shells or crypto miners inside containers.',
    },
    rationale: 'GuardDuty EKS Protection reads the control-plane audit log for signs of compromise (anonymous access, known malicious IPs, credential exfiltration); Runtime Monitoring adds an agent on the nodes that sees what runs inside containers. Together they are the managed detective control the guide recommends, with no log pipeline of your own.',
    remediation: 'Enable the EKS_AUDIT_LOGS and RUNTIME_MONITORING (with EKS_ADDON_MANAGEMENT) features of the region\'s GuardDuty detector: aws guardduty update-detector --detector-id ID --features \'[{"Name":"EKS_AUDIT_LOGS","Status":"ENABLED"},{"Name":"RUNTIME_MONITORING","Status":"ENABLED","AdditionalConfiguration":[{"Name":"EKS_ADDON_MANAGEMENT","Status":"ENABLED"}]}]\'.',
  },
  defaultOptions: {},
  notEvaluated: needsAwsCalls('guardduty:ListDetectors', 'guardduty:GetDetector'),
  create: () => ({
    *'aws:eks:cluster'(target, inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      if (aws === undefined) return;
      const cluster = clusterName(target.data);
      const detectors = aws.evidence.guardduty.detectors.map((d) => d.data).filter((d) => d.Status === 'ENABLED');
      if (detectors.length === 0) {
        // None listed means GuardDuty is off; listed detectors whose settings the evidence lacks cannot be judged.
        if (aws.evidence.guardduty.detectorIds.length === 0 || aws.evidence.guardduty.detectors.length > 0) yield { messageId: 'noDetector', path: [], data: { cluster } };
        return;
      }
      const legacyAudit = detectors.some((d) => d.DataSources?.Kubernetes?.AuditLogs?.Status === 'ENABLED');
      if (!legacyAudit && !detectors.some((d) => featureEnabled(d, ['EKS_AUDIT_LOGS']))) yield { messageId: 'auditLogMonitoringOff', path: [], data: { cluster } };
      if (!detectors.some((d) => featureEnabled(d, ['RUNTIME_MONITORING', 'EKS_RUNTIME_MONITORING']))) yield { messageId: 'runtimeMonitoringOff', path: [], data: { cluster } };
    },
  }),
});
