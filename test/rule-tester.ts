import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { parseAwsDump } from '../src/collect/aws-dump/recognise.js';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../src/collect/files/parse-manifests.js';
import { toJsonPointer } from '../src/core/field-path.js';
import type { Finding, Severity } from '../src/core/finding.js';
import { Inventory } from '../src/core/inventory.js';
import type { KubeResource } from '../src/core/resource.js';
import { applyPatch } from '../src/engine/apply-patch.js';
import { audit } from '../src/engine/audit.js';
import { EMPTY_CONFIG } from '../src/engine/config.js';
import { resolveRules } from '../src/engine/rule-set.js';
import { interpolate, type AnyRule } from '../src/rules/define-rule.js';

export * from './builders.js';

type Manifest = Record<string, unknown>;
/** A YAML string, one object, or several objects (scanned together, as one input). */
export type Manifests = string | Manifest | readonly Manifest[];

/**
 * AWS evidence as the CLI feeds it: AWS CLI output documents (`{ cluster: {...} }`, one per file),
 * or the path of a dump directory (`test/fixtures/aws/weak`).
 */
export type AwsInput = string | Manifest | readonly Manifest[];

interface BaseCase {
  /** The situation, not the expected result ("hostPID on Deployment template"). */
  readonly name: string;
  /** Kubernetes input; a case with only `aws` input reads no manifests (manifest rules are then not evaluated). */
  readonly manifests?: Manifests;
  readonly aws?: AwsInput;
  readonly options?: Record<string, unknown>;
}

export type ValidCase = BaseCase;

export interface ExpectedFinding {
  readonly messageId: string;
  /** JSON Pointer of the field, from the resource root. */
  readonly path: string;
  readonly data?: Readonly<Record<string, string | number>>;
  /** `Kind namespace/name` (or `Kind name` for cluster-scoped objects). */
  readonly resource?: string;
  readonly severity?: Severity;
  /** 1-based line in the YAML the tester renders (only where the case gives a YAML string). */
  readonly line?: number;
  /** Each suggestion, in order: its messageId; applying its patch must clear this finding. */
  readonly suggestions?: readonly { readonly messageId: string; readonly output?: Manifest }[];
}

export interface InvalidCase extends BaseCase {
  readonly findings: readonly ExpectedFinding[];
  /** The resource after the unattended fix, or null when the rule offers none. */
  readonly fixed?: Manifest | null;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function toYaml(manifests: Manifests): string {
  if (typeof manifests === 'string') return manifests;
  const list = Array.isArray(manifests) ? manifests : [manifests];
  return list.map((m) => jsYaml.dump(m, { noRefs: true, lineWidth: -1 })).join('---\n');
}

function dumpFiles(aws: AwsInput): { path: string; text: string }[] {
  if (typeof aws !== 'string') return (Array.isArray(aws) ? aws : [aws]).map((doc, i) => ({ path: `aws-${i}.json`, text: JSON.stringify(doc) }));
  const files: { path: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) files.push({ path, text: readFileSync(path, 'utf8') });
    }
  };
  walk(aws);
  return files;
}

/** The AWS input as the dump collector reads it; a fixture that leaves a gap is an error in the test. */
export function awsEvidenceOf(aws: AwsInput) {
  const parsed = parseAwsDump(dumpFiles(aws));
  if (parsed.gaps.length > 0) throw new Error(`AWS fixture not usable: ${parsed.gaps.map((g) => `${g.source}: ${g.message}`).join('; ')}`);
  return deepFreeze(parsed.evidence);
}

export function inventoryOf(manifests: Manifests | undefined, aws?: AwsInput): Inventory {
  const evidence = aws === undefined ? undefined : awsEvidenceOf(aws);
  if (manifests === undefined) return new Inventory([], [], [], evidence);
  const parsed = parseManifests('test.yaml', toYaml(manifests));
  if (parsed.gaps.length > 0) throw new Error(`fixture does not parse: ${parsed.gaps.map((g) => `${g.line}: ${g.message}`).join('; ')}`);
  const frozen: KubeResource[] = parsed.resources.map((r) => ({ ...r, object: deepFreeze(r.object) }));
  return new Inventory(frozen, [], [], evidence);
}

export interface NotEvaluatedCase extends BaseCase {
  /** A fragment of the reason the rule gives. */
  readonly reason: string;
}

/** Runs the rule as a scan would and returns the reason it was not evaluated, if it was not. */
export function notEvaluatedReason(rule: AnyRule, manifests: Manifests | undefined, options?: Record<string, unknown>, aws?: AwsInput): string | undefined {
  const config = { ...EMPTY_CONFIG, defaultExemptions: false, rules: options ? { [rule.id]: { options } } : {} };
  const result = audit(inventoryOf(manifests, aws), resolveRules({ [rule.id]: rule }, { config, only: [rule.id] }), config);
  return result.notEvaluated[0]?.reason;
}

export function runRule(rule: AnyRule, manifests: Manifests | undefined, options?: Record<string, unknown>, aws?: AwsInput): Finding[] {
  const inventory = inventoryOf(manifests, aws);
  const config = { ...EMPTY_CONFIG, defaultExemptions: false, rules: options ? { [rule.id]: { options } } : {} };
  const enabled = resolveRules({ [rule.id]: rule }, { config, only: [rule.id] });
  const result = audit(inventory, enabled, config);
  const crash = result.gaps.find((g) => g.code === 'RULE_CRASH');
  if (crash) throw new Error(crash.message);
  const skipped = result.notEvaluated[0];
  if (skipped) throw new Error(`rule not evaluated: ${skipped.reason}`);
  return [...result.findings];
}

function describeRef(f: Finding): string {
  const r = f.resource;
  return r.provider === 'kubernetes' ? `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}` : `${r.type} ${r.arn ?? r.id ?? ''}`;
}

function manifestsOf(c: BaseCase): Manifests {
  if (c.manifests === undefined) throw new Error('suggestions and fixes apply to Kubernetes manifests');
  return c.manifests;
}

const order = (a: { path: string; messageId: string }, b: { path: string; messageId: string }) =>
  a.path === b.path ? a.messageId.localeCompare(b.messageId) : a.path < b.path ? -1 : 1;

/** The target resource of a finding, as the rule saw it. */
function resourceObject(manifests: Manifests, finding: Finding): Manifest {
  const inventory = inventoryOf(manifests);
  const ref = finding.resource;
  const match = inventory.objects.find((o) => ref.provider === 'kubernetes' && o.ref.kind === ref.kind && o.ref.name === ref.name && o.ref.namespace === ref.namespace);
  if (!match) throw new Error(`finding's resource ${describeRef(finding)} not in the fixture`);
  return match.object as Manifest;
}

function replaceResource(manifests: Manifests, finding: Finding, patched: Manifest): Manifest[] {
  const inventory = inventoryOf(manifests);
  const ref = finding.resource;
  return inventory.objects.map((o) =>
    ref.provider === 'kubernetes' && o.ref.kind === ref.kind && o.ref.name === ref.name && o.ref.namespace === ref.namespace ? patched : (o.object as Manifest));
}

/**
 * ESLint's RuleTester for eksguard rules: valid cases must produce nothing, invalid cases exactly
 * the listed findings; suggestions and fixes must clear the finding they belong to.
 */
export class RuleTester {
  run(rule: AnyRule, cases: { readonly valid: readonly ValidCase[]; readonly invalid: readonly InvalidCase[]; readonly notEvaluated?: readonly NotEvaluatedCase[] }): void {
    describe(rule.id, () => {
      it('has valid and invalid cases with unique names, covering every message', () => {
        expect(cases.valid.length).toBeGreaterThan(0);
        expect(cases.invalid.length).toBeGreaterThan(0);
        const names = [...cases.valid, ...cases.invalid, ...(cases.notEvaluated ?? [])].map((c) => c.name);
        expect(names.filter((n, i) => names.indexOf(n) !== i), 'duplicate case names').toEqual([]);
        const reported = new Set(cases.invalid.flatMap((c) => c.findings.flatMap((f) => [f.messageId, ...(f.suggestions ?? []).map((s) => s.messageId)])));
        expect(Object.keys(rule.meta.messages).filter((id) => !reported.has(id)), 'messages no invalid case produces').toEqual([]);
      });

      describe('valid', () => {
        for (const c of cases.valid) {
          it(c.name, () => {
            const findings = runRule(rule, c.manifests, c.options, c.aws);
            expect(findings.map((f) => `${describeRef(f)} ${toJsonPointer(f.path)}: ${f.message}`)).toEqual([]);
          });
        }
      });

      if (cases.notEvaluated && cases.notEvaluated.length > 0) {
        describe('not evaluated', () => {
          for (const c of cases.notEvaluated ?? []) {
            it(c.name, () => expect(notEvaluatedReason(rule, c.manifests, c.options, c.aws)).toContain(c.reason));
          }
        });
      }

      describe('invalid', () => {
        for (const c of cases.invalid) {
          it(c.name, () => {
            expect(c.findings.length, 'an invalid case lists at least one finding').toBeGreaterThan(0);
            const findings = runRule(rule, c.manifests, c.options, c.aws);
            const actual = findings.map((f) => ({ path: toJsonPointer(f.path), messageId: f.messageId, finding: f })).sort(order);
            const expected = [...c.findings].sort(order);
            expect(actual.map((a) => `${a.messageId} ${a.path}`)).toEqual(expected.map((e) => `${e.messageId} ${e.path}`));
            const messages = rule.meta.messages as Record<string, string>;
            expected.forEach((want, i) => {
              const got = (actual[i] as (typeof actual)[number]).finding;
              expect(got.message, 'every placeholder has data').not.toMatch(/\{\{/);
              if (want.data) expect(got.message).toBe(interpolate(messages[want.messageId] as string, want.data));
              if (want.resource) expect(describeRef(got)).toBe(want.resource);
              if (want.severity) expect(got.severity).toBe(want.severity);
              if (want.line !== undefined) expect(got.location?.line).toBe(want.line);
              expect(got.suggestions?.length ?? 0, 'suggestions').toBe(want.suggestions?.length ?? 0);
              (want.suggestions ?? []).forEach((s, k) => {
                const suggestion = nullThrows(got.suggestions?.[k]);
                expect(suggestion.messageId).toBe(s.messageId);
                expect(suggestion.message, 'every placeholder has data').not.toMatch(/\{\{/);
                const before = resourceObject(manifestsOf(c), got);
                const after = applyPatch(before, suggestion.patch);
                expect(after, 'a suggestion changes the resource').not.toEqual(before);
                if (s.output) expect(after).toEqual(s.output);
                const rerun = runRule(rule, replaceResource(manifestsOf(c), got, after), c.options, c.aws);
                expect(rerun.some((f) => f.messageId === got.messageId && toJsonPointer(f.path) === want.path && describeRef(f) === describeRef(got)),
                  `suggestion ${s.messageId} clears ${want.messageId} at ${want.path}`).toBe(false);
              });
            });
            if (c.fixed !== undefined) {
              const fixes = findings.filter((f) => f.fix);
              if (c.fixed === null) expect(fixes, 'the rule offers no unattended fix').toEqual([]);
              else {
                const first = nullThrows(fixes[0]);
                const fixed = fixes.reduce((doc, f) => applyPatch(doc, f.fix ?? []), resourceObject(manifestsOf(c), first));
                expect(fixed).toEqual(c.fixed);
              }
            }
          });
        }
      });
    });
  }
}

function nullThrows<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}
