/**
 * Worker thread: builds the job it is sent, then reads byte ranges of JSON-lines audit logs for it,
 * on request, posting back each range's state, or keeping it: ranges it is asked to keep come
 * from the end of the file backwards, each just before the ones it holds, and are joined into one
 * state it posts when asked (cloning a state per range for the other thread cost more than the join).
 * They are joined at that point, first to last: a join walks the later of its two states, so
 * joining each new range with everything kept after it would walk the kept state once per range.
 */
import { parentPort } from 'node:worker_threads';
import { jobFor } from '../../jobs.js';
import type { LogJob } from '../consume.js';
import { joinRanges, readRangeSync } from './range-read.js';
import type { RangeResult, WorkerAnswer, WorkerRequest } from './range-worker.js';

let job: LogJob<unknown> | undefined;
/** The ranges kept, last in the file first. */
let kept: RangeResult<unknown>[] = [];

/** The kept ranges joined in file order, each join walking only the range it adds. */
function joinKept(of: LogJob<unknown>): RangeResult<unknown> | undefined {
  let joined: RangeResult<unknown> | undefined;
  for (let i = kept.length - 1; i >= 0; i -= 1) {
    const next = kept[i] as RangeResult<unknown>;
    joined = joined === undefined ? next : joinRanges(of, joined, next);
  }
  kept = [];
  return joined;
}

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
    const joined = joinKept(job);
    post(joined !== undefined ? { kind: 'result', result: joined } : { kind: 'failed', message: 'nothing kept' });
    return;
  }
  try {
    const result = readRangeSync(job, request.path, request.name, request.start, request.end);
    if (request.keep !== true) {
      post({ kind: 'result', result });
      return;
    }
    kept.push(result);
    post({ kind: 'kept' });
  } catch (error) {
    post({ kind: 'failed', message: (error as Error).message });
  }
});
