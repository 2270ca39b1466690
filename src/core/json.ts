/** Narrowing helpers for plain JSON read from users' files, where any field may hold any type. */

/** Whether a value is a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value as a JSON object, or undefined for scalars, arrays and null. */
export function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return isRecord(value) ? value : undefined;
}
