import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { clusterName } from '../shared/aws.js';

export type MessageId = 'openEndpoint' | 'publicWithoutPrivate';

export interface Options {
  readonly allowedCidrs: readonly string[];
}

const OPEN = new Set(['0.0.0.0/0', '::/0']);

export default defineRule({
  id: 'no-public-cluster-endpoint',
  meta: {
    area: 'cluster',
    severity: 'high',
    docs: { description: 'Disallow EKS API endpoints that the whole internet can reach', controls: ['eks-bp:iam', 'cis-eks:5.4.1', 'cis-eks:5.4.2'] },
    evidence: ['aws'],
    messages: {
      openEndpoint: 'Cluster {{cluster}} exposes its public API endpoint to {{cidrs}}: anyone on the internet can reach the Kubernetes API and try its credentials.',
      publicWithoutPrivate: 'Cluster {{cluster}} has a public API endpoint (allowed from {{cidrs}}) and private endpoint access off: nodes and in-VPC clients reach the API over the internet.',
    },
    rationale: 'The Kubernetes API server is the cluster\'s control point. An endpoint open to 0.0.0.0/0 leaves only authentication between the internet and the API: a leaked token or a vulnerability in the API server is then exploitable from anywhere. A private endpoint, or a public one limited to known CIDRs, shrinks who can even try.',
    remediation: 'Turn on private endpoint access and turn off public access (aws eks update-cluster-config --resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true), or restrict publicAccessCidrs to your networks\' ranges.',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowedCidrs: { type: 'array', items: { type: 'string' }, description: 'CIDRs that may reach the public endpoint without a finding (e.g. your office or VPN ranges; 0.0.0.0/0 here accepts an open endpoint).' },
      },
    },
  },
  defaultOptions: { allowedCidrs: [] } as Options,
  create({ allowedCidrs }) {
    const allowed = new Set(allowedCidrs);
    return {
      *'aws:eks:cluster'(target): Generator<Report<MessageId>> {
        const vpc = target.data.resourcesVpcConfig;
        if (vpc?.endpointPublicAccess !== true) return;
        // EKS reports publicAccessCidrs ["0.0.0.0/0"] when none were set.
        const cidrs = vpc.publicAccessCidrs ?? ['0.0.0.0/0'];
        const open = cidrs.filter((cidr) => OPEN.has(cidr) && !allowed.has(cidr));
        if (open.length > 0) {
          yield { messageId: 'openEndpoint', path: ['resourcesVpcConfig', 'publicAccessCidrs'], data: { cluster: clusterName(target.data), cidrs: open.join(', ') } };
        } else if (vpc.endpointPrivateAccess !== true) {
          yield { messageId: 'publicWithoutPrivate', path: ['resourcesVpcConfig', 'endpointPrivateAccess'], severity: 'low', data: { cluster: clusterName(target.data), cidrs: cidrs.join(', ') } };
        }
      },
    };
  },
});
