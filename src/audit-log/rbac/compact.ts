/**
 * Rule compaction as audit2rbac does it (its `compactRules`, on Kubernetes' `BreakdownRule` and
 * `CompactRules`): break every rule into one verb on one resource (and one name), merge those
 * that differ only by verb, then fold rules that differ only by resource names, or only by
 * resources, into one. The result grants exactly what the input granted.
 */
import type { PolicyRule } from '../../rbac/policy-rule.js';

function rule(parts: Partial<PolicyRule>): PolicyRule {
  return { verbs: parts.verbs ?? [], apiGroups: parts.apiGroups ?? [], resources: parts.resources ?? [], resourceNames: parts.resourceNames ?? [], nonResourceURLs: parts.nonResourceURLs ?? [] };
}

/** One verb, one group, one resource, at most one name per rule; one verb and one URL for non-resource rules. */
export function breakdown(input: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of input.apiGroups) {
    for (const resource of input.resources) {
      for (const verb of input.verbs) {
        if (input.resourceNames.length > 0) {
          for (const name of input.resourceNames) out.push(rule({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] }));
        } else {
          out.push(rule({ apiGroups: [group], resources: [resource], verbs: [verb] }));
        }
      }
    }
  }
  for (const url of input.nonResourceURLs) for (const verb of input.verbs) out.push(rule({ nonResourceURLs: [url], verbs: [verb] }));
  return out;
}

function isSimple(r: PolicyRule): boolean {
  return r.nonResourceURLs.length === 0 && r.apiGroups.length === 1 && r.resources.length === 1 && r.resourceNames.length <= 1;
}

const sortedUnique = (values: readonly string[]): string[] => [...new Set(values)].sort();

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Kubernetes' `CompactString`, used to order rules: `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}`. */
export function compactString(r: PolicyRule): string {
  const quote = (list: readonly string[]) => `[${list.map((v) => JSON.stringify(v)).join(' ')}]`;
  const parts: string[] = [];
  if (r.apiGroups.length > 0) parts.push(`APIGroups:${quote(r.apiGroups)}`);
  if (r.resources.length > 0) parts.push(`Resources:${quote(r.resources)}`);
  if (r.nonResourceURLs.length > 0) parts.push(`NonResourceURLs:${quote(r.nonResourceURLs)}`);
  if (r.resourceNames.length > 0) parts.push(`ResourceNames:${quote(r.resourceNames)}`);
  if (r.verbs.length > 0) parts.push(`Verbs:${quote(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  // Merge simple rules that differ only by verb, keyed by (group, resource, name); first seen first.
  const complex: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules.flatMap(breakdown)) {
    if (!isSimple(r)) {
      complex.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups[0], r.resources[0], r.resourceNames[0] ?? null]);
    const existing = simple.get(key);
    simple.set(key, existing === undefined ? r : { ...existing, verbs: [...existing.verbs, ...r.verbs] });
  }
  const compacted = [...complex, ...simple.values()].map((r) => ({ ...r, verbs: sortedUnique(r.verbs) }));

  const accumulated: PolicyRule[] = [];
  for (const r of compacted) {
    if (r.resources.length === 0) {
      accumulated.push(r);
      continue;
    }
    const index = accumulated.findIndex((a) => a.resources.length > 0 && (
      // Equal but for names (both named: one without names already allows every name).
      (a.resourceNames.length > 0 && r.resourceNames.length > 0 && sameList(a.verbs, r.verbs) && sameList(a.apiGroups, r.apiGroups) && sameList(a.resources, r.resources))
      // Equal but for resources.
      || (sameList(a.verbs, r.verbs) && sameList(a.apiGroups, r.apiGroups) && sameList(a.resourceNames, r.resourceNames) && sameList(a.nonResourceURLs, r.nonResourceURLs))));
    const target = index === -1 ? undefined : accumulated[index];
    if (target === undefined) {
      accumulated.push(r);
      continue;
    }
    accumulated[index] = sameList(target.resources, r.resources)
      ? { ...target, resourceNames: sortedUnique([...target.resourceNames, ...r.resourceNames]) }
      : { ...target, resources: sortedUnique([...target.resources, ...r.resources]) };
  }
  return accumulated
    .map((r, i) => ({ r, i, groups: r.apiGroups.join(','), text: compactString(r) }))
    .sort((a, b) => (a.groups < b.groups ? -1 : a.groups > b.groups ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : a.i - b.i))
    .map((x) => x.r);
}
