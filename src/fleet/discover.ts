/**
 * Which clusters a fleet scan reads, and with what credentials: the accounts (the caller's own, the
 * ones named, or every ACTIVE account of the organization), the role assumed in each (`--org-role`),
 * the regions (named, or every region enabled for the account), and the EKS clusters of each region.
 * Read-only AWS calls, each bounded as the collector's are (src/collect/aws/bounds.ts). A failure
 * confined to one account or region is a gap naming it, and the rest goes on; only credentials
 * that do not work at all, or AWS that cannot be reached, end the run.
 */
import type * as Ec2Module from '@aws-sdk/client-ec2';
import type * as EksModule from '@aws-sdk/client-eks';
import type * as OrganizationsModule from '@aws-sdk/client-organizations';
import type * as StsModule from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { partitionOf } from '../core/aws/arn.js';
import { UsageError } from '../core/errors.js';
import type { Gap } from '../core/resource.js';
import { untilAborted } from '../collect/deadline.js';
import { BoundError, boundAnswers, type AwsRequestLimits } from '../collect/aws/bounds.js';
import { baseConfig, endpointFor, withEndpoint, withoutNodeVersionWarning, type BaseConfig } from '../collect/aws/clients.js';
import { classify } from '../collect/aws/errors.js';

/**
 * The fleet's own AWS calls, made with the auditing identity's credentials, as IAM names them:
 * deploy/iam-policy-fleet.json grants these (test/fleet/iam-policy-fleet.test.ts). Discovery also
 * calls eks:ListClusters in each account, which deploy/iam-policy.json (the audit role's) grants,
 * and sts:GetCallerIdentity, which needs no permission.
 */
export const FLEET_CALLS = ['ec2:DescribeRegions', 'organizations:ListAccounts', 'sts:AssumeRole'] as const;
export type FleetCall = (typeof FLEET_CALLS)[number];

export const ACCOUNT_ID = /^\d{12}$/;
/** An AWS region name (`eu-west-1`, `us-gov-west-1`, `cn-north-1`). */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** An IAM role name (no path): what `--org-role` names in every member account. */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** Pages of one listing at most, as in the collector: far beyond any organization. */
const MAX_PAGES = 1000;

export interface DiscoverOptions {
  /** The region of the fleet's own calls (STS, Organizations, the region listing): `--region`, `AWS_REGION`, or the first of `--regions`. */
  readonly home: string;
  /** The regions to read (`--regions`, or the home region); ignored with `allRegions`. */
  readonly regions: readonly string[];
  readonly allRegions: boolean;
  /** `--org-role ROLE`: assume it in each account. Without it, the caller's own account only. */
  readonly orgRole?: string;
  /** `--accounts` (with `--org-role`). */
  readonly accounts?: readonly string[];
  /** `--all-accounts` (with `--org-role`): every ACTIVE account of `organizations:ListAccounts`. */
  readonly allAccounts: boolean;
  /** `--cluster-name`: only these clusters (default: every cluster found). */
  readonly clusterNames: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly profile?: string;
  readonly roleArn?: string;
  readonly limits: AwsRequestLimits;
}

/** How a cluster's reads authenticate: the environment and options the collector takes, and the credentials EKS tokens are signed with. */
export interface AccountAccess {
  readonly account: string;
  readonly env: NodeJS.ProcessEnv;
  readonly profile?: string;
  readonly roleArn?: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** The IAM principal the clusters see (what an access entry names), when known. */
  readonly principal?: string;
}

export interface FleetTarget {
  readonly access: AccountAccess;
  readonly region: string;
  readonly cluster: string;
}

export interface Discovery {
  readonly targets: readonly FleetTarget[];
  readonly gaps: readonly Gap[];
  /** The auditing identity's own account. */
  readonly callerAccount: string;
}

/** The SDK modules, loaded on first use (type-only imports here: nothing is loaded before the run needs it). */
interface Sdk {
  readonly sts: typeof StsModule;
  readonly organizations: typeof OrganizationsModule;
  readonly ec2: typeof Ec2Module;
  readonly eks: typeof EksModule;
}

/** The environment a member account's reads run with: its temporary credentials, and no profile or keys of the caller. */
/** The ARN an access entry names for an identity: an assumed-role session's role, else the ARN as it is. */
export function principalOf(arn: string): string {
  const session = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return session === null ? arn : `arn:${session[1] ?? 'aws'}:iam::${session[2] ?? ''}:role/${session[3] ?? ''}`;
}

function accountEnv(env: NodeJS.ProcessEnv, credentials: AwsCredentialIdentity): NodeJS.ProcessEnv {
  const rest = Object.fromEntries(Object.entries(env).filter(([key]) => key !== 'AWS_PROFILE' && key !== 'AWS_SESSION_TOKEN'));
  return {
    ...rest,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken !== undefined ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
  };
}

/** Checks the account list of `--accounts`: 12 digits each, no duplicates kept. */
export function checkAccounts(accounts: readonly string[]): string[] {
  for (const account of accounts) {
    if (!ACCOUNT_ID.test(account)) throw new UsageError(`--accounts ${JSON.stringify(account)}: not an AWS account id (12 digits)`);
  }
  return [...new Set(accounts)];
}

export function discoverFleet(options: DiscoverOptions): Promise<Discovery> {
  return withoutNodeVersionWarning(() => discover(options));
}

async function discover(options: DiscoverOptions): Promise<Discovery> {
  const { env, limits } = options;
  const home = options.home;
  const [sts, organizations, ec2, eks] = await Promise.all([
    import('@aws-sdk/client-sts'), import('@aws-sdk/client-organizations'), import('@aws-sdk/client-ec2'), import('@aws-sdk/client-eks'),
  ]);
  const sdk: Sdk = { sts, organizations, ec2, eks };
  const gaps: Gap[] = [];
  const base = await fatalOnly(() => baseConfig({ region: home, env, limits, ...(options.profile !== undefined ? { profile: options.profile } : {}), ...(options.roleArn !== undefined ? { roleArn: options.roleArn } : {}) }), home, 'sts', env, limits);
  const stsClient = new sdk.sts.STSClient(withEndpoint(base, 'sts', env));
  stsClient.middlewareStack.use(boundAnswers(limits));
  try {
    const identity = await fatalOnly(() => stsClient.send(new sdk.sts.GetCallerIdentityCommand({})), home, 'sts', env, limits);
    const callerAccount = identity.Account ?? '';
    const baseCredentials = base.credentials ?? await defaultCredentials(options.profile);

    const caller: AccountAccess = { account: callerAccount, env, ...(identity.Arn !== undefined ? { principal: principalOf(identity.Arn) } : {}), ...(options.profile !== undefined ? { profile: options.profile } : {}), ...(options.roleArn !== undefined ? { roleArn: options.roleArn } : {}), credentials: baseCredentials };
    // The regions enabled for the auditing account, listed once with its own credentials (deploy/iam-policy-fleet.json):
    // the audit role of each member account keeps exactly deploy/iam-policy.json. A region a member has not enabled is a gap there.
    const regions = options.allRegions ? await enabledRegions(sdk, caller, home, options, gaps) : [...options.regions];
    let accesses: AccountAccess[];
    if (options.orgRole === undefined) {
      accesses = [caller];
    } else {
      const accounts = options.allAccounts ? await organizationAccounts(sdk, base, options) : checkAccounts(options.accounts ?? []);
      accesses = [];
      for (const account of accounts) {
        const roleArn = `arn:${partitionOf(home)}:iam::${account}:role/${options.orgRole}`;
        try {
          const answer = await untilAborted(stsClient.send(new sdk.sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'eksguard-fleet' })), limits.signal);
          const c = answer.Credentials;
          if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) throw new Error('AssumeRole returned no credentials');
          const credentials: AwsCredentialIdentity = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken !== undefined ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration !== undefined ? { expiration: c.Expiration } : {}) };
          accesses.push({ account, env: accountEnv(env, credentials), credentials, principal: roleArn });
        } catch (error) {
          gaps.push({ source: `account ${account}`, code: 'AWS_FORBIDDEN', message: `cannot assume ${roleArn} (${failureWords(error, home, env)}): account ${account} was not scanned; deploy the audit role there (deploy/cloudformation/audit-role-stackset.yaml) and let this account assume it`, unread: { awsCalls: ['sts:AssumeRole'], cause: `sts:AssumeRole failed in account ${account}` } });
        }
      }
    }

    const targets: FleetTarget[] = [];
    for (const access of accesses) {
      for (const region of regions) {
        const names = await clusterNames(sdk, access, region, options, gaps);
        for (const cluster of names) if (options.clusterNames.length === 0 || options.clusterNames.includes(cluster)) targets.push({ access, region, cluster });
      }
    }
    for (const name of options.clusterNames) {
      if (!targets.some((t) => t.cluster === name)) gaps.push({ source: 'fleet', code: 'NOT_FOUND', message: `--cluster-name ${name}: no such cluster in the accounts and regions scanned` });
    }
    return { targets, gaps, callerAccount };
  } finally {
    stsClient.destroy();
  }
}

/** The SDK's default credential chain (or `--profile`), resolved once: EKS tokens are signed with it. */
async function defaultCredentials(profile: string | undefined): Promise<AwsCredentialIdentityProvider> {
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  return fromNodeProviderChain(profile !== undefined ? { profile } : {});
}

/** Runs a call whose failure ends the fleet scan (the caller's own credentials): one line naming why. */
async function fatalOnly<T>(run: () => Promise<T>, region: string, service: 'sts', env: NodeJS.ProcessEnv, limits: AwsRequestLimits): Promise<T> {
  try {
    return await untilAborted(run(), limits.signal);
  } catch (error) {
    const failure = classify(error, region, endpointFor(service, env));
    if (failure.kind === 'fatal') throw failure.error;
    throw new UsageError(`--aws: the caller's identity cannot be read (${failure.kind === 'cut' ? `sts:GetCallerIdentity ${failure.words}` : failure.detail})`, 'Check the credentials (aws sts get-caller-identity) and --role-arn.');
  }
}

function failureWords(error: unknown, region: string, env: NodeJS.ProcessEnv): string {
  if (error instanceof BoundError) return error.words;
  const failure = classify(error, region, endpointFor('sts', env));
  if (failure.kind === 'fatal') return failure.error.message.replace(/^--aws: /, '');
  return failure.kind === 'cut' ? failure.words : failure.detail;
}

function clientConfig(access: AccountAccess, region: string, limits: AwsRequestLimits): Promise<BaseConfig> {
  return baseConfig({ region, env: access.env, limits, ...(access.profile !== undefined ? { profile: access.profile } : {}), ...(access.roleArn !== undefined ? { roleArn: access.roleArn } : {}) });
}

/** Every page of a listing, at most MAX_PAGES. */
async function pages<P>(iterator: AsyncIterable<P>): Promise<P[]> {
  const out: P[] = [];
  for await (const page of iterator) {
    if (out.length >= MAX_PAGES) throw new BoundError('pages', `returned more than ${MAX_PAGES.toLocaleString('en-US')} pages; the listing was not kept`);
    out.push(page);
  }
  return out;
}

/** `organizations:ListAccounts`: the ACTIVE accounts (suspended and closing ones cannot be assumed). */
async function organizationAccounts(sdk: Sdk, base: BaseConfig, options: DiscoverOptions): Promise<string[]> {
  const client = new sdk.organizations.OrganizationsClient(withEndpoint(base, 'organizations', options.env));
  client.middlewareStack.use(boundAnswers(options.limits));
  try {
    const listed = await untilAborted(pages(sdk.organizations.paginateListAccounts({ client }, {})), options.limits.signal);
    const accounts = listed.flatMap((p) => p.Accounts ?? []);
    const active = accounts.filter((a) => (a.Status ?? a.State) === 'ACTIVE' && a.Id !== undefined && ACCOUNT_ID.test(a.Id)).map((a) => a.Id ?? '');
    return [...new Set(active)];
  } catch (error) {
    const failure = classify(error, base.region, endpointFor('organizations', options.env));
    if (failure.kind === 'fatal') throw failure.error;
    const words = failure.kind === 'cut' ? failure.words : failure.detail;
    throw new UsageError(`--all-accounts: organizations:ListAccounts ${failure.kind === 'denied' ? 'was denied' : 'failed'} (${words})`, 'Run from the management account or a delegated administrator, with deploy/iam-policy-fleet.json; or name the accounts with --accounts.');
  } finally {
    client.destroy();
  }
}

/** `ec2:DescribeRegions`: the regions enabled for the account (opt-in regions it has not enabled are left out). */
async function enabledRegions(sdk: Sdk, access: AccountAccess, home: string, options: DiscoverOptions, gaps: Gap[]): Promise<string[]> {
  const client = new sdk.ec2.EC2Client(withEndpoint(await clientConfig(access, home, options.limits), 'ec2', access.env));
  client.middlewareStack.use(boundAnswers(options.limits));
  try {
    const answer = await untilAborted(client.send(new sdk.ec2.DescribeRegionsCommand({ AllRegions: false })), options.limits.signal);
    return (answer.Regions ?? []).map((r) => r.RegionName ?? '').filter((name) => REGION_NAME.test(name)).sort();
  } catch (error) {
    gaps.push(callGap('ec2:DescribeRegions', `account ${access.account}`, error, home, access.env, 'no region of this account was scanned'));
    return [];
  } finally {
    client.destroy();
  }
}

/** `eks:ListClusters` in one region of one account. */
async function clusterNames(sdk: Sdk, access: AccountAccess, region: string, options: DiscoverOptions, gaps: Gap[]): Promise<string[]> {
  const client = new sdk.eks.EKSClient(withEndpoint(await clientConfig(access, region, options.limits), 'eks', access.env));
  client.middlewareStack.use(boundAnswers(options.limits));
  try {
    const listed = await untilAborted(pages(sdk.eks.paginateListClusters({ client }, {})), options.limits.signal);
    return listed.flatMap((p) => p.clusters ?? []);
  } catch (error) {
    gaps.push(callGap('eks:ListClusters', `account ${access.account}, ${region}`, error, region, access.env, 'the clusters of this region were not scanned'));
    return [];
  } finally {
    client.destroy();
  }
}

function callGap(action: FleetCall | 'eks:ListClusters', where: string, error: unknown, region: string, env: NodeJS.ProcessEnv, consequence: string): Gap {
  const failure = error instanceof BoundError ? { kind: 'cut' as const, words: error.words } : classify(error, region, endpointFor(action.startsWith('ec2') ? 'ec2' : 'eks', env));
  const denied = failure.kind === 'denied';
  const words = failure.kind === 'fatal' ? failure.error.message.replace(/^--aws: /, '') : failure.kind === 'cut' ? failure.words : failure.detail;
  return {
    source: where, code: denied ? 'AWS_FORBIDDEN' : 'AWS_UNAVAILABLE',
    message: `${action} ${denied ? 'was denied' : 'failed'} (${words}): ${consequence}${denied ? '; grant it (deploy/iam-policy-fleet.json)' : ''}`,
    unread: { awsCalls: [action], cause: `${action} ${denied ? 'denied' : 'failed'}` },
  };
}
