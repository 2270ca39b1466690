/**
 * What the second thread of a large file's read runs: one byte range of a JSON-lines file read for
 * a job, with blocking reads into one buffer the thread keeps. A worker thread has nothing else to
 * do meanwhile, so a blocking read costs it nothing, and it saves the hop through libuv's thread
 * pool (and its wake-ups) for every megabyte; only `node:fs` is loaded, which keeps the worker's
 * start-up short (no streams, zlib or promises API).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { emptyStats, LineConsumer, mergeStats, type LogJob } from '../consume.js';
import type { RangeResult } from './range-worker.js';

const CHUNK = 1024 * 1024;

/** The thread's chunk memory, refilled for every read: fresh megabytes would cost page faults. */
let chunk: Buffer | undefined;

/**
 * Consecutive byte ranges of one file read as one stream: one state, the line numbers counted on
 * from range to range, no join between them (a join walks a state; this thread's ranges, taken
 * from the start of the file in order, would need one each).
 */
export class RangeReader<S> {
  private readonly state: S;
  private readonly stats = emptyStats();
  private readonly consumer: LineConsumer<S>;

  constructor(job: LogJob<S>, private readonly path: string, name: string) {
    this.state = job.init();
    this.consumer = new LineConsumer(job, this.state, this.stats, name);
  }

  /** Reads `[start, end)`, which must start where the last range read ended (or at a line boundary before the first). */
  read(start: number, end: number): void {
    const buffer = (chunk ??= Buffer.allocUnsafe(CHUNK));
    const fd = openSync(this.path, 'r');
    try {
      for (let position = start; position < end;) {
        const bytesRead = readSync(fd, buffer, 0, Math.min(CHUNK, end - position), position);
        if (bytesRead === 0) break;
        position += bytesRead;
        this.consumer.push(buffer.subarray(0, bytesRead));
      }
    } finally {
      closeSync(fd);
    }
  }

  /** What the ranges read hold; the reader is done. */
  finish(): RangeResult<S> {
    this.consumer.end();
    return { state: this.state, stats: this.stats };
  }
}

export function readRangeSync<S>(job: LogJob<S>, path: string, name: string, start: number, end: number): RangeResult<S> {
  const reader = new RangeReader(job, path, name);
  reader.read(start, end);
  return reader.finish();
}

/** `earlier` followed by `later`, the part of the file just after it: `later`'s line numbers are shifted by `earlier`'s lines. Both are consumed. */
export function joinRanges<S>(job: LogJob<S>, earlier: RangeResult<S>, later: RangeResult<S>): RangeResult<S> {
  const offset = earlier.stats.lines;
  job.shiftLines(later.state, offset);
  const state = job.merge(earlier.state, later.state);
  mergeStats(earlier.stats, later.stats, offset);
  return { state, stats: earlier.stats };
}
