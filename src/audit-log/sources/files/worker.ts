/** Worker thread: builds the job it is sent, then reads byte ranges of JSON-lines audit logs for it, on request, posting back each range's state. */
import { parentPort } from 'node:worker_threads';
import { jobFor } from '../../jobs.js';
import type { LogJob } from '../consume.js';
import { readRangeSync } from './range-read.js';
import type { WorkerAnswer, WorkerRequest } from './range-worker.js';

let job: LogJob<unknown> | undefined;
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
  try {
    post({ kind: 'result', result: readRangeSync(job, request.path, request.name, request.start, request.end) });
  } catch (error) {
    post({ kind: 'failed', message: (error as Error).message });
  }
});
