import { describe, expect, it } from 'vitest';
import { buildArn, partitionOf } from '../../../src/core/aws/arn.js';
import { emptyAwsEvidence, type AwsEvidence } from '../../../src/core/aws/model.js';
import { buildAwsTargets, evidenceAccount } from '../../../src/core/aws/targets.js';

const ACCOUNT = '111122223333';

describe('partitionOf', () => {
  it.each([
    ['eu-west-1', 'aws'], ['us-east-1', 'aws'], ['cn-north-1', 'aws-cn'], ['cn-northwest-1', 'aws-cn'], ['us-gov-west-1', 'aws-us-gov'], ['us-gov-east-1', 'aws-us-gov'],
  ])('%s → %s', (region, partition) => expect(partitionOf(region)).toBe(partition));
});

describe('buildArn', () => {
  // The resource forms from the AWS service authorization reference, one per type.
  it.each([
    ['security-group', 'sg-0abc', 'ec2', 'security-group/sg-0abc'],
    ['launch-template', 'lt-0abc', 'ec2', 'launch-template/lt-0abc'],
    ['vpc', 'vpc-0abc', 'ec2', 'vpc/vpc-0abc'],
    ['subnet', 'subnet-0abc', 'ec2', 'subnet/subnet-0abc'],
    ['instance', 'i-0abc', 'ec2', 'instance/i-0abc'],
    ['kms-key', '1234abcd-12ab-34cd-56ef-1234567890ab', 'kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['ecr-repository', 'shop/web', 'ecr', 'repository/shop/web'],
    ['log-group', '/aws/eks/shop/cluster', 'logs', 'log-group:/aws/eks/shop/cluster'],
  ] as const)('%s in each partition', (type, name, service, resource) => {
    for (const [region, partition] of [['eu-west-1', 'aws'], ['cn-north-1', 'aws-cn'], ['us-gov-west-1', 'aws-us-gov']] as const) {
      expect(buildArn(type, { region, account: ACCOUNT, name })).toBe(`arn:${partition}:${service}:${region}:${ACCOUNT}:${resource}`);
    }
  });

  it('IAM roles are global: no region, the path kept, the partition from the region', () => {
    expect(buildArn('iam-role', { account: ACCOUNT, name: '/eks/nodes' })).toBe(`arn:aws:iam::${ACCOUNT}:role/eks/nodes`);
    expect(buildArn('iam-role', { region: 'cn-north-1', account: ACCOUNT, name: 'nodes' })).toBe(`arn:aws-cn:iam::${ACCOUNT}:role/nodes`);
    expect(buildArn('iam-role', { region: 'us-gov-east-1', account: ACCOUNT, name: '/nodes' })).toBe(`arn:aws-us-gov:iam::${ACCOUNT}:role/nodes`);
  });

  it('builds nothing when the account or a regional resource\'s region is unknown, rather than a wrong ARN', () => {
    expect(buildArn('security-group', { region: 'eu-west-1', name: 'sg-0abc' })).toBeUndefined();
    expect(buildArn('security-group', { region: 'eu-west-1', account: 'not-an-account', name: 'sg-0abc' })).toBeUndefined();
    expect(buildArn('security-group', { account: ACCOUNT, name: 'sg-0abc' })).toBeUndefined();
    expect(buildArn('instance', { region: 'eu-west-1', account: ACCOUNT, name: '' })).toBeUndefined();
  });
});

function evidence(fill: (e: AwsEvidence) => void): AwsEvidence {
  const e = emptyAwsEvidence();
  fill(e);
  return e;
}
const src = (data: unknown) => ({ data, source: 'test' }) as never;

describe('AWS targets name their resource by ARN', () => {
  it('takes owner ids from the output and the evidence account where the output names none', () => {
    const e = evidence((e) => {
      (e.eks.clusters as unknown[]).push(src({ name: 'shop', arn: `arn:aws-cn:eks:cn-north-1:${ACCOUNT}:cluster/shop`, resourcesVpcConfig: { vpcId: 'vpc-0a' }, encryptionConfig: [{ provider: { keyArn: 'key-0a' } }] }));
      (e.ec2.securityGroups as unknown[]).push(src({ GroupId: 'sg-0a', GroupName: 'nodes', OwnerId: '444455556666' }));
      (e.ec2.subnets as unknown[]).push(src({ SubnetId: 'subnet-0a', AvailabilityZone: 'cn-north-1a' }));
      (e.ec2.instances as unknown[]).push(src({ InstanceId: 'i-0a', Placement: { AvailabilityZone: 'cn-north-1b' } }));
      (e.ec2.launchTemplateVersions as unknown[]).push(src({ LaunchTemplateId: 'lt-0a', LaunchTemplateName: 'batch', VersionNumber: 3 }));
      (e.iam.roles as unknown[]).push(src({ RoleName: 'nodes', Path: '/eks/' }));
      (e.ecr.repositories as unknown[]).push(src({ repositoryName: 'shop/web', registryId: ACCOUNT }));
    });
    expect(evidenceAccount(e)).toBe(ACCOUNT);
    const targets = buildAwsTargets(e, 'cn-north-1');
    expect(targets['aws:ec2:security-group'][0]?.ref).toMatchObject({ id: 'sg-0a', arn: 'arn:aws-cn:ec2:cn-north-1:444455556666:security-group/sg-0a' });
    expect(targets['aws:ec2:subnet'][0]?.ref).toMatchObject({ id: 'subnet-0a', arn: `arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:subnet/subnet-0a` });
    expect(targets['aws:ec2:instance'][0]?.ref).toMatchObject({ id: 'i-0a', arn: `arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:instance/i-0a` });
    expect(targets['aws:ec2:launch-template-version'][0]?.ref).toMatchObject({ id: 'lt-0a:3', name: 'batch version 3', arn: `arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:launch-template/lt-0a` });
    expect(targets['aws:ec2:vpc'][0]?.ref).toMatchObject({ id: 'vpc-0a', arn: `arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:vpc/vpc-0a` });
    expect(targets['aws:kms:key'][0]?.ref).toMatchObject({ id: 'key-0a', arn: `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/key-0a` });
    expect(targets['aws:iam:role'][0]?.ref.arn).toBe(`arn:aws-cn:iam::${ACCOUNT}:role/eks/nodes`);
    expect(targets['aws:ecr:repository'][0]?.ref.arn).toBe(`arn:aws-cn:ecr:cn-north-1:${ACCOUNT}:repository/shop/web`);
  });

  it('keeps an ARN the output carries, and builds none when accounts disagree and the output names no owner', () => {
    const e = evidence((e) => {
      (e.eks.clusters as unknown[]).push(src({ arn: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/a` }), src({ arn: 'arn:aws:eks:eu-west-1:444455556666:cluster/b' }));
      (e.ec2.securityGroups as unknown[]).push(src({ GroupId: 'sg-0a', SecurityGroupArn: 'arn:aws:ec2:eu-west-1:777788889999:security-group/sg-0a' }));
      (e.ec2.instances as unknown[]).push(src({ InstanceId: 'i-0a', Placement: { AvailabilityZone: 'eu-west-1a' } }));
    });
    const targets = buildAwsTargets(e, 'eu-west-1');
    expect(targets['aws:ec2:security-group'][0]?.ref.arn).toBe('arn:aws:ec2:eu-west-1:777788889999:security-group/sg-0a');
    expect(targets['aws:ec2:instance'][0]?.ref).toEqual({ provider: 'aws', service: 'ec2', type: 'instance', region: 'eu-west-1', id: 'i-0a' });
  });
});
