import type { Ec2RouteTable, Ec2VpcEndpoint } from '../../core/aws/model.js';
import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { defineRule } from '../define-rule.js';
import { allOf, needsAwsCalls } from '../shared/aws.js';

export type MessageId = 'missingEndpoints';

/** Endpoint states that carry traffic, or will. */
const LIVE_STATES = new Set(['available', 'pending', 'pendingacceptance']);

/** The route table a subnet uses: its own association, else the VPC's main table. */
function routeTableOf(tables: readonly Ec2RouteTable[], vpc: string, subnet: string): Ec2RouteTable | undefined {
  const inVpc = tables.filter((t) => t.VpcId === vpc);
  return inVpc.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnet))
    ?? inVpc.find((t) => (t.Associations ?? []).some((a) => a.Main === true));
}

/** Whether a route table sends anything to an internet gateway (the subnet is then public). */
function routesToInternet(table: Ec2RouteTable): boolean {
  return (table.Routes ?? []).some((r) => (r.GatewayId ?? '').startsWith('igw-') && r.State !== 'blackhole');
}

/** An endpoint of the VPC for `com.amazonaws.REGION.<suffix>` (also `cn.com.amazonaws...` in China) of that type. */
function endpointFor(endpoints: readonly Ec2VpcEndpoint[], suffix: string, type: string): Ec2VpcEndpoint | undefined {
  return endpoints.find((e) => e.VpcEndpointType === type && (e.ServiceName ?? '').endsWith(`.${suffix}`) && LIVE_STATES.has((e.State ?? '').toLowerCase()));
}

export default defineRule({
  id: 'require-ecr-vpc-endpoints',
  meta: {
    area: 'network',
    severity: 'low',
    docs: { description: 'Require ECR and S3 VPC endpoints for private node subnets', controls: ['eks-bp:image-security', 'eks-bp:infrastructure-security'] },
    evidence: ['aws'],
    messages: {
      missingEndpoints: 'VPC {{vpc}} has private node subnets ({{subnets}}) without {{missing}}: nodes pull images from ECR through a NAT gateway and the internet.',
    },
    rationale: 'Nodes in private subnets reach ECR (its API, its Docker registry endpoint, and S3, where image layers live) through a NAT gateway unless the VPC has endpoints for them. With the endpoints, image pulls never leave the AWS network, endpoint policies can restrict which registries nodes pull from, and egress to the internet can be closed.',
    remediation: 'Create interface endpoints for com.amazonaws.REGION.ecr.api and com.amazonaws.REGION.ecr.dkr (with private DNS) in the node subnets, and a gateway endpoint for com.amazonaws.REGION.s3 associated with the node subnets\' route tables.',
  },
  defaultOptions: {},
  notEvaluated: allOf(needsAwsCalls('ec2:DescribeVpcEndpoints'), needsAwsCalls('ec2:DescribeRouteTables'), needsAwsCalls('ec2:DescribeSubnets')),
  create: () => ({
    *'aws:ec2:vpc'(target, inventory: Inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      if (aws === undefined) return;
      const vpc = target.data.VpcId;
      const tables = (aws.evidence.ec2.routeTables ?? []).map((t) => t.data);
      const nodeSubnets = aws.nodeSubnetIds();
      // Private node subnets, each with its route table; a subnet whose table is not in the evidence is not judged.
      const privateSubnets = aws.evidence.ec2.subnets.map((s) => s.data)
        .filter((s) => s.VpcId === vpc && s.SubnetId !== undefined && nodeSubnets.has(s.SubnetId))
        .map((s) => ({ id: s.SubnetId ?? '', table: routeTableOf(tables, vpc, s.SubnetId ?? '') }))
        .filter((s): s is { id: string; table: Ec2RouteTable } => s.table !== undefined && !routesToInternet(s.table));
      if (privateSubnets.length === 0) return;
      const endpoints = (aws.evidence.ec2.vpcEndpoints ?? []).map((e) => e.data).filter((e) => e.VpcId === vpc);
      const missing: string[] = [];
      for (const suffix of ['ecr.api', 'ecr.dkr']) if (endpointFor(endpoints, suffix, 'Interface') === undefined) missing.push(`an interface endpoint for ${suffix}`);
      // Layers come from S3: a gateway endpoint serves only the route tables it is associated with.
      const s3 = endpointFor(endpoints, 's3', 'Gateway');
      const unserved = privateSubnets.filter((s) => s.table.RouteTableId === undefined || !(s3?.RouteTableIds ?? []).includes(s.table.RouteTableId));
      if (s3 === undefined && endpointFor(endpoints, 's3', 'Interface') === undefined) missing.push('an S3 gateway endpoint');
      else if (s3 !== undefined && unserved.length > 0 && endpointFor(endpoints, 's3', 'Interface') === undefined) {
        missing.push(`the S3 gateway endpoint ${s3.VpcEndpointId ?? ''} on the route tables of ${unserved.map((s) => s.id).join(', ')}`);
      }
      if (missing.length === 0) return;
      yield { messageId: 'missingEndpoints', path: [], data: { vpc, subnets: privateSubnets.map((s) => s.id).join(', '), missing: missing.join(', ') } };
    },
  }),
});
