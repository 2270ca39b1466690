/**
 * Worker thread: builds the job it is sent, then reads byte ranges of JSON-lines audit logs for it,
 * on request, posting back each range's state, or keeping it: ranges it is asked to keep come
 * from the end of the file backwards, each just before the ones it holds, and are joined into one
 * state it posts when asked (cloning a state per range for the other thread cost more than the join).
 */
import { parentPort } from 'node:worker_threads';
import { jobFor } from '../../jobs.js';
import type { LogJob } from '../consume.js';
import { joinRanges, readRangeSync } from './range-read.js';
import type { RangeResult, WorkerAnswer, WorkerRequest } from './range-worker.js';

let job: LogJob<unknown> | undefined;
let kept: RangeResult<unknown> | undefined;
parentPort?.on('message', (request: WorkerRequest) => {
  if (request.kind === 'job') {
    job = jobFor(request.spec) as LogJob<unknown>;
    return;
  }
  const post = (answer: WorkerAnswer<unknown>) => parentPort?.postMessage(answer);
  if (job === undefined) {
    post({ kind: 'failed', message: 'no job' });
    return;
  }
  if (request.kind === 'flush') {
    post(kept !== undefined ? { kind: 'result', result: kept } : { kind: 'failed', message: 'nothing kept' });
    kept = undefined;
    return;
  }
  try {
    const result = readRangeSync(job, request.path, request.name, request.start, request.end);
    if (request.keep !== true) {
      post({ kind: 'result', result });
      return;
    }
    kept = kept === undefined ? result : joinRanges(job, result, kept);
    post({ kind: 'kept' });
  } catch (error) {
    post({ kind: 'failed', message: (error as Error).message });
  }
});
