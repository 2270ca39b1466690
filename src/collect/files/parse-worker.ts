/**
 * Worker thread of `parseManifestsInParallel`: parses the documents it is given (never ones with
 * aliases: those stay on the main thread) and answers with one JSON string, far cheaper to pass
 * back than structured clones of thousands of objects, and (when asked) the position table its
 * readers recorded, moved rather than copied. Imports only js-yaml, to start fast.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Chunk } from './documents.js';
import { loadPlainDocument } from './load-plain.js';
import type { WorkerAnswer } from './parse-parallel.js';
import { PositionTable } from './positions.js';

const { chunks, positions } = workerData as { chunks: Chunk[]; positions: boolean };
const table = positions ? new PositionTable() : undefined;
const loaded = JSON.stringify(chunks.map((chunk) => loadPlainDocument(chunk, false, table)));
if (table === undefined) {
  parentPort?.postMessage({ loaded } satisfies WorkerAnswer);
} else {
  table.trim();
  const answer: WorkerAnswer = { loaded, positions: { data: table.data, size: table.size, decodedKeys: [...(table.decodedKeys ?? [])] } };
  parentPort?.postMessage(answer, [table.data.buffer as ArrayBuffer]);
}
