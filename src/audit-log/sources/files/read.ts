/**
 * The I/O edge of audit-log reading: files, directories, standard input, gzip (recognised by its
 * magic bytes, not its name), streamed in chunks so memory does not grow with the log. A large
 * uncompressed JSON-lines file is read on two cores when one is idle (`idleCore`): it is cut at
 * line boundaries into ranges that this thread takes from the start and a worker thread from the
 * end; the two parts are joined in file order, the worker's line numbers shifted by the lines before them.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { fileKind, specialFileReason } from '../../../collect/files/file-kind.js';
import type { Gap } from '../../../core/resource.js';
import { DocumentConsumer, emptyStats, LineConsumer, mergeStats, sniffFormat, type LogJob, type ReadStats } from '../consume.js';
import type { JobSpec } from '../../jobs.js';
import type { LogSource, ReadLogsResult } from '../source.js';
import { DEFAULT_PARALLEL_MIN_BYTES, idleCore, releaseRangeWorker, spareCore, startRangeWorker, type RangeResult } from './range-worker.js';
import { joinRanges, RangeReader } from './range-read.js';

export interface ReadLogsOptions {
  readonly stdin?: AsyncIterable<Buffer | string>;
  /** Relative paths are read from here (default: the process's working directory); reports keep them as given. */
  readonly cwd?: string;
  /** Files at least this large (and uncompressed JSON lines) are read on two threads; default 64 MiB. */
  readonly parallelMinBytes?: number;
  /** Read large files on two threads: true, false, or (unset) when the machine has two cores or more and one is idle. */
  readonly parallel?: boolean;
  /** Size of the ranges the two threads take; default 4 MiB. */
  readonly rangeBytes?: number;
}

const CHUNK = 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

async function* buffers(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  for await (const chunk of source) yield toBuffer(chunk);
}

/** Decompresses when the stream starts with gzip's magic bytes (several members are fine). */
async function* decompressed(raw: AsyncIterable<Buffer>, onCompressed: () => void): AsyncGenerator<Buffer> {
  const iterator = raw[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) return;
  const head = first.value;
  async function* rest(): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* rest();
    return;
  }
  onCompressed();
  const input = Readable.from(rest());
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  for await (const chunk of gunzip) yield chunk as Buffer;
}

/** Feeds a stream to the right consumer, choosing the format from its first bytes. */
async function consumeStream<S>(job: LogJob<S>, state: S, stats: ReadStats, path: string, chunks: AsyncIterable<Buffer>): Promise<'lines' | 'documents'> {
  const head: Buffer[] = [];
  let size = 0;
  let consumer: LineConsumer<S> | DocumentConsumer<S> | undefined;
  let format: 'lines' | 'documents' = 'lines';
  for await (const chunk of chunks) {
    if (consumer === undefined) {
      // A copy: the chunk's memory may be refilled before the head is read.
      head.push(Buffer.from(chunk));
      size += chunk.length;
      if (size < SNIFF_BYTES) continue;
      format = sniffFormat(Buffer.concat(head));
      consumer = format === 'lines' ? new LineConsumer(job, state, stats, path) : new DocumentConsumer(job, state, stats, path);
      for (const part of head) consumer.push(part);
      head.length = 0;
      continue;
    }
    consumer.push(chunk);
  }
  if (consumer === undefined) {
    if (size === 0) return format;
    format = sniffFormat(Buffer.concat(head));
    consumer = format === 'lines' ? new LineConsumer(job, state, stats, path) : new DocumentConsumer(job, state, stats, path);
    for (const part of head) consumer.push(part);
  }
  consumer.end();
  return format;
}

/**
 * Chunk buffers a finished read gave back, for the next file of this thread (a directory of many
 * logs): fresh megabytes for each would cost page faults.
 */
const spareChunks: Buffer[] = [];

/**
 * The bytes of `[start, end)` in chunks. With `reuse`, every chunk is the same memory, refilled:
 * no allocation per megabyte (which, with the page faults it brings, costs more than the reading
 * itself); the consumer must be done with a chunk before asking for the next, as ours are.
 */
async function* fileChunks(path: string, start = 0, end?: number, reuse = false): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  // Read-ahead: the next chunk is read while the consumer works on this one, so the thread does
  // not sit idle waiting for the disk (a quarter of the time on a 1 GB log). Two buffers take turns.
  const buffers = reuse ? [spareChunks.pop() ?? Buffer.allocUnsafe(CHUNK), spareChunks.pop() ?? Buffer.allocUnsafe(CHUNK)] : undefined;
  let turn = 0;
  const readAt = (position: number) => {
    const buffer = buffers?.[turn++ % 2] ?? Buffer.allocUnsafe(CHUNK);
    const want = end === undefined ? CHUNK : Math.min(CHUNK, end - position);
    return want <= 0 ? Promise.resolve({ buffer, bytesRead: 0 }) : handle.read(buffer, 0, want, position);
  };
  let pending: Promise<{ buffer: Buffer; bytesRead: number }> | undefined;
  try {
    let position = start;
    pending = readAt(position);
    for (;;) {
      const { buffer, bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) break;
      position += bytesRead;
      pending = readAt(position);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    // A consumer that stops early leaves a read in flight: let it land before closing the file.
    await pending?.catch(() => undefined);
    await handle.close();
    if (buffers !== undefined) spareChunks.push(...buffers);
  }
}

/**
 * The offsets just after the first newline at or after each of `from` (the file's size where there
 * is none), found with one open file and small reads: audit events are a few kilobytes.
 */
async function lineBoundaries(path: string, from: readonly number[], size: number): Promise<number[]> {
  const handle = await open(path, 'r');
  try {
    const step = 64 * 1024;
    const buffer = Buffer.allocUnsafe(step);
    const found: number[] = [];
    for (const start of from) {
      let boundary = size;
      for (let offset = start; offset < size; offset += step) {
        const { bytesRead } = await handle.read(buffer, 0, step, offset);
        const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
        if (newline !== -1) {
          boundary = offset + newline + 1;
          break;
        }
        if (bytesRead === 0) break;
      }
      found.push(boundary);
    }
    return found;
  } finally {
    await handle.close();
  }
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Ranges of about this size are handed out to the two threads, so that a thread slowed by other
 * load takes fewer; small enough that the thread that finishes first waits little for the other.
 */
const RANGE_BYTES = 4 * 1024 * 1024;
/** The worker is handed this fraction (1/n) of the ranges left each time it asks. */
const WORKER_SHARE = 8;

/**
 * Ranges at the end of the file's middle that this thread keeps for itself, once the worker has
 * been handed the rest: when the worker has read its last part it still joins its parts and sends
 * them (a few tens of milliseconds on the bench's log), and this thread, which would otherwise wait
 * idle for them, reads these meanwhile.
 */
const KEPT_FOR_THIS_THREAD = 2;

/**
 * A large file on two threads: it is cut at line boundaries into ranges; this thread takes them
 * from the start of the file, one at a time, and the worker from the end, a share of those left at
 * a time, until they meet, so that a thread slowed by other load takes fewer. Each side's ranges are contiguous: this thread reads
 * its own as one stream, the worker joins its own and sends them once, and the two parts are joined,
 * the worker's line numbers shifted by the lines before them. Without a worker (or when it fails)
 * this thread reads what is left.
 */
async function readFileInParallel<S>(spec: JobSpec, job: LogJob<S>, path: string, name: string, size: number, rangeBytes: number): Promise<RangeResult<S>> {
  // The worker starts first (unless the CLI started it already): its start-up overlaps the cutting.
  const worker = startRangeWorker<S>(spec);
  const count = Math.min(1024, Math.max(2, Math.ceil(size / rangeBytes)));
  const evenly = Array.from({ length: count - 1 }, (_, i) => Math.floor((size * (i + 1)) / count));
  // Ranges start at line boundaries, in order (a line longer than a range leaves that range empty).
  const cuts = [0];
  for (const boundary of await lineBoundaries(path, evenly, size)) cuts.push(Math.max(cuts[cuts.length - 1] ?? 0, boundary));
  cuts.push(size);
  // This thread's ranges follow one another from the start of the file: read as one stream.
  const own = new RangeReader(job, path, name);
  const range = (i: number) => own.read(cuts[i] ?? 0, cuts[i + 1] ?? size);
  // Ranges [front, back) are not taken yet; the worker has taken [back, count).
  let front = 0;
  let back = count;
  // What the worker kept, joined; undefined when it kept nothing or failed.
  let tail: RangeResult<S> | undefined;
  const local = async () => {
    while (front < back) {
      range(front++);
      // The range was read with blocking reads: let the worker's answers in (and hand it more).
      await new Promise((resolveTurn) => setImmediate(resolveTurn));
    }
  };
  const remote = async () => {
    if (worker === undefined) return;
    // Two asked at a time: the worker has its next one at hand while this thread reads. Each takes
    // an eighth of the ranges left (at least one), read as one: every part the worker keeps costs
    // a join, and the parts shrink as the threads near each other, so neither waits long for the other.
    const ask = () => {
      if (back - front <= KEPT_FOR_THIS_THREAD) return undefined;
      const end = cuts[back] ?? size;
      back -= Math.max(1, Math.floor((back - front) / WORKER_SHARE));
      return worker.keep(path, name, cuts[back] ?? 0, end);
    };
    let asked = [ask(), ask()];
    for (let current = asked[0]; current !== undefined; current = asked[0]) {
      if (!(await current)) return;
      asked = [asked[1], ask()];
    }
    // Every range is handed out: the worker joins what it kept while this thread reads its last one.
    if (back < count) tail = await worker.flush();
  };
  try {
    // The worker is asked first: this thread then reads without a turn of the event loop.
    await Promise.all([remote(), local()]);
    // A worker that failed leaves its ranges to this thread: they follow the ones it read.
    if (tail === undefined) for (let i = back; i < count; i += 1) range(i);
  } finally {
    worker?.close();
  }
  const read = own.finish();
  return tail !== undefined ? joinRanges(job, read, tail) : read;
}

/**
 * Files of a directory, recursively, in name order, relative to it; hidden entries are skipped.
 * A symlink is read when it leads to a regular file; one to a directory, and a FIFO, socket or
 * device (a read would block or never end), is listed in `skipped` with the reason.
 */
async function filesIn(dir: string, skipped: { relative: string; reason: string }[], prefix = ''): Promise<string[]> {
  const entries = (await readdir(join(dir, prefix), { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [];
  for (const entry of entries) {
    const relative = join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await filesIn(dir, skipped, relative)));
    else if (entry.isFile()) out.push(relative);
    else {
      const kind = await fileKind(join(dir, relative)).catch((error: unknown) => ({ kind: 'other' as const, reason: `a broken symlink (${(error as NodeJS.ErrnoException).code ?? 'error'}); not read` }));
      if (kind.kind === 'file') out.push(relative);
      else skipped.push({ relative, reason: kind.kind === 'directory' ? 'a symlink to a directory; not followed (name it to read it)' : kind.reason });
    }
  }
  return out;
}

function summary(path: string, stats: ReadStats, format: 'lines' | 'documents', compressed: boolean, parallel: boolean): LogSource {
  return { path, format, compressed, parallel, records: stats.records, events: stats.events, malformed: stats.malformed, notEvents: stats.notEvents };
}

/**
 * Reads every source for a job. A source that cannot be opened is a gap and the others are still
 * read; a source that breaks off (truncated gzip) keeps what was read before the break.
 */
export async function readAuditLogs<S>(paths: readonly string[], spec: JobSpec, job: LogJob<S>, options: ReadLogsOptions = {}): Promise<ReadLogsResult<S>> {
  let state = job.init();
  const total = emptyStats();
  const gaps: Gap[] = [];
  const sources: LogSource[] = [];
  const parallelMin = options.parallelMinBytes ?? DEFAULT_PARALLEL_MIN_BYTES;
  const canParallel = options.parallel ?? (spareCore() && idleCore());
  const local = (path: string) => resolve(options.cwd ?? '.', path);

  const files: string[] = [];
  /** Paths that are pipes: they have no positions to read at, only a stream. */
  const pipes = new Set<string>();
  for (const path of paths) {
    if (path === '-') {
      files.push(path);
      continue;
    }
    try {
      const info = await stat(local(path));
      if (info.isDirectory()) {
        const skipped: { relative: string; reason: string }[] = [];
        const inside = await filesIn(local(path), skipped);
        for (const { relative, reason } of skipped) gaps.push({ source: join(path, relative), code: 'UNREADABLE', message: reason });
        if (inside.length === 0 && skipped.length === 0) gaps.push({ source: path, code: 'NO_INPUT', message: 'the directory holds no files' });
        files.push(...inside.map((relative) => join(path, relative)));
      } else if (info.isFile()) files.push(path);
      else if (info.isFIFO()) {
        // A named pipe or a process substitution (`<(zcat audit.log.gz)`, /dev/fd/63): read as a stream, as standard input is.
        pipes.add(path);
        files.push(path);
      } else gaps.push({ source: path, code: 'UNREADABLE', message: specialFileReason(info) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      gaps.push({ source: path, code: code === 'ENOENT' ? 'NOT_FOUND' : 'UNREADABLE', message: code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code ?? 'error'})` });
    }
  }

  for (const path of files) {
    const stats = emptyStats();
    let compressed = false;
    let format: 'lines' | 'documents' = 'lines';
    let parallel = false;
    try {
      if (path === '-') {
        if (options.stdin === undefined) throw Object.assign(new Error('no standard input'), { code: 'ENOSTDIN' });
        format = await consumeStream(job, state, stats, path, decompressed(buffers(options.stdin), () => { compressed = true; }));
      } else if (pipes.has(path)) {
        format = await consumeStream(job, state, stats, path, decompressed(buffers(createReadStream(local(path))), () => { compressed = true; }));
      } else {
        const size = (await stat(local(path))).size;
        const head = size >= parallelMin && canParallel ? await readHead(local(path), SNIFF_BYTES) : undefined;
        if (head !== undefined && !(head[0] === 0x1f && head[1] === 0x8b) && sniffFormat(head) === 'lines') {
          parallel = true;
          const result = await readFileInParallel(spec, job, local(path), path, size, options.rangeBytes ?? RANGE_BYTES);
          state = job.merge(state, result.state);
          mergeStats(stats, result.stats, 0);
        } else {
          // Gzip is decompressed by a stream that may still hold a chunk when the next is read: no reuse then.
          const magic = await readHead(local(path), 2);
          const reuse = !(magic[0] === 0x1f && magic[1] === 0x8b);
          format = await consumeStream(job, state, stats, path, decompressed(fileChunks(local(path), 0, undefined, reuse), () => { compressed = true; }));
        }
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const message = compressed || code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR'
        ? `gzip data is truncated or corrupt (${(error as Error).message}); events before the break were read`
        : `cannot read (${code ?? (error as Error).message})`;
      stats.gaps.push({ source: path, code: 'UNREADABLE', message });
    }
    if (stats.records === 0 && stats.gaps.length === 0) gaps.push({ source: path, code: 'NO_INPUT', message: 'no audit events in this input' });
    gaps.push(...sourceGaps(path, stats));
    sources.push(summary(path, stats, format, compressed, parallel));
    mergeStats(total, { ...stats, gaps: [], omittedGaps: 0 }, 0);
  }
  // A worker started early for a file that was not read on two threads (gzip, JSON documents) is not needed.
  releaseRangeWorker();
  return { state, stats: total, sources, gaps };
}

/**
 * A source's gaps. One that holds no audit event at all (a manifest, some other JSON) is not a
 * log with bad lines but not a log: it says so once, with its first problem, not once per line
 * (a lone record's problem is kept as it is).
 */
export function sourceGaps(path: string, stats: ReadStats): Gap[] {
  const recordGaps = stats.gaps.filter((g) => g.code === 'JSON_SYNTAX' || g.code === 'NOT_AN_AUDIT_EVENT');
  const first = recordGaps[0];
  if (stats.events === 0 && first !== undefined && recordGaps.length + stats.omittedGaps > 1) {
    const records = `none of its ${stats.records} records is`;
    return [
      ...stats.gaps.filter((g) => !recordGaps.includes(g)),
      { source: path, ...(first.line !== undefined ? { line: first.line } : {}), code: 'NOT_AN_AUDIT_EVENT', message: `not an audit log: ${records} a Kubernetes audit event (the first: ${first.message})` },
    ];
  }
  const omitted = stats.omittedGaps > 0 ? [{ source: path, code: 'JSON_SYNTAX', message: `${stats.omittedGaps} more unreadable records (the first ${stats.gaps.length} are listed)` } as const] : [];
  return [...stats.gaps, ...omitted];
}
