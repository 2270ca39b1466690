import rule from '../../../src/rules/network/require-ecr-vpc-endpoints.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster, describeNodegroup } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const VPC = 'vpc-0demo';
const subnets = { Subnets: [{ SubnetId: 'subnet-0private', VpcId: VPC, MapPublicIpOnLaunch: false, AvailabilityZone: 'eu-west-1a', OwnerId: '111122223333' }] };
const table = (id: string, routes: Record<string, unknown>[], associations: Record<string, unknown>[]) => ({ RouteTableId: id, VpcId: VPC, Associations: associations, Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }, ...routes] });
const natRoute = { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a', State: 'active' };
const igwRoute = { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0a', State: 'active' };
const privateTable = { RouteTables: [table('rtb-0private', [natRoute], [{ SubnetId: 'subnet-0private', Main: false }]), table('rtb-0main', [igwRoute], [{ Main: true }])] };
const endpoint = (service: string, type: string, extra: Record<string, unknown> = {}) => ({ VpcEndpointId: `vpce-${service.replace(/\W/g, '')}`, VpcId: VPC, ServiceName: `com.amazonaws.eu-west-1.${service}`, VpcEndpointType: type, State: 'available', ...extra });
const ALL = [endpoint('ecr.api', 'Interface'), endpoint('ecr.dkr', 'Interface'), endpoint('s3', 'Gateway', { RouteTableIds: ['rtb-0private'] })];
const base = [describeCluster(), describeNodegroup('general'), subnets];

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: private subnets with ECR interface endpoints and an S3 gateway endpoint on their route tables', aws: HARDENED_DUMP },
    { name: 'a private node subnet with every endpoint', aws: [...base, privateTable, { VpcEndpoints: ALL }] },
    { name: 'a node subnet on the main route table, which routes to an internet gateway (public: not judged)', aws: [...base, { RouteTables: [table('rtb-0main', [igwRoute], [{ Main: true }])] }, { VpcEndpoints: [] }] },
    { name: 'an S3 interface endpoint instead of the gateway', aws: [...base, privateTable, { VpcEndpoints: [...ALL.slice(0, 2), endpoint('s3', 'Interface')] }] },
  ],
  invalid: [
    {
      name: 'the weak dump: a node subnet behind a NAT gateway, and no endpoints',
      aws: WEAK_DUMP,
      findings: [{
        messageId: 'missingEndpoints', path: '', resource: 'vpc arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0weak00000000000',
        data: { vpc: 'vpc-0weak00000000000', subnets: 'subnet-0weakpub200000', missing: 'an interface endpoint for ecr.api, an interface endpoint for ecr.dkr, an S3 gateway endpoint' },
      }],
    },
    {
      name: 'ecr.dkr missing, an ecr.api endpoint being deleted, the S3 gateway endpoint not on the subnet\'s route table',
      aws: [...base, privateTable, { VpcEndpoints: [endpoint('ecr.api', 'Interface', { State: 'deleting' }), endpoint('s3', 'Gateway', { RouteTableIds: ['rtb-0main'] })] }],
      findings: [{
        messageId: 'missingEndpoints', path: '',
        data: { vpc: VPC, subnets: 'subnet-0private', missing: 'an interface endpoint for ecr.api, an interface endpoint for ecr.dkr, the S3 gateway endpoint vpce-s3 on the route tables of subnet-0private' },
      }],
    },
  ],
  notEvaluated: [
    { name: 'no describe-vpc-endpoints output', aws: [...base, privateTable], reason: 'no aws ec2 describe-vpc-endpoints output' },
    { name: 'no describe-route-tables output', aws: [...base, { VpcEndpoints: ALL }], reason: 'no aws ec2 describe-route-tables output' },
  ],
});
