/**
 * SigV4 query signing written for the tests from AWS's specification, with node:crypto only, so the
 * tests check the token module (which signs with @smithy/signature-v4) against an independent
 * computation: the token `aws eks get-token` prints for given inputs, and what the EKS
 * authenticator checks before it replays a token to STS.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();
/** RFC 3986 percent-encoding, as SigV4 canonicalises query components. */
const uriEncode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function signature(secret: string, date: string, region: string, host: string, clusterName: string, query: Readonly<Record<string, string>>): string {
  const canonicalQuery = Object.keys(query).filter((k) => k !== 'X-Amz-Signature').sort().map((k) => `${uriEncode(k)}=${uriEncode(query[k] ?? '')}`).join('&');
  const canonicalRequest = ['GET', '/', canonicalQuery, `host:${host}`, `x-k8s-aws-id:${clusterName}`, '', 'host;x-k8s-aws-id', EMPTY_SHA256].join('\n');
  const day = date.slice(0, 8);
  const scope = `${day}/${region}/sts/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 'sts'), 'aws4_request');
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
}

export interface TokenInputs {
  readonly clusterName: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly now: Date;
}

/** What `aws eks get-token` prints as `status.token` for these inputs (botocore's URL layout). */
export function expectedToken(inputs: TokenInputs): string {
  const host = `sts.${inputs.region}.amazonaws.com`;
  const date = inputs.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const query: Record<string, string> = {
    Action: 'GetCallerIdentity', Version: '2011-06-15', 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${inputs.accessKeyId}/${date.slice(0, 8)}/${inputs.region}/sts/aws4_request`, 'X-Amz-Date': date, 'X-Amz-Expires': '60',
    'X-Amz-SignedHeaders': 'host;x-k8s-aws-id', ...(inputs.sessionToken !== undefined ? { 'X-Amz-Security-Token': inputs.sessionToken } : {}),
  };
  query['X-Amz-Signature'] = signature(inputs.secretAccessKey, date, inputs.region, host, inputs.clusterName, query);
  const url = `https://${host}/?${Object.entries(query).map(([k, v]) => `${k}=${uriEncode(v)}`).join('&')}`;
  return `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
}

/**
 * Whether a bearer token is a presigned STS GetCallerIdentity URL for `clusterName`, as the EKS
 * authenticator checks it: the prefix and encoding, the STS host of an expected region, the action,
 * `x-k8s-aws-id` among the signed headers, a date no more than 15 minutes old, and the signature,
 * recomputed with the secret key of the access key it names (the header's value is the cluster name
 * only if the signature matches with it).
 */
export function verifyEksToken(bearer: string, options: { clusterName: string; regions: readonly string[]; secretFor: (accessKeyId: string) => string | undefined; now?: Date }): { ok: true; accessKeyId: string } | { ok: false; why: string } {
  if (!bearer.startsWith('k8s-aws-v1.')) return { ok: false, why: 'prefix' };
  const encoded = bearer.slice('k8s-aws-v1.'.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return { ok: false, why: 'not base64url without padding' };
  let url: URL;
  try {
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, why: 'not a URL' };
  }
  const region = options.regions.find((r) => url.hostname === `sts.${r}.amazonaws.com`);
  if (url.protocol !== 'https:' || region === undefined || url.pathname !== '/') return { ok: false, why: `host ${url.hostname}` };
  const query = Object.fromEntries(url.searchParams.entries());
  if (query.Action !== 'GetCallerIdentity' || query.Version !== '2011-06-15') return { ok: false, why: 'action' };
  if (query['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256' || query['X-Amz-Expires'] !== '60') return { ok: false, why: 'algorithm or expiry' };
  if (!(query['X-Amz-SignedHeaders'] ?? '').split(';').includes('x-k8s-aws-id')) return { ok: false, why: 'x-k8s-aws-id not signed' };
  const date = query['X-Amz-Date'] ?? '';
  const signedAt = Date.parse(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const now = (options.now ?? new Date()).getTime();
  if (Number.isNaN(signedAt) || now - signedAt > 15 * 60_000 || signedAt - now > 5 * 60_000) return { ok: false, why: 'expired' };
  const [accessKeyId = '', day, scopeRegion, service] = (query['X-Amz-Credential'] ?? '').split('/');
  if (day !== date.slice(0, 8) || scopeRegion !== region || service !== 'sts') return { ok: false, why: 'scope' };
  const secret = options.secretFor(accessKeyId);
  if (secret === undefined) return { ok: false, why: 'unknown access key' };
  const expected = Buffer.from(signature(secret, date, region, url.hostname, options.clusterName, query), 'hex');
  const given = Buffer.from(query['X-Amz-Signature'] ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'signature (another cluster, or another key)' };
  return { ok: true, accessKeyId };
}
