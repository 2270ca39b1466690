/**
 * Audit events as the authorization requests behind them, for one subject: audit2rbac's reading
 * (notes §1). The effective user is the impersonated one; a create is authorised without a name,
 * so its name is dropped; a request without objectRef is a non-resource request on its path
 * (without the query string, which the authorizer never sees — audit2rbac keeps it, a bug).
 */
import { effectiveUser, pathOf, type AuditEvent } from '../event.js';

export type RequestAttributes =
  | {
      readonly resourceRequest: true;
      readonly verb: string;
      readonly apiGroup: string;
      readonly apiVersion: string;
      readonly resource: string;
      readonly subresource: string;
      readonly namespace: string;
      readonly name: string;
    }
  | { readonly resourceRequest: false; readonly verb: string; readonly path: string };

export interface SubjectSelection {
  /** The username: `alice`, or `system:serviceaccount:<ns>:<name>`. */
  readonly user: string;
  /** Only events on objects in this namespace (drops non-resource requests, as audit2rbac does). */
  readonly namespace?: string;
}

/**
 * Whether a path names API resources (`/api/v1/pods`, `/apis/apps/v1/namespaces/x/deployments`)
 * rather than a non-resource URL (`/healthz`, `/version`, discovery at `/api`, `/apis/apps/v1`), as
 * the API server's request-info resolver tells them apart.
 */
export function isResourcePath(path: string): boolean {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments[0] === 'api') return segments.length >= 3;
  if (segments[0] === 'apis') return segments.length >= 4;
  return false;
}

/** An event of the subject whose request cannot be read back: a resource path without a usable objectRef. */
export const MALFORMED = Symbol('malformed request');

/**
 * The request an event records; undefined when it is not the subject's (or not in the namespace);
 * MALFORMED when the event names a resource path but its objectRef is missing or empty. Such an
 * event must not become a non-resource URL: a ClusterRole granting
 * `nonResourceURLs: [/api/v1/namespaces/prod/pods/web/exec]` is cluster-wide and means nothing.
 */
export function classifyRequest(event: AuditEvent, selection: SubjectSelection): RequestAttributes | typeof MALFORMED | undefined {
  if (effectiveUser(event).username !== selection.user) return undefined;
  const ref = event.objectRef;
  const path = pathOf(event.requestURI);
  if ((ref === undefined || ref.resource === '') && isResourcePath(path)) return MALFORMED;
  if (selection.namespace !== undefined && ref?.namespace !== selection.namespace) return undefined;
  if (ref === undefined || ref.resource === '') return { resourceRequest: false, verb: event.verb, path };
  return {
    resourceRequest: true,
    verb: event.verb,
    apiGroup: ref.apiGroup,
    apiVersion: ref.apiVersion,
    resource: ref.resource,
    subresource: ref.subresource,
    namespace: ref.namespace,
    name: event.verb === 'create' ? '' : ref.name,
  };
}

export function requestKey(request: RequestAttributes): string {
  return request.resourceRequest
    ? JSON.stringify([request.verb, request.apiGroup, request.apiVersion, request.resource, request.subresource, request.namespace, request.name])
    : JSON.stringify([request.verb, request.path]);
}

/** A username the probe can look for as bytes: printable ASCII the JSON encoder writes unescaped. */
export function literalInJson(username: string): boolean {
  return /^[\x20-\x7e]+$/.test(username) && !/["\\<>&]/.test(username);
}

/** The request an event records, or undefined when it is not the subject's, not in the namespace, or unreadable. */
export function requestOf(event: AuditEvent, selection: SubjectSelection): RequestAttributes | undefined {
  const request = classifyRequest(event, selection);
  return request === MALFORMED ? undefined : request;
}
