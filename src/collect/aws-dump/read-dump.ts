/** Reads an AWS evidence directory: every `*.json` below it, recursively. The only I/O of the dump collector. */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { fileKind } from '../files/file-kind.js';
import type { Gap } from '../../core/resource.js';
import { decodeText } from '../files/decode-text.js';
import { resolveAwsConflicts, type AwsJudge } from './conflicts.js';
import { parseAwsDump, type DumpFile, type DumpResult } from './recognise.js';
import { selectCluster, selectClusterGaps } from './select.js';

/** Larger than any CLI output eksguard reads (authorization details of a big account run to tens of MB). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
/**
 * Bounds the walk: a dump of one cluster is tens of files, of an organisation's clusters some
 * thousands; past this many the rest are counted, not read, and the count is a gap.
 */
export const MAX_DUMP_FILES = 100_000;
/**
 * Bounds what a dump holds in memory at once: every file's text is kept until all are recognised
 * (a file's meaning can depend on another's), so the sum is capped as well as each file. Past it,
 * the remaining files are counted, not read, and the count is a gap.
 */
export const MAX_DUMP_BYTES = 1024 * 1024 * 1024;

export interface AwsDumpOptions {
  /** Keep only this cluster (and what belongs to it) when the directory holds several. */
  readonly clusterName?: string;
  /** Paths in gaps and sources are written relative to this directory. */
  readonly cwd?: string;
  /** The most files read (`MAX_DUMP_FILES`); smaller in tests. */
  readonly maxFiles?: number;
  /** The most bytes read over all files (`MAX_DUMP_BYTES`); smaller in tests. */
  readonly maxBytes?: number;
  /** Picks the weaker of a resource's differing versions; without one, the first read is kept (still a gap). */
  readonly judge?: AwsJudge;
}

interface Walk {
  readonly files: string[];
  readonly gaps: Gap[];
  readonly max: number;
  /** `.json` files past `max`, counted and not read. */
  unread: number;
  /** Real paths of the directories walked: a symlink loop ends here. */
  readonly seen: Set<string>;
}

async function walk(dir: string, state: Walk): Promise<void> {
  let entries;
  try {
    const real = await realpath(dir);
    if (state.seen.has(real)) return;
    state.seen.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    state.gaps.push({ source: dir, code: 'UNREADABLE', message: `cannot read directory (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const json = entry.name.toLowerCase().endsWith('.json');
    if (entry.isDirectory()) await walk(path, state);
    else if (entry.isFile()) {
      if (json) add(state, path);
    } else if (entry.isSymbolicLink() || json) {
      // A symlink is followed, then judged as what it points to; a FIFO or device is never read.
      let kind;
      try {
        kind = await fileKind(path);
      } catch (error) {
        if (json) state.gaps.push({ source: path, code: 'UNREADABLE', message: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
        continue;
      }
      if (kind.kind === 'directory') await walk(path, state);
      else if (!json) continue;
      else if (kind.kind === 'file') add(state, path);
      else state.gaps.push({ source: path, code: 'UNREADABLE', message: kind.reason });
    }
  }
}

function add(state: Walk, path: string): void {
  if (state.files.length < state.max) state.files.push(path);
  else state.unread += 1;
}

/** Reads and recognises a dump directory; unreadable or unrecognised files are gaps, the rest goes on. */
export async function readAwsDump(dir: string, options: AwsDumpOptions = {}): Promise<DumpResult> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    throw new UsageError(`--aws-dump ${dir}: no such directory`, 'Give the directory that holds the AWS CLI output files (docs/aws-evidence.md).');
  }
  if (!info.isDirectory()) throw new UsageError(`--aws-dump ${dir}: not a directory`, 'Give the directory that holds the AWS CLI output files (docs/aws-evidence.md).');
  const gaps: Gap[] = [];
  const state: Walk = { files: [], gaps, max: options.maxFiles ?? MAX_DUMP_FILES, unread: 0, seen: new Set() };
  await walk(dir, state);
  const paths = state.files;
  // Paths under the working directory are shown relative to it, others as they are.
  const show = (path: string) => {
    if (options.cwd === undefined) return path;
    const rel = relative(options.cwd, path);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };
  const files: DumpFile[] = [];
  const maxBytes = options.maxBytes ?? MAX_DUMP_BYTES;
  let bytesRead = 0;
  const overBudget: string[] = [];
  for (const path of paths) {
    try {
      const fileInfo = await stat(path);
      if (fileInfo.size > MAX_FILE_BYTES) {
        gaps.push({ source: show(path), code: 'TOO_LARGE', message: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; not read` });
        continue;
      }
      if (bytesRead + fileInfo.size > maxBytes) {
        overBudget.push(path);
        continue;
      }
      bytesRead += fileInfo.size;
      // UTF-16 with a byte-order mark is what PowerShell's `aws ... > file.json` writes; anything else is read as UTF-8 and judged by the JSON parser.
      const bytes = await readFile(path);
      const decoded = decodeText(bytes);
      files.push({ path: show(path), text: 'text' in decoded ? decoded.text : bytes.toString('utf8'), modified: fileInfo.mtime.toISOString() });
    } catch (error) {
      gaps.push({ source: show(path), code: 'UNREADABLE', message: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    }
  }
  if (state.unread > 0) {
    gaps.push({ source: show(dir), code: 'TOO_LARGE', message: `holds more than ${state.max.toLocaleString('en-US')} .json files; the first ${state.max.toLocaleString('en-US')} in name order were read, ${state.unread.toLocaleString('en-US')} were not (split the dump per cluster)` });
  }
  if (overBudget.length > 0) {
    const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024).toLocaleString('en-US')} MiB`;
    gaps.push({ source: show(dir), code: 'TOO_LARGE', message: `holds more than ${mib(maxBytes)} of .json files; ${overBudget.length.toLocaleString('en-US')} files were not read, the first ${show(overBudget[0] ?? dir)} (split the dump per cluster)` });
  }
  if (paths.length === 0) gaps.push({ source: show(dir), code: 'NO_INPUT', message: 'no .json files in the AWS evidence directory' });
  const parsed = parseAwsDump(files);
  const resolved = resolveAwsConflicts(parsed.evidence, parsed.conflicts ?? [], options.judge);
  gaps.push(...resolved.gaps);
  if (options.clusterName === undefined) return { ...parsed, evidence: resolved.evidence, gaps: [...gaps, ...parsed.gaps] };
  const evidence = selectCluster(resolved.evidence, options.clusterName, dir);
  // Another cluster's refused call leaves this cluster's evidence whole: not its gap.
  const parsedGaps = selectClusterGaps(parsed.gaps, parsed.clusterGaps ?? [], options.clusterName);
  return { evidence, gaps: [...gaps, ...parsedGaps], sources: parsed.sources };
}
