/**
 * Durations as flags take them (`--timeout 10m`, `--request-timeout 30s`): Go's notation, as
 * kubectl's `--request-timeout` reads it (`1h30m`, `90s`, `1.5s`, `500ms`), or a bare number of
 * seconds. Written by hand: a dozen lines, where the packages that parse durations read other
 * notations (`ms` reads `10 minutes`, not `1h30m`).
 */
import { UsageError } from '../core/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

/** Milliseconds, more than zero; a usage error naming the flag otherwise. */
export function parseDuration(value: string, flag: string): number {
  const text = value.trim();
  let ms = 0;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else {
    PART.lastIndex = 0;
    let read = 0;
    for (let match = PART.exec(text); match !== null; match = PART.exec(text)) {
      ms += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
      read = PART.lastIndex;
    }
    if (read === 0 || read !== text.length) ms = Number.NaN;
  }
  if (!Number.isFinite(ms) || ms < 1) throw new UsageError(`${flag} ${value}: expected a duration such as 90s, 10m or 1h30m`);
  return Math.round(ms);
}
