/**
 * Least-privilege RBAC from observed requests, with audit2rbac's semantics (notes §1): broad
 * requests first, each skipped when what is already generated (or the built-in discovery role)
 * allows it, namespaced requests seen in several namespaces widened to cluster scope, named ones
 * seen with several names widened to all names, verbs expanded as clients need them, and every
 * role compacted at the end. Pure: requests in, rules out.
 */
import { ruleAllows, type PolicyRule, type Request } from '../../rbac/policy-rule.js';
import { compactRules } from './compact.js';
import type { RequestAttributes } from './requests.js';

export interface GenerateOptions {
  /** A verb's companions: a client that watches also lists and gets, one that updates also gets and patches. */
  readonly verbExpansions: Readonly<Record<string, readonly string[]>>;
  /** The same request seen in two namespaces → allowed in every namespace (ClusterRole). */
  readonly expandMultipleNamespaces: boolean;
  /** The same request seen on two names → allowed on every name (no resourceNames). */
  readonly expandMultipleNames: boolean;
}

export const DEFAULT_GENERATE_OPTIONS: GenerateOptions = {
  verbExpansions: { watch: ['get', 'list'], list: ['get', 'watch'], update: ['get', 'patch'], patch: ['get', 'update'] },
  expandMultipleNamespaces: true,
  expandMultipleNames: true,
};

/** What every authenticated (and unauthenticated) user may already do: audit2rbac's system:discovery. */
const DISCOVERY: readonly PolicyRule[] = [
  { verbs: ['get'], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: ['/healthz', '/version', '/swagger*', '/openapi*', '/api*'] },
];

export interface GeneratedRules {
  /** Rules for the ClusterRole (cluster-scoped and widened requests, non-resource URLs); empty when none. */
  readonly cluster: readonly PolicyRule[];
  /** Rules for a Role per namespace, in the order the namespaces first needed one. */
  readonly namespaced: readonly (readonly [string, readonly PolicyRule[]])[];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Broader requests first, so they cover the narrower ones that follow (audit2rbac's sortRequests). */
export function compareRequests(a: RequestAttributes, b: RequestAttributes): number {
  if (a.resourceRequest !== b.resourceRequest) return a.resourceRequest ? 1 : -1;
  if (!a.resourceRequest || !b.resourceRequest) {
    const pa = a.resourceRequest ? '' : a.path;
    const pb = b.resourceRequest ? '' : b.path;
    return cmp(a.verb, b.verb) || cmp(pa, pb);
  }
  if ((a.namespace === '') !== (b.namespace === '')) return a.namespace === '' ? -1 : 1;
  if ((a.name === '') !== (b.name === '')) return a.name === '' ? -1 : 1;
  if (a.verb === 'list' && b.verb === 'get') return -1;
  if (a.verb === 'get' && b.verb === 'list') return 1;
  return cmp(a.apiGroup, b.apiGroup) || cmp(a.resource, b.resource) || cmp(a.subresource, b.subresource)
    || cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.verb, b.verb);
}

function asAuthorizerRequest(r: RequestAttributes): Request {
  if (!r.resourceRequest) return { verb: r.verb, nonResourceURL: r.path };
  return { verb: r.verb, apiGroup: r.apiGroup, resource: r.resource, ...(r.subresource !== '' ? { subresource: r.subresource } : {}), ...(r.name !== '' ? { name: r.name } : {}) };
}

function allows(rules: readonly PolicyRule[], request: Request): boolean {
  return rules.some((rule) => ruleAllows(rule, request));
}

/** Identity of a request for widening: every attribute but the ones widening may drop. */
function wideningKey(r: Extract<RequestAttributes, { resourceRequest: true }>, options: GenerateOptions): string {
  return JSON.stringify([r.verb, r.apiGroup, r.apiVersion, r.resource, r.subresource, options.expandMultipleNamespaces ? '' : r.namespace, options.expandMultipleNames ? '' : r.name]);
}

export function generateRules(requests: readonly RequestAttributes[], options: GenerateOptions = DEFAULT_GENERATE_OPTIONS): GeneratedRules {
  const sorted = [...requests].sort(compareRequests);
  const resourceRequests = sorted.filter((r): r is Extract<RequestAttributes, { resourceRequest: true }> => r.resourceRequest);
  // For each widening key, the namespaces and names seen with it.
  const seen = new Map<string, { namespaces: Set<string>; names: Set<string> }>();
  for (const r of resourceRequests) {
    const key = wideningKey(r, options);
    const entry = seen.get(key) ?? { namespaces: new Set<string>(), names: new Set<string>() };
    if (r.namespace !== '') entry.namespaces.add(r.namespace);
    if (r.name !== '') entry.names.add(r.name);
    seen.set(key, entry);
  }

  const cluster: PolicyRule[] = [];
  const namespaced = new Map<string, PolicyRule[]>();
  for (const request of sorted) {
    const asked = asAuthorizerRequest(request);
    if (allows(DISCOVERY, asked) || allows(cluster, asked)) continue;
    if (request.resourceRequest && request.namespace !== '' && allows(namespaced.get(request.namespace) ?? [], asked)) continue;

    if (!request.resourceRequest) {
      cluster.push({ verbs: [request.verb], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [request.path] });
      continue;
    }
    let { namespace, name } = request;
    const others = seen.get(wideningKey(request, options));
    if (options.expandMultipleNamespaces && namespace !== '' && others !== undefined && [...others.namespaces].some((ns) => ns !== namespace)) namespace = '';
    if (options.expandMultipleNames && name !== '' && others !== undefined && [...others.names].some((n) => n !== name)) name = '';

    const rule: PolicyRule = {
      verbs: [request.verb, ...(options.verbExpansions[request.verb] ?? [])],
      apiGroups: [request.apiGroup],
      resources: [request.subresource !== '' ? `${request.resource}/${request.subresource}` : request.resource],
      resourceNames: name !== '' ? [name] : [],
      nonResourceURLs: [],
    };
    if (namespace === '') cluster.push(rule);
    else {
      const list = namespaced.get(namespace) ?? [];
      list.push(rule);
      namespaced.set(namespace, list);
    }
  }
  return {
    cluster: cluster.length > 0 ? compactRules(cluster) : [],
    namespaced: [...namespaced].map(([ns, rules]) => [ns, compactRules(rules)] as const),
  };
}
