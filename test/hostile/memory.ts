/**
 * How much memory a run holds at its peak: the heap after a full collection, sampled while the
 * run goes on, less the same before it. Garbage is not counted, so the figure is what the run
 * keeps (a set of remembered tokens, pages kept), not what it churns through.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// The test runner's workers start without --expose-gc; the flag can still be set, and `gc` read from a fresh context.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function liveHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** Runs `task`, sampling the live heap every `everyMs`; resolves with its result and the peak growth in bytes. */
export async function peakHeapGrowth<T>(task: () => Promise<T>, everyMs = 250): Promise<{ result: T; growth: number }> {
  const before = liveHeap();
  let peak = before;
  const timer = setInterval(() => { peak = Math.max(peak, liveHeap()); }, everyMs);
  try {
    const result = await task();
    return { result, growth: Math.max(peak, liveHeap()) - before };
  } finally {
    clearInterval(timer);
  }
}
