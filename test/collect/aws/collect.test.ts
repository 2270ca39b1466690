/**
 * The live collector against the fake AWS endpoint (test/aws/fake-endpoint): every service in its
 * own wire protocol, served from the same AWS CLI fixtures the --aws-dump tests read, one item per
 * page. The live read must build the very model the dump reader builds.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collectAws } from '../../../src/collect/aws/collect.js';
import { readAwsDump } from '../../../src/collect/aws-dump/read-dump.js';
import { ecrImageOf } from '../../../src/core/aws/ecr-image.js';
import type { AwsEvidence } from '../../../src/core/aws/model.js';
import { UsageError } from '../../../src/core/errors.js';
import { ASSUMED_KEY, startFakeAws, type FakeAws, type FakeAwsOptions } from '../../aws/fake-endpoint/server.js';

const WEAK = 'test/fixtures/aws/weak';
const HARDENED = 'test/fixtures/aws/hardened';

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  vi.unstubAllEnvs();
});

async function serve(options: FakeAwsOptions): Promise<NodeJS.ProcessEnv> {
  fake = await startFakeAws(options);
  return { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
}

/** Evidence in a comparable form: without sources and the time of the read, lists in a canonical order. */
function canonical(evidence: AwsEvidence): unknown {
  const sort = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sort).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sort(v)]));
    return value;
  };
  return sort(JSON.parse(JSON.stringify(evidence, (key, value: unknown) => (key === 'source' || key === 'collectedAt' ? undefined : value instanceof Set ? [...value] : value))));
}

/** What the weak fixture lacks: its dump has no get-event-selectors output, nor a describe-access-entry of the node role. */
const WEAK_MISSING = ['cloudtrail:GetEventSelectors', 'eks:DescribeAccessEntry'];
const WEAK_IMAGES = [ecrImageOf('111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4.2', `sha256:${'a1'.repeat(32)}`)].filter((i) => i !== undefined);

describe('collectAws against the fake endpoint', () => {
  it.each([[WEAK, WEAK_MISSING], [HARDENED, []]])('reads %s into the same model as its AWS CLI dump', async (dir, missing) => {
    const env = await serve({ fixture: dir });
    // The weak dump holds the scan findings of the image its pod runs (the dump script's EKSGUARD_IMAGES): the live read is told the image too.
    const live = await collectAws({ region: 'eu-west-1', env, ...(dir === WEAK ? { images: WEAK_IMAGES } : {}) });
    const dump = await readAwsDump(dir);
    expect(canonical(live.evidence)).toEqual(canonical(dump.evidence));
    expect(live.gaps.map((g) => `${g.code} ${g.message.split(' ')[0] ?? ''}`).sort()).toEqual(missing.map((m) => `AWS_UNAVAILABLE ${m}`).sort());
    expect(live.evidence.collectedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // Every listing was paged (one item per page) and followed to its end.
    expect(fake?.calls.filter((c) => c === 'iam:GetAccountAuthorizationDetails').length).toBeGreaterThan(2);
    expect(live.evidence.iam.roles.length).toBe(dump.evidence.iam.roles.length);
  });

  it('decodes the URL-encoded IAM policy documents the API returns', async () => {
    const env = await serve({ fixture: WEAK });
    const live = await collectAws({ region: 'eu-west-1', env });
    const role = live.evidence.iam.roles.find((r) => r.data.RoleName === 'shop-weak-node-role');
    expect(role?.data.AssumeRolePolicyDocument?.Statement[0]?.Principal).toEqual({ Service: 'ec2.amazonaws.com' });
    expect(JSON.stringify(live.evidence.iam)).not.toContain('%7B');
  });

  it('gets through throttling in every protocol (adaptive retries), with no gap', async () => {
    // One call per wire protocol: rest-json, ec2 query, query, JSON 1.1, JSON 1.0.
    const throttleOnce = ['guardduty:ListDetectors', 'ec2:DescribeSubnets', 'iam:GetAccountAuthorizationDetails', 'ecr:GetRegistryScanningConfiguration', 'cloudwatch:DescribeAlarms'];
    // Whole lists per page: adaptive mode slows a throttled client down, and one-item pages would make that slow to test.
    const env = await serve({ fixture: HARDENED, throttleOnce, pageSize: 100 });
    const live = await collectAws({ region: 'eu-west-1', env });
    expect([...(fake?.throttled ?? [])].sort()).toEqual([...throttleOnce].sort());
    expect(live.gaps).toEqual([]);
    expect(canonical(live.evidence)).toEqual(canonical((await readAwsDump(HARDENED)).evidence));
  });

  it('turns AccessDenied into gaps naming the IAM action, and reads the rest', async () => {
    const deny = ['eks:DescribeNodegroup', 'ec2:DescribeInstances', 'iam:GetAccountAuthorizationDetails', 'guardduty:GetDetector'];
    const env = await serve({ fixture: WEAK, deny });
    const live = await collectAws({ region: 'eu-west-1', env });
    const forbidden = live.gaps.filter((g) => g.code === 'AWS_FORBIDDEN');
    expect(new Set(forbidden.map((g) => g.message.split(' ')[0]))).toEqual(new Set(deny));
    expect(forbidden.find((g) => g.message.startsWith('eks:DescribeNodegroup'))?.message).toMatch(/\(cluster shop-weak, node group \w+\)/);
    expect(live.summary.denied).toBe(forbidden.length);
    for (const action of ['eks:DescribeNodegroup', 'ec2:DescribeInstances', 'iam:GetAccountAuthorizationDetails', 'guardduty:GetDetector'] as const) expect(live.evidence.collected.has(action)).toBe(false);
    expect(live.evidence.eks.clusters).toHaveLength(1);
    expect(live.evidence.ec2.securityGroups.length).toBeGreaterThan(0);
    expect(live.evidence.collected.has('eks:DescribeCluster')).toBe(true);
  });

  it('reads a missing control-plane log group as no metric filters, not as a failure', async () => {
    const env = await serve({ fixture: WEAK, notFound: ['logs:DescribeMetricFilters'] });
    const live = await collectAws({ region: 'eu-west-1', env, clusterName: 'shop-weak' });
    expect(live.evidence.collected.has('logs:DescribeMetricFilters')).toBe(true);
    expect(live.evidence.logs.metricFilters).toEqual([]);
    expect(live.gaps.filter((g) => g.message.includes('DescribeMetricFilters'))).toEqual([]);
  });

  it('reads the access-entry refusal of a CONFIG_MAP cluster as no access entries, and other refusals as gaps', async () => {
    const configMap = [400, 'InvalidRequestException', "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation."] as const;
    const env = await serve({ fixture: WEAK, failWith: { 'eks:ListAccessEntries': configMap } });
    const live = await collectAws({ region: 'eu-west-1', env, clusterName: 'shop-weak' });
    expect(live.evidence.collected.has('eks:ListAccessEntries')).toBe(true);
    expect(live.evidence.eks.accessEntries).toEqual([]);
    expect(live.gaps.filter((g) => g.message.includes('ListAccessEntries'))).toEqual([]);
    await fake?.close();
    fake = undefined;

    const other = await serve({ fixture: WEAK, failWith: { 'eks:ListAccessEntries': [400, 'InvalidRequestException', 'Invalid pagination token.'] } });
    const failed = await collectAws({ region: 'eu-west-1', env: other, clusterName: 'shop-weak' });
    expect(failed.evidence.collected.has('eks:ListAccessEntries')).toBe(false);
    expect(failed.gaps.filter((g) => g.message.startsWith('eks:ListAccessEntries failed'))).toHaveLength(1);
  });

  it('keeps the number of calls in flight bounded', async () => {
    const env = await serve({ fixture: HARDENED });
    await collectAws({ region: 'eu-west-1', env, concurrency: 2 });
    expect(fake?.maxInFlight()).toBeLessThanOrEqual(2);
    expect(fake?.maxInFlight()).toBeGreaterThanOrEqual(1);
  });

  it('reads only the named cluster with clusterName (no ListClusters)', async () => {
    const env = await serve({ fixture: WEAK });
    const live = await collectAws({ region: 'eu-west-1', env, clusterName: 'shop-weak' });
    expect(fake?.calls).not.toContain('eks:ListClusters');
    expect(live.evidence.eks.clusters.map((c) => c.data.name)).toEqual(['shop-weak']);
    const other = await collectAws({ region: 'eu-west-1', env, clusterName: 'no-such-cluster' });
    expect(other.evidence.eks.clusters).toEqual([]);
    expect(other.gaps.some((g) => g.message.startsWith('eks:DescribeCluster failed (cluster no-such-cluster)'))).toBe(true);
  });

  it('honours AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL', async () => {
    const env = await serve({ fixture: WEAK });
    // Everything but EKS points at a closed port: only EKS's own variable can make the read work.
    const live = await collectAws({ region: 'eu-west-1', env: { ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_EKS: fake?.url }, clusterName: 'shop-weak' })
      .then(() => 'read', (error: unknown) => (error as Error).message);
    expect(live).toMatch(/cannot reach AWS/);
    expect(fake?.calls.some((c) => c.startsWith('eks:'))).toBe(true);
    expect(fake?.calls.some((c) => !c.startsWith('eks:'))).toBe(false);
  });

  it('assumes --role-arn with STS first, and signs every call with the role\'s credentials', async () => {
    const env = await serve({ fixture: WEAK });
    const live = await collectAws({ region: 'eu-west-1', env, roleArn: 'arn:aws:iam::111122223333:role/eksguard-audit', clusterName: 'shop-weak' });
    expect(fake?.assumed).toEqual(['arn:aws:iam::111122223333:role/eksguard-audit']);
    expect(fake?.calls[0]).toBe('sts:AssumeRole');
    // The caller's key signs AssumeRole only; every AWS read uses the assumed role's key.
    expect([...(fake?.accessKeys ?? [])].sort()).toEqual([ASSUMED_KEY, 'test'].sort());
    expect(fake?.calls.filter((c) => !c.startsWith('sts:')).length).toBeGreaterThan(20);
    expect(live.evidence.eks.clusters).toHaveLength(1);
  });

  it('ends with one clear error when AWS rejects the credentials', async () => {
    const env = await serve({ fixture: WEAK, rejectCredentials: true });
    const error = await collectAws({ region: 'eu-west-1', env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^--aws: AWS rejected the credentials \(\w+/);
  });

  it('ends with one clear error when there are no credentials at all', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    vi.stubEnv('AWS_PROFILE', '');
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/eksguard-test-config');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/eksguard-test-credentials');
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', '');
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_FULL_URI', '');
    vi.stubEnv('AWS_WEB_IDENTITY_TOKEN_FILE', '');
    fake = await startFakeAws({ fixture: WEAK });
    const error = await collectAws({ region: 'eu-west-1', env: { AWS_ENDPOINT_URL: fake.url } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^--aws: no AWS credentials found/);
    expect(fake.calls).toEqual([]);
  });
});
