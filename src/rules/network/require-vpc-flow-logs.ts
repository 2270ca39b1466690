import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { needsAwsCalls } from '../shared/aws.js';

export type MessageId = 'noFlowLog';

export default defineRule({
  id: 'require-vpc-flow-logs',
  meta: {
    area: 'network',
    severity: 'low',
    docs: { description: 'Require an active VPC flow log on the cluster\'s VPC', controls: ['eks-bp:network-security'] },
    evidence: ['aws'],
    messages: {
      noFlowLog: 'VPC {{vpc}} of cluster {{cluster}} has no active flow log, so network connections to and from pods and nodes are not recorded.',
    },
    rationale: 'Flow logs record the source, destination, port and verdict of every connection in the VPC. They are how an investigation finds what a compromised pod talked to, and with the VPC CNI pods use VPC addresses, so the records name pods directly.',
    remediation: 'Create a flow log for the VPC (aws ec2 create-flow-logs --resource-type VPC --resource-ids VPC_ID --traffic-type ALL, to CloudWatch Logs or S3).',
  },
  defaultOptions: {},
  notEvaluated: needsAwsCalls('ec2:DescribeFlowLogs'),
  create: () => ({
    // The finding is the VPC's: it names the VPC, so an exclusion by the VPC's ARN or id fits it.
    *'aws:ec2:vpc'(target, inventory): Generator<Report<MessageId>> {
      const vpc = target.data.VpcId;
      const active = (inventory.aws?.evidence.ec2.flowLogs ?? []).some((f) => f.data.ResourceId === vpc && (f.data.FlowLogStatus ?? 'ACTIVE') === 'ACTIVE');
      if (!active) yield { messageId: 'noFlowLog', path: ['VpcId'], data: { cluster: target.data.clusters.join(', '), vpc } };
    },
  }),
});
