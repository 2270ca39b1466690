/**
 * `acm-pca:ListCertificateAuthorities`, written by hand. Why: the npm registry eksguard installs
 * from holds no `@aws-sdk/client-acm-pca` of the SDK generation the other clients pin (only
 * 3.523.0, which would bring a second copy of the SDK core, +74 MB), and this one JSON 1.1 call is
 * all eksguard needs of ACM Private CA. The request is signed by the SDK's own SigV4 signer
 * (`@smithy/signature-v4`) with the credentials every other client uses, and sent with node's
 * http(s) under the same bounds as every SDK client (bounds.ts): connect timeout, a silence
 * timeout, a deadline on the whole answer, a size cap, the run's abort signal. Errors carry the
 * SDK's shape (`name`, `$metadata.httpStatusCode`) so `classify` sorts them like any other.
 */
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { SignatureV4 } from '@smithy/signature-v4';
import { formatBytes, formatDuration, requestDeadlineMs } from '../deadline.js';
import { BoundError, type AwsRequestLimits } from './bounds.js';
import { partitionOf } from '../../core/aws/arn.js';

type Json = Record<string, unknown>;

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** SHA-256 (and HMAC-SHA-256 with a secret) in the signer's checksum shape, from node:crypto. */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

export interface AcmPcaOptions {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly limits: AwsRequestLimits;
}

/** An AWS error answer, shaped as the SDK's errors are. */
class AcmPcaError extends Error {
  readonly $metadata: { readonly httpStatusCode: number };
  constructor(name: string, message: string, status: number) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

/** Timestamp members of the answer: JSON 1.1 sends epoch seconds, the model holds ISO strings. */
const TIMESTAMPS = ['CreatedAt', 'LastStateChangeAt', 'NotBefore', 'NotAfter', 'RestorableUntil'];

function isoTimestamps(authority: Json): Json {
  const out: Json = { ...authority };
  for (const key of TIMESTAMPS) if (typeof out[key] === 'number') out[key] = new Date(out[key] * 1000).toISOString();
  return out;
}

/** POSTs one JSON 1.1 request and returns the parsed answer, within the bounds. */
async function post(options: AcmPcaOptions, body: string): Promise<Json> {
  const url = new URL(options.endpoint ?? `https://acm-pca.${options.region}.amazonaws.com${partitionOf(options.region) === 'aws-cn' ? '.cn' : ''}`);
  const signer = new SignatureV4({ service: 'acm-pca', region: options.region, credentials: options.credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: url.protocol, hostname: url.hostname, ...(url.port !== '' ? { port: Number(url.port) } : {}), path: url.pathname, query: {},
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'ACMPrivateCA.ListCertificateAuthorities' },
    body,
  });
  const { limits } = options;
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise<Json>((resolve, reject) => {
    const req = send(url, { method: 'POST', headers: signed.headers, ...(limits.signal !== undefined ? { signal: limits.signal } : {}) }, (res) => {
      let size = 0;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxResponseBytes) req.destroy(new BoundError('large', `answered with more than ${formatBytes(limits.maxResponseBytes)}`));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(deadline);
        let answer: Json;
        try {
          answer = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json;
        } catch {
          reject(new AcmPcaError('SerializationException', 'the answer is not JSON', res.statusCode ?? 0));
          return;
        }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(answer);
        else {
          const type = String(answer.__type ?? res.headers['x-amzn-errortype'] ?? 'UnknownError');
          reject(new AcmPcaError(type.slice(type.lastIndexOf('#') + 1).split(':')[0] ?? type, String(answer.message ?? answer.Message ?? ''), status));
        }
      });
      res.on('error', (error) => { clearTimeout(deadline); reject(error); });
    });
    const deadlineMs = requestDeadlineMs(limits.requestTimeoutMs);
    const deadline = setTimeout(() => req.destroy(new BoundError('slow', `did not finish answering within ${formatDuration(deadlineMs)}`)), deadlineMs);
    // No answer, or a silence inside one, for the request timeout: the SDK clients' socket timeout.
    req.setTimeout(limits.requestTimeoutMs, () => req.destroy(new BoundError('silent', `got no answer within ${formatDuration(limits.requestTimeoutMs)}`)));
    req.on('error', (error) => { clearTimeout(deadline); reject(error); });
    req.end(body);
  });
}

/** Every certificate authority of the account in the region, page by page (at most `maxPages`). */
export async function listCertificateAuthorities(options: AcmPcaOptions, maxPages: number): Promise<{ CertificateAuthorities: Json[] }> {
  const authorities: Json[] = [];
  let token: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= maxPages) throw new BoundError('pages', `returned more than ${maxPages.toLocaleString('en-US')} pages; the listing was not kept`);
    const answer = await post(options, JSON.stringify(token === undefined ? {} : { NextToken: token }));
    const list = Array.isArray(answer.CertificateAuthorities) ? (answer.CertificateAuthorities as unknown[]) : [];
    for (const item of list) if (item !== null && typeof item === 'object') authorities.push(isoTimestamps(item as Json));
    token = typeof answer.NextToken === 'string' && answer.NextToken !== '' ? answer.NextToken : undefined;
    if (token === undefined) return { CertificateAuthorities: authorities };
  }
}
