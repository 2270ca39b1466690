/**
 * Report files named on the command line: their directories made and their writability checked
 * before any work (a run must not scan for a minute and then fail to save), and every failure one
 * line in words.
 */
import { access, constants, mkdir, open, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../core/errors.js';

/** Why a file cannot be written, in words, from the error code of the call that failed. */
function inWords(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT': return 'its directory does not exist and cannot be created there';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EROFS': return 'the file system is read-only';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    case 'EISDIR': return 'it is a directory';
    case 'ENOSPC': return 'no space left on the device';
    case 'EEXIST': return 'a part of the path exists and is not a directory';
    default: return (error as Error).message;
  }
}

/**
 * Makes the missing directories above `file` one level at a time. Node's `mkdir({ recursive: true })`
 * spins forever where a parent exists but refuses children with ENOENT (anything under /proc: it
 * reads ENOENT as "parent missing", makes the parent, which exists, and retries); here an ENOENT
 * after the parent exists is final.
 */
async function makeDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    try {
      if (!(await stat(at)).isDirectory()) throw Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const parent = dirname(at);
      if (parent === at) throw error;
      missing.unshift(at);
      at = parent;
    }
  }
  for (const child of missing) await mkdir(child);
}

/** Whether two paths name the same file: the same path, or a link to it (same device and inode). */
async function sameFile(a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  const [x, y] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return x !== undefined && y !== undefined && x.isFile() && x.dev === y.dev && x.ino === y.ino;
}

/**
 * Makes `file` ready to be written, or fails at once with one line naming it and the reason.
 * `inputs` (absolute paths; `-` ignored) are the files the run reads: a report written over one
 * of them would destroy what it reports on.
 */
export async function prepareOutputFile(file: string, what = 'the report', inputs: readonly string[] = []): Promise<void> {
  for (const input of inputs) {
    if (input !== '-' && (await sameFile(file, input))) throw new UsageError(`refusing to write ${what} to ${file}: it is one of the inputs`);
  }
  try {
    await makeDirectories(dirname(file));
    await access(dirname(file), constants.W_OK);
    const existing = await stat(file).catch(() => undefined);
    if (existing?.isDirectory() === true) throw Object.assign(new Error(`${file} is a directory`), { code: 'EISDIR' });
    if (existing !== undefined) await access(file, constants.W_OK);
  } catch (error) {
    throw new UsageError(`cannot write ${what} to ${file}: ${inWords(error)}`);
  }
}

/** Pieces of a report are written in batches of about this many bytes: few system calls, little held at once. */
const BATCH_BYTES = 1 << 20;

/**
 * Writes report pieces to `write` in batches; returns when the last batch is written. The pieces
 * are encoded straight into each batch's buffer: joining them into a string first, and encoding
 * that string, copied a 20 MB report twice more and was most of the cost of writing it. A piece
 * is never split, so a piece must hold whole characters (no surrogate pair cut in two). Each batch
 * is a new buffer, as a stream may still hold the previous one when `write` returns; unless
 * `reuse`, which says that `write` is done with a batch once its promise resolves (a file handle's
 * write, not a stream's): then two buffers take turns, and the memory of each is touched (page
 * faults, costly on a virtual machine) once rather than for every megabyte.
 *
 * One batch is written while the next is rendered: the writes run on libuv's threads, and waiting
 * for each before rendering more left this thread idle for a tenth of a large report's writing.
 * Writes stay in order (the next starts once the previous has ended), and a failed write fails the
 * whole call.
 */
export async function writeBatched(chunks: Iterable<string>, write: (batch: Uint8Array) => Promise<unknown>, reuse = false): Promise<void> {
  let inFlight: Promise<unknown> = Promise.resolve();
  // A failure is kept, not left unhandled while the next batch renders; it is thrown at the next wait.
  let failed: { readonly error: unknown } | undefined;
  const send = async (batch: Uint8Array): Promise<void> => {
    await inFlight;
    if (failed !== undefined) throw failed.error;
    inFlight = write(batch).catch((error: unknown) => {
      failed = { error };
    });
  };
  // With `reuse`, the buffer not in flight: `send` returns once the other one's write has ended.
  let spare = reuse ? Buffer.allocUnsafe(BATCH_BYTES) : undefined;
  let buffer = Buffer.allocUnsafe(BATCH_BYTES);
  let used = 0;
  for (const chunk of chunks) {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: a bound that needs no scan of the piece.
    if (used + chunk.length * 3 > buffer.length) {
      if (used > 0) {
        await send(buffer.subarray(0, used));
        if (spare === undefined) buffer = Buffer.allocUnsafe(BATCH_BYTES);
        else [buffer, spare] = [spare, buffer];
        used = 0;
      }
      if (chunk.length * 3 > buffer.length) {
        await send(Buffer.from(chunk, 'utf8'));
        continue;
      }
    }
    used += buffer.write(chunk, used, 'utf8');
  }
  if (used > 0) await send(buffer.subarray(0, used));
  await inFlight;
  if (failed !== undefined) throw failed.error;
}

/** Writes all of `data` at the file's position: one write may take fewer bytes than it was given. */
async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done);
    if (bytesWritten === 0) throw Object.assign(new Error('nothing was written'), { code: 'EIO' });
    done += bytesWritten;
  }
}

/**
 * Writes `text` (or the pieces of a streamed report, written as they come) to `file`, its
 * directories made as needed, or fails with one line naming it and the reason.
 */
export async function writeOutputFile(file: string, text: string | Iterable<string>, options: { what?: string; mode?: number } = {}): Promise<void> {
  const what = options.what ?? 'the report';
  await prepareOutputFile(file, what);
  try {
    if (typeof text === 'string') {
      await writeFile(file, text, options.mode !== undefined ? { mode: options.mode } : {});
      return;
    }
    const handle = await open(file, 'w', options.mode);
    try {
      await writeBatched(text, (batch) => writeAll(handle, batch), true);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new UsageError(`cannot write ${what} to ${file}: ${inWords(error)}`);
  }
}
