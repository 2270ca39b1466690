/**
 * One form for what the AWS CLI prints and what the SDK returns. The CLI prints timestamps as
 * strings (`2024-05-01T10:00:00.123000+00:00`), the SDK v3 returns `Date` objects: the model keeps
 * every timestamp as an ISO 8601 string in UTC (`Date.prototype.toISOString`), whichever read it.
 */

/** An SDK output shape with every `Date` as its ISO string, read-only all the way down. */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? readonly Wire<U>[]
    : T extends object
      ? { readonly [K in keyof T as K extends '$metadata' ? never : K]: Wire<T[K]> }
      : T;

/** A timestamp as the CLI prints it: date, time, optional fraction, `Z` or an offset. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;

function normaliseTimestamp(text: string): string {
  if (!TIMESTAMP.test(text)) return text;
  const time = Date.parse(text);
  return Number.isNaN(time) ? text : new Date(time).toISOString();
}

/**
 * Deep copy of a CLI or SDK value in the model's form: `Date`s and timestamp strings become ISO
 * strings in UTC, and the SDK's `$metadata` (request ids) is dropped. Every collector runs its
 * output through this, so a dump and a live read of the same account compare equal.
 */
export function normaliseWire(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'string') return normaliseTimestamp(value);
  if (Array.isArray(value)) return value.map(normaliseWire);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === '$metadata') continue;
      const normalised = normaliseWire(child);
      if (normalised !== undefined) out[key] = normalised;
    }
    return out;
  }
  return value;
}
