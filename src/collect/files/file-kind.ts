/**
 * What a path found in a directory walk is, with symlinks followed: only regular files and
 * directories are read. A FIFO blocks a read for ever, a device (`/dev/zero`) never ends, a
 * socket cannot be read at all: named in a walk, each is passed over with the reason, never read
 * and never dropped silently (docs/limits.md).
 */
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';

export type FileKind =
  | { readonly kind: 'file'; readonly size: number }
  | { readonly kind: 'directory' }
  /** Anything else, with why it is not read (`not a regular file (a FIFO)`). */
  | { readonly kind: 'other'; readonly reason: string };

/** Words for a file that is neither a regular file nor a directory. */
export function specialFileReason(info: Stats): string {
  const what = info.isFIFO() ? 'a FIFO (named pipe)'
    : info.isSocket() ? 'a socket'
      : info.isCharacterDevice() ? 'a character device'
        : info.isBlockDevice() ? 'a block device'
          : 'not a file or directory';
  return `not a regular file (${what}); not read`;
}

/** Stats the path (following symlinks); an error (a broken symlink, no permission) is thrown to the caller. */
export async function fileKind(path: string): Promise<FileKind> {
  const info = await stat(path);
  if (info.isFile()) return { kind: 'file', size: info.size };
  if (info.isDirectory()) return { kind: 'directory' };
  return { kind: 'other', reason: specialFileReason(info) };
}
