import type { FieldPath, KubeResourceRef, ResourceRef } from './finding.js';

export interface ObjectMeta {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly { readonly kind?: string; readonly name?: string; readonly controller?: boolean }[];
  readonly [key: string]: unknown;
}

/** A Kubernetes object as plain JSON. Unknown kinds and CRDs are kept as they are. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: ObjectMeta;
  readonly [key: string]: unknown;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Resolves a field path to a position; falls back to the nearest ancestor that exists. */
export type Locator = (path: FieldPath) => Position;

/** Where an object came from. */
export type Origin =
  | {
      readonly type: 'file';
      readonly file: string;
      /** Line of the document's first line in the file (1-based). */
      readonly line: number;
      /** For objects flattened out of a `List`: the path of the item inside its document. */
      readonly itemPath?: FieldPath;
      readonly locate?: Locator;
    }
  | { readonly type: 'cluster'; readonly context: string }
  /**
   * An object the input does not hold but other objects imply (a namespace its workloads name);
   * `file` and `line` point at the first object that implies it, so file-based reports have a place.
   */
  | { readonly type: 'implied'; readonly by: string; readonly file?: string; readonly line?: number }
  /** An AWS resource: `source` is the dump file it was read from, or `aws:<region>` for a live read. */
  | { readonly type: 'aws'; readonly source: string };

export interface KubeResource {
  readonly ref: KubeResourceRef;
  readonly object: KubeObject;
  readonly origin: Origin;
}

/** What could not be read and why. A gap is shown in every output and makes the exit code 2. */
export interface Gap {
  /** A file path, `-` for stdin, or a resource description. */
  readonly source: string;
  readonly line?: number;
  readonly code: GapCode;
  readonly message: string;
  /**
   * What the failed read left out, when it is evidence rules need: the engine reports those rules
   * as not evaluated (naming this cause) instead of judging them on what is missing.
   */
  readonly unread?: Unread;
}

/** Evidence a gap left unread: Kubernetes kinds (all of them, or one namespace's) and AWS calls. */
export interface Unread {
  /** Kubernetes kinds (`ClusterRoleBinding`) of which some or all objects were not read. */
  readonly kinds?: readonly string[];
  /** Set when only this namespace's objects of `kinds` were not read. */
  readonly namespace?: string;
  /** AWS calls, as IAM names them (`eks:DescribeCluster`), whose output is missing or incomplete. */
  readonly awsCalls?: readonly string[];
  /** Why, in a few words, for the "not evaluated" reason: `403 Forbidden`, `AccessDenied`. */
  readonly cause: string;
}

/**
 * Every gap code eksguard can emit, with what it means. One list for the type, the JSON Schemas
 * (schemas/) and docs/json-output.md, whose list `npx tsx scripts/machine-output.ts` writes from this one
 * (a test fails when they differ). Codes are public: never rename one.
 */
export const GAP_CODES = {
  NOT_FOUND: 'a path given does not exist',
  UNREADABLE: 'a file or directory that could not be read (permissions, a device, a broken link)',
  TOO_LARGE: 'input over a size limit (a file, a mapping or sequence with more entries than the readers admit, a line or value of an audit log, pages of CloudWatch Logs; docs/limits.md): what is over it was not read',
  BINARY: 'a file that is not text',
  YAML_SYNTAX: 'a YAML document that does not parse',
  JSON_SYNTAX: 'a JSON document, or a line of a JSON-lines audit log, that does not parse',
  EXCESSIVE_ALIASING: 'a YAML alias bomb, refused as the Kubernetes API server does',
  NOT_A_KUBE_OBJECT: 'a document meant for Kubernetes (it has `apiVersion` or `kind`) that is not a valid object',
  LIST_TOO_DEEP: 'a `List` nested deeper than eksguard reads: its items were not read',
  TOO_DEEP: 'collections nested deeper than the readers admit (docs/limits.md): the file was not read',
  CONFLICTING_VERSIONS: 'one object (group, kind, namespace, name) read in versions that differ: the message names every place and the version judged, the weaker (docs/inputs.md)',
  NOT_INTERPRETED: 'an object eksguard cannot read as its kind, such as a `kind: Deployment` of `apiVersion: v1` ("apps/v1 Deployment expected") or a Deployment without a pod spec (or with `containers` written as a mapping): not judged',
  NOT_AWS_EVIDENCE: 'a JSON file of an AWS evidence directory that is not a recognised AWS CLI output, or output that cannot be attributed to a cluster (docs/aws-evidence.md)',
  AWS_AUTH_INVALID: 'a malformed value or entry in the `kube-system/aws-auth` ConfigMap (`mapRoles`, `mapUsers`, `mapAccounts`): ignored, as EKS ignores it; the message says what',
  NOT_AN_AUDIT_EVENT: 'audit logs: a JSON record that is not a Kubernetes audit event, or a whole file that is not an audit log',
  NO_INPUT: 'nothing to read: no sources given, an empty directory, an AWS evidence directory without .json files, an audit log without events',
  RULE_CRASH: 'a rule failed on an object (a bug in eksguard): its verdict on that object is missing',
  KUBE_FORBIDDEN: 'the live Kubernetes API refused a read (HTTP 401/403): the message names the verb, resource and namespace',
  KUBE_UNAVAILABLE: 'the live Kubernetes API failed a read otherwise (a timeout, a 5xx, an expired list, a resource not served)',
  AWS_FORBIDDEN: 'a live AWS call, or one in an AWS evidence dump, was refused (AccessDenied): the message names the missing IAM action',
  AWS_UNAVAILABLE: 'a live AWS call failed otherwise (a resource gone, a service not enabled, retries or the deadline exhausted)',
} as const satisfies Readonly<Record<string, string>>;

export type GapCode = keyof typeof GAP_CODES;

export function isKubeObject(value: unknown): value is KubeObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
  return typeof apiVersion === 'string' && apiVersion !== '' && typeof kind === 'string' && kind !== '';
}

export function refOf(object: KubeObject): KubeResourceRef {
  const meta = object.metadata ?? {};
  const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '<unnamed>';
  const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  return namespace === undefined
    ? { provider: 'kubernetes', apiVersion: object.apiVersion, kind: object.kind, name }
    : { provider: 'kubernetes', apiVersion: object.apiVersion, kind: object.kind, namespace, name };
}

export function formatKubeRef(ref: KubeResourceRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** A Kubernetes or AWS resource in one phrase: `Deployment shop/web`, `security-group sg-0abc (eks-nodes)`. */
export function formatRef(ref: ResourceRef): string {
  if (ref.provider === 'kubernetes') return formatKubeRef(ref);
  const id = ref.arn ?? ref.id ?? ref.name ?? '';
  return `${ref.type} ${id}${ref.name !== undefined && ref.name !== id && !id.endsWith(ref.name) ? ` (${ref.name})` : ''}`;
}

/** The controller that owns an object (`ownerReferences[].controller: true`), tolerant of malformed metadata. */
export function controllerOf(object: KubeObject): { readonly kind: string; readonly name: string } | undefined {
  const refs: unknown = object.metadata?.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  for (const ref of refs as unknown[]) {
    if (ref === null || typeof ref !== 'object') continue;
    const { controller, kind, name } = ref as { controller?: unknown; kind?: unknown; name?: unknown };
    if (controller === true && typeof kind === 'string' && typeof name === 'string') return { kind, name };
  }
  return undefined;
}

/** Where an object came from, in one phrase: its file, `cluster:<context>`, or what implies it. */
export function describeOrigin(origin: Origin): string {
  switch (origin.type) {
    case 'file': return origin.file;
    case 'cluster': return `cluster:${origin.context}`;
    case 'aws': return origin.source;
    default: return `implied by ${origin.by}`;
  }
}
