/**
 * RBAC policy rules, matched exactly as the Kubernetes RBAC authorizer matches them
 * (`pkg/apis/rbac/v1/evaluation_helpers.go`). Every "who can", "risky rule" and lint answer is
 * built on these predicates, so they follow the authorizer to the letter: `*` per field,
 * `resource/subresource` as one combined string, a `*` resource before `/subresource`, `pods` not covering
 * `pods/exec`, `resourceNames` never matching a request without a name, and non-resource URLs with
 * `*` and trailing-`*` prefixes. Pure functions.
 */

/** A PolicyRule with every list present (absent or malformed lists are empty, as they grant nothing). */
export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Strings of a list; the API rejects anything else, so it grants nothing. */
function strings(value: unknown): readonly string[] {
  return Array.isArray(value) ? (value as unknown[]).filter((item): item is string => typeof item === 'string') : [];
}

/** Normalises one entry of `rules`; undefined when it is not an object. */
export function toPolicyRule(raw: unknown): PolicyRule | undefined {
  if (!isRecord(raw)) return undefined;
  return {
    verbs: strings(raw.verbs),
    apiGroups: strings(raw.apiGroups),
    resources: strings(raw.resources),
    resourceNames: strings(raw.resourceNames),
    nonResourceURLs: strings(raw.nonResourceURLs),
  };
}

/** The rules of a Role or ClusterRole object, each with its index in `rules`. */
export function rulesOf(object: Readonly<Record<string, unknown>>): readonly { readonly rule: PolicyRule; readonly index: number }[] {
  const raw = object.rules;
  if (!Array.isArray(raw)) return [];
  const out: { rule: PolicyRule; index: number }[] = [];
  (raw as unknown[]).forEach((entry, index) => {
    const rule = toPolicyRule(entry);
    if (rule) out.push({ rule, index });
  });
  return out;
}

/**
 * A key equal for semantically equal rules. The aggregation controller dedupes with
 * `equality.Semantic.DeepEqual`, which compares lists in order and treats nil and empty alike.
 */
export function ruleKey(rule: PolicyRule): string {
  return JSON.stringify([rule.verbs, rule.apiGroups, rule.resources, rule.resourceNames, rule.nonResourceURLs]);
}

// ---------------------------------------------------------------------------------------------
// The authorizer's predicates
// ---------------------------------------------------------------------------------------------

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.some((g) => g === '*' || g === group);
}

/**
 * `resource` alone, or `resource/subresource` as one string. A rule resource `*` followed by
 * `/subresource` matches that subresource of any resource; there is no `resource/*` wildcard,
 * and `resource` does not cover its subresources.
 */
export function resourceMatches(rule: PolicyRule, resource: string, subresource?: string): boolean {
  const combined = subresource === undefined || subresource === '' ? resource : `${resource}/${subresource}`;
  return rule.resources.some((r) => r === '*' || r === combined || (combined !== resource && r === `*/${subresource ?? ''}`));
}

/** A rule without `resourceNames` matches any name; one with them needs a request naming one of them. */
export function resourceNameMatches(rule: PolicyRule, name: string | undefined): boolean {
  if (rule.resourceNames.length === 0) return true;
  return name !== undefined && name !== '' && rule.resourceNames.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some((url) => url === '*' || url === path || (url.endsWith('*') && path.startsWith(url.slice(0, -1))));
}

/** A request as the authorizer sees it. */
export type Request =
  | {
      readonly verb: string;
      readonly apiGroup: string;
      readonly resource: string;
      readonly subresource?: string;
      /** Absent for `list`, `watch` without a name, `create` and `deletecollection`. */
      readonly name?: string;
    }
  | { readonly verb: string; readonly nonResourceURL: string };

export function ruleAllows(rule: PolicyRule, request: Request): boolean {
  if (!verbMatches(rule, request.verb)) return false;
  if ('nonResourceURL' in request) return nonResourceURLMatches(rule, request.nonResourceURL);
  return apiGroupMatches(rule, request.apiGroup)
    && resourceMatches(rule, request.resource, request.subresource)
    && resourceNameMatches(rule, request.name);
}

/**
 * The verbs among `verbs` that the rule allows on a resource, for every object (`names:
 * 'all'`: the rule has no `resourceNames`), or for at least one named object (`'some'`).
 */
export function allowedVerbs(
  rule: PolicyRule,
  verbs: readonly string[],
  target: { readonly apiGroup: string; readonly resource: string; readonly subresource?: string; readonly names: 'all' | 'some' },
): readonly string[] {
  if (!apiGroupMatches(rule, target.apiGroup) || !resourceMatches(rule, target.resource, target.subresource)) return [];
  if (target.names === 'all' && rule.resourceNames.length > 0) return [];
  return verbs.filter((verb) => verbMatches(rule, verb));
}

// ---------------------------------------------------------------------------------------------
// Coverage: is every permission of one rule also granted by a set of rules?
// ---------------------------------------------------------------------------------------------

/** `*` in the rule being checked is covered only by `*`: coverage is literal, not semantic widening. */
function listCovers(list: readonly string[], item: string): boolean {
  return list.includes('*') || list.includes(item);
}

function urlCovers(list: readonly string[], url: string): boolean {
  return list.some((u) => u === '*' || u === url || (u.endsWith('*') && url.startsWith(u.slice(0, -1))));
}

function namesCover(by: readonly string[], names: readonly string[]): boolean {
  return by.length === 0 || (names.length > 0 && names.every((name) => by.includes(name)));
}

/**
 * Whether everything `rule` grants is also granted by `by` (possibly split over several rules):
 * each (verb, group, resource, names) combination, and each (verb, URL), is covered by one rule of
 * `by`. Used to tell a built-in role as shipped from one that gained permissions.
 */
export function isCoveredBy(rule: PolicyRule, by: readonly PolicyRule[]): boolean {
  for (const verb of rule.verbs) {
    const withVerb = by.filter((b) => listCovers(b.verbs, verb));
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        const covered = withVerb.some((b) => listCovers(b.apiGroups, group) && listCovers(b.resources, resource) && namesCover(b.resourceNames, rule.resourceNames));
        if (!covered) return false;
      }
    }
    for (const url of rule.nonResourceURLs) {
      if (!withVerb.some((b) => urlCovers(b.nonResourceURLs, url))) return false;
    }
  }
  return true;
}

/** One line for messages: `get, list on secrets` / `* on * in apiGroups *` / `get on URLs /metrics`. */
export function formatRule(rule: PolicyRule): string {
  const verbs = rule.verbs.join(', ') || '(no verbs)';
  const parts: string[] = [];
  if (rule.resources.length > 0 || rule.apiGroups.length > 0) {
    const groups = rule.apiGroups.map((g) => (g === '' ? '"" (core)' : g)).join(', ');
    parts.push(`${verbs} on ${rule.resources.join(', ') || '(no resources)'} in apiGroups ${groups || '(none)'}`);
    if (rule.resourceNames.length > 0) parts[parts.length - 1] += ` named ${rule.resourceNames.join(', ')}`;
  }
  if (rule.nonResourceURLs.length > 0) parts.push(`${verbs} on URLs ${rule.nonResourceURLs.join(', ')}`);
  return parts.join('; ') || verbs;
}
