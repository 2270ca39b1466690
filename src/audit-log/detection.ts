/**
 * The shape of an audit-log detection. Like a scan rule it has an id, metadata and options, and
 * its logic is pure; unlike a rule it judges a stream of events, not an inventory. A detection
 * matches single events and names the group each belongs to (this object, this user); the analyzer
 * counts the groups, and the detection words one finding per group at the end.
 */
import type { KubeResourceRef, Severity } from '../core/finding.js';
import type { JsonSchemaObject } from '../core/json-schema.js';
import { asRecord, describeTarget, nameFromBody, serviceAccountOf, type AuditEvent } from './event.js';
import type { LineProbe } from './sources/probe.js';
import { globMatches } from '../core/glob.js';
export { globMatches } from '../core/glob.js';

export const DETECTION_DOCS_URL = 'https://github.com/eksguard/eksguard/blob/main/docs/audit-logs.md';

export interface DetectionMeta {
  /** One line, imperative, no trailing period. */
  readonly title: string;
  readonly severity: Severity;
  readonly rationale: string;
  readonly remediation: string;
  /** EKS Best Practices sections it serves. */
  readonly controls?: readonly string[];
  /** The Falco k8s-audit rules it covers (docs/audit-logs.md explains each mapping). */
  readonly falco: readonly string[];
}

/** One event's contribution to a finding. */
export interface Match {
  /** Events with the same key make one finding. */
  readonly key: string;
  /** The object acted on (or the subject, for detections about who acts). */
  readonly resource: KubeResourceRef;
  /** This event's severity, when it differs from the detection's; a finding takes its worst. */
  readonly severity?: Severity;
  /** Named values the message may cite (verbs seen, user agents); each keeps a few distinct values. */
  readonly facts?: Readonly<Record<string, string>>;
  /**
   * Count each request once by its auditID: for requests logged at two stages that both count
   * (exec and attach: ResponseStarted, then ResponseComplete when the session ends).
   */
  readonly dedupe?: boolean;
  /** The time window the event falls in, for detections that count per window. */
  readonly window?: string;
  /** A category to count events by (a response code, a verb). */
  readonly tally?: string;
  /** Labels and owner of the object, for exclusions in eksguard.yaml that select by them. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly owner?: { readonly kind: string; readonly name: string };
  /**
   * The object this event created or rewrote (`objectKey`), when objects a controller creates from
   * it may fold into its finding (a Deployment, the ReplicaSet a Deployment's controller created).
   */
  readonly created?: string;
  /**
   * The owner (`objectKey`) a Kubernetes controller created this object for: when the same
   * detection matched the owner's own creation, this event folds into the owner's finding.
   */
  readonly derivedFrom?: string;
}

/** An event the detection is about but cannot judge (say, a pod created without its body in the log). */
export interface Unjudged {
  readonly unjudged: string;
}

export type MatchResult = Match | readonly Match[] | Unjudged | undefined;

export interface Fact {
  readonly values: readonly string[];
  /** More distinct values were seen than are kept. */
  readonly more: boolean;
}

/** What a detection sees of a group when it words the finding. */
export interface GroupView {
  readonly resource: KubeResourceRef;
  readonly severity: Severity;
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly facts: Readonly<Record<string, Fact>>;
  /** Events per window start, for detections whose matches name a window. */
  readonly windows: ReadonlyMap<string, number>;
  /** Events per `tally` category. */
  readonly tallies: Readonly<Record<string, number>>;
}

export interface Description {
  readonly message: string;
  readonly severity?: Severity;
  readonly windows?: readonly { readonly start: string; readonly count: number; readonly spike: boolean }[];
}

export interface DetectionContext {
  /** `audit.clusterCidrs` from eksguard.yaml. */
  readonly clusterCidrs: readonly string[];
}

export interface Detector {
  /**
   * The objectRef resources the detection is about, when it is about some only: its pre-filter
   * is then asked only about lines that name one of them, and `match` only about events on one of
   * them (it must match no other).
   */
  readonly resources?: readonly string[];
  /** False when no event on this raw line can match: the line is not parsed for this detection. */
  prefilter(probe: LineProbe): boolean;
  match(event: AuditEvent): MatchResult;
  describe(group: GroupView): Description;
}

export interface Detection<O extends object = object> {
  readonly id: string;
  readonly meta: DetectionMeta;
  readonly defaultOptions: O;
  /** JSON Schema of the options (`audit.detections.<id>.options` in eksguard.yaml). */
  readonly schema?: JsonSchemaObject;
  /**
   * A CloudWatch Logs filter pattern term (JSON form, without the outer braces) that every event
   * the detection may match satisfies, whatever its options: `audit analyze --cloudwatch` pushes the
   * terms of the selected detections down to `FilterLogEvents`, so CloudWatch sends only those.
   * Absent when no such term exists; a run with such a detection then reads every event.
   */
  readonly cloudWatchFilter?: string;
  /** Why the detection cannot run with this configuration (it is then listed as not evaluated). */
  notEvaluated?(context: DetectionContext): string | undefined;
  create(options: Readonly<O>, context: DetectionContext): Detector;
}

// Detections differ in their options type; the registry holds them side by side, so it erases it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDetection = Detection<any>;

export function defineDetection<O extends object>(detection: Detection<O>): Detection<O> {
  return Object.freeze(detection);
}

export function isUnjudged(result: unknown): result is Unjudged {
  return typeof result === 'object' && result !== null && 'unjudged' in result;
}

// ---------------------------------------------------------------------------------------------
// Helpers the detections share
// ---------------------------------------------------------------------------------------------

/** Kinds of the resources detections name; others fall back to the body's kind, then the plural. */
const KINDS: Readonly<Record<string, string>> = {
  pods: 'Pod', secrets: 'Secret', configmaps: 'ConfigMap', services: 'Service', serviceaccounts: 'ServiceAccount',
  namespaces: 'Namespace', nodes: 'Node', deployments: 'Deployment', daemonsets: 'DaemonSet', statefulsets: 'StatefulSet',
  replicasets: 'ReplicaSet', jobs: 'Job', cronjobs: 'CronJob', replicationcontrollers: 'ReplicationController',
  podtemplates: 'PodTemplate', roles: 'Role', clusterroles: 'ClusterRole', rolebindings: 'RoleBinding',
  clusterrolebindings: 'ClusterRoleBinding', mutatingwebhookconfigurations: 'MutatingWebhookConfiguration',
  validatingwebhookconfigurations: 'ValidatingWebhookConfiguration', validatingadmissionpolicies: 'ValidatingAdmissionPolicy',
  validatingadmissionpolicybindings: 'ValidatingAdmissionPolicyBinding', mutatingadmissionpolicies: 'MutatingAdmissionPolicy',
  mutatingadmissionpolicybindings: 'MutatingAdmissionPolicyBinding', persistentvolumes: 'PersistentVolume',
  persistentvolumeclaims: 'PersistentVolumeClaim', ingresses: 'Ingress', networkpolicies: 'NetworkPolicy',
  customresourcedefinitions: 'CustomResourceDefinition', events: 'Event', endpoints: 'Endpoints', leases: 'Lease',
  globalnetworkpolicies: 'GlobalNetworkPolicy', ciliumnetworkpolicies: 'CiliumNetworkPolicy', ciliumclusterwidenetworkpolicies: 'CiliumClusterwideNetworkPolicy',
};

function bodyKind(body: unknown): string | undefined {
  const kind = asRecord(body)?.kind;
  return typeof kind === 'string' && kind !== '' ? kind : undefined;
}

/** The object an event acted on, as a finding names it. */
export function objectResource(event: AuditEvent): KubeResourceRef {
  const ref = event.objectRef;
  if (ref === undefined || ref.resource === '') {
    return { provider: 'kubernetes', apiVersion: '', kind: 'NonResourceURL', name: describeTarget(event) };
  }
  const apiVersion = ref.apiGroup !== '' ? `${ref.apiGroup}/${ref.apiVersion}` : ref.apiVersion || 'v1';
  const kind = KINDS[ref.resource] ?? bodyKind(event.responseObject) ?? bodyKind(event.requestObject) ?? ref.resource;
  const name = ref.name !== '' ? ref.name : (nameFromBody(event) ?? '*');
  return ref.namespace !== ''
    ? { provider: 'kubernetes', apiVersion, kind, namespace: ref.namespace, name }
    : { provider: 'kubernetes', apiVersion, kind, name };
}

/** A subject as a finding names it: a ServiceAccount object, or a User (which has no object). */
export function subjectResource(username: string): KubeResourceRef {
  const sa = serviceAccountOf(username);
  if (sa !== undefined) return { provider: 'kubernetes', apiVersion: 'v1', kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name };
  return { provider: 'kubernetes', apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'User', name: username === '' ? '(not authenticated)' : username };
}

/** Labels and owner of the request body's object, for exclusions that select by them. */
export function bodyMeta(event: AuditEvent): Pick<Match, 'labels' | 'owner'> {
  const meta = asRecord(asRecord(event.requestObject ?? event.responseObject)?.metadata);
  if (meta === undefined) return {};
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(asRecord(meta.labels) ?? {})) if (typeof value === 'string') labels[key] = value;
  let owner: { kind: string; name: string } | undefined;
  if (Array.isArray(meta.ownerReferences)) {
    for (const item of meta.ownerReferences as unknown[]) {
      const o = asRecord(item);
      if (o?.controller === true && typeof o.kind === 'string' && typeof o.name === 'string') owner = { kind: o.kind, name: o.name };
    }
  }
  return { ...(Object.keys(labels).length > 0 ? { labels } : {}), ...(owner ? { owner } : {}) };
}

export function matchesAny(patterns: readonly string[], value: string): boolean {
  return patterns.some((pattern) => globMatches(pattern, value));
}

/**
 * Whether an `ignoreUsers` list leaves this request out. It is compared with the effective user,
 * but an impersonated request is left out only when the user who impersonated is ignored too:
 * otherwise `kubectl --as system:node:x` or `--as eks:addon-manager` would hide a human behind the
 * control-plane identities the defaults leave out.
 */
export function ignoredActor(patterns: readonly string[], event: AuditEvent): boolean {
  if (!matchesAny(patterns, (event.impersonatedUser ?? event.user).username)) return false;
  return event.impersonatedUser === undefined || matchesAny(patterns, event.user.username);
}

/** The user a finding names: the effective one, and who impersonated it when someone did. */
export function actorLabel(event: AuditEvent): string {
  const impersonated = event.impersonatedUser?.username;
  return impersonated === undefined ? event.user.username : `${impersonated} (impersonated by ${event.user.username})`;
}

/**
 * Usernames EKS reserves for its own control-plane components (eks:addon-manager,
 * eks:certificate-controller, eks:vpc-resource-controller, eks:pod-identity-mutating-webhook, …):
 * access entries refuse the prefix for IAM principals, so only EKS — or someone impersonating it,
 * which `ignoredActor` still reports — acts as them.
 */
export const EKS_COMPONENTS = 'eks:*';

/** The `ignoreUsers` option most detections take: users (globs) whose requests they do not report. */
export const IGNORE_USERS_SCHEMA = {
  type: 'array',
  items: { type: 'string', minLength: 1 },
  description: 'Usernames (globs with *) whose requests this detection does not report; compared with the effective (impersonated) user.',
};

export const TRUSTED_IMAGES_SCHEMA = {
  type: 'array',
  items: { type: 'string', minLength: 1 },
  description: 'Image repositories (without tag or digest; globs with *) trusted to run this way: a pod is not reported when every container image is one of them.',
};

export const MUTATING_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'] as const;

export function isMutation(verb: string): boolean {
  return (MUTATING_VERBS as readonly string[]).includes(verb);
}

/** `403 ×3, 401 ×1`, largest first. */
export function formatTallies(tallies: Readonly<Record<string, number>>): string {
  return Object.entries(tallies).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `${k} ×${n}`).join(', ');
}

/** `a, b and 2 more` */
export function listFact(fact: Fact | undefined, limit = 3): string {
  if (fact === undefined || fact.values.length === 0) return '';
  const shown = fact.values.slice(0, limit);
  const rest = fact.values.length - shown.length;
  return `${shown.join(', ')}${rest > 0 || fact.more ? `${rest > 0 ? ` and ${rest} more` : ', …'}` : ''}`;
}

export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

/** The repository of an image reference: without tag or digest (`nginx`, `ghcr.io/org/app`). */
export function imageRepository(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at === -1 ? image : image.slice(0, at);
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** A `time range` phrase: `at T` or `between T1 and T2`. */
export function timeRange(group: GroupView): string {
  if (group.firstSeen === '') return '';
  return group.firstSeen === group.lastSeen || group.lastSeen === '' ? `at ${group.firstSeen}` : `between ${group.firstSeen} and ${group.lastSeen}`;
}
