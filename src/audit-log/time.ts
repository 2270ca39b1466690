/** Time buckets for timelines and windows. Audit timestamps are RFC 3339 in UTC (`2024-05-01T10:04:59.123456Z`). */

const MINUTE_PREFIX = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)/;

/** The last minute `minuteOf` found: events come in time order, so most share the one before's. */
let lastMinute = '';

/** `YYYY-MM-DDTHH:MM`, or undefined for a time that is not RFC 3339. */
export function minuteOf(time: string): string | undefined {
  // The answer depends only on the first 16 characters: the same as the last's, the same minute (and one string for all its events).
  if (lastMinute !== '' && time.startsWith(lastMinute)) return lastMinute;
  if (!MINUTE_PREFIX.test(time)) return undefined;
  lastMinute = time.slice(0, 16);
  return lastMinute;
}

function epochMinutes(minute: string): number | undefined {
  const m = MINUTE_PREFIX.exec(minute);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)) / 60_000;
}

function formatMinute(epoch: number): string {
  return new Date(epoch * 60_000).toISOString().slice(0, 16);
}

/** The last window computed, by its time's minute: consecutive events mostly share one (a date's parse and format per event was a fifth of the detections' time). */
const lastWindow = { minute: '', size: 0, window: '' };

/** The start of the `size`-minute window (aligned to the epoch) that `time` falls in, as `YYYY-MM-DDTHH:MM`. */
export function windowOf(time: string, size: number): string | undefined {
  // The answer depends only on the time's first 16 characters (the minute).
  if (size === lastWindow.size && lastWindow.minute !== '' && time.startsWith(lastWindow.minute)) return lastWindow.window;
  const minutes = epochMinutes(time);
  if (minutes === undefined) return undefined;
  const window = formatMinute(Math.floor(minutes / size) * size);
  lastWindow.minute = time.slice(0, 16);
  lastWindow.size = size;
  lastWindow.window = window;
  return window;
}

/** The hour of a minute bucket: `YYYY-MM-DDTHH`. */
export function hourOf(minute: string): string {
  return minute.slice(0, 13);
}

/** Minutes between two minute buckets (b after a). */
export function minutesBetween(a: string, b: string): number {
  return (epochMinutes(b) ?? 0) - (epochMinutes(a) ?? 0);
}

/** A bucket as people read it: `2024-05-01 10:04Z` or `2024-05-01 10:00Z` for an hour. */
export function displayBucket(bucket: string): string {
  return bucket.length === 13 ? `${bucket.replace('T', ' ')}:00Z` : `${bucket.replace('T', ' ')}Z`;
}
