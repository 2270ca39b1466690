/**
 * The second thread of a large file's read: a worker thread that reads byte ranges of JSON-lines
 * files for a job, one at a time, on request. Starting one costs a new isolate and the modules of
 * the detections (a few hundred milliseconds), so the CLI may start it early (`prestartRangeWorker`),
 * while this thread still loads the configuration; it is then adopted by the read. A worker never
 * keeps the process alive: it is unreferenced whenever no read waits on it, and the read ends it.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JobSpec } from '../../jobs.js';
import type { ReadStats } from '../consume.js';

export interface RangeResult<S> {
  readonly state: S;
  readonly stats: ReadStats;
}

/** What the worker is asked: first the job, then ranges (to answer, or to keep and join), then what it kept. */
export type WorkerRequest =
  | { readonly kind: 'job'; readonly spec: JobSpec }
  | { readonly kind: 'range'; readonly path: string; readonly name: string; readonly start: number; readonly end: number; readonly keep?: boolean }
  | { readonly kind: 'flush' };

/** What it answers: a range's result (or the ranges it kept, joined), that it kept one, or why it could not. */
export type WorkerAnswer<S> = { readonly kind: 'result'; readonly result: RangeResult<S> } | { readonly kind: 'kept' } | { readonly kind: 'failed'; readonly message: string };

/** Files at least this large (and uncompressed JSON lines) are read on two threads. */
export const DEFAULT_PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

/** The worker's module next to this one; absent when running from TypeScript sources (tests). */
const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * Whether a second thread can help: the machine has two cores or more. Not gated on the load
 * average: the threads take ranges in turn, so on a busy machine the second one just takes fewer,
 * and the scheduler gives two threads more of a shared machine than one.
 */
export function spareCore(): boolean {
  return availableParallelism() >= 2;
}

function newWorker(): Worker | undefined {
  if (!spareCore() || !existsSync(fileURLToPath(WORKER_URL))) return undefined;
  try {
    const worker = new Worker(WORKER_URL);
    worker.unref();
    // Until adopted nobody listens: a worker that fails to start is just not used.
    worker.on('error', () => undefined);
    return worker;
  } catch {
    return undefined;
  }
}

/** A worker started before it is needed, not yet adopted by a read. */
let spare: Worker | undefined;

/**
 * Starts the worker early when one of `paths` is a regular file a read will split between two
 * threads: its start-up then overlaps the configuration's loading. Cheap when none is (one stat each).
 * True when a worker is waiting.
 */
export function prestartRangeWorker(paths: readonly string[], cwd: string): boolean {
  if (spare !== undefined) return true;
  const large = paths.some((path) => {
    if (path === '-') return false;
    try {
      const info = statSync(resolve(cwd, path));
      return info.isFile() && info.size >= DEFAULT_PARALLEL_MIN_BYTES;
    } catch {
      return false;
    }
  });
  if (large) spare = newWorker();
  return spare !== undefined;
}

/** Ends a prestarted worker no read adopted (the command failed before reading, or read no large file). */
export function releaseRangeWorker(): void {
  void spare?.terminate();
  spare = undefined;
}

/**
 * A worker reading ranges for one job; `read` resolves undefined once the worker has failed. Reads
 * may be asked before the previous ones are answered: the worker takes them in order, so that it
 * has its next range at hand while this thread is busy and cannot hand one out.
 */
export interface RangeWorker<S> {
  read(path: string, name: string, start: number, end: number): Promise<RangeResult<S> | undefined>;
  /**
   * Reads a range and keeps its result, joined with the ranges kept before, which must come just
   * after it in the file (ranges are kept from the end backwards); true once kept, false once failed.
   */
  keep(path: string, name: string, start: number, end: number): Promise<boolean>;
  /** The kept ranges' results, joined (undefined if none was kept or the worker failed). */
  flush(): Promise<RangeResult<S> | undefined>;
  close(): void;
}

/** The prestarted worker, or a new one, given the job. Undefined when no worker can run here. */
export function startRangeWorker<S>(spec: JobSpec): RangeWorker<S> | undefined {
  const worker = spare ?? newWorker();
  spare = undefined;
  if (worker === undefined) return undefined;
  // The reads asked and not yet answered, oldest first: the worker answers them in that order.
  const pending: ((value: WorkerAnswer<S> | undefined) => void)[] = [];
  let failed = false;
  const answer = (value: WorkerAnswer<S> | undefined) => {
    const resolveRead = pending.shift();
    // Nothing to wait for: the worker must not hold the process open.
    if (pending.length === 0) worker.unref();
    resolveRead?.(value);
  };
  const fail = () => {
    failed = true;
    while (pending.length > 0) answer(undefined);
  };
  worker.on('message', (message: WorkerAnswer<S>) => {
    if (message.kind === 'failed') fail();
    else answer(message);
  });
  worker.once('error', fail);
  worker.once('exit', fail);
  worker.postMessage({ kind: 'job', spec } satisfies WorkerRequest);
  const ask = (request: WorkerRequest): Promise<WorkerAnswer<S> | undefined> => (failed ? Promise.resolve(undefined) : new Promise((resolveAsk) => {
    pending.push(resolveAsk);
    worker.ref();
    worker.postMessage(request);
  }));
  const resultOf = (answer: WorkerAnswer<S> | undefined) => (answer?.kind === 'result' ? answer.result : undefined);
  return {
    read: async (path, name, start, end) => resultOf(await ask({ kind: 'range', path, name, start, end })),
    keep: async (path, name, start, end) => (await ask({ kind: 'range', path, name, start, end, keep: true }))?.kind === 'kept',
    flush: async () => resultOf(await ask({ kind: 'flush' })),
    close: () => {
      worker.removeAllListeners();
      worker.on('error', () => undefined);
      void worker.terminate();
    },
  };
}
