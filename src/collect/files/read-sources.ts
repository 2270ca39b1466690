import { createReadStream } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import type { Gap, KubeResource } from '../../core/resource.js';
import { specialFileReason } from './file-kind.js';
import { decodeText } from './decode-text.js';
import { isHelmTemplate, RENDER_CHART_HINT } from './foreign.js';
import { parseManifestsInParallel } from './parse-parallel.js';

/** A file larger than this is refused with a gap rather than read whole (V8 caps strings near 512 MiB). */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;

/**
 * Files a directory walk passes over because they are not manifests (chart values, kustomize and
 * eksguard config). Listed in the report's sources with the reason, never dropped silently.
 */
const NOT_MANIFESTS: readonly { readonly test: (name: string) => boolean; readonly reason: string }[] = [
  { test: (n) => /^values([-.].*)?\.ya?ml$/i.test(n), reason: 'Helm values file' },
  { test: (n) => /^kustomization\.ya?ml$/i.test(n), reason: 'Kustomize configuration (run kustomize build | eksguard scan -)' },
  { test: (n) => /^eksguard\.ya?ml$/i.test(n), reason: 'eksguard configuration' },
  { test: (n) => /^(package(-lock)?|tsconfig.*)\.json$/i.test(n), reason: 'not a Kubernetes manifest' },
  { test: (n) => /^Chart\.(ya?ml|lock)$/.test(n), reason: 'Helm chart metadata, not a manifest' },
];

export interface SourceSummary {
  /** The file path, or `-` for standard input. */
  readonly path: string;
  readonly objects: number;
  readonly documents: number;
  /** Why a file was passed over: a directory walk's rule, or content not meant for Kubernetes. */
  readonly skipped?: string;
  /** Objects of this source identical to one read before from another place, and judged there. */
  readonly duplicates?: number;
}

export interface FilesResult {
  readonly resources: KubeResource[];
  readonly gaps: Gap[];
  readonly sources: SourceSummary[];
  /** Whether any file (or standard input) held objects or content problems; false when nothing could be read at all. */
  readonly anyRead: boolean;
  /** Given paths that held nothing to judge (an empty directory, only skipped files), with the reason in words. */
  readonly empty: readonly { readonly path: string; readonly reason: string }[];
}

export interface ReadOptions {
  /** Standard input, read when a path is `-`. */
  readonly stdin?: AsyncIterable<Buffer | string>;
  /** The largest file or stream read (`MAX_FILE_BYTES`); smaller in tests. */
  readonly maxFileBytes?: number;
}

/** What one read accumulates: each file and directory is read once, by real path, however often it is named or reached. */
interface ReadState {
  readonly resources: KubeResource[];
  readonly gaps: Gap[];
  readonly sources: SourceSummary[];
  anyRead: boolean;
  /** Real path of each directory and file read, to the path it was first read as. */
  readonly seen: Map<string, string>;
  readonly maxFileBytes: number;
}

/** Reads files, directories (recursively) and `-`; every failure is a gap, the rest goes on. */
export async function readManifestSources(paths: readonly string[], options: ReadOptions = {}): Promise<FilesResult> {
  const state: ReadState = { resources: [], gaps: [], sources: [], anyRead: false, seen: new Map(), maxFileBytes: options.maxFileBytes ?? MAX_FILE_BYTES };
  const empty: { path: string; reason: string }[] = [];
  for (const path of paths) {
    const before = { resources: state.resources.length, gaps: state.gaps.length, sources: state.sources.length };
    if (path === '-') {
      if (options.stdin === undefined) {
        state.gaps.push({ source: '-', code: 'UNREADABLE', message: 'standard input is not available' });
        continue;
      }
      const read = await readBounded(options.stdin, state.maxFileBytes);
      if (typeof read === 'string') state.gaps.push({ source: '-', code: read === TOO_LARGE ? 'TOO_LARGE' : 'BINARY', message: read === TOO_LARGE ? tooLargeStream(state.maxFileBytes) : read });
      else await addBuffer(state, '-', read);
    } else if (!(await readPath(state, path, true))) {
      continue; // read before under this or another name
    }
    if (state.resources.length === before.resources && state.gaps.length === before.gaps) {
      empty.push({ path, reason: emptyReason(path, state.sources.slice(before.sources)) });
    }
  }
  return { resources: state.resources, gaps: state.gaps, sources: state.sources, anyRead: state.anyRead, empty };
}

/** Why a given path held nothing to judge, from the sources it added. */
function emptyReason(path: string, added: readonly SourceSummary[]): string {
  const skipped = added.filter((s) => s.skipped !== undefined);
  if (added.length === 1 && skipped.length === 1 && added[0]?.path === path) return skipped[0]?.skipped ?? 'skipped';
  if (path === '-') return 'no Kubernetes objects on standard input';
  if (added.length === 0) return 'no manifests in it (no .yaml, .yml or .json files)';
  if (skipped.length === added.length) return `no Kubernetes manifests in it (${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped as not meant for Kubernetes)`;
  return 'no Kubernetes objects in it';
}

function skip(state: ReadState, path: string, reason: string): void {
  state.sources.push({ path, objects: 0, documents: 0, skipped: reason });
}

/** False, and the path listed as skipped, when its real path was read before (named twice, or inside a directory also named). */
async function firstVisit(state: ReadState, path: string): Promise<boolean> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return true; // the read that follows names the problem
  }
  const first = state.seen.get(real);
  if (first === undefined) {
    state.seen.set(real, path);
    return true;
  }
  if (first !== path) skip(state, path, `already read as ${first}`);
  return false;
}

/** Reads a file or directory; false when its real path was read before. */
async function readPath(state: ReadState, path: string, named: boolean): Promise<boolean> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    state.gaps.push({ source: path, code: code === 'ENOENT' ? 'NOT_FOUND' : 'UNREADABLE', message: code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code ?? 'error'})` });
    return true;
  }
  if (info.isDirectory() && (await isHelmChart(path))) {
    // Named, the user meant it to be scanned: a gap (even if a walk passed it over). Met in a walk, it is one more thing a repository holds.
    if (!named) skip(state, path, `Helm chart: ${RENDER_CHART_HINT}`);
    else if (await firstVisit(state, path)) state.gaps.push({ source: path, code: 'UNREADABLE', message: `a Helm chart holds templates, not manifests: ${RENDER_CHART_HINT}` });
    return true;
  }
  if (!(await firstVisit(state, path))) return false; // also what ends a symlink loop
  if (info.isDirectory()) {
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (error) {
      state.gaps.push({ source: path, code: 'UNREADABLE', message: `cannot list directory (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return true;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = join(path, entry.name);
      const isDir = entry.isDirectory() || entry.isSymbolicLink();
      if (entry.name.startsWith('.') || entry.name === 'node_modules') {
        // Listed, not walked: .git and node_modules hold thousands of files that are never manifests.
        if (isDir || MANIFEST_EXTENSIONS.test(entry.name)) skip(state, child, `${entry.name.startsWith('.') ? 'hidden' : 'dependency'} ${isDir ? 'directory' : 'file'}, not walked (name it to scan it)`);
        continue;
      }
      if (isDir) {
        await readPath(state, child, false);
      } else if (!entry.isFile() && MANIFEST_EXTENSIONS.test(entry.name)) {
        // A FIFO, socket or device: a read would block for ever or never end.
        const info = await stat(child).catch(() => undefined);
        skip(state, child, info === undefined ? 'not a regular file; not read' : specialFileReason(info));
      } else if (entry.isFile() && MANIFEST_EXTENSIONS.test(entry.name)) {
        const rule = NOT_MANIFESTS.find((r) => r.test(entry.name));
        if (rule) skip(state, child, rule.reason);
        else if (await firstVisit(state, child)) await readOneFile(state, child, false);
      }
    }
    return true;
  }
  if (!named && !MANIFEST_EXTENSIONS.test(basename(path))) return true; // a symlink to a non-manifest file
  if (!info.isFile()) {
    // Met in a walk (a symlink to /dev/zero or a FIFO), passed over. Named, read as the stream it is
    // (`scan <(helm template .)` names a pipe), within the size cap.
    if (!named) skip(state, path, specialFileReason(info));
    else await readNamedStream(state, path);
    return true;
  }
  await readOneFile(state, path, named);
  return true;
}

async function readNamedStream(state: ReadState, path: string): Promise<void> {
  let read: Buffer | string;
  try {
    read = await readBounded(createReadStream(path), state.maxFileBytes);
  } catch (error) {
    state.gaps.push({ source: path, code: 'UNREADABLE', message: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    return;
  }
  if (typeof read === 'string') state.gaps.push({ source: path, code: read === TOO_LARGE ? 'TOO_LARGE' : 'BINARY', message: read === TOO_LARGE ? tooLargeStream(state.maxFileBytes) : read });
  else await addBuffer(state, path, read);
}

async function isHelmChart(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, 'Chart.yaml'))).isFile() && (await stat(join(dir, 'templates'))).isDirectory();
  } catch {
    return false;
  }
}

async function readOneFile(state: ReadState, path: string, named: boolean): Promise<void> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    state.gaps.push({ source: path, code: 'UNREADABLE', message: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    return;
  }
  if (size > state.maxFileBytes) {
    state.gaps.push({ source: path, code: 'TOO_LARGE', message: `file is ${Math.round(size / 1024 / 1024)} MiB, over the ${formatMiB(state.maxFileBytes)} limit; split it or pipe it per namespace` });
    return;
  }
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    state.gaps.push({ source: path, code: 'UNREADABLE', message: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    return;
  }
  await addBuffer(state, path, buffer, named);
}

const TOO_LARGE = 'too large';

function formatMiB(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 100) / 100} MiB`;
}

function tooLargeStream(max: number): string {
  return `more than ${formatMiB(max)}, the limit for one file; the rest was not read (split it or pipe it per namespace)`;
}

/**
 * Reads a stream (standard input, a named pipe) up to `max` bytes: past it, `TOO_LARGE` and the
 * stream is left unread; a start holding NUL bytes ends the read at once (`/dev/zero` is binary,
 * not a manifest). Never builds a string or buffer past the cap, so never past V8's limits.
 */
async function readBounded(stream: AsyncIterable<Buffer | string>, max: number): Promise<Buffer | string> {
  const parts: Buffer[] = [];
  let size = 0;
  let utf16 = false; // UTF-16 text holds NUL bytes: a byte-order mark says so (decode-text.ts)
  for await (const part of stream) {
    const bytes = typeof part === 'string' ? Buffer.from(part) : part;
    if (size === 0) utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    if (!utf16 && size < 8192 && bytes.subarray(0, 8192 - size).includes(0)) {
      destroy(stream);
      return 'binary input (contains NUL bytes), not a manifest';
    }
    size += bytes.length;
    if (size > max) {
      destroy(stream);
      return TOO_LARGE;
    }
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}

/** Stops reading a stream left early (a file stream holds a descriptor until then). */
function destroy(stream: AsyncIterable<Buffer | string>): void {
  const destroyable = stream as { destroy?: () => void };
  if (typeof destroyable.destroy === 'function') destroyable.destroy();
}

/** A file under a `templates/` directory: where Helm keeps what it renders. */
function inTemplatesDir(path: string): boolean {
  return path.split(sep).slice(0, -1).includes('templates');
}

async function addBuffer(state: ReadState, path: string, buffer: Buffer, named = true): Promise<void> {
  const decoded = decodeText(buffer);
  if ('binary' in decoded) {
    state.anyRead = true;
    state.gaps.push({ source: path, code: 'BINARY', message: decoded.binary });
    return;
  }
  const { text } = decoded;
  if (path !== '-' && inTemplatesDir(path) && isHelmTemplate(text)) {
    // Parsed, a template can pass for a Deployment with no name: never judge one.
    if (named) state.gaps.push({ source: path, code: 'UNREADABLE', message: `a Helm template, not a manifest: ${RENDER_CHART_HINT}` });
    else skip(state, path, `Helm template: ${RENDER_CHART_HINT}`);
    return;
  }
  // A file nested too deep or too wide (input-bounds.ts) is one gap and no objects: the readers
  // keep the bounds as they read, before anything recurses.
  const parsed = await parseManifestsInParallel(path, text);
  if (parsed.skipped !== undefined) {
    state.sources.push({ path, objects: 0, documents: parsed.documents, skipped: parsed.skipped });
    return;
  }
  if (parsed.resources.length > 0 || parsed.gaps.length > 0) state.anyRead = true;
  state.resources.push(...parsed.resources);
  state.gaps.push(...parsed.gaps);
  state.sources.push({ path, objects: parsed.resources.length, documents: parsed.documents });
}
