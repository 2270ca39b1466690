/**
 * Deadlines and size bounds on every AWS request (docs/limits.md). The SDK's HTTP handler bounds
 * connecting, waiting for an answer and silences within one; nothing in the SDK bounds an answer
 * that keeps trickling or never ends, or the size of one, so a middleware next to the HTTP handler
 * (once per attempt, inside the retries) wraps each answer's body. A request cut short by a bound
 * fails with a BoundError, which the SDK does not retry (a server that held a request for the
 * whole timeout will not answer the next one sooner) and the collector reports as a gap naming
 * the call. The run's deadline aborts every request in flight.
 */
import { Readable, Transform } from 'node:stream';
import type { DeserializeHandlerOutput, DeserializeMiddleware, Pluggable } from '@aws-sdk/types';
import { DEFAULT_REQUEST_TIMEOUT_MS, formatBytes, formatDuration, requestDeadlineMs } from '../deadline.js';

export interface AwsRequestLimits {
  /** How long a request may wait to connect, for its answer to start, or for the next part of it. */
  readonly requestTimeoutMs: number;
  /** The largest answer read. */
  readonly maxResponseBytes: number;
  /** The run's deadline: aborts every request in flight. */
  readonly signal?: AbortSignal;
}

/** The largest AWS answer read (docs/limits.md). */
export const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

/** The limits of a run, with the defaults for what the caller does not set. */
export function requestLimits(options: { readonly requestTimeoutMs?: number; readonly maxResponseBytes?: number; readonly signal?: AbortSignal } = {}): AwsRequestLimits {
  return {
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  };
}

/** A TCP connection to AWS takes milliseconds; an endpoint that accepts none is given this long at most. */
const MAX_CONNECT_TIMEOUT_MS = 10_000;

export type Bound = 'connect' | 'silent' | 'stalled' | 'slow' | 'large' | 'pages';

/** A request or listing cut short by a bound. */
export class BoundError extends Error {
  override name = 'BoundError';
  readonly bound: Bound;
  /** What happened, in words that follow the call's name (`got no answer within 30 s`); the SDK may add to `message`, never to these. */
  readonly words: string;
  constructor(bound: Bound, words: string) {
    super(words);
    this.bound = bound;
    this.words = words;
  }
}

function connectTimeoutMs(limits: AwsRequestLimits): number {
  return Math.min(MAX_CONNECT_TIMEOUT_MS, limits.requestTimeoutMs);
}

/** The `requestHandler` options of every client: the SDK's own timeouts, as errors rather than warnings. */
export function handlerOptions(limits: AwsRequestLimits): { connectionTimeout: number; requestTimeout: number; socketTimeout: number; throwOnRequestTimeout: true } {
  return { connectionTimeout: connectTimeoutMs(limits), requestTimeout: limits.requestTimeoutMs, socketTimeout: limits.requestTimeoutMs, throwOnRequestTimeout: true };
}

/** The SDK's timeout errors (named TimeoutError, which it would retry) as BoundErrors; any other error as it is. */
function asBoundError(error: unknown, limits: AwsRequestLimits, inBody: boolean): unknown {
  const e = error as { name?: unknown; message?: unknown } | undefined;
  if (e?.name !== 'TimeoutError') return error;
  if (typeof e.message === 'string' && /without establishing a connection/.test(e.message)) {
    return new BoundError('connect', `could not connect within ${formatDuration(connectTimeoutMs(limits))}`);
  }
  const wait = formatDuration(limits.requestTimeoutMs);
  return inBody ? new BoundError('stalled', `stopped answering for ${wait}`) : new BoundError('silent', `got no answer within ${wait}`);
}

function boundedAnswers<Input extends object, Output extends object>(limits: AwsRequestLimits): DeserializeMiddleware<Input, Output> {
  const deadlineMs = requestDeadlineMs(limits.requestTimeoutMs);
  return (next) => async (args) => {
    const signal = limits.signal;
    if (signal?.aborted) throw signal.reason as Error;
    // What a bound does when it is reached: first reject the wait for the answer, then end its body.
    let cutShort: (error: Error) => void = () => undefined;
    const timer = setTimeout(() => cutShort(new BoundError('slow', `did not finish answering within ${formatDuration(deadlineMs)}`)), deadlineMs);
    const onAbort = () => cutShort(signal?.reason as Error);
    signal?.addEventListener('abort', onAbort, { once: true });
    const release = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    let result: DeserializeHandlerOutput<Output>;
    try {
      result = await new Promise<DeserializeHandlerOutput<Output>>((resolve, reject) => {
        cutShort = reject;
        next(args).then(resolve, reject);
      });
    } catch (error) {
      release();
      throw asBoundError(error, limits, false);
    }
    const response = result.response as { body?: unknown };
    const source = response.body;
    if (!(source instanceof Readable)) {
      release();
      return result;
    }
    let size = 0;
    const body = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > limits.maxResponseBytes) callback(new BoundError('large', `answered with more than ${formatBytes(limits.maxResponseBytes)}`));
        else callback(null, chunk);
      },
    });
    cutShort = (error) => body.destroy(error);
    source.on('error', (error) => body.destroy(asBoundError(error, limits, true) as Error));
    // However the body ends, the timer goes and the connection under an unfinished answer is closed.
    body.on('close', () => {
      release();
      if (!source.readableEnded) source.destroy();
    });
    source.pipe(body);
    response.body = body;
    return result;
  };
}

/** The plugin that bounds every answer of a client (`client.middlewareStack.use(...)`, or `clientPlugins`). */
export function boundAnswers<Input extends object, Output extends object>(limits: AwsRequestLimits): Pluggable<Input, Output> {
  return {
    applyToStack: (stack) => {
      // Low priority in the deserialize step: between the deserializer and the HTTP handler, so the body is wrapped before it is read.
      stack.add(boundedAnswers<Input, Output>(limits), { step: 'deserialize', name: 'eksguardBoundedAnswers', priority: 'low' });
    },
  };
}
