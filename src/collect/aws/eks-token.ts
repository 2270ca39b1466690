/**
 * The bearer token an IAM identity shows an EKS API server, minted in-process as `aws eks get-token`
 * mints it (so a fleet scan needs neither the AWS CLI nor a kubeconfig): a presigned STS
 * `GetCallerIdentity` URL whose signature covers the `x-k8s-aws-id` header naming the cluster,
 * `k8s-aws-v1.` + base64url of the URL without padding. The EKS authenticator replays the URL to STS
 * with that header: a token for one cluster is refused by every other. It accepts a URL up to 15
 * minutes after its X-Amz-Date; `EksTokenSource` mints a new one before then.
 *
 * The signature is @smithy/signature-v4's; only the URL is laid out here, in the order botocore
 * writes it (operation parameters, then the authentication parameters, the signature last), so the
 * token is the very string `aws eks get-token` prints for the same credentials, region and clock.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** `X-Amz-Expires` of the presigned URL, as `aws eks get-token` sets it. */
export const PRESIGN_EXPIRES_S = 60;
/** How long the EKS authenticator accepts a token after it was signed. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;
/** A token is replaced this long before the authenticator would refuse it (clock skew, a long request). */
export const TOKEN_REFRESH_MARGIN_MS = 3 * 60_000;
const CLUSTER_HEADER = 'x-k8s-aws-id';

/**
 * SHA-256 and HMAC-SHA-256 for the signer, from node:crypto. By hand because `@smithy/hash-node`
 * (what the SDK clients use) is not a direct dependency of this package, and these ten lines are
 * the whole of it.
 */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): Buffer => (typeof data === 'string' ? Buffer.from(data, 'utf8')
  : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data));

class NodeSha256 {
  private readonly secret: Buffer | undefined;
  private chunks: Buffer[] = [];
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : bytes(secret);
  }
  update(data: SourceData): void {
    this.chunks.push(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    const hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
    for (const chunk of this.chunks) hash.update(chunk);
    return Promise.resolve(new Uint8Array(hash.digest()));
  }
  reset(): void {
    this.chunks = [];
  }
}

/** The regional STS host of a region, in its partition's domain (`sts.eu-west-1.amazonaws.com`, `sts.cn-north-1.amazonaws.com.cn`). */
export function stsHost(region: string): string {
  return `sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

export interface MintedToken {
  readonly token: string;
  /** When the EKS authenticator stops accepting it (15 minutes after signing). */
  readonly expiresAt: Date;
}

/** Percent-encoding of a query component as botocore writes it (RFC 3986 unreserved characters kept). */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The token for `clusterName` (its EKS name, not its ARN), signed with `credentials` for STS in `region` at `now`. */
export async function mintEksToken(options: {
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly now?: Date;
}): Promise<MintedToken> {
  const now = options.now ?? new Date();
  const host = stsHost(options.region);
  const signer = new SignatureV4({ service: 'sts', region: options.region, credentials: options.credentials, sha256: NodeSha256, uriEscapePath: true });
  const operation = { Action: 'GetCallerIdentity', Version: '2011-06-15' };
  const signed = await signer.presign(
    { method: 'GET', protocol: 'https:', hostname: host, path: '/', query: { ...operation }, headers: { host, [CLUSTER_HEADER]: options.clusterName } },
    { expiresIn: PRESIGN_EXPIRES_S, signingDate: now },
  );
  const query = signed.query as Record<string, string>;
  // botocore's order: the operation's parameters, the authentication parameters, the signature appended last.
  const order = ['Action', 'Version', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Security-Token', 'X-Amz-Signature'];
  const parts = order.filter((key) => query[key] !== undefined).map((key) => `${key}=${encode(query[key] ?? '')}`);
  const url = `https://${host}/?${parts.join('&')}`;
  return { token: `${EKS_TOKEN_PREFIX}${Buffer.from(url, 'utf8').toString('base64url')}`, expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS) };
}

/**
 * The current token of one cluster: minted on first use, minted anew once less than the refresh
 * margin of its lifetime is left; concurrent callers share one mint.
 */
export class EksTokenSource {
  private current: MintedToken | undefined;
  private pending: Promise<MintedToken> | undefined;
  /** Tokens minted so far (tests count refreshes). */
  minted = 0;
  constructor(private readonly options: {
    readonly clusterName: string;
    readonly region: string;
    readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
    /** The clock (tests move it). */
    readonly clock?: () => Date;
  }) {}

  async token(): Promise<string> {
    const now = this.options.clock?.() ?? new Date();
    if (this.current !== undefined && this.current.expiresAt.getTime() - now.getTime() > TOKEN_REFRESH_MARGIN_MS) return this.current.token;
    this.pending ??= mintEksToken({ clusterName: this.options.clusterName, region: this.options.region, credentials: this.options.credentials, now })
      .then((minted) => { this.minted += 1; return minted; })
      .finally(() => { this.pending = undefined; });
    this.current = await this.pending;
    return this.current.token;
  }
}
