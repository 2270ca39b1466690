/**
 * The live reads behind log retention, EBS and EFS encryption, node images, instance types and
 * private CAs (src/collect/aws/read-more.ts, acm-pca.ts) against the fake endpoint: refusals are
 * gaps naming the IAM action, "nothing there" is an empty output, the hand-written ACM PCA call is
 * signed, paged and bounded like the SDK's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { collectAws } from '../../../src/collect/aws/collect.js';
import { parseAwsDump } from '../../../src/collect/aws-dump/recognise.js';
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../../aws/fake-endpoint/server.js';

const WEAK = 'test/fixtures/aws/weak';
const HARDENED = 'test/fixtures/aws/hardened';

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function serve(options: FakeAwsOptions): Promise<NodeJS.ProcessEnv> {
  fake = await startFakeAws(options);
  return { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
}

describe('the storage, node-image and private-CA reads of --aws', () => {
  it('turns refusals into gaps naming the IAM action, with what they leave unread', async () => {
    const deny = ['logs:DescribeLogGroups', 'ec2:GetEbsEncryptionByDefault', 'efs:DescribeFileSystems', 'ssm:GetParameter', 'acm-pca:ListCertificateAuthorities'];
    const env = await serve({ fixture: HARDENED, deny });
    const live = await collectAws({ region: 'eu-west-1', env, clusterName: 'shop-hardened' });
    const forbidden = live.gaps.filter((g) => g.code === 'AWS_FORBIDDEN');
    expect([...new Set(forbidden.map((g) => g.message.split(' ')[0]))].sort()).toEqual([...deny].sort());
    expect(forbidden.find((g) => g.message.startsWith('acm-pca:'))?.message).toMatch(/^acm-pca:ListCertificateAuthorities was denied: grant it/);
    // A refused parameter leaves the images it would have named unread too.
    expect(forbidden.find((g) => g.message.startsWith('ssm:'))?.unread?.awsCalls).toEqual(['ssm:GetParameter', 'ec2:DescribeImages']);
    for (const action of deny) expect(live.evidence.collected.has(action as never), action).toBe(false);
    expect(live.evidence.collected.has('efs:DescribeAccessPoints')).toBe(true);
  });

  it('reads a parameter AWS does not publish as nothing to compare with, not as a gap', async () => {
    const env = await serve({ fixture: WEAK, failWith: { 'ssm:GetParameter': [400, 'ParameterNotFound', 'Parameter not found.'] } });
    const live = await collectAws({ region: 'eu-west-1', env, clusterName: 'shop-weak' });
    expect(live.gaps.filter((g) => g.message.includes('GetParameter'))).toEqual([]);
    expect(live.evidence.collected.has('ssm:GetParameter')).toBe(true);
    expect(live.evidence.ssmParameters).toEqual([]);
    expect(fake?.calls.filter((c) => c === 'ssm:GetParameter')).toHaveLength(2);
  });

  it('asks for the log group, the node instance types, parameters and images the evidence names', async () => {
    const env = await serve({ fixture: WEAK, pageSize: 100 });
    const live = await collectAws({ region: 'eu-west-1', env, clusterName: 'shop-weak' });
    expect(live.evidence.logGroups.map((g) => g.data.logGroupName)).toEqual(['/aws/eks/shop-weak/cluster']);
    expect(live.evidence.instanceTypes.map((t) => t.data.InstanceType).sort()).toEqual(['m6i.large', 't3.large']);
    expect(live.evidence.ssmParameters.map((p) => p.data.Name).sort()).toEqual([
      '/aws/service/eks/optimized-ami/1.27/amazon-linux-2/recommended/release_version',
      '/aws/service/eks/optimized-ami/1.27/amazon-linux-2023/x86_64/standard/recommended/image_id',
    ]);
    expect(live.evidence.images.map((i) => i.data.ImageId).sort()).toEqual(['ami-0123456789abcdef0', 'ami-0aaaaaaaaaaaaaaa1', 'ami-0al2023ref127000']);
    expect(live.evidence.ebs.encryptionByDefault.map((e) => e.data)).toEqual([{ EbsEncryptionByDefault: false, Region: 'eu-west-1' }]);
  });

  it('signs the hand-written ACM PCA listing with the credentials of the read, and follows its pages', async () => {
    const env = await serve({ fixture: HARDENED });
    const live = await collectAws({ region: 'eu-west-1', env: { ...env, AWS_ACCESS_KEY_ID: 'AKIAPCATEST' }, clusterName: 'shop-hardened' });
    expect(fake?.calls.filter((c) => c === 'acm-pca:ListCertificateAuthorities')).toHaveLength(1);
    expect(fake?.accessKeys.has('AKIAPCATEST')).toBe(true);
    expect(live.evidence.privateCas.map((c) => [c.data.Status, c.data.NotAfter])).toEqual([['ACTIVE', '2031-01-10T00:00:00.000Z']]);
  });

  it('gives up on an ACM PCA endpoint that never answers, as on any other call: a gap naming it', async () => {
    const env = await serve({ fixture: HARDENED, intercept: (action) => action === 'acm-pca:ListCertificateAuthorities' });
    const live = await collectAws({ region: 'eu-west-1', env, clusterName: 'shop-hardened', requestTimeoutMs: 300 });
    const gap = live.gaps.find((g) => g.message.startsWith('acm-pca:ListCertificateAuthorities'));
    expect(gap?.code).toBe('AWS_UNAVAILABLE');
    expect(gap?.message).toMatch(/got no answer within/);
    expect(live.evidence.collected.has('acm-pca:ListCertificateAuthorities')).toBe(false);
  });
});

describe('the dump reader, on the same calls', () => {
  it('reads a ParameterNotFound record of the dump script as an empty answer, and a refusal as a gap', () => {
    const record = (error: string) => JSON.stringify({ eksguardFailedCall: 'ssm get-parameter', clusterName: 'demo', error });
    const absent = parseAwsDump([{ path: 'ssm/x.failed.json', text: record('An error occurred (ParameterNotFound) when calling the GetParameter operation: ') }]);
    expect(absent.gaps).toEqual([]);
    expect(absent.evidence.collected.has('ssm:GetParameter')).toBe(true);
    const denied = parseAwsDump([{ path: 'ssm/x.failed.json', text: record('An error occurred (AccessDeniedException) when calling the GetParameter operation: no') }]);
    expect(denied.gaps.map((g) => g.code)).toEqual(['AWS_FORBIDDEN']);
    expect(denied.gaps[0]?.unread?.awsCalls).toEqual(['ssm:GetParameter', 'ec2:DescribeImages']);
  });

  it('recognises each output by its content, as the AWS CLI prints it', () => {
    const docs = {
      'logs describe-log-groups': { logGroups: [] }, 'ec2 get-ebs-encryption-by-default': { EbsEncryptionByDefault: true },
      'ec2 describe-volumes': { Volumes: [] }, 'efs describe-file-systems': { FileSystems: [] }, 'efs describe-access-points': { AccessPoints: [] },
      'ec2 describe-instance-types': { InstanceTypes: [] }, 'ec2 describe-images': { Images: [] }, 'ssm get-parameter': { Parameter: { Name: '/aws/service/x', Value: 'y' } },
      'acm-pca list-certificate-authorities': { CertificateAuthorities: [] },
    };
    const parsed = parseAwsDump(Object.values(docs).map((doc, i) => ({ path: `f${i}.json`, text: JSON.stringify(doc) })));
    expect(parsed.gaps).toEqual([]);
    expect(parsed.sources.map((s) => s.kind)).toEqual(Object.keys(docs));
  });
});
