/**
 * External programs some tests drive (a browser, kubectl, openssl, curl, shells): found through an
 * environment variable naming the executable, else on PATH under one of their usual names. Tests
 * that need one skip when it is absent, and fail in CI. PATH is searched here, not through a shell
 * (`which` is not everywhere, and no shell runs with test strings).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, resolve } from 'node:path';
import { requirementMissing } from './requirement.js';

/** The programs tests may need: the variable that names one, and the names it goes by on PATH. */
export const PROGRAMS = {
  chromium: { env: 'EKSGUARD_CHROMIUM', names: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'], package: 'chromium' },
  kubectl: { env: 'EKSGUARD_KUBECTL', names: ['kubectl'], package: 'kubernetes-client (Debian) or kubectl' },
  openssl: { env: 'EKSGUARD_OPENSSL', names: ['openssl'], package: 'openssl' },
  curl: { env: 'EKSGUARD_CURL', names: ['curl'], package: 'curl' },
  bash: { env: 'EKSGUARD_BASH', names: ['bash'], package: 'bash' },
  zsh: { env: 'EKSGUARD_ZSH', names: ['zsh'], package: 'zsh' },
  fish: { env: 'EKSGUARD_FISH', names: ['fish'], package: 'fish' },
} as const;

export type ProgramName = keyof typeof PROGRAMS;

/** An external program: its path when found (`missing` false), else its usual name. */
export interface ExternalProgram {
  readonly path: string;
  readonly missing: boolean;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first of `names` that is an executable file in a directory of `searchPath`. */
export function findOnPath(names: readonly string[], searchPath: string): string | undefined {
  const dirs = searchPath.split(delimiter).filter((dir) => dir !== '');
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = resolve(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * The program, from its variable (a path, or a name looked up on PATH) or PATH; when not found,
 * says so once (see requirementMissing) and returns it as missing.
 */
export function externalProgram(name: ProgramName, tests: string, env: NodeJS.ProcessEnv = process.env, write?: (line: string) => void): ExternalProgram {
  const program = PROGRAMS[name];
  const given = env[program.env] ?? '';
  const searchPath = env.PATH ?? '';
  let found: string | undefined;
  let reason: string;
  if (given !== '') {
    found = isAbsolute(given) || given.includes('/') ? (isExecutableFile(resolve(given)) ? resolve(given) : undefined) : findOnPath([given], searchPath);
    reason = `${program.env}=${given} is not an executable file`;
  } else {
    found = findOnPath(program.names, searchPath);
    reason = `${program.names.join(', ')} not found on PATH`;
  }
  if (found !== undefined) return { path: found, missing: false };
  requirementMissing({ tests, reason, howToRun: `install ${program.package}, or set ${program.env} to its path` }, env, write);
  return { path: program.names[0], missing: true };
}

