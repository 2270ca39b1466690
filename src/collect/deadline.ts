/**
 * The deadlines network reads share (docs/limits.md): how long one request may wait for its next
 * byte, how long it may take in all, and the run's deadline (`--timeout`), which ends every read
 * still going when it passes. The collectors turn each into a gap naming the call it cut short.
 */
import { setMaxListeners } from 'node:events';

/** How long a request may wait to connect, for its answer to start, or for the next part of it. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/**
 * A request must finish within this many request timeouts in all (2 min by default): a server that
 * trickles a byte now and then never trips the idle timeout, so the whole request has a bound too.
 */
export const REQUEST_DEADLINE_FACTOR = 4;
/** `--timeout`: a whole run's network reads end by then. */
export const DEFAULT_RUN_TIMEOUT_MS = 10 * 60_000;

export function requestDeadlineMs(requestTimeoutMs: number): number {
  return requestTimeoutMs * REQUEST_DEADLINE_FACTOR;
}

/** Why the run's signal aborted: its deadline passed. The message is the gap's words. */
export class RunDeadlineError extends Error {
  override name = 'RunDeadlineError';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`the run's deadline of ${formatDuration(timeoutMs)} passed (--timeout)`);
    this.timeoutMs = timeoutMs;
  }
}

/** The run's deadline: a signal aborted with a RunDeadlineError when `timeoutMs` has passed; `stop()` when the run is over. */
export function startRunDeadline(timeoutMs: number): { readonly signal: AbortSignal; stop(): void } {
  const controller = new AbortController();
  // Every request in flight listens for the deadline (and stops listening when it ends): no bound on listeners to warn about.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => controller.abort(new RunDeadlineError(timeoutMs)), timeoutMs);
  // The deadline bounds the reads; it must not keep a finished process alive.
  timer.unref();
  return { signal: controller.signal, stop: () => clearTimeout(timer) };
}

/** The words of an aborted run signal, whatever aborted it. */
export function abortWords(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : "the run's deadline passed";
}

/** Settles as `promise` does, or rejects with the signal's reason as soon as it aborts (the promise is left to settle unobserved). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Settles as `promise` does, or rejects with `timedOut()` after `ms` (the promise is left to settle unobserved). */
export function within<T>(promise: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timedOut()), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/** `30 s`, `1.5 s`, `10 min`, `1 h 30 min`, `500 ms`: a duration in the words gaps use. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return [hours > 0 ? `${hours} h` : '', minutes > 0 ? `${minutes} min` : '', seconds > 0 ? `${seconds} s` : ''].filter((p) => p !== '').join(' ');
}

/** `256 MiB`, `64 KiB`, `900 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes.toLocaleString('en-US')} bytes`;
}
