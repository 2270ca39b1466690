/**
 * The upstream Pod Security Admission fixtures (pod-security-admission/ of the conformance data): every
 * pass pod must be allowed and every fail pod denied at its level and policy version, through the
 * library and through `eksguard pss check`.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/pss/check-types.js';
import { evaluatePod } from '../../src/pss/evaluate.js';
import { PSS_CHECKS } from '../../src/pss/registry.js';
import { runCli } from '../cli-harness.js';
import { fixtureDirs, loadFixtures, pssConformance } from './conformance-fixtures.js';

const data = pssConformance('the Pod Security Admission conformance tests (test/pss/conformance.test.ts)');
const fixtures = data.missing ? [] : loadFixtures(data.path);

describe.skipIf(data.missing)('Pod Security Admission conformance fixtures', () => {
  it('holds all 4,537 fixtures: 1,051 pass, 3,486 fail', () => {
    expect(fixtures.length).toBe(4537);
    expect(fixtures.filter((f) => f.expect === 'pass').length).toBe(1051);
  });

  it('allows every pass pod and denies every fail pod (library)', () => {
    const wrong: string[] = [];
    for (const f of fixtures) {
      const result = evaluatePod(f.pod, f.level, f.version);
      if (result.allowed !== (f.expect === 'pass')) {
        wrong.push(`${f.level}/${f.version}/${f.expect}/${f.name}: ${result.allowed ? 'allowed' : result.violations.map((v) => v.message).join('; ')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('denies each fail pod by the check that generated it, or by the restricted check overriding it', () => {
    const byFilePrefix = new Map(CHECK_IDS.map((id) => [id.toLowerCase(), id]));
    const wrong: string[] = [];
    for (const f of fixtures.filter((x) => x.expect === 'fail')) {
      const named = byFilePrefix.get(f.name.replace(/\d+$/, ''));
      if (named === undefined) throw new Error(`no check for fixture ${f.name}`);
      const accepted = new Set<string>([named, ...PSS_CHECKS.filter((c) => c.overrides?.includes(named)).map((c) => c.id)]);
      const checks = evaluatePod(f.pod, f.level, f.version).violations.map((v) => v.check);
      if (!checks.some((c) => accepted.has(c))) wrong.push(`${f.level}/${f.version}/${f.name}: denied by ${checks.join(', ') || 'nothing'}`);
    }
    expect(wrong).toEqual([]);
  });

  it('allows every pass pod and denies every fail pod (eksguard pss check, every directory)', async () => {
    const wrong: string[] = [];
    let judged = 0;
    for (const { level, version, expect: outcome, dir } of fixtureDirs(data.path)) {
      const run = await runCli(['pss', 'check', relative(process.cwd(), dir), '--level', level, '--version', version, '-o', 'json']);
      const report = JSON.parse(run.stdout) as { level: string; version: string; results: { resource: { file: string }; allowed: boolean; violations: { check: string }[] }[]; gaps: unknown[] };
      expect([report.level, report.version, report.gaps, run.stderr]).toEqual([level, version, [], '']);
      expect(run.code, `${dir}: exit code`).toBe(outcome === 'pass' ? 0 : 1);
      for (const r of report.results) {
        judged += 1;
        if (r.allowed !== (outcome === 'pass')) wrong.push(`${r.resource.file}: ${r.allowed ? 'allowed' : r.violations.map((v) => v.check).join(', ')}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(judged).toBe(4537);
  });
});
