/**
 * The upstream conformance data (Pod Security Admission fixtures, Falco's and audit2rbac's audit
 * logs, rbac-lookup's end-to-end case) is not part of the repository: its directory comes from
 * `EKSGUARD_CONFORMANCE_DIR` (docs/testing.md says where to get it). Tests that need it skip when it
 * is absent, and fail in CI.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { requirementMissing } from './requirement.js';

export const CONFORMANCE_ENV = 'EKSGUARD_CONFORMANCE_DIR';
export const DESIGN_ENV = 'EKSGUARD_DESIGN_DIR';

/** What each variable names, for the line that says how to run the skipped tests. */
const DIRECTORIES: Readonly<Record<string, string>> = {
  [CONFORMANCE_ENV]: 'the conformance data directory',
  [DESIGN_ENV]: 'the design notes directory (the one with RULES.md)',
};

/** Where a piece of outside data is, and whether it is there (`path` is only meaningful when it is). */
export interface OutsideData {
  readonly path: string;
  readonly missing: boolean;
}

/**
 * `subpath` of the directory that `envName` names; when it is unset or the path does not exist,
 * says so once (see requirementMissing) and returns it as missing.
 */
export function outsideData(envName: string, subpath: string, tests: string, env: NodeJS.ProcessEnv = process.env, write?: (line: string) => void): OutsideData {
  const root = env[envName] ?? '';
  const path = root === '' ? '' : resolve(root, subpath);
  if (path !== '' && existsSync(path)) return { path, missing: false };
  const reason = root === '' ? `${envName} is not set` : `${path} does not exist`;
  requirementMissing({ tests, reason, howToRun: `set ${envName} to ${DIRECTORIES[envName] ?? 'its directory'} (docs/testing.md)` }, env, write);
  return { path, missing: true };
}

/** A directory or file of the conformance data, e.g. `pod-security-admission`. */
export function conformanceData(subpath: string, tests: string): OutsideData {
  return outsideData(CONFORMANCE_ENV, subpath, tests);
}

/** A file of the design notes the rule catalogue lives in, e.g. `RULES.md`. */
export function designData(subpath: string, tests: string): OutsideData {
  return outsideData(DESIGN_ENV, subpath, tests);
}
