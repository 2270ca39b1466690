/**
 * The Pod Security Standards evaluator: judges a pod (or a controller's pod template) at a level
 * and policy version exactly as Pod Security Admission does.
 */
import type { FieldPath } from '../core/finding.js';
import type { Workload } from '../core/workload.js';
import type { CheckId } from './check-types.js';
import { effectiveMinor, parseVersion, type PssLevel, type PssVersion } from './levels.js';
import { podView, type PodInput } from './pod-view.js';
import { checkAt, checksFor, findCheck } from './registry.js';

export interface PssViolation {
  readonly check: CheckId;
  /** PSA's wording: `<reason> (<detail>)`, e.g. `host namespaces (hostNetwork=true)`. */
  readonly message: string;
  readonly reason: string;
  readonly detail: string;
  /** The offending fields, from the root of the object judged. */
  readonly paths?: readonly FieldPath[];
}

export interface PssResult {
  readonly allowed: boolean;
  readonly violations: readonly PssViolation[];
}

function minorOf(version: PssVersion): number {
  if (parseVersion(version) === undefined) throw new RangeError(`not a Pod Security Standards version: ${String(version)} (expected latest or v1.<minor>)`);
  return effectiveMinor(version);
}

/**
 * Judges a pod at `level` and policy `version` (`latest` and versions newer than v1.37 use
 * v1.37). Violations come in PSA's order: baseline checks, then restricted, each by id.
 */
export function evaluatePod(pod: PodInput, level: PssLevel, version: PssVersion = 'latest'): PssResult {
  const checks = checksFor(level, minorOf(version));
  if (checks.length === 0) return { allowed: true, violations: [] };
  const view = podView(pod);
  const violations: PssViolation[] = [];
  for (const { id, check } of checks) {
    const failure = check(view);
    if (failure === undefined) continue;
    violations.push({ check: id, message: `${failure.reason} (${failure.detail})`, reason: failure.reason, detail: failure.detail, paths: failure.paths });
  }
  return { allowed: violations.length === 0, violations };
}

/**
 * Runs one check on its own, whatever the level and overrides: how the workload rules that mirror
 * a check can be compared with it. Undefined when the check does not exist at that version.
 */
export function evaluateCheck(id: CheckId, pod: PodInput, version: PssVersion = 'latest'): PssViolation | 'pass' | undefined {
  const check = checkAt(findCheck(id), minorOf(version));
  if (check === undefined) return undefined;
  const failure = check(podView(pod));
  if (failure === undefined) return 'pass';
  return { check: id, message: `${failure.reason} (${failure.detail})`, reason: failure.reason, detail: failure.detail, paths: failure.paths };
}

/** A pod-relative path (`spec…`, `metadata…`) as a path from the workload's root. */
function fromWorkloadRoot(workload: Workload, path: FieldPath): FieldPath {
  const [head, ...rest] = path;
  if (head === 'spec') return [...workload.podSpecPath, ...rest];
  if (head === 'metadata') return [...workload.podMetaPath, ...rest];
  return path;
}

/** One check on a workload's pod spec, with paths from its root: for scan rules that are a PSS control. */
export function evaluateWorkloadCheck(id: CheckId, workload: Workload, version: PssVersion = 'latest'): PssViolation | 'pass' | undefined {
  const result = evaluateCheck(id, { metadata: workload.podMeta, spec: workload.podSpec }, version);
  if (result === undefined || result === 'pass') return result;
  return { ...result, paths: (result.paths ?? []).map((p) => fromWorkloadRoot(workload, p)) };
}

/** Judges a workload's pod spec (a Pod's own, or a controller's template), with paths from its root. */
export function evaluateWorkload(workload: Workload, level: PssLevel, version: PssVersion = 'latest'): PssResult {
  const result = evaluatePod({ metadata: workload.podMeta, spec: workload.podSpec }, level, version);
  return {
    allowed: result.allowed,
    violations: result.violations.map((v) => ({ ...v, paths: (v.paths ?? []).map((p) => fromWorkloadRoot(workload, p)) })),
  };
}
