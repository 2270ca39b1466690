import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { nodegroupOfInstance, tagValue } from '../../core/aws/aws-inventory.js';
import { defineRule } from '../define-rule.js';

export type MessageId = 'unmanagedInstance' | 'unmanagedNode' | 'oldInstance' | 'oldNode';

export interface Options {
  readonly maxNodeAgeDays: number;
  /** `YYYY-MM-DD`; empty means the date the AWS evidence was collected. */
  readonly asOf: string;
}

/** Instance tags that mark a lifecycle manager: managed node groups, Karpenter. */
const MANAGED_TAGS = ['eks:nodegroup-name', 'karpenter.sh/nodepool', 'karpenter.sh/provisioner-name'] as const;
/** Node labels of the same managers, plus Fargate and EKS Auto Mode. */
const MANAGED_LABELS = ['eks.amazonaws.com/nodegroup', 'karpenter.sh/nodepool', 'karpenter.sh/provisioner-name'] as const;
const COMPUTE_TYPE = 'eks.amazonaws.com/compute-type';
const DAY = 24 * 60 * 60 * 1000;

/** The day ages are measured to: the option, else when the AWS evidence was collected; undefined when neither is known (ages are then not judged). */
function asOfTime(options: Options, inventory: Inventory): number | undefined {
  const text = options.asOf !== '' ? options.asOf : inventory.aws?.evidence.collectedAt;
  const time = text === undefined ? NaN : Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

function ageDays(since: string | undefined, now: number | undefined): number | undefined {
  const time = since === undefined ? NaN : Date.parse(since);
  return now === undefined || Number.isNaN(time) ? undefined : Math.floor((now - time) / DAY);
}

export default defineRule({
  id: 'require-managed-node-lifecycle',
  meta: {
    area: 'node',
    severity: 'low',
    docs: { description: 'Require nodes that a lifecycle manager replaces, and that are replaced often', controls: ['eks-bp:infrastructure-security'] },
    evidence: ['aws', 'cluster', 'manifests'],
    messages: {
      unmanagedInstance: 'Node instance {{instance}} belongs to no managed node group, Karpenter node pool or EKS Auto Mode: nothing replaces it when a new AMI ships.',
      unmanagedNode: 'Node {{node}} belongs to no managed node group, Karpenter node pool, Fargate or EKS Auto Mode: nothing replaces it when a new AMI ships.',
      oldInstance: 'Node instance {{instance}} has run for {{days}} days (since {{since}}), more than {{max}}: it is probably missing OS and kubelet fixes.',
      oldNode: 'Node {{node}} has run for {{days}} days (since {{since}}), more than {{max}}: it is probably missing OS and kubelet fixes.',
    },
    rationale: 'The guide asks to treat nodes as immutable: patch by replacing them with a new AMI, not by changing them in place. Managed node groups, Karpenter (with expiry or drift) and Auto Mode do that replacement; a node nobody replaces keeps the vulnerabilities of the day it started.',
    remediation: 'Run nodes in managed node groups, Karpenter node pools (with expireAfter) or EKS Auto Mode, and roll them to the latest AMI regularly (update the node group release version, or let Karpenter drift replace them).',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxNodeAgeDays: { type: 'integer', minimum: 1, description: 'Nodes older than this many days are reported (default 60).' },
        asOf: { type: 'string', pattern: '^(\\d{4}-\\d{2}-\\d{2})?$', description: 'The day ages are measured to (YYYY-MM-DD). Default: the date the AWS evidence was collected; with no date known, ages are not judged.' },
      },
    },
  },
  defaultOptions: { maxNodeAgeDays: 60, asOf: '' } as Options,
  create(options) {
    const max = options.maxNodeAgeDays;
    return {
      *'aws:ec2:instance'(target, inventory): Generator<Report<MessageId>> {
        const instance = target.data;
        if (instance.State?.Name !== undefined && instance.State.Name !== 'running') return;
        const id = instance.InstanceId ?? '';
        const managed = instance.Operator?.Managed === true || MANAGED_TAGS.some((tag) => tagValue(instance.Tags, tag) !== undefined) || nodegroupOfInstance(instance) !== undefined;
        if (!managed) yield { messageId: 'unmanagedInstance', path: ['Tags'], data: { instance: id } };
        const days = ageDays(instance.LaunchTime, asOfTime(options, inventory));
        if (days !== undefined && days > max) yield { messageId: 'oldInstance', path: ['LaunchTime'], data: { instance: id, days, since: instance.LaunchTime?.slice(0, 10) ?? '', max } };
      },
      *Node(target, inventory): Generator<Report<MessageId>> {
        // Nodes seen in both evidence kinds are judged once, as EC2 instances.
        if (inventory.aws?.collected('ec2:DescribeInstances') === true) return;
        const labels = target.object.metadata?.labels ?? {};
        const managed = MANAGED_LABELS.some((label) => labels[label] !== undefined) || ['fargate', 'auto'].includes(labels[COMPUTE_TYPE] ?? '');
        if (!managed) yield { messageId: 'unmanagedNode', path: ['metadata', 'labels'], data: { node: target.ref.name } };
        const created = target.object.metadata?.creationTimestamp;
        const since = typeof created === 'string' ? created : undefined;
        const days = ageDays(since, asOfTime(options, inventory));
        if (days !== undefined && days > max) yield { messageId: 'oldNode', path: ['metadata', 'creationTimestamp'], data: { node: target.ref.name, days, since: since?.slice(0, 10) ?? '', max } };
      },
    };
  },
});
