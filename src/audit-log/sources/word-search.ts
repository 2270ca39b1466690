/**
 * Finding a word in a buffer, fast: by its rarest byte, located with a one-byte search (memchr),
 * then compared in full. Node's substring search (`Buffer#indexOf` with a string or buffer) costs
 * about a nanosecond a byte; memchr is an order of magnitude faster, so on audit-log lines, where a
 * word's rarest byte turns up a few times a kilobyte, this finds the same position several times
 * sooner. The answers are exactly `indexOf`'s and `lastIndexOf`'s; only the speed differs.
 */

/**
 * Printable ASCII from rarest to commonest in audit logs (measured on a log of an EKS cluster's
 * usual traffic); bytes not listed count as rarest.
 */
const BY_RARITY = '!#$%\'*+;<>@HJQW^_`|~NFYOGKLX?()&UxjDMP=BZzqSEV[]wIhCTAf7\\69}{gR53b84yk v/p2.1d,m-luci0nr:oatse"';

export interface Word {
  readonly bytes: Buffer;
  /** Where in the word its rarest byte is. */
  readonly pivot: number;
}

function rarity(byte: number): number {
  const rank = BY_RARITY.indexOf(String.fromCharCode(byte));
  return rank === -1 ? -1 : rank;
}

export function wordOf(text: string): Word {
  const bytes = Buffer.from(text, 'latin1');
  let pivot = 0;
  for (let i = 1; i < bytes.length; i += 1) if (rarity(bytes[i] as number) < rarity(bytes[pivot] as number)) pivot = i;
  return { bytes, pivot };
}

function matchesAt(buffer: Buffer, at: number, bytes: Buffer): boolean {
  if (at < 0 || at + bytes.length > buffer.length) return false;
  for (let k = 0; k < bytes.length; k += 1) if (buffer[at + k] !== bytes[k]) return false;
  return true;
}

/** `buffer.indexOf(word.bytes, from)`. */
export function indexOfWord(buffer: Buffer, word: Word, from: number): number {
  const { bytes, pivot } = word;
  if (bytes.length === 0) return Math.min(Math.max(from, 0), buffer.length);
  const rare = bytes[pivot] as number;
  for (let i = buffer.indexOf(rare, Math.max(from, 0) + pivot); i !== -1; i = buffer.indexOf(rare, i + 1)) {
    if (matchesAt(buffer, i - pivot, bytes)) return i - pivot;
  }
  return -1;
}

/** Where the last occurrence of a (non-empty) `word` lying wholly in `buffer[from, to)` starts, or -1: `buffer.subarray(from, to).lastIndexOf(word.bytes)` plus `from`. */
export function lastIndexOfWordIn(buffer: Buffer, word: Word, from: number, to: number): number {
  const { bytes, pivot } = word;
  if (bytes.length === 0 || to - from < bytes.length) return -1;
  const rare = bytes[pivot] as number;
  // The rare byte of the last whole occurrence is at most this far in.
  const last = to - bytes.length + pivot;
  for (let i = buffer.lastIndexOf(rare, last); i !== -1 && i - pivot >= from; i = i === 0 ? -1 : buffer.lastIndexOf(rare, i - 1)) {
    if (matchesAt(buffer, i - pivot, bytes)) return i - pivot;
  }
  return -1;
}
