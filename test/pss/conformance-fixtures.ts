/** Reads the upstream Pod Security Admission fixtures once (layout: `<level>/v1.<minor>/<pass|fail>/*.yaml`). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import type { PssVersion } from '../../src/pss/levels.js';
import { conformanceData, type OutsideData } from '../support/conformance.js';

/** `pod-security-admission` of the conformance data, or missing (each test file that needs it says so once). */
export function pssConformance(tests: string): OutsideData {
  return conformanceData('pod-security-admission', tests);
}

export interface Fixture {
  readonly level: 'baseline' | 'restricted';
  readonly version: PssVersion;
  readonly expect: 'pass' | 'fail';
  /** The file stem, which is also the pod's name. */
  readonly name: string;
  readonly file: string;
  readonly pod: { readonly metadata?: unknown; readonly spec?: unknown };
}

/** One directory of fixtures: a level, a version, and whether its pods pass or fail. */
export interface FixtureDir {
  readonly level: 'baseline' | 'restricted';
  readonly version: PssVersion;
  readonly expect: 'pass' | 'fail';
  readonly dir: string;
}

export function fixtureDirs(root: string): FixtureDir[] {
  const dirs: FixtureDir[] = [];
  for (const level of ['baseline', 'restricted'] as const) {
    const versions = readdirSync(join(root, level)).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
    for (const version of versions) {
      for (const expect of ['pass', 'fail'] as const) dirs.push({ level, version: version as PssVersion, expect, dir: join(root, level, version, expect) });
    }
  }
  return dirs;
}

let cached: Fixture[] | undefined;

export function loadFixtures(root: string): readonly Fixture[] {
  cached ??= fixtureDirs(root).flatMap(({ level, version, expect, dir }) =>
    readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort().map((name) => {
      const file = join(dir, name);
      return { level, version, expect, name: name.slice(0, -'.yaml'.length), file, pod: jsYaml.load(readFileSync(file, 'utf8')) as Fixture['pod'] };
    }));
  return cached;
}
