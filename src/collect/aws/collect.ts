/**
 * `--aws`: reads the AWS evidence of one region live, with AWS SDK v3 clients, read-only. Each call's
 * output goes through the dump reader's recognisers (`parseAwsDump`), the way an AWS CLI dump of the
 * same account would, so both paths build the very same model. A refused call is a gap naming the
 * missing IAM action and the rest goes on; missing credentials or an unreachable endpoint end the
 * scan with one line. A call cut short by a deadline or bound (no answer, a trickle, an endless
 * answer or listing, the run's `--timeout`) is a gap naming it (docs/limits.md). Every SDK module
 * is imported here, on first use.
 */
import pLimit from 'p-limit';
import { parseAwsDump, type DumpFile } from '../../collect/aws-dump/recognise.js';
import type { EcrImage } from '../../core/aws/ecr-image.js';
import type { AwsEvidence } from '../../core/aws/model.js';
import { decodePolicyDocument } from '../../core/aws/policy.js';
import { UsageError } from '../../core/errors.js';
import type { Gap } from '../../core/resource.js';
import { abortWords, untilAborted } from '../deadline.js';
import { BoundError, boundAnswers, requestLimits, type AwsRequestLimits } from './bounds.js';
import { UNREAD_WHEN_FAILED, type LiveCall } from './calls.js';
import { baseConfig, endpointFor, withEndpoint, withoutNodeVersionWarning, type ClientOptions, type Service } from './clients.js';
import { classify } from './errors.js';
import { moreReader } from './read-more.js';
import type { LiveReader } from './live-reader.js';
import { readImageFindings, readRepositoryPolicies } from './read-images.js';
import { readVpcEndpoints } from './read-vpc-endpoints.js';

export interface AwsCollectOptions {
  readonly region: string;
  readonly profile?: string;
  /** Only this cluster (default: every cluster `ListClusters` returns). */
  readonly clusterName?: string;
  /** Assume this role first (STS AssumeRole), e.g. an audit role in the client's account. */
  readonly roleArn?: string;
  /** The environment (endpoints, credentials); defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Calls in flight at once. */
  readonly concurrency?: number;
  /** How long a request may wait to connect, for its answer, or for the next part of it (`--request-timeout`); it must finish within 4 times that. */
  readonly requestTimeoutMs?: number;
  /** The run's deadline (`--timeout`): calls in flight are cut short, calls not started are not made, and each is a gap. */
  readonly signal?: AbortSignal;
  /** Pages of one listing at most (default 1,000): past it, the listing is a gap. */
  readonly maxPages?: number;
  /** The largest answer read (default 256 MiB). */
  readonly maxResponseBytes?: number;
  /**
   * The ECR images the scan's Kubernetes input runs (core/aws/ecr-image.ts): their scan findings are
   * read, and Inspector's for their repositories only. Undefined: Inspector's for the account.
   */
  readonly images?: readonly EcrImage[];
}

export interface AwsCollectSummary {
  readonly region: string;
  readonly calls: number;
  readonly denied: number;
}

export interface AwsCollectResult {
  readonly evidence: AwsEvidence;
  readonly gaps: readonly Gap[];
  readonly summary: AwsCollectSummary;
}

/** Pages of one listing at most: far beyond any account, and a bound on an endpoint handing out tokens for ever. */
const MAX_PAGES = 1000;
/** One answer at most: an EC2 listing without a page size answers every instance at once. */
const DEFAULT_CONCURRENCY = 8;

type Json = Record<string, unknown>;

/** A list position as a sort key. */
const ordinal = (i: number) => String(i).padStart(6, '0');

/**
 * The IAM API returns every policy document URL-encoded, also the trust policies of the roles nested
 * in a role's instance profiles, which the dump reader leaves as they are: the CLI has already
 * decoded those, so they are decoded here to give the model the same value.
 */
function decodeInstanceProfileRoles<T extends { InstanceProfileList?: unknown }>(role: T): T {
  if (!Array.isArray(role.InstanceProfileList)) return role;
  const profiles = (role.InstanceProfileList as Json[]).map((profile) => ({
    ...profile,
    ...(Array.isArray(profile.Roles) ? {
      Roles: (profile.Roles as Json[]).map((r) => {
        const trust = decodePolicyDocument(r.AssumeRolePolicyDocument);
        return trust === undefined ? r : { ...r, AssumeRolePolicyDocument: trust };
      }),
    } : {}),
  }));
  return { ...role, InstanceProfileList: profiles };
}

/** Reads the AWS side of the region's clusters (or the one named). */
export function collectAws(options: AwsCollectOptions): Promise<AwsCollectResult> {
  return withoutNodeVersionWarning(() => read(options));
}

async function read(options: AwsCollectOptions): Promise<AwsCollectResult> {
  const env = options.env ?? process.env;
  const region = options.region;
  const source = `aws:${region}`;
  const signal = options.signal;
  const maxPages = options.maxPages ?? MAX_PAGES;
  const limits: AwsRequestLimits = requestLimits(options);
  const clientOptions: ClientOptions = { region, env, limits, ...(options.profile !== undefined ? { profile: options.profile } : {}), ...(options.roleArn !== undefined ? { roleArn: options.roleArn } : {}) };
  let base;
  try {
    base = await untilAborted(baseConfig(clientOptions), signal);
  } catch (error) {
    const failure = classify(error, region, endpointFor('sts', env));
    if (failure.kind === 'fatal') throw failure.error;
    const why = failure.kind === 'cut' ? `sts:AssumeRole ${failure.words}` : `${failure.kind === 'denied' ? 'sts:AssumeRole was denied: ' : ''}${failure.detail}`;
    throw new UsageError(`--aws: cannot assume ${options.roleArn ?? 'the role'} (${why})`, 'Check the role\'s trust policy allows the caller (docs/aws-evidence.md).');
  }
  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  const docs: { key: string; doc: Json }[] = [{ key: '', doc: { collectedAt: new Date().toISOString(), region } }];
  const gaps: Gap[] = [];
  let calls = 0;
  let fatal: Error | undefined;

  /** The gap of a call cut short by a deadline or bound: what it would have read is unread. */
  const cutShort = (action: LiveCall, about: string, words: string) => {
    gaps.push({ source, code: 'AWS_UNAVAILABLE', message: `${action}${about ? ` (${about})` : ''} ${words}`, unread: { awsCalls: UNREAD_WHEN_FAILED[action], cause: `${action} ${words}` } });
  };

  /**
   * One API call (or one paginated listing) under the concurrency bound; a failure becomes a gap, or
   * ends the read. After the run's deadline, a call is not made but reported: its evidence is missing.
   */
  const call = <T>(action: LiveCall, about: string, run: () => Promise<T>): Promise<T | undefined> => limit(async () => {
    if (fatal !== undefined) return undefined;
    if (signal?.aborted) {
      cutShort(action, about, `was not read: ${abortWords(signal)}`);
      return undefined;
    }
    calls += 1;
    try {
      // Raced against the deadline as well: credential providers and retry back-offs run outside any request.
      return await untilAborted(run(), signal);
    } catch (error) {
      const failure = classify(error, region, endpointFor(action.slice(0, action.indexOf(':')) as Service, env));
      if (failure.kind === 'fatal') {
        fatal ??= failure.error;
        throw failure.error;
      }
      if (failure.kind === 'cut') {
        cutShort(action, about, failure.words);
        return undefined;
      }
      // What the call would have read: the rules that need it are then not evaluated, never passed on
      // nothing. Not when what it asked about is gone (deleted between a listing and its description).
      const errorName = failure.detail.split(':')[0] || 'error';
      const unread = failure.kind === 'unavailable' && /NotFound|NoSuchEntity/.test(errorName) ? {}
        : { unread: { awsCalls: UNREAD_WHEN_FAILED[action], cause: `${action} ${failure.kind === 'denied' ? 'denied' : 'failed'}: ${errorName}` } };
      gaps.push(failure.kind === 'denied'
        ? { source, code: 'AWS_FORBIDDEN', message: `${action} was denied${about ? ` (${about})` : ''}: grant it (deploy/iam-policy.json); rules that need it are not evaluated [${failure.detail}]`, ...unread }
        : { source, code: 'AWS_UNAVAILABLE', message: `${action} failed${about ? ` (${about})` : ''}: ${failure.detail}`, ...unread });
      return undefined;
    }
  });

  /** Every page of a paginator; past the page bound, the listing fails (a part of it would pass rules on what is missing). */
  const pages = async <P>(iterator: AsyncIterable<P>): Promise<P[]> => {
    const out: P[] = [];
    for await (const page of iterator) {
      if (out.length >= maxPages) throw new BoundError('pages', `returned more than ${maxPages.toLocaleString('en-US')} pages; the listing was not kept`);
      out.push(page);
    }
    return out;
  };
  /** Keeps one output under a key naming its call and item: sorted by key, the outputs come in the same order whatever order the calls finished in. */
  const add = (key: string, doc: unknown) => {
    if (doc !== undefined) docs.push({ key, doc: doc as Json });
  };
  const reader: LiveReader = { call, pages, add };

  const [eks, ec2, iam, logs, cloudwatch, ecr, guardduty, inspector2, cloudtrail, kms] = await Promise.all([
    import('@aws-sdk/client-eks'), import('@aws-sdk/client-ec2'), import('@aws-sdk/client-iam'), import('@aws-sdk/client-cloudwatch-logs'),
    import('@aws-sdk/client-cloudwatch'), import('@aws-sdk/client-ecr'), import('@aws-sdk/client-guardduty'), import('@aws-sdk/client-inspector2'),
    import('@aws-sdk/client-cloudtrail'), import('@aws-sdk/client-kms'),
  ]);
  const eksClient = new eks.EKSClient(withEndpoint(base, 'eks', env));
  const ec2Client = new ec2.EC2Client(withEndpoint(base, 'ec2', env));
  const iamClient = new iam.IAMClient(withEndpoint(base, 'iam', env));
  const logsClient = new logs.CloudWatchLogsClient(withEndpoint(base, 'logs', env));
  const cwClient = new cloudwatch.CloudWatchClient(withEndpoint(base, 'cloudwatch', env));
  const ecrClient = new ecr.ECRClient(withEndpoint(base, 'ecr', env));
  const gdClient = new guardduty.GuardDutyClient(withEndpoint(base, 'guardduty', env));
  const inspClient = new inspector2.Inspector2Client(withEndpoint(base, 'inspector2', env));
  const kmsClient = new kms.KMSClient(withEndpoint(base, 'kms', env));
  // Every answer bounded in time and size (bounds.ts); one line per client, as each has its own middleware types.
  eksClient.middlewareStack.use(boundAnswers(limits));
  ec2Client.middlewareStack.use(boundAnswers(limits));
  iamClient.middlewareStack.use(boundAnswers(limits));
  logsClient.middlewareStack.use(boundAnswers(limits));
  cwClient.middlewareStack.use(boundAnswers(limits));
  ecrClient.middlewareStack.use(boundAnswers(limits));
  gdClient.middlewareStack.use(boundAnswers(limits));
  inspClient.middlewareStack.use(boundAnswers(limits));
  kmsClient.middlewareStack.use(boundAnswers(limits));
  // CloudTrail answers a trail's status in its home region: one client per region met.
  const trailClients = new Map<string, InstanceType<typeof cloudtrail.CloudTrailClient>>();
  const trailClient = (home: string) => {
    let client = trailClients.get(home);
    if (client === undefined) {
      client = new cloudtrail.CloudTrailClient(withEndpoint({ ...base, region: home }, 'cloudtrail', env));
      client.middlewareStack.use(boundAnswers(limits));
      trailClients.set(home, client);
    }
    return client;
  };
  const more = await moreReader({ call, pages, add, base, env, limits, region, maxPages });
  const allClients = () => [eksClient, ec2Client, iamClient, logsClient, cwClient, ecrClient, gdClient, inspClient, kmsClient, ...trailClients.values(), ...more.clients()];
  /** The evidence read so far, as the rules will see it: what the nodes name decides the follow-up reads. */
  const readSoFar = () => parseAwsDump([...docs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(({ doc }) => ({ path: source, text: JSON.stringify(doc) }))).evidence;

  /** The AWS side of one cluster: EKS details, its nodes, its VPC, its log group's metric filters, its KMS keys. */
  const readCluster = async (name: string): Promise<void> => {
    const described = await call('eks:DescribeCluster', `cluster ${name}`, () => eksClient.send(new eks.DescribeClusterCommand({ name })));
    add(`${name}|DescribeCluster`, described);
    const cluster = described?.cluster;
    const vpc = cluster?.resourcesVpcConfig?.vpcId;
    const tasks: Promise<unknown>[] = [];

    tasks.push((async () => {
      const listed = await call('eks:ListNodegroups', `cluster ${name}`, () => pages(eks.paginateListNodegroups({ client: eksClient }, { clusterName: name })));
      const names = (listed ?? []).flatMap((p) => p.nodegroups ?? []);
      const nodegroups = await Promise.all(names.map((nodegroupName) =>
        call('eks:DescribeNodegroup', `cluster ${name}, node group ${nodegroupName}`, () => eksClient.send(new eks.DescribeNodegroupCommand({ clusterName: name, nodegroupName })))));
      nodegroups.forEach((n, i) => add(`${name}|DescribeNodegroup|${ordinal(i)}`, n));
      const templates = new Set(nodegroups.map((n) => n?.nodegroup?.launchTemplate?.id).filter((id): id is string => id !== undefined));
      await Promise.all([...templates].map(async (id) => {
        const versions = await call('ec2:DescribeLaunchTemplateVersions', `launch template ${id}`, () => pages(ec2.paginateDescribeLaunchTemplateVersions({ client: ec2Client }, { LaunchTemplateId: id })));
        if (versions !== undefined) add(`${name}|DescribeLaunchTemplateVersions|${id}`, { LaunchTemplateVersions: versions.flatMap((p) => p.LaunchTemplateVersions ?? []) });
      }));
    })());
    tasks.push((async () => {
      const listed = await call('eks:ListAddons', `cluster ${name}`, () => pages(eks.paginateListAddons({ client: eksClient }, { clusterName: name })));
      const addons = await Promise.all((listed ?? []).flatMap((p) => p.addons ?? []).map((addonName) =>
        call('eks:DescribeAddon', `cluster ${name}, add-on ${addonName}`, () => eksClient.send(new eks.DescribeAddonCommand({ clusterName: name, addonName })))));
      addons.forEach((a, i) => add(`${name}|DescribeAddon|${ordinal(i)}`, a));
    })());
    tasks.push((async () => {
      // A cluster in CONFIG_MAP mode has no access entries, and EKS refuses the listing: evidence, not a failure.
      const listed = await call('eks:ListAccessEntries', `cluster ${name}`, () => pages(eks.paginateListAccessEntries({ client: eksClient }, { clusterName: name }))
        .catch((error: unknown) => {
          if ((error as { name?: string }).name === 'InvalidRequestException' && /authentication mode must be/i.test((error as { message?: string }).message ?? '')) return [];
          throw error;
        }));
      if (listed === undefined) return;
      const principals = listed.flatMap((p) => p.accessEntries ?? []);
      // The listing does not name its cluster; the dump script adds it the same way (docs/aws-evidence.md).
      add(`${name}|ListAccessEntries`, { accessEntries: principals, clusterName: name });
      await Promise.all(principals.map(async (principalArn) => {
        add(`${name}|DescribeAccessEntry|${principalArn}`, await call('eks:DescribeAccessEntry', `cluster ${name}, principal ${principalArn}`, () => eksClient.send(new eks.DescribeAccessEntryCommand({ clusterName: name, principalArn }))));
        const policies = await call('eks:ListAssociatedAccessPolicies', `cluster ${name}, principal ${principalArn}`, () => pages(eks.paginateListAssociatedAccessPolicies({ client: eksClient }, { clusterName: name, principalArn })));
        if (policies !== undefined) add(`${name}|ListAssociatedAccessPolicies|${principalArn}`, { clusterName: name, principalArn, associatedAccessPolicies: policies.flatMap((p) => p.associatedAccessPolicies ?? []) });
      }));
    })());
    tasks.push((async () => {
      const listed = await call('eks:ListPodIdentityAssociations', `cluster ${name}`, () => pages(eks.paginateListPodIdentityAssociations({ client: eksClient }, { clusterName: name })));
      if (listed === undefined) return;
      const associations = listed.flatMap((p) => p.associations ?? []);
      add(`${name}|ListPodIdentityAssociations`, { associations });
      const described = await Promise.all(associations.map((a) => a.associationId).filter((id): id is string => id !== undefined).map((associationId) =>
        call('eks:DescribePodIdentityAssociation', `cluster ${name}, association ${associationId}`, () => eksClient.send(new eks.DescribePodIdentityAssociationCommand({ clusterName: name, associationId })))));
      described.forEach((a, i) => add(`${name}|DescribePodIdentityAssociation|${ordinal(i)}`, a));
    })());
    // Nodes: managed ones carry aws:eks:cluster-name, self-managed ones kubernetes.io/cluster/NAME.
    for (const filter of [{ Name: 'tag:aws:eks:cluster-name', Values: [name] }, { Name: 'tag-key', Values: [`kubernetes.io/cluster/${name}`] }]) {
      tasks.push(call('ec2:DescribeInstances', `cluster ${name}`, () => pages(ec2.paginateDescribeInstances({ client: ec2Client }, { Filters: [filter] })))
        .then((p) => p !== undefined && add(`${name}|DescribeInstances|${filter.Name}`, { Reservations: p.flatMap((page) => page.Reservations ?? []) })));
    }
    if (vpc !== undefined) {
      const byVpc = [{ Name: 'vpc-id', Values: [vpc] }];
      tasks.push(call('ec2:DescribeSecurityGroups', `VPC ${vpc}`, () => pages(ec2.paginateDescribeSecurityGroups({ client: ec2Client }, { Filters: byVpc })))
        .then((p) => p !== undefined && add(`${name}|DescribeSecurityGroups`, { SecurityGroups: p.flatMap((page) => page.SecurityGroups ?? []) })));
      tasks.push(call('ec2:DescribeSubnets', `VPC ${vpc}`, () => pages(ec2.paginateDescribeSubnets({ client: ec2Client }, { Filters: byVpc })))
        .then((p) => p !== undefined && add(`${name}|DescribeSubnets`, { Subnets: p.flatMap((page) => page.Subnets ?? []) })));
      tasks.push(readVpcEndpoints(reader, ec2, ec2Client, name, vpc));
      tasks.push(call('ec2:DescribeFlowLogs', `VPC ${vpc}`, () => pages(ec2.paginateDescribeFlowLogs({ client: ec2Client }, { Filter: [{ Name: 'resource-id', Values: [vpc] }] })))
        .then((p) => p !== undefined && add(`${name}|DescribeFlowLogs`, { FlowLogs: p.flatMap((page) => page.FlowLogs ?? []) })));
    }
    const logGroupName = `/aws/eks/${name}/cluster`;
    // A cluster that never logged has no log group: then it has no metric filters either, which is evidence, not a failure.
    tasks.push(call('logs:DescribeMetricFilters', `log group ${logGroupName}`, () => pages(logs.paginateDescribeMetricFilters({ client: logsClient }, { logGroupName }))
      .catch((error: unknown) => {
        if ((error as { name?: string }).name === 'ResourceNotFoundException') return [];
        throw error;
      }))
      .then((p) => p !== undefined && add(`${name}|DescribeMetricFilters`, { metricFilters: p.flatMap((page) => page.metricFilters ?? []) })));
    for (const keyId of new Set((cluster?.encryptionConfig ?? []).map((e) => e.provider?.keyArn).filter((k): k is string => k !== undefined))) {
      tasks.push(call('kms:GetKeyRotationStatus', `key ${keyId}`, () => kmsClient.send(new kms.GetKeyRotationStatusCommand({ KeyId: keyId })))
        // Older responses do not name the key: add it, as the dump reader would attribute it.
        .then((r) => r !== undefined && add(`${name}|GetKeyRotationStatus|${keyId}`, { ...r, KeyId: r.KeyId ?? keyId })));
      tasks.push(call('kms:DescribeKey', `key ${keyId}`, () => kmsClient.send(new kms.DescribeKeyCommand({ KeyId: keyId }))).then((k) => add(`${name}|DescribeKey|${keyId}`, k)));
    }
    await Promise.all(tasks);
  };

  /** Account-wide evidence: IAM, alarms, ECR, GuardDuty, Inspector, CloudTrail. */
  const readAccount = async (): Promise<void> => {
    const tasks: Promise<unknown>[] = [];
    tasks.push(call('iam:GetAccountAuthorizationDetails', '', () => pages(iam.paginateGetAccountAuthorizationDetails({ client: iamClient }, { Filter: ['Role', 'User', 'LocalManagedPolicy'] })))
      .then((p) => p !== undefined && add('~|GetAccountAuthorizationDetails', {
        RoleDetailList: p.flatMap((page) => page.RoleDetailList ?? []).map(decodeInstanceProfileRoles), UserDetailList: p.flatMap((page) => page.UserDetailList ?? []),
        GroupDetailList: p.flatMap((page) => page.GroupDetailList ?? []), Policies: p.flatMap((page) => page.Policies ?? []),
      })));
    tasks.push(call('cloudwatch:DescribeAlarms', '', () => pages(cloudwatch.paginateDescribeAlarms({ client: cwClient }, { AlarmTypes: ['MetricAlarm'] })))
      .then((p) => p !== undefined && add('~|DescribeAlarms', { MetricAlarms: p.flatMap((page) => page.MetricAlarms ?? []) })));
    tasks.push((async () => {
      const listed = await call('ecr:DescribeRepositories', '', () => pages(ecr.paginateDescribeRepositories({ client: ecrClient }, {})));
      if (listed === undefined) return;
      const repositories = listed.flatMap((page) => page.repositories ?? []);
      add('~|DescribeRepositories', { repositories });
      const clients = { ecr, ecrClient, inspector2, inspClient };
      await Promise.all([readRepositoryPolicies(reader, clients, repositories), readImageFindings(reader, clients, repositories, options.images)]);
    })());
    tasks.push(call('ecr:GetRegistryScanningConfiguration', '', () => ecrClient.send(new ecr.GetRegistryScanningConfigurationCommand({}))).then((c) => add('~|GetRegistryScanningConfiguration', c)));
    tasks.push((async () => {
      const listed = await call('guardduty:ListDetectors', '', () => pages(guardduty.paginateListDetectors({ client: gdClient }, {})));
      if (listed === undefined) return;
      const ids = listed.flatMap((p) => p.DetectorIds ?? []);
      add('~|ListDetectors', { DetectorIds: ids });
      await Promise.all(ids.map(async (DetectorId) => {
        const detector = await call('guardduty:GetDetector', `detector ${DetectorId}`, () => gdClient.send(new guardduty.GetDetectorCommand({ DetectorId })));
        // get-detector does not name its detector; the dump script adds it the same way.
        if (detector !== undefined) add(`~|GetDetector|${DetectorId}`, { ...detector, DetectorId });
      }));
    })());
    // No account ids: the caller's own account (the dump script names it from sts get-caller-identity).
    tasks.push(call('inspector2:BatchGetAccountStatus', '', () => inspClient.send(new inspector2.BatchGetAccountStatusCommand({}))).then((a) => add('~|BatchGetAccountStatus', a)));
    tasks.push((async () => {
      const client = trailClient(region);
      const described = await call('cloudtrail:DescribeTrails', '', () => client.send(new cloudtrail.DescribeTrailsCommand({ includeShadowTrails: true })));
      if (described === undefined) return;
      const trails = described.trailList ?? [];
      add('~|DescribeTrails', { trailList: trails });
      await Promise.all(trails.map(async (trail) => {
        const arn = trail.TrailARN;
        if (arn === undefined) return;
        const home = trailClient(trail.HomeRegion ?? region);
        const status = await call('cloudtrail:GetTrailStatus', `trail ${arn}`, () => home.send(new cloudtrail.GetTrailStatusCommand({ Name: arn })));
        if (status !== undefined) add(`~|GetTrailStatus|${arn}`, { ...status, TrailARN: arn });
        add(`~|GetEventSelectors|${arn}`, await call('cloudtrail:GetEventSelectors', `trail ${arn}`, () => home.send(new cloudtrail.GetEventSelectorsCommand({ TrailName: arn }))));
      }));
    })());
    await Promise.all(tasks);
  };

  try {
    let names: string[];
    if (options.clusterName !== undefined) names = [options.clusterName];
    else {
      const listed = await call('eks:ListClusters', '', () => pages(eks.paginateListClusters({ client: eksClient }, {})));
      names = (listed ?? []).flatMap((p) => p.clusters ?? []);
    }
    await Promise.all([readAccount(), ...names.map(readCluster), more.region(), ...names.map(more.cluster)]);
    // Node instance types and images: named by the node groups, launch templates and instances just read.
    await more.nodes(readSoFar());
    await more.images(readSoFar());
  } catch (error) {
    throw fatal ?? error;
  } finally {
    for (const client of allClients()) client.destroy();
  }
  if (fatal !== undefined) throw fatal;

  // Through the dump reader: the same recognisers, merging and attribution as an AWS CLI dump.
  docs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const files: DumpFile[] = docs.map(({ doc }) => ({ path: source, text: JSON.stringify(doc) }));
  const parsed = parseAwsDump(files);
  return { evidence: parsed.evidence, gaps: [...gaps, ...parsed.gaps], summary: { region, calls, denied: gaps.filter((g) => g.code === 'AWS_FORBIDDEN').length } };
}
