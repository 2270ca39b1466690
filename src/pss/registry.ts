/**
 * Every Pod Security Standards check, and which of them (in which version) apply to a level at a
 * policy version — resolved once per (level, version), as PSA builds its evaluator.
 */
import { type CheckFn, type CheckId, type PssCheck } from './check-types.js';
import { hostChecks } from './checks/host.js';
import { privilegeChecks } from './checks/privilege.js';
import { profileChecks } from './checks/profiles.js';
import { sysctlChecks } from './checks/sysctls.js';
import { userChecks } from './checks/users.js';
import { volumeChecks } from './checks/volumes.js';
import type { PssLevel } from './levels.js';

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorted by id (byte order, as PSA sorts them), so violations come out in PSA's order. */
export const PSS_CHECKS: readonly PssCheck[] = [...hostChecks, ...privilegeChecks, ...profileChecks, ...sysctlChecks, ...userChecks, ...volumeChecks]
  .sort((a, b) => byteOrder(a.id, b.id));

export interface ResolvedCheck {
  readonly id: CheckId;
  readonly check: CheckFn;
}

/** The implementation of a check in force at a policy minor version, or undefined before it existed. */
export function checkAt(check: PssCheck, minor: number): CheckFn | undefined {
  let found: CheckFn | undefined;
  for (const version of check.versions) if (version.since <= minor) found = version.check;
  return found;
}

export function findCheck(id: CheckId): PssCheck {
  const check = PSS_CHECKS.find((c) => c.id === id);
  if (check === undefined) throw new Error(`pss: unknown check ${id}`);
  return check;
}

const cache = new Map<string, readonly ResolvedCheck[]>();

/**
 * The checks a level runs at a policy minor version: none for privileged; the baseline checks;
 * for restricted, the baseline checks minus those a restricted check (existing at that version)
 * overrides, then the restricted checks. Baseline first, each group in id order.
 */
export function checksFor(level: PssLevel, minor: number): readonly ResolvedCheck[] {
  const key = `${level}:${minor}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const resolve = (group: 'baseline' | 'restricted'): ResolvedCheck[] =>
    PSS_CHECKS.filter((c) => c.level === group).flatMap((c) => {
      const check = checkAt(c, minor);
      return check === undefined ? [] : [{ id: c.id, check }];
    });
  let checks: ResolvedCheck[] = [];
  if (level !== 'privileged') checks = resolve('baseline');
  if (level === 'restricted') {
    const restricted = resolve('restricted');
    const overridden = new Set(restricted.flatMap((r) => findCheck(r.id).overrides ?? []));
    checks = [...checks.filter((c) => !overridden.has(c.id)), ...restricted];
  }
  cache.set(key, checks);
  return checks;
}
