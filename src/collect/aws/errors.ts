/** Sorts SDK errors: a refused call is a gap naming the IAM action; missing credentials or an unreachable endpoint end the scan. Pure. */
import { UsageError } from '../../core/errors.js';
import { RunDeadlineError } from '../deadline.js';
import { BoundError } from './bounds.js';

export type Failure =
  /** Cut short by a deadline or bound (docs/limits.md): `words` follow the call's name. */
  | { readonly kind: 'cut'; readonly words: string }
  | { readonly kind: 'denied'; readonly detail: string }
  | { readonly kind: 'unavailable'; readonly detail: string }
  | { readonly kind: 'fatal'; readonly error: UsageError };

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException', 'AuthorizationError', 'AuthorizationErrorException']);
/** The credentials themselves are wrong: every other call would fail the same way. */
const BAD_CREDENTIALS = new Set([
  'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch',
  'InvalidSignatureException', 'AuthFailure', 'InvalidAccessKeyId', 'IncompleteSignature', 'MissingAuthenticationToken',
]);
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export function classify(error: unknown, region: string, endpoint: string | undefined): Failure {
  if (error instanceof BoundError) return { kind: 'cut', words: error.words };
  if (error instanceof RunDeadlineError) return { kind: 'cut', words: `was not read: ${error.message}` };
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? '';
  const message = (e.message ?? String(error)).split('\n')[0] ?? '';
  if (name === 'CredentialsProviderError' || /could not load credentials|credential is missing/i.test(message)) {
    return { kind: 'fatal', error: new UsageError(`--aws: no AWS credentials found (${message})`, 'Set AWS_PROFILE or give --profile, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run aws sso login (docs/aws-evidence.md).') };
  }
  if (BAD_CREDENTIALS.has(name)) {
    return { kind: 'fatal', error: new UsageError(`--aws: AWS rejected the credentials (${name}: ${message})`, 'Refresh them (aws sso login, or new keys), or give another --profile.') };
  }
  if (NETWORK.has(e.code ?? '') || NETWORK.has(name) || name === 'TimeoutError' || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message)) {
    return { kind: 'fatal', error: new UsageError(`--aws: cannot reach AWS in ${region}${endpoint !== undefined ? ` at ${endpoint}` : ''} (${e.code ?? name}: ${message})`, 'Check the network, the region, and AWS_ENDPOINT_URL if it is set.') };
  }
  if (DENIED.has(name) || e.$metadata?.httpStatusCode === 403) return { kind: 'denied', detail: `${name}: ${message}` };
  return { kind: 'unavailable', detail: `${name || 'error'}: ${message}` };
}
