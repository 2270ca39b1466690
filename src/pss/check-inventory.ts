/**
 * `pss check` as a library function: every pod spec of an inventory judged at a level chosen by
 * the caller, or at the enforce level of its namespace's labels, as PSA would.
 */
import type { Inventory, NamespaceTarget } from '../core/inventory.js';
import type { Workload } from '../core/workload.js';
import { evaluateWorkload, type PssResult } from './evaluate.js';
import type { PssLevel, PssVersion } from './levels.js';
import { DEFAULT_POLICY, levelLabel, policyFromLabels, type LabelError, type PolicyMode } from './namespace-policy.js';

export interface CheckChoice {
  /** Judge every pod spec at this level; without it, each namespace's enforce label decides. */
  readonly level?: PssLevel;
  /** The policy version (default latest; without `level`, overrides the namespaces' enforce-version). */
  readonly version?: PssVersion;
}

/**
 * Where the policy a namespace's pods were judged at came from: the caller's level, the
 * namespace's enforce label, PSA's default for a namespace without one, or PSA's default for a
 * namespace the input does not hold (its real labels are unknown).
 */
export type PolicySource = 'option' | 'labels' | 'unlabelled' | 'absent';

export interface NamespaceVerdictPolicy {
  readonly name: string;
  readonly source: PolicySource;
  readonly enforce: PolicyMode;
  readonly labelErrors: readonly LabelError[];
}

export interface PodSpecVerdict {
  readonly workload: Workload;
  readonly level: PssLevel;
  readonly version: PssVersion;
  readonly result: PssResult;
}

export interface CheckReport {
  /** The level and version asked for; null where each namespace's labels decide. */
  readonly level: PssLevel | null;
  readonly version: PssVersion | null;
  /** The namespaces that have pod specs, by name. */
  readonly namespaces: readonly NamespaceVerdictPolicy[];
  /** One per pod spec, in input order. */
  readonly results: readonly PodSpecVerdict[];
}

function labelsOf(namespace: NamespaceTarget): unknown {
  return namespace.object.metadata?.labels;
}

/**
 * The enforce policy a namespace's pods are judged at. A namespace the input does not declare
 * gets PSA's defaults (privileged, latest): its real labels are unknown.
 */
function namespacePolicy(namespace: NamespaceTarget, choice: CheckChoice): NamespaceVerdictPolicy {
  if (choice.level !== undefined) {
    return { name: namespace.name, source: 'option', enforce: { level: choice.level, version: choice.version ?? 'latest' }, labelErrors: [] };
  }
  const labels = labelsOf(namespace);
  const { policy, errors } = namespace.declared ? policyFromLabels(labels) : { policy: DEFAULT_POLICY, errors: [] };
  const enforce = choice.version === undefined ? policy.enforce : { ...policy.enforce, version: choice.version };
  const labelled = labels !== null && typeof labels === 'object' && Object.hasOwn(labels, levelLabel('enforce'));
  const source: PolicySource = !namespace.declared ? 'absent' : labelled ? 'labels' : 'unlabelled';
  return { name: namespace.name, source, enforce, labelErrors: errors };
}

export function checkInventory(inventory: Inventory, choice: CheckChoice = {}): CheckReport {
  const policies = new Map<string, NamespaceVerdictPolicy>();
  for (const namespace of inventory.namespaces) {
    if (namespace.workloads.length > 0) policies.set(namespace.name, namespacePolicy(namespace, choice));
  }
  const results = inventory.workloads.map((workload): PodSpecVerdict => {
    const enforce = policies.get(workload.namespace)?.enforce ?? DEFAULT_POLICY.enforce;
    return { workload, level: enforce.level, version: enforce.version, result: evaluateWorkload(workload, enforce.level, enforce.version) };
  });
  return {
    level: choice.level ?? null,
    version: choice.level !== undefined ? (choice.version ?? 'latest') : (choice.version ?? null),
    namespaces: [...policies.values()],
    results,
  };
}
