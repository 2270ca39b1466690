/**
 * The `admission.k8s.io/v1` AdmissionReview as the API server sends and expects it: only the fields
 * eksguard reads or writes, checked once at the edge so the decision works on known shapes.
 * https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/
 */
import type { KubeObject } from '../core/resource.js';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
const OPERATIONS: ReadonlySet<string> = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

export interface AdmissionRequest {
  readonly uid: string;
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
  readonly namespace?: string;
  readonly name?: string;
  readonly operation: Operation;
  readonly userInfo: { readonly username?: string; readonly groups?: readonly string[] };
  /** The object after the request: absent for DELETE and CONNECT. */
  readonly object?: KubeObject;
  /** The object before an UPDATE (or a DELETE). */
  readonly oldObject?: KubeObject;
  readonly dryRun: boolean;
}

export interface AdmissionStatus {
  readonly code: number;
  readonly reason?: string;
  readonly message: string;
}

export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: boolean;
  readonly status?: AdmissionStatus;
  readonly warnings?: readonly string[];
}

export interface AdmissionReviewOut {
  readonly apiVersion: typeof ADMISSION_API_VERSION;
  readonly kind: 'AdmissionReview';
  readonly response: AdmissionResponse;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function kubeObjectOf(value: unknown, field: string): KubeObject | undefined | string {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') return `request.${field} is not a Kubernetes object (apiVersion and kind)`;
  if (value.metadata !== undefined && !isRecord(value.metadata)) return `request.${field}.metadata is not an object`;
  return value as KubeObject;
}

/**
 * The request of an AdmissionReview, or a one-line reason why the body is not one (the server
 * answers that with HTTP 400: without a valid uid there is no review to answer).
 */
export function parseAdmissionReview(body: unknown): AdmissionRequest | string {
  if (!isRecord(body)) return 'the body is not a JSON object';
  if (body.apiVersion !== ADMISSION_API_VERSION || body.kind !== 'AdmissionReview') {
    return `expected apiVersion ${ADMISSION_API_VERSION} kind AdmissionReview (set admissionReviewVersions: [v1] in the webhook configuration)`;
  }
  const request = body.request;
  if (!isRecord(request)) return 'the AdmissionReview has no request';
  if (typeof request.uid !== 'string' || request.uid === '') return 'request.uid is missing';
  if (typeof request.operation !== 'string' || !OPERATIONS.has(request.operation)) return 'request.operation is not CREATE, UPDATE, DELETE or CONNECT';
  const kind = request.kind;
  if (!isRecord(kind) || typeof kind.kind !== 'string' || typeof kind.version !== 'string') return 'request.kind is missing';
  const object = kubeObjectOf(request.object, 'object');
  if (typeof object === 'string') return object;
  const oldObject = kubeObjectOf(request.oldObject, 'oldObject');
  if (typeof oldObject === 'string') return oldObject;
  const user = isRecord(request.userInfo) ? request.userInfo : {};
  const groups = Array.isArray(user.groups) ? user.groups.filter((g): g is string => typeof g === 'string') : undefined;
  return {
    uid: request.uid,
    kind: { group: typeof kind.group === 'string' ? kind.group : '', version: kind.version, kind: kind.kind },
    ...(typeof request.namespace === 'string' && request.namespace !== '' ? { namespace: request.namespace } : {}),
    ...(typeof request.name === 'string' && request.name !== '' ? { name: request.name } : {}),
    operation: request.operation as Operation,
    userInfo: { ...(typeof user.username === 'string' ? { username: user.username } : {}), ...(groups ? { groups } : {}) },
    ...(object !== undefined ? { object } : {}),
    ...(oldObject !== undefined ? { oldObject } : {}),
    dryRun: request.dryRun === true,
  };
}

export function reviewOf(response: AdmissionResponse): AdmissionReviewOut {
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response };
}
