/**
 * Report file names of a fleet scan: `-o json=reports/{account}/{region}/{cluster}.json` gives each
 * cluster its own file. A cluster name comes from AWS (and so from whoever can create clusters):
 * each value is reduced to the characters an EKS name may hold before it goes into a path, so no
 * name can climb out of the directory the pattern names or write over another cluster's report.
 * Pure.
 */
import { resolve, sep } from 'node:path';

export const PLACEHOLDERS = ['account', 'region', 'cluster'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Readonly<Record<Placeholder, string>>;

const ANY = /\{(account|region|cluster)\}/g;

/** Whether a file name holds a placeholder (a per-cluster report). */
export function hasPlaceholder(file: string): boolean {
  return /\{(account|region|cluster)\}/.test(file);
}

/** The placeholders a file name uses. */
export function placeholdersOf(file: string): Set<Placeholder> {
  return new Set([...file.matchAll(ANY)].map((m) => m[1] as Placeholder));
}

/**
 * A value as it may appear in a path: letters, digits, `-` and `_` (what account ids, region names
 * and EKS cluster names consist of); anything else, `/` and `.` included, becomes `_`.
 */
export function pathSafe(value: string): string {
  const safe = value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100);
  return safe === '' ? '_' : safe;
}

/**
 * The absolute file of one cluster's report. Throws when the result would fall outside the
 * directory before the first placeholder (it cannot, with the values made path-safe: a last guard).
 */
export function expandOutputFile(pattern: string, values: PlaceholderValues, cwd: string): string {
  const file = resolve(cwd, pattern.replace(ANY, (_m, name: Placeholder) => pathSafe(values[name])));
  const first = pattern.search(ANY);
  const fixed = first === -1 ? pattern : pattern.slice(0, first);
  const base = resolve(cwd, fixed.endsWith('/') || fixed === '' ? fixed || '.' : `${fixed}/..`);
  if (file !== base && !file.startsWith(base.endsWith(sep) ? base : `${base}${sep}`)) {
    throw new Error(`report file ${file} is outside ${base}`);
  }
  return file;
}
