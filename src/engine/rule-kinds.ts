import { WORKLOAD_KINDS } from '../core/workload.js';
import type { AnyRule, Handlers } from '../rules/define-rule.js';

/** Every kind: a rule keyed by `object` judges whatever the input holds. */
export const ALL_KINDS = 'all';
export type KindsNeeded = ReadonlySet<string> | typeof ALL_KINDS;

/** What a handler key or a `reads` entry stands for, in Kubernetes kinds. */
function expand(key: string): readonly string[] | typeof ALL_KINDS {
  if (key === 'object') return ALL_KINDS;
  if (key === 'workload') return WORKLOAD_KINDS;
  // A namespace target is the Namespace object plus the workloads that run there.
  if (key === 'namespace') return ['Namespace', ...WORKLOAD_KINDS];
  // AWS targets (`aws:eks:cluster`, ...) come from the AWS collector, not from Kubernetes.
  if (key.startsWith('aws:')) return [];
  return [key];
}

/**
 * The Kubernetes kinds the given rules judge or look up: their handler keys, expanded, plus their
 * `meta.reads`. A live collection reads these and nothing else, so the permissions it needs
 * follow from the rules that are on.
 */
export function kindsNeeded(rules: readonly { readonly rule: AnyRule; readonly handlers: Handlers<string> }[]): KindsNeeded {
  const kinds = new Set<string>();
  for (const { rule, handlers } of rules) {
    for (const key of [...Object.keys(handlers), ...(rule.meta.reads ?? [])]) {
      const expanded = expand(key);
      if (expanded === ALL_KINDS) return ALL_KINDS;
      for (const kind of expanded) kinds.add(kind);
    }
  }
  return kinds;
}
