/**
 * A fake AWS endpoint on 127.0.0.1 for the live collector's tests: one HTTP server answering every
 * service the collector calls (point `AWS_ENDPOINT_URL` at it), in each service's own wire protocol
 * (EKS, GuardDuty, Inspector2: rest-json; EC2: ec2 query/XML; IAM: query/XML; CloudWatch: JSON 1.0;
 * Logs, ECR, CloudTrail, KMS, Organizations, SSM, ACM PCA: JSON 1.1; EFS: rest-json; STS AssumeRole for --role-arn). Answers come from AWS CLI output fixtures, split into pages;
 * chosen calls are throttled once or denied, by IAM action name. With `fleet`, it stands for several
 * accounts and regions at once: the account is the one whose credentials signed the request
 * (AssumeRole hands out per-account keys), the region the one in the request's signing scope.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as CloudTrail from '@aws-sdk/client-cloudtrail';
import * as CloudWatch from '@aws-sdk/client-cloudwatch';
import * as Logs from '@aws-sdk/client-cloudwatch-logs';
import * as Ec2 from '@aws-sdk/client-ec2';
import * as Ecr from '@aws-sdk/client-ecr';
import * as Eks from '@aws-sdk/client-eks';
import * as GuardDuty from '@aws-sdk/client-guardduty';
import * as Iam from '@aws-sdk/client-iam';
import * as Inspector2 from '@aws-sdk/client-inspector2';
import * as Kms from '@aws-sdk/client-kms';
import * as Organizations from '@aws-sdk/client-organizations';
import * as Efs from '@aws-sdk/client-efs';
import * as Ssm from '@aws-sdk/client-ssm';
import { FixtureAccount, type Params } from './answers.js';
import { answerAcmPca } from './more-answers.js';
import { serializeError, serializeOutput, type Protocol } from './serialize.js';

type Json = Record<string, unknown>;

/** Per SigV4 signing name: the IAM prefix, the protocol, and the client module holding the operation schemas. */
const SERVICES: Record<string, { prefix: string; protocol: Protocol; module: object }> = {
  eks: { prefix: 'eks', protocol: 'restJson', module: Eks },
  guardduty: { prefix: 'guardduty', protocol: 'restJson', module: GuardDuty },
  inspector2: { prefix: 'inspector2', protocol: 'restJson', module: Inspector2 },
  ec2: { prefix: 'ec2', protocol: 'ec2Query', module: Ec2 },
  iam: { prefix: 'iam', protocol: 'awsQuery', module: Iam },
  monitoring: { prefix: 'cloudwatch', protocol: 'awsJson', module: CloudWatch },
  logs: { prefix: 'logs', protocol: 'awsJson', module: Logs },
  ecr: { prefix: 'ecr', protocol: 'awsJson', module: Ecr },
  cloudtrail: { prefix: 'cloudtrail', protocol: 'awsJson', module: CloudTrail },
  kms: { prefix: 'kms', protocol: 'awsJson', module: Kms },
  organizations: { prefix: 'organizations', protocol: 'awsJson', module: Organizations },
  ssm: { prefix: 'ssm', protocol: 'awsJson', module: Ssm },
  elasticfilesystem: { prefix: 'efs', protocol: 'restJson', module: Efs },
};

const DENIED: Record<Protocol, [number, string]> = {
  restJson: [403, 'AccessDeniedException'], awsJson: [400, 'AccessDeniedException'], awsQuery: [403, 'AccessDenied'], ec2Query: [403, 'UnauthorizedOperation'],
};
const THROTTLED: Record<Protocol, [number, string]> = {
  restJson: [429, 'ThrottlingException'], awsJson: [400, 'ThrottlingException'], awsQuery: [400, 'Throttling'], ec2Query: [503, 'RequestLimitExceeded'],
};
const NOT_FOUND: Record<Protocol, [number, string]> = {
  restJson: [404, 'ResourceNotFoundException'], awsJson: [400, 'ResourceNotFoundException'], awsQuery: [404, 'NoSuchEntity'], ec2Query: [400, 'InvalidParameterValue'],
};
/** Operations whose "nothing there" has its own error code, as the service answers it. */
const NOT_FOUND_CODES: Readonly<Record<string, string>> = {
  'ecr:GetRepositoryPolicy': 'RepositoryPolicyNotFoundException',
  'ecr:DescribeImageScanFindings': 'ScanNotFoundException',
};
// EFS answers `NextMarker` to a request's `Marker`: it comes before `Marker`, which its output echoes.
const TOKEN_MEMBERS = ['NextToken', 'nextToken', 'NextMarker', 'Marker'];
/** The access key id of the temporary credentials STS AssumeRole hands out. */
export const ASSUMED_KEY = 'ASIAFAKEASSUMEDROLE1';

/** The account and region the fixtures are written for: a fleet's answers rewrite them to the account and region asked. */
const FIXTURE_ACCOUNT = '111122223333';
const FIXTURE_REGION = 'eu-west-1';

/** Several accounts and regions behind one endpoint (fleet scans). */
export interface FakeFleet {
  /** The account of the caller's own credentials (any key AssumeRole did not hand out). */
  readonly callerAccount: string;
  /** Per account, per region: the fixture directory of that region's clusters (none: the region has no cluster). */
  readonly fixtures: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** What ec2:DescribeRegions answers (the regions enabled). */
  readonly regions?: readonly string[];
  /** What organizations:ListAccounts answers. */
  readonly organization?: readonly { readonly Id: string; readonly Name: string; readonly Status: string }[];
  /** Accounts whose role sts:AssumeRole refuses (AccessDenied). */
  readonly unassumable?: readonly string[];
  /** Per `ACCOUNT/REGION/NAME`: the endpoint and CA (base64 PEM) the cluster's DescribeCluster answers, e.g. a local API server's. */
  readonly clusters?: Readonly<Record<string, { readonly endpoint: string; readonly caData: string }>>;
}

/** The access key AssumeRole hands out for an account, and its secret: the fake Kubernetes servers verify tokens with these. */
export const fleetKeyOf = (account: string): string => `ASIA${account}`;
export const fleetSecretOf = (accessKeyId: string): string | undefined => (/^ASIA\d{12}$/.test(accessKeyId) ? `secret-${accessKeyId.slice(4)}` : accessKeyId === 'test' ? 'test' : undefined);

export interface FakeAwsOptions {
  /** A directory of AWS CLI output (test/fixtures/aws/weak); with `fleet`, what an account or region not in it answers from (nothing, when empty). */
  readonly fixture: string;
  /** Several accounts and regions (fleet scans). */
  readonly fleet?: FakeFleet;
  /** Items per page of every paginated listing (default 1: every page boundary is crossed). */
  readonly pageSize?: number;
  /** IAM actions answered with AccessDenied (`eks:DescribeNodegroup`). */
  readonly deny?: readonly string[];
  /** IAM actions throttled on their first request. */
  readonly throttleOnce?: readonly string[];
  /** IAM actions answered with the service's not-found error, whatever the fixture holds. */
  readonly notFound?: readonly string[];
  /** IAM actions answered with this status, error code and message (`InvalidRequestException` on a CONFIG_MAP cluster). */
  readonly failWith?: Readonly<Record<string, readonly [number, string, string]>>;
  /** Answer every call with a bad-credentials error (`UnrecognizedClientException`). */
  readonly rejectCredentials?: boolean;
  /** IAM actions whose listing hands out a fresh token on every page, for ever (pages after the fixture's are empty). */
  readonly endlessTokens?: readonly string[];
  /** Answers a request itself when it returns true (a hostile server: silent, dripping, endless; see test/hostile/servers.ts). */
  readonly intercept?: (action: string, req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface FakeAws {
  readonly url: string;
  /** Every request served, as `service:Operation` (IAM names), in order. */
  readonly calls: string[];
  /** Requests answered with throttling. */
  readonly throttled: string[];
  /** The most requests in progress at once. */
  readonly maxInFlight: () => number;
  /** The access key ids requests were signed with. */
  readonly accessKeys: Set<string>;
  /** The role ARNs of STS AssumeRole requests. */
  readonly assumed: string[];
  close(): Promise<void>;
}

interface Route { readonly method: string; readonly pattern: RegExp; readonly labels: string[]; readonly operation: string }

/** rest-json routes from each operation schema's `http` trait (`GET /clusters/{name}`). */
function restRoutes(module: object): Route[] {
  const routes: Route[] = [];
  for (const [key, value] of Object.entries(module)) {
    if (!key.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
    const http = (value[3] as { http?: [string, string, number] } | number).valueOf() as { http?: [string, string, number] };
    if (typeof http !== 'object' || http.http === undefined) continue;
    const [method, path] = http.http;
    const labels: string[] = [];
    const source = path.split('?')[0]?.replace(/\{([^}]+?)(\+?)\}/g, (_m, name: string, greedy: string) => {
      labels.push(name);
      return greedy === '+' ? '(.+)' : '([^/]+)';
    }) ?? '';
    routes.push({ method, pattern: new RegExp(`^${source}$`), labels, operation: String(value[2]) });
  }
  return routes;
}

/** A member of a JSON request: strings as they are, structures (a filter, an image id) as JSON text. */
function jsonParam(json: Json, name: string): string | undefined {
  const value = json[name];
  return typeof value === 'string' ? value : value !== undefined && value !== null ? JSON.stringify(value) : undefined;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function paginate(output: Json, schemaOp: readonly unknown[], token: string | undefined, pageSize: number, endless = false): Json {
  const tokenMember = TOKEN_MEMBERS.find((name) => {
    const out = schemaOp[5];
    const struct = (typeof out === 'function' ? (out as () => unknown)() : out) as unknown[];
    return Array.isArray(struct[4]) && (struct[4] as string[]).includes(name);
  });
  if (tokenMember === undefined) return output;
  const page = token === undefined ? 0 : Number(token.replace('page-', ''));
  const lists = Object.values(output).filter(Array.isArray);
  const pages = Math.max(1, ...lists.map((l) => Math.ceil(l.length / pageSize)));
  const sliced: Json = Object.fromEntries(Object.entries(output).map(([k, v]) => [k, Array.isArray(v) ? v.slice(page * pageSize, (page + 1) * pageSize) : v]));
  if (endless || page + 1 < pages) {
    sliced[tokenMember] = `page-${page + 1}`;
    if (tokenMember === 'Marker') sliced.IsTruncated = true;
  } else if (tokenMember === 'Marker') sliced.IsTruncated = false;
  return sliced;
}

/**
 * A fleet's answer: the organization and the regions from the setup, the rest from the fixture of
 * the account and region asked, with the fixture's own account and region rewritten to those, and
 * a cluster's endpoint and CA replaced by the setup's.
 */
function fleetAnswer(fleet: FakeFleet, fixture: FixtureAccount | undefined, operation: string, param: Params, accountId: string, region: string): Json | undefined {
  if (operation === 'ListAccounts') return { Accounts: (fleet.organization ?? []).map((a) => ({ ...a, Arn: `arn:aws:organizations::${fleet.callerAccount}:account/o-fake/${a.Id}`, Email: `${a.Id}@example.com` })) };
  if (operation === 'DescribeRegions') return { Regions: (fleet.regions ?? []).map((r) => ({ RegionName: r, Endpoint: `ec2.${r}.amazonaws.com`, OptInStatus: 'opt-in-not-required' })) };
  if (fixture === undefined) return operation === 'ListClusters' ? { clusters: [] } : undefined;
  // Names in the request carry the account and region asked: the fixture holds its own.
  const answer = fixture.answer(operation, (name) => param(name)?.replaceAll(accountId, FIXTURE_ACCOUNT).replaceAll(region, FIXTURE_REGION));
  if (answer === undefined) return undefined;
  const rewritten = JSON.parse(JSON.stringify(answer).replaceAll(FIXTURE_ACCOUNT, accountId).replaceAll(FIXTURE_REGION, region)) as Json;
  const cluster = rewritten.cluster as Json | undefined;
  const local = operation === 'DescribeCluster' && typeof cluster?.name === 'string' ? fleet.clusters?.[`${accountId}/${region}/${cluster.name}`] : undefined;
  return cluster !== undefined && local !== undefined ? { ...rewritten, cluster: { ...cluster, endpoint: local.endpoint, certificateAuthority: { data: local.caData } } } : rewritten;
}

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const account = options.fleet === undefined ? new FixtureAccount(options.fixture) : undefined;
  const fleetFixtures = new Map<string, FixtureAccount>();
  /** The fixture of an account and region of the fleet; undefined where it has no cluster. */
  const fixtureOf = (accountId: string, region: string): FixtureAccount | undefined => {
    const dir = options.fleet?.fixtures[accountId]?.[region];
    if (dir === undefined) return undefined;
    let found = fleetFixtures.get(dir);
    if (found === undefined) fleetFixtures.set(dir, (found = new FixtureAccount(dir)));
    return found;
  };
  const deny = new Set(options.deny ?? []);
  const throttleOnce = new Set(options.throttleOnce ?? []);
  const calls: string[] = [];
  const throttled: string[] = [];
  const routes = new Map<object, Route[]>();

  const accessKeys = new Set<string>();
  const assumed: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => { inFlight -= 1; });
    void (async () => {
      // Answer on a later turn, so that concurrent requests overlap as they would over a network.
      await new Promise((resolve) => setImmediate(resolve));
      const text = await body(req);
      const scope = /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '');
      accessKeys.add(/Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '');
      const accessKey = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const fleet = options.fleet;
      const callerAccount = /^ASIA\d{12}$/.test(accessKey) ? accessKey.slice(4) : (fleet?.callerAccount ?? FIXTURE_ACCOUNT);
      if (scope?.[1] === 'sts' && fleet !== undefined) {
        const form = new URLSearchParams(text);
        const action = form.get('Action') ?? '?';
        calls.push(`sts:${action}`);
        if (action === 'GetCallerIdentity') {
          res.writeHead(200, { 'content-type': 'text/xml' }).end(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${callerAccount}:user/auditor</Arn><UserId>AIDAFAKE</UserId><Account>${callerAccount}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
          return;
        }
        const roleArn = form.get('RoleArn') ?? '';
        assumed.push(roleArn);
        const target = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1];
        if (target === undefined || fleet.unassumable?.includes(target) === true) {
          const error = serializeError('awsQuery', 'AccessDenied', `User: arn:aws:iam::${callerAccount}:user/auditor is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
          res.writeHead(403, error.headers).end(error.body);
          return;
        }
        const expiration = new Date(Date.now() + 3600_000).toISOString();
        res.writeHead(200, { 'content-type': 'text/xml' }).end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${fleetKeyOf(target)}</AccessKeyId><SecretAccessKey>${fleetSecretOf(fleetKeyOf(target)) ?? ''}</SecretAccessKey><SessionToken>token-${target}</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${target}:assumed-role/audit/eksguard-fleet</Arn><AssumedRoleId>AROAFAKE:eksguard-fleet</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></AssumeRoleResponse>`);
        return;
      }
      if (scope?.[1] === 'sts') {
        // --role-arn: STS AssumeRole (query protocol), answered with fixed temporary credentials.
        const form = new URLSearchParams(text);
        calls.push(`sts:${form.get('Action') ?? '?'}`);
        assumed.push(form.get('RoleArn') ?? '');
        const expiration = new Date(Date.now() + 3600_000).toISOString();
        res.writeHead(200, { 'content-type': 'text/xml' }).end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${ASSUMED_KEY}</AccessKeyId><SecretAccessKey>assumed-secret</SecretAccessKey><SessionToken>assumed-token</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>${form.get('RoleArn') ?? ''}/eksguard-audit</Arn><AssumedRoleId>AROAFAKE:eksguard-audit</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></AssumeRoleResponse>`);
        return;
      }
      if (scope?.[1] === 'acm-pca') {
        const action = 'acm-pca:ListCertificateAuthorities';
        calls.push(action);
        if (options.intercept?.(action, req, res) === true) return;
        if (options.rejectCredentials === true) {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }));
          return;
        }
        if (deny.has(action)) {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'AccessDeniedException', message: `not authorized to perform: ${action}` }));
          return;
        }
        answerAcmPca((account ?? fixtureOf(callerAccount, region))?.docs ?? [], text, res, req);
        return;
      }
      const service = SERVICES[scope?.[1] ?? ''];
      if (service === undefined) {
        res.writeHead(400).end(`unknown service ${scope?.[1] ?? '(unsigned request)'}`);
        return;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let operation: string | undefined;
      let param: Params = () => undefined;
      let token: string | undefined;
      if (service.protocol === 'restJson') {
        let table = routes.get(service.module);
        if (table === undefined) routes.set(service.module, (table = restRoutes(service.module)));
        for (const route of table) {
          const match = route.method === req.method ? route.pattern.exec(url.pathname) : null;
          if (match === null) continue;
          operation = route.operation;
          const labels = Object.fromEntries(route.labels.map((l, i) => [l, decodeURIComponent(match[i + 1] ?? '')]));
          const json = text === '' ? {} : (JSON.parse(text) as Json);
          param = (name) => labels[name] ?? url.searchParams.get(name) ?? jsonParam(json, name);
          break;
        }
        token = url.searchParams.get('nextToken') ?? url.searchParams.get('NextToken') ?? url.searchParams.get('Marker') ?? undefined;
      } else if (service.protocol === 'awsJson') {
        operation = String(req.headers['x-amz-target'] ?? '').split('.').pop();
        const json = text === '' ? {} : (JSON.parse(text) as Json);
        param = (name) => jsonParam(json, name);
        token = param('NextToken') ?? param('nextToken');
      } else {
        const form = new URLSearchParams(text);
        operation = form.get('Action') ?? undefined;
        param = (name) => form.get(name) ?? undefined;
        token = param('NextToken') ?? param('Marker');
      }
      const action = `${service.prefix}:${operation ?? '?'}`;
      calls.push(action);
      if (options.intercept?.(action, req, res) === true) return;
      const fail = ([status, code]: [number, string], message: string) => {
        const error = serializeError(service.protocol, code, message);
        res.writeHead(status, error.headers).end(error.body);
      };
      if (options.rejectCredentials === true) return fail([400, service.protocol === 'ec2Query' ? 'AuthFailure' : service.protocol === 'awsQuery' ? 'InvalidClientTokenId' : 'UnrecognizedClientException'], 'The security token included in the request is invalid.');
      if (operation === undefined) return fail([400, 'UnknownOperationException'], `no such operation: ${req.method ?? ''} ${url.pathname}`);
      const custom = options.failWith?.[action];
      if (custom !== undefined) return fail([custom[0], custom[1]], custom[2]);
      if (deny.has(action)) return fail(DENIED[service.protocol], `User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: ${action}`);
      if (throttleOnce.has(action)) {
        throttleOnce.delete(action);
        throttled.push(action);
        return fail(THROTTLED[service.protocol], 'Rate exceeded');
      }
      const op = (service.module as Record<string, unknown>)[`${operation}$`] as readonly unknown[] | undefined;
      const answer = op === undefined || options.notFound?.includes(action) === true ? undefined
        : fleet !== undefined ? fleetAnswer(fleet, fixtureOf(callerAccount, region), operation, param, callerAccount, region)
          : account?.answer(operation, param);
      if (op === undefined || answer === undefined) return fail([NOT_FOUND[service.protocol][0], NOT_FOUND_CODES[action] ?? NOT_FOUND[service.protocol][1]], `${operation}: not in the fixture`);
      const output = paginate(answer, op, token, options.pageSize ?? 1, options.endlessTokens?.includes(action) === true);
      const contentType = service.protocol === 'awsQuery' || service.protocol === 'ec2Query' ? 'text/xml' : service.protocol === 'awsJson' ? 'application/x-amz-json-1.1' : 'application/json';
      res.writeHead(200, { 'content-type': contentType }).end(serializeOutput(service.protocol, op, output, { urlEncodePolicies: service.prefix === 'iam' }));
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, calls, throttled, maxInFlight: () => maxInFlight, accessKeys, assumed,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
