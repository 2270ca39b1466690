/**
 * What the live read hands the modules that make some of its calls (read-images.ts,
 * read-vpc-endpoints.ts): one bounded, gap-reporting call, every page of a listing within the page
 * bound, and where to keep an output. collect.ts implements it.
 */
import type { LiveCall } from './calls.js';

export interface LiveReader {
  /** One call (or one paginated listing) under the concurrency bound; a failure is a gap and gives undefined. */
  call<T>(action: LiveCall, about: string, run: () => Promise<T>): Promise<T | undefined>;
  /** Every page of a paginator; past the page bound, the listing fails. */
  pages<P>(iterator: AsyncIterable<P>): Promise<P[]>;
  /** Keeps one output (as the AWS CLI prints it) under a key naming its call and item. */
  add(key: string, doc: unknown): void;
}

/** The SDK error names that mean "nothing there" for a call: turned into `answer`, never into a gap. */
export async function unlessMissing<T>(run: Promise<T>, names: readonly string[], answer: () => T): Promise<T> {
  try {
    return await run;
  } catch (error) {
    if (names.includes((error as { name?: string }).name ?? '')) return answer();
    throw error;
  }
}

/**
 * The record the dump script writes when a call's error is its answer (a repository without a
 * policy, an image never scanned): the dump reader reads it as an empty output, so the live read
 * keeps the same record rather than a form of its own.
 */
export function answeredRecord(command: string, code: string, operation: string): Record<string, string> {
  return { eksguardFailedCall: command, error: `An error occurred (${code}) when calling the ${operation} operation` };
}
