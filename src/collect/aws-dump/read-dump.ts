/** Reads an AWS evidence directory: every `*.json` below it, recursively. The only I/O of the dump collector. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { Gap } from '../../core/resource.js';
import { decodeText } from '../files/decode-text.js';
import { parseAwsDump, type DumpFile, type DumpResult } from './recognise.js';
import { selectCluster, selectClusterGaps } from './select.js';

/** Larger than any CLI output eksguard reads (authorization details of a big account run to tens of MB). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** Bounds the walk: a dump is tens of files, not a home directory. */
const MAX_FILES = 10_000;

export interface AwsDumpOptions {
  /** Keep only this cluster (and what belongs to it) when the directory holds several. */
  readonly clusterName?: string;
  /** Paths in gaps and sources are written relative to this directory. */
  readonly cwd?: string;
}

async function walk(dir: string, out: string[], gaps: Gap[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    gaps.push({ source: dir, code: 'UNREADABLE', message: `cannot read directory (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (out.length >= MAX_FILES) return;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out, gaps);
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) out.push(path);
  }
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
  const paths: string[] = [];
  await walk(dir, paths, gaps);
  // Paths under the working directory are shown relative to it, others as they are.
  const show = (path: string) => {
    if (options.cwd === undefined) return path;
    const rel = relative(options.cwd, path);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };
  const files: DumpFile[] = [];
  for (const path of paths) {
    try {
      const fileInfo = await stat(path);
      if (fileInfo.size > MAX_FILE_BYTES) {
        gaps.push({ source: show(path), code: 'TOO_LARGE', message: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; not read` });
        continue;
      }
      // UTF-16 with a byte-order mark is what PowerShell's `aws ... > file.json` writes; anything else is read as UTF-8 and judged by the JSON parser.
      const bytes = await readFile(path);
      const decoded = decodeText(bytes);
      files.push({ path: show(path), text: 'text' in decoded ? decoded.text : bytes.toString('utf8'), modified: fileInfo.mtime.toISOString() });
    } catch (error) {
      gaps.push({ source: show(path), code: 'UNREADABLE', message: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    }
  }
  if (paths.length === 0) gaps.push({ source: show(dir), code: 'NO_INPUT', message: 'no .json files in the AWS evidence directory' });
  const parsed = parseAwsDump(files);
  if (options.clusterName === undefined) return { ...parsed, gaps: [...gaps, ...parsed.gaps] };
  const evidence = selectCluster(parsed.evidence, options.clusterName, dir);
  // Another cluster's refused call leaves this cluster's evidence whole: not its gap.
  const parsedGaps = selectClusterGaps(parsed.gaps, parsed.clusterGaps ?? [], options.clusterName);
  return { evidence, gaps: [...gaps, ...parsedGaps], sources: parsed.sources };
}
