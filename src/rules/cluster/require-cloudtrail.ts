import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { clusterName, needsAwsCalls } from '../shared/aws.js';

export type MessageId = 'noMultiRegionTrail' | 'trailNotLogging' | 'noManagementEvents';

export default defineRule({
  id: 'require-cloudtrail',
  meta: {
    area: 'cluster',
    severity: 'medium',
    docs: { description: 'Require a multi-region CloudTrail trail that is logging', controls: ['eks-bp:detective-controls'] },
    evidence: ['aws'],
    messages: {
      noMultiRegionTrail: 'Cluster {{cluster}}: the account has no multi-region CloudTrail trail, so AWS API calls made with workload roles (IRSA, Pod Identity) are kept only 90 days in event history, and not at all in other regions.',
      trailNotLogging: 'Cluster {{cluster}}: multi-region trail {{trail}} exists but is not logging.',
      noManagementEvents: 'Cluster {{cluster}}: multi-region trail {{trail}} records no management events, so role assumptions and API calls of workload roles are missing from it.',
    },
    rationale: 'The Kubernetes audit log shows what a pod did in the cluster; CloudTrail shows what it did in AWS with its role (AssumeRoleWithWebIdentity carries the service account). Without a trail that records management events in every region, an attacker using a stolen pod credential leaves no durable record.',
    remediation: 'Create a multi-region trail that records management events (aws cloudtrail create-trail --is-multi-region-trail ... then aws cloudtrail start-logging), or rely on an organization trail that covers this account.',
  },
  defaultOptions: {},
  notEvaluated(inventory) {
    const missing = needsAwsCalls('cloudtrail:DescribeTrails')(inventory);
    if (missing !== undefined) return missing;
    const trails = inventory.aws?.evidence.cloudtrail.trails.filter((t) => t.data.IsMultiRegionTrail === true) ?? [];
    const statuses = inventory.aws?.evidence.cloudtrail.statuses ?? [];
    if (trails.length > 0 && !trails.some((t) => statuses.some((s) => s.data.TrailARN === t.data.TrailARN || s.data.Name === t.data.Name))) {
      return 'the AWS evidence holds no aws cloudtrail get-trail-status output for the multi-region trails, so whether they log is unknown';
    }
    return undefined;
  },
  create: () => ({
    *'aws:eks:cluster'(target, inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      if (aws === undefined) return;
      const cluster = clusterName(target.data);
      const trails = aws.evidence.cloudtrail.trails.map((t) => t.data).filter((t) => t.IsMultiRegionTrail === true);
      if (trails.length === 0) {
        yield { messageId: 'noMultiRegionTrail', path: [], data: { cluster } };
        return;
      }
      const statusOf = (arn: string | undefined, name: string | undefined) =>
        aws.evidence.cloudtrail.statuses.map((s) => s.data).find((s) => (arn !== undefined && s.TrailARN === arn) || (name !== undefined && s.Name === name));
      const logging = trails.filter((t) => statusOf(t.TrailARN, t.Name)?.IsLogging === true);
      if (logging.length === 0) {
        yield { messageId: 'trailNotLogging', path: [], data: { cluster, trail: trails[0]?.Name ?? trails[0]?.TrailARN ?? '' } };
        return;
      }
      // Event selectors are optional evidence: judged only for trails whose selectors the evidence holds.
      const selectorsOf = (arn: string | undefined) => aws.evidence.cloudtrail.eventSelectors.map((s) => s.data).find((s) => s.TrailARN === arn);
      const recordsManagement = logging.some((t) => {
        const selectors = selectorsOf(t.TrailARN);
        if (selectors === undefined) return true;
        if ((selectors.AdvancedEventSelectors ?? []).length > 0) {
          return (selectors.AdvancedEventSelectors ?? []).some((s) => (s.FieldSelectors ?? []).some((f) => f.Field === 'eventCategory' && (f.Equals ?? []).includes('Management')));
        }
        return (selectors.EventSelectors ?? []).some((s) => s.IncludeManagementEvents !== false);
      });
      if (!recordsManagement) yield { messageId: 'noManagementEvents', path: [], data: { cluster, trail: logging[0]?.Name ?? logging[0]?.TrailARN ?? '' } };
    },
  }),
});
