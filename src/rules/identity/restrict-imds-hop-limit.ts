import type { Report } from '../../core/finding.js';
import { nodegroupOfInstance } from '../../core/aws/aws-inventory.js';
import { defineRule } from '../define-rule.js';

export type MessageId = 'launchTemplateHopLimit' | 'instanceHopLimit';

export interface Options {
  readonly nodeGroupsNeedingImds: readonly string[];
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

export default defineRule({
  id: 'restrict-imds-hop-limit',
  meta: {
    area: 'identity',
    severity: 'medium',
    docs: { description: 'Restrict the IMDS hop limit so pods cannot reach the node role\'s credentials', controls: ['eks-bp:iam'] },
    evidence: ['aws'],
    messages: {
      launchTemplateHopLimit: 'Launch template {{template}} sets HttpPutResponseHopLimit {{hops}} (allowed: {{allowed}}): pods reach the instance metadata service and the node role\'s credentials.',
      instanceHopLimit: 'Node instance {{instance}} has HttpPutResponseHopLimit {{hops}} (allowed: {{allowed}}): pods reach the instance metadata service and the node role\'s credentials.',
    },
    rationale: 'An IMDSv2 token response with a hop limit of 1 cannot leave the node\'s own network namespace, so pods (one hop further) cannot get a token or the node role\'s credentials; they should use IRSA or Pod Identity. The guide also allows a limit of 2 for node groups whose applications genuinely need IMDS (for instance to read their region): list those node groups in nodeGroupsNeedingImds.',
    remediation: 'Set MetadataOptions HttpPutResponseHopLimit to 1 in the launch template (2 only for node groups listed in nodeGroupsNeedingImds) and roll the nodes; give pods their AWS credentials through IRSA or Pod Identity.',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        nodeGroupsNeedingImds: { type: 'array', items: { type: 'string' }, description: 'Managed node groups (names, globs with *) whose applications need IMDS: a hop limit of 2 is accepted there, never more.' },
      },
    },
  },
  defaultOptions: { nodeGroupsNeedingImds: [] } as Options,
  create({ nodeGroupsNeedingImds }) {
    const needing = nodeGroupsNeedingImds.map(globToRegExp);
    const allowedFor = (nodegroups: readonly (string | undefined)[]) =>
      nodegroups.length > 0 && nodegroups.every((n) => n !== undefined && needing.some((re) => re.test(n))) ? 2 : 1;
    return {
      *'aws:ec2:launch-template-version'(target, inventory): Generator<Report<MessageId>> {
        const aws = inventory.aws;
        if (aws === undefined || !aws.launchTemplateVersionInUse(target.data)) return;
        const hops = target.data.LaunchTemplateData?.MetadataOptions?.HttpPutResponseHopLimit;
        if (hops === undefined || target.data.LaunchTemplateData?.MetadataOptions?.HttpEndpoint === 'disabled') return;
        const allowed = allowedFor(aws.nodegroupsUsing(target.data).map((n) => n.nodegroupName));
        if (hops > allowed) yield { messageId: 'launchTemplateHopLimit', path: ['LaunchTemplateData', 'MetadataOptions', 'HttpPutResponseHopLimit'], data: { template: target.ref.name ?? '', hops, allowed } };
      },
      *'aws:ec2:instance'(target): Generator<Report<MessageId>> {
        const hops = target.data.MetadataOptions?.HttpPutResponseHopLimit;
        if (hops === undefined || target.data.MetadataOptions?.HttpEndpoint === 'disabled') return;
        const allowed = allowedFor([nodegroupOfInstance(target.data)]);
        if (hops > allowed) yield { messageId: 'instanceHopLimit', path: ['MetadataOptions', 'HttpPutResponseHopLimit'], data: { instance: target.data.InstanceId ?? '', hops, allowed } };
      },
    };
  },
});
