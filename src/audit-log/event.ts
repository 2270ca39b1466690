/**
 * The Kubernetes audit event (`audit.k8s.io/v1` and `v1beta1` `Event`), read from loosely typed
 * JSON. Logs come from many pipelines (the API server's log file, CloudWatch, Falco's traces), so
 * `apiVersion` may be absent and every field may be missing or of the wrong type; a record that is
 * not an audit event at all is refused with a reason rather than guessed at.
 */

export interface ObjectRef {
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
  readonly apiGroup: string;
  readonly apiVersion: string;
}

export interface AuditUser {
  readonly username: string;
  readonly groups: readonly string[];
}

export interface AuditEvent {
  readonly auditID: string;
  /** `RequestReceived`, `ResponseStarted`, `ResponseComplete`, `Panic`, or `""` when the log omits it. */
  readonly stage: string;
  readonly verb: string;
  readonly requestURI: string;
  readonly user: AuditUser;
  readonly impersonatedUser?: AuditUser;
  readonly sourceIPs: readonly string[];
  readonly userAgent: string;
  /** Absent for non-resource requests (`/healthz`, `/version`, discovery). */
  readonly objectRef?: ObjectRef;
  readonly code?: number;
  readonly requestObject?: unknown;
  readonly responseObject?: unknown;
  readonly annotations: Readonly<Record<string, string>>;
  /** RFC 3339: when the request was received, or the best time the event carries; `""` if none. */
  readonly time: string;
}

type JsonRecord = Readonly<Record<string, unknown>>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? (value as unknown[]).filter((v): v is string => typeof v === 'string') : [];
}

function userOf(value: unknown): AuditUser | undefined {
  const user = asRecord(value);
  if (user === undefined) return undefined;
  return { username: str(user.username), groups: strings(user.groups) };
}

function objectRefOf(value: unknown): ObjectRef | undefined {
  const ref = asRecord(value);
  if (ref === undefined) return undefined;
  return {
    resource: str(ref.resource),
    subresource: str(ref.subresource),
    namespace: str(ref.namespace),
    name: str(ref.name),
    apiGroup: str(ref.apiGroup),
    apiVersion: str(ref.apiVersion),
  };
}

const TIME_FIELDS = ['requestReceivedTimestamp', 'timestamp', 'stageTimestamp'] as const;

/**
 * The event, or why the record is not one. An event has `kind: Event` (or no kind), an
 * `audit.k8s.io` apiVersion when it has one, a verb, a request URI and a user.
 */
export function toAuditEvent(value: unknown): AuditEvent | { readonly problem: string } {
  const raw = asRecord(value);
  if (raw === undefined) return { problem: 'not a JSON object' };
  if (raw.kind !== undefined && raw.kind !== 'Event') return { problem: `kind ${JSON.stringify(raw.kind)} is not an audit Event` };
  if (raw.apiVersion !== undefined && !(typeof raw.apiVersion === 'string' && raw.apiVersion.startsWith('audit.k8s.io/'))) {
    return { problem: `apiVersion ${JSON.stringify(raw.apiVersion)} is not audit.k8s.io` };
  }
  const user = userOf(raw.user);
  if (typeof raw.verb !== 'string' || typeof raw.requestURI !== 'string' || user === undefined) {
    return { problem: 'not a Kubernetes audit event (no verb, requestURI or user)' };
  }
  const impersonatedUser = userOf(raw.impersonatedUser);
  const objectRef = objectRefOf(raw.objectRef);
  const status = asRecord(raw.responseStatus);
  const code = typeof status?.code === 'number' ? status.code : undefined;
  const annotations: Record<string, string> = {};
  const rawAnnotations = asRecord(raw.annotations);
  if (rawAnnotations !== undefined) {
    for (const key of Object.keys(rawAnnotations)) {
      const v = rawAnnotations[key];
      if (typeof v === 'string') annotations[key] = v;
    }
  }
  let time = '';
  for (const field of TIME_FIELDS) {
    if (typeof raw[field] === 'string' && raw[field] !== '') {
      time = raw[field];
      break;
    }
  }
  if (time === '') time = str(asRecord(raw.metadata)?.creationTimestamp);
  // Built field by field rather than with conditional spreads (same fields, same order): the spreads
  // made this the costliest function of a log's read for V8 to optimize, twice (once per thread).
  const event: Writable<AuditEvent> = { auditID: str(raw.auditID), stage: str(raw.stage), verb: raw.verb, requestURI: raw.requestURI, user };
  if (impersonatedUser !== undefined && impersonatedUser.username !== '') event.impersonatedUser = impersonatedUser;
  event.sourceIPs = strings(raw.sourceIPs);
  event.userAgent = str(raw.userAgent);
  if (objectRef !== undefined) event.objectRef = objectRef;
  if (code !== undefined) event.code = code;
  if (raw.requestObject !== undefined) event.requestObject = raw.requestObject;
  if (raw.responseObject !== undefined) event.responseObject = raw.responseObject;
  event.annotations = annotations;
  event.time = time;
  return event as AuditEvent;
}

/** An event while it is built (its fields set one by one, in the order of the type). */
type Writable<T> = { -readonly [K in keyof T]?: T[K] };

export function isAuditEvent(value: AuditEvent | { readonly problem: string }): value is AuditEvent {
  return !('problem' in value);
}

/** Who the request acted as: the impersonated user when there is one (audit2rbac does the same). */
export function effectiveUser(event: AuditEvent): AuditUser {
  return event.impersonatedUser ?? event.user;
}

/** The path of a request URI without its query string: what the authorizer matches non-resource rules against. */
export function pathOf(requestURI: string): string {
  const q = requestURI.indexOf('?');
  return q === -1 ? requestURI : requestURI.slice(0, q);
}

/** The stages after which an event knows its outcome; `""` when the log does not say. */
export function isFinalStage(event: AuditEvent): boolean {
  return event.stage === 'ResponseComplete' || event.stage === 'Panic' || event.stage === '';
}

/** 2xx, or a successful protocol upgrade (101, exec and attach); an event without a status is taken as done. */
export function succeeded(event: AuditEvent): boolean {
  return event.code === undefined || (event.code >= 200 && event.code < 300) || event.code === 101;
}

/** What the authorizer decided, from the annotation, else from the response code. */
export function allowed(event: AuditEvent): boolean {
  const decision = event.annotations['authorization.k8s.io/decision'];
  if (decision !== undefined) return decision === 'allow';
  return event.code === undefined || (event.code !== 401 && event.code !== 403);
}

export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** `system:serviceaccount:<ns>:<name>` → its parts. */
export function serviceAccountOf(username: string): { readonly namespace: string; readonly name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const rest = username.slice(SERVICE_ACCOUNT_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1 || rest.indexOf(':', colon + 1) !== -1) return undefined;
  return { namespace: rest.slice(0, colon), name: rest.slice(colon + 1) };
}

/** `pods/exec default/web-1`, `secrets kube-system/*`, or the path of a non-resource request. */
export function describeTarget(event: AuditEvent): string {
  const ref = event.objectRef;
  if (ref === undefined || ref.resource === '') return pathOf(event.requestURI);
  const resource = ref.subresource !== '' ? `${ref.resource}/${ref.subresource}` : ref.resource;
  const name = ref.name !== '' ? ref.name : (nameFromBody(event) ?? '*');
  return `${resource} ${ref.namespace !== '' ? `${ref.namespace}/` : ''}${name}`;
}

/** The name a create request produced (or asked for), from the response or request body when logged. */
export function nameFromBody(event: AuditEvent): string | undefined {
  for (const body of [event.responseObject, event.requestObject]) {
    const meta = asRecord(asRecord(body)?.metadata);
    if (typeof meta?.name === 'string' && meta.name !== '') return meta.name;
  }
  const generate = asRecord(asRecord(event.requestObject)?.metadata)?.generateName;
  return typeof generate === 'string' && generate !== '' ? `${generate}*` : undefined;
}
