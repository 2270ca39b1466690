/**
 * The live read of a cluster VPC's endpoints and route tables (`ec2:DescribeVpcEndpoints`,
 * `ec2:DescribeRouteTables`, filtered by the VPC): whether node subnets are private (no route to an
 * internet gateway) and can pull from ECR without leaving the VPC. Paginated and bounded through
 * the LiveReader; a refusal is a gap naming the action.
 */
import type * as Ec2 from '@aws-sdk/client-ec2';
import type { LiveReader } from './live-reader.js';

export async function readVpcEndpoints(reader: LiveReader, ec2: typeof Ec2, client: Ec2.EC2Client, clusterName: string, vpc: string): Promise<void> {
  const byVpc = [{ Name: 'vpc-id', Values: [vpc] }];
  await Promise.all([
    reader.call('ec2:DescribeVpcEndpoints', `VPC ${vpc}`, () => reader.pages(ec2.paginateDescribeVpcEndpoints({ client }, { Filters: byVpc })))
      .then((p) => p !== undefined && reader.add(`${clusterName}|DescribeVpcEndpoints`, { VpcEndpoints: p.flatMap((page) => page.VpcEndpoints ?? []) })),
    reader.call('ec2:DescribeRouteTables', `VPC ${vpc}`, () => reader.pages(ec2.paginateDescribeRouteTables({ client }, { Filters: byVpc })))
      .then((p) => p !== undefined && reader.add(`${clusterName}|DescribeRouteTables`, { RouteTables: p.flatMap((page) => page.RouteTables ?? []) })),
  ]);
}
