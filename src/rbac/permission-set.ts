/**
 * The rules one identity holds, each with where it applies and how it was granted, asked the way
 * risk checks ask: "which of these verbs on this resource, for which names?". Matching is the
 * authorizer's (`policy-rule.ts`), wildcards and subresource wildcards included; a rule with
 * `resourceNames` grants only those names. Pure.
 */
import { apiGroupMatches, resourceMatches, verbMatches, type PolicyRule } from './policy-rule.js';
import type { Via } from './via.js';

export interface ScopedGrant {
  readonly rule: PolicyRule;
  readonly via: Via;
  /** Where the rule applies: a namespace, or undefined for cluster-wide. */
  readonly namespace: string | undefined;
  /** Kubernetes' or EKS's own rule held by its own identity, as shipped: never reported. */
  readonly shipped: boolean;
}

export interface Access {
  /** `all` when some rule has no `resourceNames`; otherwise the names the rules list. */
  readonly names: 'all' | readonly string[];
  /** The verbs among those asked that some rule allows. */
  readonly verbs: readonly string[];
  readonly grants: readonly ScopedGrant[];
}

export class PermissionSet {
  constructor(readonly grants: readonly ScopedGrant[]) {}

  get isEmpty(): boolean {
    return this.grants.length === 0;
  }

  /**
   * What the rules allow of `verbs` on any of `resources` (`pods`, `pods/exec`) in `apiGroup`;
   * undefined when nothing.
   */
  access(verbs: readonly string[], apiGroup: string, resources: readonly string[]): Access | undefined {
    const grants: ScopedGrant[] = [];
    const allowed = new Set<string>();
    const names = new Set<string>();
    let all = false;
    for (const grant of this.grants) {
      const { rule } = grant;
      if (!apiGroupMatches(rule, apiGroup)) continue;
      const matchingVerbs = verbs.filter((v) => verbMatches(rule, v));
      if (matchingVerbs.length === 0) continue;
      const hit = resources.some((r) => {
        const slash = r.indexOf('/');
        return slash === -1 ? resourceMatches(rule, r) : resourceMatches(rule, r.slice(0, slash), r.slice(slash + 1));
      });
      if (!hit) continue;
      grants.push(grant);
      for (const v of matchingVerbs) allowed.add(v);
      if (rule.resourceNames.length === 0) all = true;
      else for (const n of rule.resourceNames) names.add(n);
    }
    if (grants.length === 0) return undefined;
    return { names: all ? 'all' : [...names].sort(), verbs: verbs.filter((v) => allowed.has(v)), grants };
  }

  /** Like `access`, but only rules that cover every name (no `resourceNames`). */
  accessAll(verbs: readonly string[], apiGroup: string, resources: readonly string[]): Access | undefined {
    const found = this.access(verbs, apiGroup, resources);
    if (found === undefined || found.names !== 'all') return undefined;
    const grants = found.grants.filter((g) => g.rule.resourceNames.length === 0);
    return { ...found, grants };
  }

  /** The rules that state `*` verbs on `*` resources of `*` API groups, for every name. */
  wildcardAll(): readonly ScopedGrant[] {
    return this.grants.filter((g) => g.rule.verbs.includes('*') && g.rule.apiGroups.includes('*') && g.rule.resources.includes('*') && g.rule.resourceNames.length === 0);
  }

  /** The grants that apply in a namespace: cluster-wide ones and that namespace's. */
  inNamespace(namespace: string): PermissionSet {
    return new PermissionSet(this.grants.filter((g) => g.namespace === undefined || g.namespace === namespace));
  }

  clusterWide(): PermissionSet {
    return new PermissionSet(this.grants.filter((g) => g.namespace === undefined));
  }

  /** Every namespace some grant is limited to, sorted. */
  namespaces(): readonly string[] {
    return [...new Set(this.grants.flatMap((g) => (g.namespace === undefined ? [] : [g.namespace])))].sort();
  }
}

/** Whether an access allows a given name. */
export function allowsName(access: Access, name: string): boolean {
  return access.names === 'all' || access.names.includes(name);
}
