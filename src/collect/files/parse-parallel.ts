import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { hasAliases } from './documents.js';
import { assemble, chunksOf, documentLoader, loadDocuments, parseManifests, type Chunk, type Loaded, type ParseResult } from './parse-manifests.js';
import { PositionTable } from './positions.js';

/**
 * Below this the worker does not pay: it starts cold (js-yaml not yet compiled by the JIT), so on
 * a few megabytes the warm main thread parses everything sooner than it parses half. Measured
 * with `npm run bench`; a `kubectl get -A -o yaml` dump of a large cluster is well above it.
 */
export const PARALLEL_MIN_CHARS = 32 * 1024 * 1024;

/**
 * Nor on two cores: V8's compiler and GC threads already keep the second one about half busy.
 * On an idle 2-core machine a scan of 100,000 resources (40 MB) took 7.7–8.6 s with a two-thread
 * parse and 6.7–7.1 s without; this tree without the split took 6.5–8.0 s where the one before it,
 * splitting, took 8.6–8.7 s. With four cores the worker has one to itself (not measured here).
 */
export const PARALLEL_MIN_CORES = 4;

/**
 * Parses a large multi-document file on two cores: this thread parses the first half of the
 * documents while a worker thread parses the second. Results are identical to `parseManifests`;
 * if the worker cannot start (say, running from TypeScript sources) this thread parses it all.
 */
export async function parseManifestsInParallel(file: string, text: string, minChars: number = PARALLEL_MIN_CHARS, minCores: number = PARALLEL_MIN_CORES): Promise<ParseResult> {
  if (text.length < minChars || availableParallelism() < Math.max(2, minCores)) return parseManifests(file, text);
  const chunks = chunksOf(text);
  if (chunks.length < 2) return parseManifests(file, text);
  let cut = 0;
  for (let size = 0; cut < chunks.length && size < text.length / 2; cut += 1) size += (chunks[cut] as Chunk).text.length;
  // Documents with aliases stay here: only this thread's parser bounds their expansion.
  const tail = chunks.slice(cut);
  const plainTail = tail.filter((chunk) => !hasAliases(chunk));
  const fromWorker = parseInWorkerWithPositions(plainTail);
  const table = new PositionTable();
  const load = documentLoader(text, table);
  const loaded = loadDocuments(chunks.slice(0, cut), load);
  const parsed = await fromWorker;
  // Which table each document's positions are in: the worker's for those it read.
  const fromTheWorker = new Set<number>();
  let next = 0;
  for (const chunk of tail) {
    if (loaded.length < cut || 'outOfBounds' in (loaded[loaded.length - 1] as Loaded)) break;
    if (hasAliases(chunk) || parsed === undefined) {
      loaded.push(load(chunk));
    } else {
      fromTheWorker.add(loaded.length);
      loaded.push(parsed.loaded[next++] as Loaded);
    }
  }
  table.trim();
  return assemble(file, chunks, loaded, (i) => (fromTheWorker.has(i) ? parsed?.table : table));
}

/** Parses plain documents in a worker thread; undefined when the worker cannot run. */
export async function parseInWorker(chunks: readonly Chunk[]): Promise<Loaded[] | undefined> {
  return (await runWorker(chunks, false))?.loaded;
}

/** `parseInWorker`, with the positions of the documents' keys and items (positions.ts). */
function parseInWorkerWithPositions(chunks: readonly Chunk[]): Promise<{ loaded: Loaded[]; table: PositionTable } | undefined> {
  return runWorker(chunks, true);
}

/** What the worker answers (parse-worker.ts). */
export interface WorkerAnswer {
  /** The documents parsed, as one JSON string: far cheaper to pass than structured clones of thousands of objects. */
  readonly loaded: string;
  /** The position table's entries and decoded keys, when asked for. */
  readonly positions?: { readonly data: Int32Array; readonly size: number; readonly decodedKeys: [number, string][] };
}

function runWorker(chunks: readonly Chunk[], positions: boolean): Promise<{ loaded: Loaded[]; table: PositionTable } | undefined> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./parse-worker.js', import.meta.url), { workerData: { chunks, positions } });
    } catch {
      resolve(undefined);
      return;
    }
    let settled = false;
    const settle = (value: { loaded: Loaded[]; table: PositionTable } | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      void worker.terminate();
    };
    worker.once('message', (answer: WorkerAnswer) => settle({ loaded: JSON.parse(answer.loaded) as Loaded[], table: PositionTable.of(answer.positions) }));
    worker.once('error', () => settle(undefined));
    worker.once('exit', () => settle(undefined));
  });
}
