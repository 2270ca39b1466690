/**
 * What a test needs from outside the repository (upstream data, an installed program): on a
 * developer's machine a missing one skips the tests that need it with one printed line saying what
 * and how to run them; in CI (`CI` set) it fails the run, so nothing is skipped unnoticed there.
 */

/** Whether this is a CI run: `CI` set to anything but empty, `0` or `false` (as CI services set it). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

export interface Requirement {
  /** The tests that need it, e.g. "the Pod Security Admission conformance tests". */
  readonly tests: string;
  /** Why it is not there, e.g. "EKSGUARD_CONFORMANCE_DIR is not set". */
  readonly reason: string;
  /** How to run them, e.g. "set EKSGUARD_CONFORMANCE_DIR=... (docs/testing.md)". */
  readonly howToRun: string;
}

/**
 * Reports a missing requirement: throws in CI (the test file then fails to load, with this
 * message), else writes one line to stderr. Written straight to stderr, not through console.log,
 * which vitest would frame with a header of its own.
 */
export function requirementMissing(need: Requirement, env: NodeJS.ProcessEnv = process.env, write: (line: string) => void = (line) => process.stderr.write(line)): void {
  if (isCi(env)) throw new Error(`${need.tests} cannot run: ${need.reason}, and CI is set, so they are mandatory; ${need.howToRun}`);
  write(`skipped: ${need.tests} (${need.reason}); to run them, ${need.howToRun}\n`);
}
