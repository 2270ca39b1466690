/**
 * A fake AWS endpoint on 127.0.0.1 for the live collector's tests: one HTTP server answering every
 * service the collector calls (point `AWS_ENDPOINT_URL` at it), in each service's own wire protocol
 * (EKS, GuardDuty, Inspector2: rest-json; EC2: ec2 query/XML; IAM: query/XML; CloudWatch: JSON 1.0;
 * Logs, ECR, CloudTrail, KMS: JSON 1.1; STS AssumeRole for --role-arn). Answers come from AWS CLI output fixtures, split into pages;
 * chosen calls are throttled once or denied, by IAM action name.
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
import { FixtureAccount, type Params } from './answers.js';
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
const TOKEN_MEMBERS = ['NextToken', 'nextToken', 'Marker'];
/** The access key id of the temporary credentials STS AssumeRole hands out. */
export const ASSUMED_KEY = 'ASIAFAKEASSUMEDROLE1';

export interface FakeAwsOptions {
  /** A directory of AWS CLI output (test/fixtures/aws/weak). */
  readonly fixture: string;
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

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const account = new FixtureAccount(options.fixture);
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
      if (scope?.[1] === 'sts') {
        // --role-arn: STS AssumeRole (query protocol), answered with fixed temporary credentials.
        const form = new URLSearchParams(text);
        calls.push(`sts:${form.get('Action') ?? '?'}`);
        assumed.push(form.get('RoleArn') ?? '');
        const expiration = new Date(Date.now() + 3600_000).toISOString();
        res.writeHead(200, { 'content-type': 'text/xml' }).end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${ASSUMED_KEY}</AccessKeyId><SecretAccessKey>assumed-secret</SecretAccessKey><SessionToken>assumed-token</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>${form.get('RoleArn') ?? ''}/eksguard-audit</Arn><AssumedRoleId>AROAFAKE:eksguard-audit</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></AssumeRoleResponse>`);
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
        token = url.searchParams.get('nextToken') ?? undefined;
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
      const answer = op === undefined || options.notFound?.includes(action) === true ? undefined : account.answer(operation, param);
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
