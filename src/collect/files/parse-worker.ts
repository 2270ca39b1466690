/**
 * Worker thread of `parseManifestsInParallel`: parses the documents it is given (never ones with
 * aliases: those stay on the main thread) and answers with one JSON string, far cheaper to pass
 * back than structured clones of thousands of objects. Imports only js-yaml, to start fast.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Chunk } from './documents.js';
import { loadPlainDocument } from './load-plain.js';

const chunks = (workerData as { chunks: Chunk[] }).chunks;
parentPort?.postMessage(JSON.stringify(chunks.map((chunk) => loadPlainDocument(chunk))));
