/**
 * The text of an input file: UTF-8 (with or without a byte-order mark), or UTF-16 in either byte
 * order when a byte-order mark says so (PowerShell's `>` and `Out-File` write UTF-16 LE with one;
 * `kubectl get -o yaml > dump.yaml` there gives such a file). Anything else is refused as binary.
 */
import { isUtf8 } from 'node:buffer';

export type Decoded = { readonly text: string } | { readonly binary: string };

const utf16le = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });

function decodeUtf16(body: Buffer, bigEndian: boolean): Decoded {
  if (body.length % 2 !== 0) return { binary: 'UTF-16 text with an odd number of bytes, not a manifest' };
  // swap16 turns big-endian into little-endian in place: on a copy, the caller's buffer stays as read.
  const units = bigEndian ? Buffer.from(body).swap16() : body;
  try {
    return { text: utf16le.decode(units) };
  } catch {
    return { binary: 'not valid UTF-16 text, not a manifest' };
  }
}

export function decodeText(buffer: Buffer): Decoded {
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return decodeUtf16(buffer.subarray(2), false);
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return decodeUtf16(buffer.subarray(2), true);
  if (buffer.subarray(0, 8192).includes(0)) return { binary: 'binary file (contains NUL bytes), not a manifest' };
  // isUtf8 (simdutf) then a plain decode: half the cost of a fatal TextDecoder on large files.
  if (!isUtf8(buffer)) return { binary: 'not UTF-8 text, not a manifest' };
  const text = buffer.toString('utf8');
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}
