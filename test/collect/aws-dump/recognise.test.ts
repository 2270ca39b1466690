import { describe, expect, it } from 'vitest';
import { parseAwsDump } from '../../../src/collect/aws-dump/recognise.js';
import { selectCluster } from '../../../src/collect/aws-dump/select.js';
import { decodePolicyDocument, iamPatternMatches, statementAllows } from '../../../src/core/aws/policy.js';
import { normaliseWire } from '../../../src/core/aws/wire.js';
import { awsEvidenceOf } from '../../rule-tester.js';
import { WEAK_DUMP, describeCluster, describeNodegroup, describeInstances, instance } from '../../builders-aws.js';

const file = (path: string, doc: unknown) => ({ path, text: JSON.stringify(doc) });

describe('parseAwsDump', () => {
  it('recognises files by content, whatever their names', () => {
    const result = parseAwsDump([file('a.json', describeCluster()), file('b.json', describeNodegroup('general')), file('c.json', { FlowLogs: [] })]);
    expect(result.gaps).toEqual([]);
    expect(result.evidence.eks.clusters.map((c) => c.data.name)).toEqual(['demo']);
    expect(result.evidence.eks.nodegroups.map((n) => n.source)).toEqual(['b.json']);
    expect([...result.evidence.collected].sort()).toEqual(['ec2:DescribeFlowLogs', 'eks:DescribeCluster', 'eks:DescribeNodegroup']);
    expect(result.sources.map((s) => s.kind)).toEqual(['eks describe-cluster', 'eks describe-nodegroup', 'ec2 describe-flow-logs']);
  });

  it('knows the Fargate profile outputs an auditor may add, and takes nothing from them', () => {
    const profile = { fargateProfile: { fargateProfileName: 'default', clusterName: 'demo', podExecutionRoleArn: 'arn:aws:iam::111122223333:role/fargate', subnets: ['subnet-0a'], selectors: [{ namespace: 'default' }], status: 'ACTIVE' } };
    const result = parseAwsDump([file('a.json', { fargateProfileNames: ['default'] }), file('b.json', profile), file('c.json', { fargateProfileNames: [] })]);
    expect(result.gaps).toEqual([]);
    expect(result.sources.map((s) => s.kind)).toEqual(['listing (not needed)', 'eks describe-fargate-profile (not needed)', 'listing (not needed)']);
    expect([...result.evidence.collected]).toEqual([]);
  });

  it('reports an unrecognised file and a malformed one as gaps naming them, and goes on', () => {
    const result = parseAwsDump([file('notes.json', { hello: 'world' }), { path: 'broken.json', text: '{"cluster": ' }, file('list.json', [1, 2]), file('ok.json', describeCluster())]);
    expect(result.gaps.map((g) => [g.source, g.code])).toEqual([['notes.json', 'NOT_AWS_EVIDENCE'], ['broken.json', 'JSON_SYNTAX'], ['list.json', 'NOT_AWS_EVIDENCE']]);
    expect(result.gaps[0]?.message).toContain('top-level keys hello');
    expect(result.evidence.eks.clusters).toHaveLength(1);
  });

  it('merges pages and repeated files by identity (the weak dump has two describe-instances pages and two authorization-details pages)', () => {
    const evidence = awsEvidenceOf(WEAK_DUMP);
    expect(evidence.ec2.instances.map((i) => i.data.InstanceId)).toEqual(['i-0weak000000000001', 'i-0weak000000000002', 'i-0weak000000000003']);
    expect(evidence.iam.roles.map((r) => r.data.RoleName)).toEqual(['shop-weak-node-role', 'shop-weak-app', 'shop-weak-reports', 'Admin', 'shop-weak-cluster-role']);
    const twice = parseAwsDump([file('a.json', describeInstances(instance('i-1'))), file('b.json', describeInstances(instance('i-1')))]);
    expect(twice.evidence.ec2.instances).toHaveLength(1);
  });

  it('normalises timestamps to ISO strings in UTC and takes the dump date from dump-info', () => {
    const evidence = awsEvidenceOf(WEAK_DUMP);
    expect(evidence.eks.clusters[0]?.data.createdAt).toBe('2023-06-14T09:30:12.345Z');
    expect(evidence.collectedAt).toBe('2026-11-20T09:00:00.000Z');
  });

  it('attributes outputs that do not name what they describe when only one candidate exists, and gaps them otherwise', () => {
    const trail = (name: string) => ({ Name: name, TrailARN: `arn:aws:cloudtrail:eu-west-1:111122223333:trail/${name}`, IsMultiRegionTrail: true });
    const one = parseAwsDump([file('t.json', { trailList: [trail('a')] }), file('s.json', { IsLogging: true })]);
    expect(one.evidence.cloudtrail.statuses[0]?.data.TrailARN).toBe('arn:aws:cloudtrail:eu-west-1:111122223333:trail/a');
    const two = parseAwsDump([file('t.json', { trailList: [trail('a'), trail('b')] }), file('s.json', { IsLogging: true })]);
    expect(two.evidence.cloudtrail.statuses).toEqual([]);
    expect(two.gaps[0]).toMatchObject({ source: 's.json', code: 'NOT_AWS_EVIDENCE' });
    expect(two.gaps[0]?.message).toContain("merge(@, {TrailARN: 'ARN'})");

    const clusters = [describeCluster(), describeCluster({ name: 'other', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/other' })];
    const entries = parseAwsDump([...clusters.map((c, i) => file(`c${i}.json`, c)), file('e.json', { accessEntries: ['arn:aws:iam::111122223333:user/bob'] })]);
    expect(entries.gaps.map((g) => g.source)).toEqual(['e.json']);
    const named = parseAwsDump([...clusters.map((c, i) => file(`c${i}.json`, c)), file('e.json', { accessEntries: ['arn:aws:iam::111122223333:user/bob'], clusterName: 'other' })]);
    expect(named.evidence.eks.accessEntries.map((e) => e.data)).toEqual([{ clusterName: 'other', principalArn: 'arn:aws:iam::111122223333:user/bob' }]);

    const attached = parseAwsDump([file('p.json', { AttachedPolicies: [{ PolicyName: 'x', PolicyArn: 'arn:aws:iam::aws:policy/x' }] })]);
    expect(attached.gaps[0]?.message).toContain('does not name its role');
  });

  it('decodes policy documents: CLI objects, URL-encoded SDK strings and plain JSON agree', () => {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] };
    const encoded = encodeURIComponent(JSON.stringify(document));
    expect(decodePolicyDocument(encoded)).toEqual(document);
    expect(decodePolicyDocument(JSON.stringify(document))).toEqual(document);
    expect(decodePolicyDocument(document)).toEqual(document);
    expect(decodePolicyDocument({ Statement: { Effect: 'Deny', Action: '*' } })?.Statement).toEqual([{ Effect: 'Deny', Action: '*' }]);
    expect(decodePolicyDocument('%7Bnot json')).toBeUndefined();
    const role = parseAwsDump([file('r.json', { Role: { RoleName: 'r', Arn: 'arn:aws:iam::1:role/r', AssumeRolePolicyDocument: encoded } })]);
    expect(role.evidence.iam.roles[0]?.data.AssumeRolePolicyDocument).toEqual(document);
  });

  it('matches IAM wildcards case-insensitively', () => {
    expect(iamPatternMatches('s3:Get*', 's3:getobject')).toBe(true);
    expect(iamPatternMatches('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(iamPatternMatches('s3:Get*', 's3:PutObject')).toBe(false);
    expect(statementAllows({ Effect: 'Allow', NotAction: 'iam:*' }, 'sts:AssumeRoleWithWebIdentity')).toBe(true);
    expect(statementAllows({ Effect: 'Deny', Action: '*' }, 'sts:AssumeRoleWithWebIdentity')).toBe(false);
  });
});

describe('normaliseWire', () => {
  it('gives an SDK Date and the CLI string of the same instant one form, and drops $metadata', () => {
    const sdk = normaliseWire({ $metadata: { requestId: 'x' }, cluster: { createdAt: new Date('2024-05-01T10:00:00.123Z'), tags: { note: 'not a date' } } });
    const cli = normaliseWire({ cluster: { createdAt: '2024-05-01T12:00:00.123000+02:00', tags: { note: 'not a date' } } });
    expect(sdk).toEqual(cli);
    expect(cli).toEqual({ cluster: { createdAt: '2024-05-01T10:00:00.123Z', tags: { note: 'not a date' } } });
  });
});

describe('selectCluster', () => {
  it('keeps one cluster and what belongs to it', () => {
    const other = { ...describeNodegroup('theirs', { clusterName: 'other', launchTemplate: { id: 'lt-other', version: '1' } }) };
    const parsed = parseAwsDump([
      file('a.json', describeCluster()), file('b.json', describeCluster({ name: 'other', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/other' })),
      file('n1.json', describeNodegroup('mine')), file('n2.json', other),
      file('i.json', describeInstances(instance('i-mine'), instance('i-theirs', { Tags: [{ Key: 'eks:cluster-name', Value: 'other' }] }))),
      file('lt.json', { LaunchTemplateVersions: [{ LaunchTemplateId: 'lt-other', VersionNumber: 1, DefaultVersion: true, LaunchTemplateData: {} }, { LaunchTemplateId: 'lt-free', VersionNumber: 1, DefaultVersion: true, LaunchTemplateData: {} }] }),
    ]);
    const selected = selectCluster(parsed.evidence, 'demo', 'dump');
    expect(selected.eks.clusters.map((c) => c.data.name)).toEqual(['demo']);
    expect(selected.eks.nodegroups.map((n) => n.data.nodegroupName)).toEqual(['mine']);
    expect(selected.ec2.instances.map((i) => i.data.InstanceId)).toEqual(['i-mine']);
    expect(selected.ec2.launchTemplateVersions.map((v) => v.data.LaunchTemplateId)).toEqual(['lt-free']);
    expect(() => selectCluster(parsed.evidence, 'prod', 'dump')).toThrow(/no eks describe-cluster output for it in dump/);
  });
});
