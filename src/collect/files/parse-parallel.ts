import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { hasAliases } from './documents.js';
import { assemble, chunksOf, loadDocument, parseManifests, type Chunk, type Loaded, type ParseResult } from './parse-manifests.js';

/**
 * Below this the worker does not pay: it starts cold (js-yaml not yet compiled by the JIT), so on
 * a few megabytes the warm main thread parses everything sooner than it parses half. Measured
 * with `npm run bench`; a `kubectl get -A -o yaml` dump of a large cluster is well above it.
 */
export const PARALLEL_MIN_CHARS = 32 * 1024 * 1024;

/**
 * Parses a large multi-document file on two cores: this thread parses the first half of the
 * documents while a worker thread parses the second. Results are identical to `parseManifests`;
 * if the worker cannot start (say, running from TypeScript sources) this thread parses it all.
 */
export async function parseManifestsInParallel(file: string, text: string, minChars: number = PARALLEL_MIN_CHARS): Promise<ParseResult> {
  if (text.length < minChars || availableParallelism() < 2) return parseManifests(file, text);
  const chunks = chunksOf(text);
  if (chunks.length < 2) return parseManifests(file, text);
  let cut = 0;
  for (let size = 0; cut < chunks.length && size < text.length / 2; cut += 1) size += (chunks[cut] as Chunk).text.length;
  // Documents with aliases stay here: only this thread's parser bounds their expansion.
  const tail = chunks.slice(cut);
  const plainTail = tail.filter((chunk) => !hasAliases(chunk));
  const fromWorker = parseInWorker(plainTail);
  const head = chunks.slice(0, cut).map(loadDocument);
  const parsed = await fromWorker;
  const loaded: Loaded[] = [...head];
  let next = 0;
  for (const chunk of tail) loaded.push(hasAliases(chunk) || parsed === undefined ? loadDocument(chunk) : (parsed[next++] as Loaded));
  return assemble(file, chunks, loaded);
}

/** Parses plain documents in a worker thread; undefined when the worker cannot run. */
export function parseInWorker(chunks: readonly Chunk[]): Promise<Loaded[] | undefined> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./parse-worker.js', import.meta.url), { workerData: { chunks } });
    } catch {
      resolve(undefined);
      return;
    }
    let settled = false;
    const settle = (value: Loaded[] | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      void worker.terminate();
    };
    worker.once('message', (message: string) => settle(JSON.parse(message) as Loaded[]));
    worker.once('error', () => settle(undefined));
    worker.once('exit', () => settle(undefined));
  });
}
