/**
 * The serving certificate and key, read from files and re-read when they change: cert-manager
 * (or a re-run of `eksguard generate webhook-certs`) rotates them in the mounted Secret, and the
 * kubelet swaps the files behind a symlink. `fs.watchFile` polls the paths with stat, which
 * follows that swap where an inotify watch on the old file would not.
 */
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { AuditorError } from '../core/errors.js';

export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** Reads and checks a certificate and its key; throws a one-line error naming the file at fault. */
export function readTlsFiles(certFile: string, keyFile: string): TlsMaterial {
  const read = (file: string, what: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new AuditorError('ERR_INPUT', `--tls-${what} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`}`);
    }
  };
  const material = { cert: read(certFile, 'cert'), key: read(keyFile, 'key') };
  try {
    createSecureContext(material);
  } catch (error) {
    throw new AuditorError('ERR_INPUT', `--tls-cert ${certFile} and --tls-key ${keyFile}: not a PEM certificate and its private key (${(error as Error).message})`);
  }
  return material;
}

/**
 * Calls `apply` with the new material whenever either file changes and the pair is valid; a pair
 * caught half-written (the certificate renewed, the key not yet) is reported and skipped, and the
 * next change applies. Returns the function that stops watching.
 */
export function watchTlsFiles(certFile: string, keyFile: string, intervalMs: number, apply: (material: TlsMaterial) => void, report: (error: Error) => void): () => void {
  const onChange = (current: { mtimeMs: number }, previous: { mtimeMs: number }): void => {
    if (current.mtimeMs === previous.mtimeMs) return;
    try {
      apply(readTlsFiles(certFile, keyFile));
    } catch (error) {
      report(error as Error);
    }
  };
  // Unref'd: watching the files must not keep the process alive once the server has closed.
  watchFile(certFile, { interval: intervalMs, persistent: false }, onChange);
  watchFile(keyFile, { interval: intervalMs, persistent: false }, onChange);
  return () => {
    unwatchFile(certFile, onChange);
    unwatchFile(keyFile, onChange);
  };
}
