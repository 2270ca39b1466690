/**
 * The live reads behind log retention, EBS and EFS encryption, node images, instance types and
 * private CAs, through the collector's own `call` (bounds, gaps, concurrency) and `add` (outputs
 * that go through the dump reader's recognisers). Per cluster: its log group. Per region: EBS
 * encryption by default, PersistentVolume volumes, EFS file systems and access points, ACM private
 * CAs. After the rest is read: the instance types, SSM public parameters and images the nodes
 * name (core/aws/node-images.ts decides which, for the rules and this read alike).
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AwsEvidence } from '../../core/aws/model.js';
import { nodeImageIds, nodeImageParameters, nodeInstanceTypes } from '../../core/aws/node-images.js';
import { listCertificateAuthorities } from './acm-pca.js';
import { boundAnswers, type AwsRequestLimits } from './bounds.js';
import type { LiveCall } from './calls.js';
import { endpointFor, withEndpoint, type BaseConfig } from './clients.js';

export interface MoreReadContext {
  readonly call: <T>(action: LiveCall, about: string, run: () => Promise<T>) => Promise<T | undefined>;
  readonly pages: <P>(iterator: AsyncIterable<P>) => Promise<P[]>;
  readonly add: (key: string, doc: unknown) => void;
  readonly base: BaseConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly limits: AwsRequestLimits;
  readonly region: string;
  readonly maxPages: number;
}

/**
 * Tags the EBS CSI driver and the in-tree provisioner put on the volumes they create for
 * PersistentVolumes: the volumes read (any one tag matches).
 */
export const PV_VOLUME_TAG_KEYS = ['kubernetes.io/created-for/pv/name', 'CSIVolumeName'] as const;

/** Items per DescribeInstanceTypes / DescribeImages request: far below what EC2 accepts. */
const BATCH = 50;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += BATCH) out.push(list.slice(i, i + BATCH));
  return out;
}

/** A public parameter AWS does not publish: an empty answer (read, nothing in it), not a failure. */
const NO_PARAMETER = { Parameters: [] };
const unpublished = (error: unknown) => {
  if ((error as { name?: string }).name === 'ParameterNotFound') return NO_PARAMETER;
  throw error;
};

export async function moreReader(ctx: MoreReadContext) {
  const { call, pages, add, base, env, limits } = ctx;
  const [logs, ec2, efs, ssm, credentialProviders] = await Promise.all([
    import('@aws-sdk/client-cloudwatch-logs'), import('@aws-sdk/client-ec2'), import('@aws-sdk/client-efs'), import('@aws-sdk/client-ssm'),
    import('@aws-sdk/credential-providers'),
  ]);
  const logsClient = new logs.CloudWatchLogsClient(withEndpoint(base, 'logs', env));
  const ec2Client = new ec2.EC2Client(withEndpoint(base, 'ec2', env));
  const efsClient = new efs.EFSClient(withEndpoint(base, 'efs', env));
  const ssmClient = new ssm.SSMClient(withEndpoint(base, 'ssm', env));
  logsClient.middlewareStack.use(boundAnswers(limits));
  ec2Client.middlewareStack.use(boundAnswers(limits));
  efsClient.middlewareStack.use(boundAnswers(limits));
  ssmClient.middlewareStack.use(boundAnswers(limits));
  // The hand-written ACM PCA call signs with what the SDK clients use: the given credentials, else the default chain.
  const credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider = base.credentials
    ?? credentialProviders.fromNodeProviderChain(base.profile !== undefined ? { profile: base.profile } : {});

  return {
    /** The cluster's log group: its retention and KMS key. */
    cluster: async (name: string): Promise<void> => {
      const logGroupNamePrefix = `/aws/eks/${name}/cluster`;
      const listed = await call('logs:DescribeLogGroups', `log group ${logGroupNamePrefix}`, () => pages(logs.paginateDescribeLogGroups({ client: logsClient }, { logGroupNamePrefix })));
      if (listed !== undefined) add(`${name}|DescribeLogGroups`, { logGroups: listed.flatMap((p) => p.logGroups ?? []) });
    },

    /** Region-wide storage and CA evidence. */
    region: async (): Promise<void> => {
      await Promise.all([
        call('ec2:GetEbsEncryptionByDefault', '', () => ec2Client.send(new ec2.GetEbsEncryptionByDefaultCommand({})))
          // The output does not name its region; the dump script adds it the same way.
          .then((r) => r !== undefined && add('~|GetEbsEncryptionByDefault', { ...r, Region: ctx.region })),
        call('ec2:DescribeVolumes', 'PersistentVolume volumes', () => pages(ec2.paginateDescribeVolumes({ client: ec2Client }, { Filters: [{ Name: 'tag-key', Values: [...PV_VOLUME_TAG_KEYS] }] })))
          .then((p) => p !== undefined && add('~|DescribeVolumes', { Volumes: p.flatMap((page) => page.Volumes ?? []) })),
        call('efs:DescribeFileSystems', '', () => pages(efs.paginateDescribeFileSystems({ client: efsClient }, {})))
          .then((p) => p !== undefined && add('~|DescribeFileSystems', { FileSystems: p.flatMap((page) => page.FileSystems ?? []) })),
        call('efs:DescribeAccessPoints', '', () => pages(efs.paginateDescribeAccessPoints({ client: efsClient }, {})))
          .then((p) => p !== undefined && add('~|DescribeAccessPoints', { AccessPoints: p.flatMap((page) => page.AccessPoints ?? []) })),
        call('acm-pca:ListCertificateAuthorities', '', () => listCertificateAuthorities({
          region: ctx.region, credentials, limits, ...(endpointFor('acm-pca', env) !== undefined ? { endpoint: endpointFor('acm-pca', env) } : {}),
        }, ctx.maxPages)).then((r) => add('~|ListCertificateAuthorities', r)),
      ]);
    },

    /** What the nodes named in the evidence read so far run as and on: instance types, then the AMI parameters and images. */
    nodes: async (evidence: AwsEvidence): Promise<void> => {
      const types = nodeInstanceTypes(evidence);
      const parameterNames = nodeImageParameters(evidence);
      await Promise.all([
        ...chunks(types).map((batch, i) => call('ec2:DescribeInstanceTypes', `instance types ${batch.join(', ')}`, () => pages(ec2.paginateDescribeInstanceTypes({ client: ec2Client }, { InstanceTypes: batch as never[] })))
          .then((p) => p !== undefined && add(`~|DescribeInstanceTypes|${String(i).padStart(6, '0')}`, { InstanceTypes: p.flatMap((page) => page.InstanceTypes ?? []) }))),
        ...parameterNames.map((Name) => call('ssm:GetParameter', `parameter ${Name}`, () => ssmClient.send(new ssm.GetParameterCommand({ Name })).catch(unpublished))
          .then((r) => add(`~|GetParameter|${Name}`, r))),
      ]);
      // Nothing to ask is an answer too: the rules judge it (no node names a type or an AMI release).
      if (types.length === 0) add('~|DescribeInstanceTypes', { InstanceTypes: [] });
      if (parameterNames.length === 0) add('~|GetParameter', NO_PARAMETER);
    },

    /** The images the parameters and launch templates name, once the parameters are in `evidence`. */
    images: async (evidence: AwsEvidence): Promise<void> => {
      const ids = nodeImageIds(evidence);
      if (ids.length === 0) add('~|DescribeImages', { Images: [] });
      await Promise.all(chunks(ids).map((ImageIds, i) => call('ec2:DescribeImages', `images ${ImageIds.join(', ')}`, () => pages(ec2.paginateDescribeImages({ client: ec2Client }, { ImageIds, IncludeDeprecated: true })))
        .then((p) => p !== undefined && add(`~|DescribeImages|${String(i).padStart(6, '0')}`, { Images: p.flatMap((page) => page.Images ?? []) }))));
    },

    clients: () => [logsClient, ec2Client, efsClient, ssmClient],
  };
}
