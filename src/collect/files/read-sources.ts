import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Gap, KubeResource } from '../../core/resource.js';
import { decodeText } from './decode-text.js';
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
];

export interface SourceSummary {
  /** The file path, or `-` for standard input. */
  readonly path: string;
  readonly objects: number;
  readonly documents: number;
  /** Why a file found by a directory walk was passed over. */
  readonly skipped?: string;
}

export interface FilesResult {
  readonly resources: KubeResource[];
  readonly gaps: Gap[];
  readonly sources: SourceSummary[];
}

export interface ReadOptions {
  /** Standard input, read when a path is `-`. */
  readonly stdin?: AsyncIterable<Buffer | string>;
}

/** Reads files, directories (recursively) and `-`; every failure is a gap, the rest goes on. */
export async function readManifestSources(paths: readonly string[], options: ReadOptions = {}): Promise<FilesResult> {
  const result: FilesResult = { resources: [], gaps: [], sources: [] };
  for (const path of paths) {
    if (path === '-') {
      if (options.stdin === undefined) {
        result.gaps.push({ source: '-', code: 'UNREADABLE', message: 'standard input is not available' });
        continue;
      }
      await addBuffer(result, '-', await readStream(options.stdin));
      continue;
    }
    await readPath(result, path, true, new Set());
  }
  return result;
}

async function readPath(result: FilesResult, path: string, named: boolean, seenDirs: Set<string>): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    result.gaps.push({ source: path, code: code === 'ENOENT' ? 'NOT_FOUND' : 'UNREADABLE', message: code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code ?? 'error'})` });
    return;
  }
  if (info.isDirectory()) {
    const real = await realpath(path);
    if (seenDirs.has(real)) return; // a symlink loop: this directory is already being read
    seenDirs.add(real);
    if (await isHelmChart(path)) {
      result.gaps.push({ source: path, code: 'UNREADABLE', message: 'a Helm chart holds templates, not manifests: render it first (helm template RELEASE CHART | eksguard scan -)' });
      return;
    }
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (error) {
      result.gaps.push({ source: path, code: 'UNREADABLE', message: `cannot list directory (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = join(path, entry.name);
      if (entry.isDirectory() || entry.isSymbolicLink()) {
        await readPath(result, child, false, seenDirs);
      } else if (entry.isFile() && MANIFEST_EXTENSIONS.test(entry.name)) {
        const skip = NOT_MANIFESTS.find((rule) => rule.test(entry.name));
        if (skip) result.sources.push({ path: child, objects: 0, documents: 0, skipped: skip.reason });
        else await readOneFile(result, child);
      }
    }
    return;
  }
  if (!named && !MANIFEST_EXTENSIONS.test(basename(path))) return; // a symlink to a non-manifest file
  await readOneFile(result, path);
}

async function isHelmChart(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, 'Chart.yaml'))).isFile() && (await stat(join(dir, 'templates'))).isDirectory();
  } catch {
    return false;
  }
}

async function readOneFile(result: FilesResult, path: string): Promise<void> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    result.gaps.push({ source: path, code: 'UNREADABLE', message: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    return;
  }
  if (size > MAX_FILE_BYTES) {
    result.gaps.push({ source: path, code: 'TOO_LARGE', message: `file is ${Math.round(size / 1024 / 1024)} MiB, over the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit; split it or pipe it per namespace` });
    return;
  }
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    result.gaps.push({ source: path, code: 'UNREADABLE', message: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    return;
  }
  await addBuffer(result, path, buffer);
}

async function readStream(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(typeof part === 'string' ? Buffer.from(part) : part);
  return Buffer.concat(parts);
}

async function addBuffer(result: FilesResult, path: string, buffer: Buffer): Promise<void> {
  const decoded = decodeText(buffer);
  if ('binary' in decoded) {
    result.gaps.push({ source: path, code: 'BINARY', message: decoded.binary });
    return;
  }
  const { text } = decoded;
  const parsed = await parseManifestsInParallel(path, text);
  result.resources.push(...parsed.resources);
  result.gaps.push(...parsed.gaps);
  result.sources.push({ path, objects: parsed.resources.length, documents: parsed.documents });
}
