/** Worker thread: reads byte ranges of one JSON-lines audit log for a job, on request, and posts back each range's state. */
import { parentPort, workerData } from 'node:worker_threads';
import { jobFor, type JobSpec } from '../../jobs.js';
import { readRange } from './read.js';

const { spec, path, name } = workerData as { spec: JobSpec; path: string; name: string };
const job = jobFor(spec) as Parameters<typeof readRange<unknown>>[0];
parentPort?.on('message', (range: { start: number; end: number }) => {
  void readRange(job, path, name, range.start, range.end).then((result) => parentPort?.postMessage(result));
});
