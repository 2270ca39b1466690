/**
 * The second thread of a large file's read: a worker thread that reads byte ranges of JSON-lines
 * files for a job, one at a time, on request. Starting one costs a new isolate and the modules of
 * the detections (a few hundred milliseconds), so the CLI may start it early (`prestartRangeWorker`),
 * while this thread still loads the configuration; it is then adopted by the read. A worker never
 * keeps the process alive: it is unreferenced whenever no read waits on it, and the read ends it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
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

/** Whether a second thread can run here at all: the machine has two cores or more. */
export function spareCore(): boolean {
  return availableParallelism() >= 2;
}

/**
 * Whether a second thread would run beside this one rather than take turns with it: fewer threads
 * are runnable right now (this one included) than there are cores. Unknown (`runnable` undefined,
 * not Linux): yes. A second thread costs CPU of its own: its isolate's start, and the same code
 * warmed up and compiled by V8 a second time (the compiler's threads too). On the bench's
 * 200,000-event log on 2 cores the two threads took ~1.6-1.8 s of CPU against ~1.2-1.35 s for
 * one, so they only pay where a core is idle; with the machine busy (other processes runnable on
 * both cores) one thread took 1.65 s against 2.68 s for two (median of 6, interleaved).
 */
export function idleCoreFor(cores: number, runnable: number | undefined): boolean {
  return runnable === undefined || runnable < cores;
}

/** Threads runnable on the machine now, ours included: the first half of /proc/loadavg's `running/total` (Linux). */
function runnableThreads(): number | undefined {
  try {
    const running = Number(readFileSync('/proc/loadavg', 'latin1').split(' ')[3]?.split('/')[0]);
    return Number.isInteger(running) && running > 0 ? running : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One answer for a minute: the early start and the read of one run must agree (the read adopts
 * the worker started early, or none), and a process that reads logs for longer looks again.
 */
const IDLE_ANSWER_MS = 60_000;
let idle: { readonly answer: boolean; readonly at: number } | undefined;

/** Whether a core is idle for a second thread now (`idleCoreFor` on this machine). */
export function idleCore(): boolean {
  const now = Date.now();
  if (idle === undefined || now - idle.at > IDLE_ANSWER_MS) idle = { answer: idleCoreFor(availableParallelism(), runnableThreads()), at: now };
  return idle.answer;
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
 * threads (and a core is idle for it): its start-up then overlaps the configuration's loading.
 * Cheap when none is (one stat each). True when a worker is waiting.
 */
export function prestartRangeWorker(paths: readonly string[], cwd: string, coreIdle = idleCore()): boolean {
  if (spare !== undefined) return true;
  if (!coreIdle) return false;
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
