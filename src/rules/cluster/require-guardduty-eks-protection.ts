import { clusterOfInstance, type AwsInventory } from '../../core/aws/aws-inventory.js';
import type { EksCluster, GuardDutyDetector } from '../../core/aws/model.js';
import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { clusterName, needsAwsCalls } from '../shared/aws.js';

export type MessageId = 'noDetector' | 'auditLogMonitoringOff' | 'runtimeMonitoringOff' | 'runtimeAgentMissing';

const RUNTIME_FEATURES = ['RUNTIME_MONITORING', 'EKS_RUNTIME_MONITORING'];
/** The EKS add-on that is GuardDuty's runtime agent. */
const AGENT_ADDON = 'aws-guardduty-agent';
/** The cluster tag that opts a cluster out of GuardDuty's automated agent management. */
const OPT_OUT_TAG = 'GuardDutyManaged';

/** Whether a detector's runtime monitoring installs and updates the agent on EKS clusters itself. */
function agentManaged(detector: GuardDutyDetector): boolean {
  return (detector.Features ?? []).some((f) => f.Name !== undefined && RUNTIME_FEATURES.includes(f.Name) && f.Status === 'ENABLED'
    && (f.AdditionalConfiguration ?? []).some((c) => c.Name === 'EKS_ADDON_MANAGEMENT' && c.Status === 'ENABLED'));
}

/** False only when the evidence shows the cluster has no EC2 nodes: no node group, no Auto Mode, no instance tagged for it. */
function hasEc2Nodes(aws: AwsInventory, cluster: EksCluster): boolean {
  if (!aws.collected('ec2:DescribeInstances')) return true;
  return cluster.computeConfig?.enabled === true || aws.nodegroupsOf(cluster.name).length > 0
    || aws.evidence.ec2.instances.some((i) => clusterOfInstance(i.data) === cluster.name);
}

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
      runtimeAgentMissing: 'Cluster {{cluster}}: GuardDuty Runtime Monitoring is on, but {{why}} and the cluster has no aws-guardduty-agent add-on, so its nodes run no GuardDuty agent and nothing watches what runs inside containers.',
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
      // The agent runs on EC2 nodes only (GuardDuty does not monitor EKS Fargate pods): a cluster the evidence shows without any has nothing to watch.
      if (!hasEc2Nodes(aws, target.data)) return;
      if (!detectors.some((d) => featureEnabled(d, RUNTIME_FEATURES))) {
        yield { messageId: 'runtimeMonitoringOff', path: [], data: { cluster } };
        return;
      }
      // Runtime Monitoring watches only clusters that run its agent: installed by GuardDuty (EKS_ADDON_MANAGEMENT,
      // unless the cluster opts out with a tag) or by hand as the EKS add-on. Judged only when the evidence holds add-on outputs.
      if (!aws.collected('eks:DescribeAddon') || aws.addon(target.data.name, AGENT_ADDON) !== undefined) return;
      const optedOut = target.data.tags?.[OPT_OUT_TAG]?.toLowerCase() === 'false';
      if (detectors.some(agentManaged) && !optedOut) return;
      const why = optedOut ? `the cluster opts out of GuardDuty's agent management (tag ${OPT_OUT_TAG}=false)` : 'GuardDuty does not manage its agent on EKS (EKS_ADDON_MANAGEMENT is off)';
      yield { messageId: 'runtimeAgentMissing', path: optedOut ? ['tags', OPT_OUT_TAG] : [], data: { cluster, why } };
    },
  }),
});
