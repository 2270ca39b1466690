/**
 * `pss advise` as a library function (what kube-psp-advisor did for PodSecurityPolicies): for each
 * namespace, the strictest level every current workload there satisfies, what stops the next
 * level, and the labels that enforce it while warning and auditing at the next level.
 */
import type { Inventory, NamespaceTarget } from '../core/inventory.js';
import type { Workload } from '../core/workload.js';
import { evaluateWorkload, type PssViolation } from './evaluate.js';
import { stricterLevel, type PssLevel, type PssVersion } from './levels.js';
import { policyFromLabels, policyLabels, type LabelledPolicy, type NamespacePolicy } from './namespace-policy.js';

export interface BlockingWorkload {
  readonly workload: Workload;
  readonly violations: readonly PssViolation[];
}

export interface NamespaceAdvice {
  readonly namespace: string;
  readonly workloads: number;
  /** The strictest level (at `version`) that every workload in the namespace satisfies. */
  readonly level: PssLevel;
  readonly version: PssVersion;
  /** The next stricter level, which some workloads violate; undefined at restricted. */
  readonly blockedLevel: PssLevel | undefined;
  /** The workloads that violate `blockedLevel`, with why. */
  readonly blocking: readonly BlockingWorkload[];
  /** The policy the namespace's labels set today, when the input holds the Namespace object. */
  readonly current: LabelledPolicy | undefined;
  /** Enforce `level`; warn and audit at the next level, so what blocks it keeps showing. */
  readonly policy: NamespacePolicy;
  readonly labels: Readonly<Record<string, string>>;
  /** The `kubectl label` command that applies `labels`, ready to paste. */
  readonly command: string;
}

export interface AdviseReport {
  readonly version: PssVersion;
  readonly namespaces: readonly NamespaceAdvice[];
  /** Namespaces the input declares but runs no workloads in: nothing to judge. */
  readonly withoutWorkloads: readonly string[];
}

/** Quotes a word for POSIX shells unless it is plainly safe (every valid namespace name is). */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9._\-/=:]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

export function labelCommand(namespace: string, labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([key, value]) => shellWord(`${key}=${value}`));
  return `kubectl label --overwrite ns ${shellWord(namespace)} ${pairs.join(' ')}`;
}

function failing(workloads: readonly Workload[], level: PssLevel, version: PssVersion): BlockingWorkload[] {
  return workloads.flatMap((workload) => {
    const result = evaluateWorkload(workload, level, version);
    return result.allowed ? [] : [{ workload, violations: result.violations }];
  });
}

function adviseNamespace(namespace: NamespaceTarget, version: PssVersion): NamespaceAdvice {
  // Try the strictest level first; the first one nobody violates is the answer.
  let level: PssLevel = 'privileged';
  let blocking: BlockingWorkload[] = [];
  const restrictedFailures = failing(namespace.workloads, 'restricted', version);
  if (restrictedFailures.length === 0) level = 'restricted';
  else {
    const baselineFailures = failing(namespace.workloads, 'baseline', version);
    if (baselineFailures.length === 0) {
      level = 'baseline';
      blocking = restrictedFailures;
    } else blocking = baselineFailures;
  }
  const next = stricterLevel(level);
  const watch = { level: next ?? level, version };
  const policy: NamespacePolicy = { enforce: { level, version }, warn: watch, audit: watch };
  const labels = policyLabels(policy);
  return {
    namespace: namespace.name,
    workloads: namespace.workloads.length,
    level,
    version,
    blockedLevel: next,
    blocking,
    current: namespace.declared ? policyFromLabels(namespace.object.metadata?.labels) : undefined,
    policy,
    labels,
    command: labelCommand(namespace.name, labels),
  };
}

export function adviseInventory(inventory: Inventory, options: { readonly version?: PssVersion } = {}): AdviseReport {
  const version = options.version ?? 'latest';
  const namespaces = inventory.namespaces;
  return {
    version,
    namespaces: namespaces.filter((ns) => ns.workloads.length > 0).map((ns) => adviseNamespace(ns, version)),
    withoutWorkloads: namespaces.filter((ns) => ns.workloads.length === 0).map((ns) => ns.name),
  };
}
