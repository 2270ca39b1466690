/**
 * A who-can question turned into the request attributes the authorizer would see
 * (`k8s.io/apiserver` `RequestInfoFactory`): the verb, API group, resource and subresource, the
 * name where the request carries one, and the namespace — or, when none is given, "anywhere",
 * which for a namespaced resource means every namespace's RoleBindings. Pure.
 */
import { UsageError } from '../core/errors.js';
import { resolveResource, type ApiResource } from './api-resources.js';
import type { Request } from './policy-rule.js';

export interface WhoCanQuery {
  readonly verb: string;
  /** `pods`, `pods/exec`, `deployments.apps`, `deploy/scale`, `*`; or a non-resource URL starting with `/`. */
  readonly resource?: string;
  readonly nonResourceURL?: string;
  /** Absent: anywhere (every namespace, and cluster-wide). */
  readonly namespace?: string;
  readonly name?: string;
}

/**
 * Where the request is made: in one namespace (ClusterRoleBindings and that namespace's
 * RoleBindings decide), outside namespaces (ClusterRoleBindings only: cluster-scoped resources and
 * non-resource URLs), or in any namespace (every RoleBinding counts, each for its namespace).
 */
export type QueryScope =
  | { readonly type: 'namespace'; readonly namespace: string }
  | { readonly type: 'cluster' }
  | { readonly type: 'anywhere' };

export interface ResolvedQuery {
  readonly request: Request;
  readonly scope: QueryScope;
  /** The resource as resolved; undefined for non-resource URLs. */
  readonly resource: { readonly resource: string; readonly group: string; readonly namespaced: boolean | undefined } | undefined;
  /** Interpretations made on the way (a name the request cannot carry, a namespace a cluster-scoped resource ignores). */
  readonly notes: readonly string[];
}

/** Requests that never carry a name, whatever the caller asks (`create` names its object in the body, not the URL). */
const NAMELESS_VERBS = new Set(['create', 'deletecollection']);

export function resolveQuery(query: WhoCanQuery, customResources: readonly ApiResource[] = []): ResolvedQuery {
  const verb = query.verb.trim();
  if (verb === '') throw new UsageError('no verb given', 'Ask e.g. eksguard rbac who-can get secrets -n prod');
  const url = query.nonResourceURL ?? (query.resource?.startsWith('/') === true ? query.resource : undefined);
  const notes: string[] = [];
  if (url !== undefined) {
    if (query.resource !== undefined && query.nonResourceURL !== undefined) throw new UsageError('give either a resource or --non-resource-url, not both');
    if (!url.startsWith('/')) throw new UsageError(`--non-resource-url ${url}: a non-resource URL starts with /`, 'For example /metrics, /healthz or /logs/kube-apiserver.log.');
    if (query.name !== undefined) throw new UsageError('--name applies to resources, not to non-resource URLs');
    if (query.namespace !== undefined) notes.push('non-resource URLs have no namespace: only ClusterRoleBindings grant them, -n is ignored');
    // The authorizer sees the path without its query string.
    const path = url.split('?')[0] ?? url;
    return { request: { verb, nonResourceURL: path }, scope: { type: 'cluster' }, resource: undefined, notes };
  }
  if (query.resource === undefined || query.resource.trim() === '') throw new UsageError('no resource given', 'Ask e.g. eksguard rbac who-can create pods/exec -n prod, or eksguard rbac who-can get /metrics');

  const text = query.resource.trim();
  const slash = text.indexOf('/');
  const typed = slash === -1 ? text : text.slice(0, slash);
  const subresource = slash === -1 ? undefined : text.slice(slash + 1);
  if (subresource !== undefined && (subresource === '' || subresource.includes('/'))) {
    throw new UsageError(`${text}: expected RESOURCE or RESOURCE/SUBRESOURCE`, 'Give the object name with --name: eksguard rbac who-can get secrets --name db-password -n prod');
  }

  let resource: string;
  let group: string;
  let namespaced: boolean | undefined;
  if (typed === '*') {
    resource = '*';
    group = '*';
    namespaced = true;
  } else if (typed.startsWith('*.')) {
    resource = '*';
    group = typed.slice(2);
    namespaced = true;
  } else {
    const resolved = resolveResource(typed, customResources);
    if (resolved.found) {
      resource = resolved.resource.resource;
      group = resolved.resource.group;
      namespaced = resolved.resource.namespaced;
    } else if (resolved.group !== undefined) {
      resource = resolved.resource;
      group = resolved.group;
      namespaced = undefined;
      notes.push(`${resource}.${group} is neither a built-in resource nor defined by a CustomResourceDefinition in the input: answered as a namespaced resource`);
    } else {
      throw new UsageError(
        `unknown resource "${typed}"`,
        'Name it as RBAC rules do, with its API group for anything outside the core group: deployments.apps, certificates.cert-manager.io (CRDs in the input are recognised).',
      );
    }
  }

  let name = query.name !== undefined && query.name !== '' ? query.name : undefined;
  if (name !== undefined && NAMELESS_VERBS.has(verb) && subresource === undefined) {
    notes.push(`${verb} requests carry no object name, so rules with resourceNames never allow them: --name is ignored`);
    name = undefined;
  }

  let scope: QueryScope;
  if (group === '' && resource === 'namespaces' && name !== undefined) {
    // GET /api/v1/namespaces/NAME is a request inside namespace NAME: a RoleBinding there can grant it.
    if (query.namespace !== undefined && query.namespace !== name) notes.push(`a request on namespace ${name} is made in namespace ${name}: -n ${query.namespace} is ignored`);
    scope = { type: 'namespace', namespace: name };
  } else if (namespaced === false) {
    if (query.namespace !== undefined) notes.push(`${resource}${group === '' ? '' : `.${group}`} is cluster-scoped: only ClusterRoleBindings grant it, -n is ignored`);
    scope = { type: 'cluster' };
  } else {
    scope = query.namespace !== undefined ? { type: 'namespace', namespace: query.namespace } : { type: 'anywhere' };
  }

  const request: Request = {
    verb, apiGroup: group, resource,
    ...(subresource !== undefined ? { subresource } : {}),
    ...(name !== undefined ? { name } : {}),
  };
  return { request, scope, resource: { resource, group, namespaced }, notes };
}

/** `create pods/exec`, `get secrets named db`, `get /metrics`, for headings. */
export function describeRequest(request: Request): string {
  if ('nonResourceURL' in request) return `${request.verb} ${request.nonResourceURL}`;
  const resource = `${request.resource}${request.subresource !== undefined ? `/${request.subresource}` : ''}`;
  const group = request.apiGroup === '' || (request.apiGroup === '*' && request.resource === '*') ? '' : `.${request.apiGroup}`;
  return `${request.verb} ${resource.replace(/^([^/]+)/, `$1${group}`)}${request.name !== undefined ? ` named ${request.name}` : ''}`;
}
