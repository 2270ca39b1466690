/**
 * The live Kubernetes collector: reads what the enabled rules need from the API server of one
 * kubeconfig context, read-only (GET only), paginated, a few requests in flight. A refused or
 * failed read is a gap naming the call and the permission, and the rest goes on; only a cluster
 * that cannot be reached or credentials that are rejected stop the collection.
 */
import { AuditorError } from '../../core/errors.js';
import { isSecret, redactSecret } from '../../core/redact.js';
import { isKubeObject, refOf, type Gap, type KubeObject, type KubeResource, type Origin } from '../../core/resource.js';
import { ALL_KINDS, type KindsNeeded } from '../../engine/rule-kinds.js';
import { KUBELET_CONFIG_KIND } from '../../core/kubelet-config.js';
import { describeNetworkError, KubeConnection, KubeNetworkError, type ConnectOptions } from './connection.js';
import { ApiStatusError, getJson, getObject, JSON_ACCEPT, listPages, METADATA_ACCEPT } from './list.js';
import { planReads, type PlannedRead } from './plan.js';
import { readKubeletConfigs } from './kubelet-config.js';
import { forEachLimited } from './pool.js';
import { ReplicaSampler } from './replicas.js';
import { groupOf } from './resources.js';

export interface ClusterCollectOptions extends Omit<ConnectOptions, 'concurrency'> {
  /** The kinds the enabled rules need (`kindsNeeded`). */
  readonly kinds: KindsNeeded;
  /** `--namespace`: namespaced objects of these namespaces only. */
  readonly namespaces?: readonly string[];
  /** Requests in flight at most; default 4. */
  readonly concurrency?: number;
  /** Objects per list page; default 500, as kubectl. */
  readonly pageSize?: number;
  /** Pages of one list at most (default 2,000): past it, the list is a gap. */
  readonly maxPages?: number;
  /** Keep every replica instead of one per controller (for measurements). */
  readonly keepReplicas?: boolean;
  /**
   * `--kubelet-config`: also read each node's kubelet configuration through the node proxy, when a
   * rule needs it (src/collect/kube/kubelet-config.ts). Off by default: it needs `nodes/proxy`.
   */
  readonly kubeletConfig?: boolean;
  readonly onProgress?: (progress: CollectProgress) => void;
}

/** Sent after each read: how far the collection is, per resource type and overall. */
export interface CollectProgress {
  /** The resource type of the read that finished: `pods`, `clusterroles`, ... */
  readonly resource: string;
  /** Reads of this resource type finished, and planned (several with --namespace). */
  readonly done: number;
  readonly total: number;
  /** Objects of this resource type read so far. */
  readonly objects: number;
  readonly readsDone: number;
  readonly readsTotal: number;
}

export interface ClusterSummary {
  readonly context: string;
  readonly server: string;
  /** The server's gitVersion, when `/version` answered. */
  readonly version?: string;
  /** HTTP requests sent, retries included. */
  readonly requests: number;
  /** Objects kept in the inventory. */
  readonly objects: number;
  /** Replicas read but not kept: judged through their controller (see ReplicaSampler). */
  readonly sampledOut: number;
}

export interface ClusterCollection {
  readonly resources: KubeResource[];
  readonly gaps: Gap[];
  readonly summary: ClusterSummary;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_PAGE_SIZE = 500;
/** How long the first request may take before the cluster counts as unreachable. */
const PROBE_TIMEOUT_MS = 15_000;

/** The run's deadline passed (`--timeout`): not a verdict on the cluster, whose reads are each a gap. */
function isDeadline(error: unknown): boolean {
  return error instanceof KubeNetworkError && error.code === 'DEADLINE';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * An API item as `kubectl get -o json` prints it: with apiVersion and kind (list items of built-in
 * kinds come without them), without `managedFields` (kubectl hides them too; they only cost
 * memory), and a Secret reduced to metadata whatever the server sent.
 */
export function toKubeObject(item: unknown, read: PlannedRead): KubeObject | undefined {
  if (!isRecord(item)) return undefined;
  const { apiVersion, kind, metadata, ...rest } = item;
  // managedFields dropped: kubectl hides them too, and they only cost memory.
  const meta = isRecord(metadata) ? Object.fromEntries(Object.entries(metadata).filter(([key]) => key !== 'managedFields')) : undefined;
  const mode = read.resource.read;
  const metadataOnly = mode.verb === 'list' && 'metadataOnly' in mode ? mode.metadataOnly : undefined;
  const object = metadataOnly
    // A PartialObjectMetadata item carries its own kind; the object is the resource's, with the fields the selector guarantees.
    ? { apiVersion: read.apiVersion, kind: read.resource.kind, ...(meta ? { metadata: meta } : {}), ...metadataOnly.fields }
    : {
        apiVersion: typeof apiVersion === 'string' && apiVersion !== '' ? apiVersion : read.apiVersion,
        kind: typeof kind === 'string' && kind !== '' ? kind : read.resource.kind,
        ...(meta ? { metadata: meta } : {}),
        ...rest,
      };
  if (!isKubeObject(object)) return undefined;
  return isSecret(object) ? redactSecret(object) : object;
}

/** `"pods"` or `"deployments" (API group apps)`, as RBAC names them. */
function resourceWords(read: PlannedRead): string {
  const group = groupOf(read.apiVersion);
  return `"${read.resource.plural}"${group === '' ? '' : ` (API group ${group})`}`;
}

function permissionWords(read: PlannedRead): string {
  const scope = read.namespace !== undefined && read.resource.namespaced
    ? ` in namespace ${read.namespace}`
    : read.resource.namespaced ? ' in every namespace (a ClusterRole)' : '';
  const names = read.verb === 'get' && read.name !== undefined ? ` (resourceNames: ${read.name})` : '';
  return `verb "${read.verb}" on resource ${resourceWords(read)}${names}${scope}`;
}

/** The failure in a few words, for the "not evaluated" reason of the rules that needed the read. */
function failureCause(error: ApiStatusError | KubeNetworkError): string {
  if (error instanceof KubeNetworkError) return describeNetworkError(error);
  switch (error.status) {
    case 401: return '401 Unauthorized';
    case 403: return '403 Forbidden';
    case 404: return 'not served, HTTP 404';
    case 406: return 'no metadata-only lists, HTTP 406';
    case 410: return 'the list expired, HTTP 410';
    default: return error.status >= 200 && error.status < 300 ? (error.message.split('\n')[0] ?? 'invalid answer') : `HTTP ${error.status}`;
  }
}

/**
 * The gap of a failed read: one line naming the call and, for a refusal, the permission it needs,
 * and what it left unread (the kind, in the read's namespace), so the rules that need it are not
 * evaluated rather than passed on what is missing.
 */
export function describeFailure(read: PlannedRead, error: ApiStatusError | KubeNetworkError): Pick<Gap, 'code' | 'message' | 'unread'> {
  const unread = { kinds: [read.resource.kind], ...(read.namespace !== undefined ? { namespace: read.namespace } : {}), cause: failureCause(error) };
  return { ...describeFailureMessage(read, error), unread };
}

function describeFailureMessage(read: PlannedRead, error: ApiStatusError | KubeNetworkError): { code: Gap['code']; message: string } {
  if (error instanceof KubeNetworkError) return { code: 'KUBE_UNAVAILABLE', message: `cannot ${read.description}: ${describeNetworkError(error)}` };
  switch (error.status) {
    case 401:
    case 403:
      return { code: 'KUBE_FORBIDDEN', message: `cannot ${read.description} (HTTP ${error.status} ${error.status === 403 ? 'Forbidden' : 'Unauthorized'}): needs ${permissionWords(read)}; deploy/rbac.yaml grants what eksguard reads` };
    case 404:
      return { code: 'KUBE_UNAVAILABLE', message: `cannot ${read.description}: the API server does not serve it (HTTP 404)` };
    case 406:
      return { code: 'KUBE_UNAVAILABLE', message: `cannot ${read.description} as metadata only (HTTP 406): the API server does not offer PartialObjectMetadataList, and eksguard never reads Secrets in full` };
    case 410:
      return { code: 'KUBE_UNAVAILABLE', message: `cannot ${read.description}: the list expired while paging (HTTP 410); the cluster changed faster than it could be read, run again` };
    default:
      return { code: 'KUBE_UNAVAILABLE', message: `cannot ${read.description}: ${error.message.split('\n')[0] ?? ''}${error.status >= 200 && error.status < 300 ? '' : ` (HTTP ${error.status})`}` };
  }
}

/** The group/versions the server offers (`/apis`), plus the core group. */
function servedVersions(groupList: unknown): Set<string> {
  const served = new Set(['v1']);
  const groups = isRecord(groupList) && Array.isArray(groupList.groups) ? (groupList.groups as unknown[]) : [];
  for (const group of groups) {
    if (!isRecord(group) || !Array.isArray(group.versions)) continue;
    for (const version of group.versions as unknown[]) {
      if (isRecord(version) && typeof version.groupVersion === 'string') served.add(version.groupVersion);
    }
  }
  return served;
}

function unauthorized(connection: KubeConnection): AuditorError {
  return new AuditorError('ERR_KUBE_UNAUTHORIZED', `the API server of ${connection.target} rejected the credentials (HTTP 401): they are missing, invalid or expired`, {
    hint: 'For EKS, refresh them (aws sso login, or aws eks update-kubeconfig --name CLUSTER) and check aws sts get-caller-identity.',
  });
}

function unreachable(connection: KubeConnection, error: KubeNetworkError): AuditorError {
  return new AuditorError('ERR_KUBE_UNREACHABLE', `cannot reach the Kubernetes API of ${connection.target}: ${describeNetworkError(error)}`, {
    cause: error,
    hint: 'Check the endpoint and the network path to it (VPN, private endpoint, proxy), or pick another --context.',
  });
}

/** Reads the cluster. Throws AuditorError only when nothing can be read; everything else is a gap. */
export async function collectCluster(options: ClusterCollectOptions): Promise<ClusterCollection> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const connection = KubeConnection.open({ ...options, concurrency });
  const source = `cluster:${connection.context}`;
  const gaps: Gap[] = [];
  const origin: Origin = Object.freeze({ type: 'cluster', context: connection.context });
  try {
    // /version is open to anyone on most clusters: it proves the server answers, not that we may read.
    let version: string | undefined;
    try {
      // One quick try: an endpoint that does not answer should say so in seconds, not after retries.
      const info = await getJson(connection, '/version', { attempts: 1, timeoutMs: Math.min(PROBE_TIMEOUT_MS, options.timeoutMs ?? PROBE_TIMEOUT_MS) });
      if (isRecord(info) && typeof info.gitVersion === 'string') version = info.gitVersion;
    } catch (error) {
      // The run's deadline is no verdict on the cluster: each read is then a gap saying so (below), and the report is written.
      if (error instanceof KubeNetworkError && !isDeadline(error)) throw unreachable(connection, error);
      // No credentials (a credential plugin that failed or gave none in time): every other request would wait for them too.
      if (error instanceof AuditorError) throw error;
      if (error instanceof ApiStatusError && error.status === 401) throw unauthorized(connection);
    }
    // Discovery needs an authenticated user (system:discovery): a 401 here means bad credentials.
    let served: Set<string> | undefined;
    try {
      served = servedVersions(await getJson(connection, '/apis'));
    } catch (error) {
      if (error instanceof KubeNetworkError && !isDeadline(error)) throw unreachable(connection, error);
      if (error instanceof ApiStatusError && error.status === 401) throw unauthorized(connection);
      if (!(error instanceof ApiStatusError) && !isDeadline(error)) throw error;
      // No unread kinds here: each add-on resource left unresolved is a gap of its own below.
      if (error instanceof ApiStatusError) gaps.push({ source, code: error.status === 403 ? 'KUBE_FORBIDDEN' : 'KUBE_UNAVAILABLE', message: `cannot list the API groups the server offers (get /apis, HTTP ${error.status}): add-ons (Calico, Cilium, Kyverno, Gatekeeper, ...) were not read` });
    }

    const plan = planReads({ kinds: options.kinds, ...(options.namespaces ? { namespaces: options.namespaces } : {}), ...(served ? { served } : {}) });
    for (const resource of plan.unresolved) {
      gaps.push({
        source, code: 'KUBE_UNAVAILABLE', message: `${resource.kind} (${resource.addOn ?? 'add-on'}) not read: discovery failed, so whether the cluster serves it is unknown`,
        unread: { kinds: [resource.kind], cause: `discovery failed: whether ${resource.addOn ?? 'the add-on'} is installed is unknown` },
      });
    }

    const sampler = options.keepReplicas ? undefined : new ReplicaSampler();
    const totals = new Map<string, { done: number; total: number; objects: number }>();
    for (const read of plan.reads) {
      const entry = totals.get(read.resource.plural) ?? { done: 0, total: 0, objects: 0 };
      entry.total += 1;
      totals.set(read.resource.plural, entry);
    }
    let readsDone = 0;
    const results = new Map<PlannedRead, KubeResource[]>();
    const readGaps = new Map<PlannedRead, Gap[]>();

    const readOne = async (read: PlannedRead): Promise<void> => {
      const kept: KubeResource[] = [];
      results.set(read, kept);
      const failed: Gap[] = [];
      readGaps.set(read, failed);
      const counter = totals.get(read.resource.plural) ?? { done: 0, total: 1, objects: 0 };
      const keep = (item: unknown) => {
        counter.objects += 1;
        const object = toKubeObject(item, read);
        if (object === undefined || (sampler !== undefined && !sampler.accept(object))) return;
        kept.push({ ref: refOf(object), object, origin });
      };
      try {
        if (read.verb === 'get') {
          const object = await getObject(connection, read.path);
          if (object !== undefined) keep(object);
          else if (read.resource.getWhenScoped) failed.push({ source, code: 'NOT_FOUND', message: `${read.resource.kind} ${read.name ?? ''} does not exist (${read.description}: HTTP 404)` });
        } else {
          const mode = read.resource.read;
          const metadataOnly = 'metadataOnly' in mode ? mode.metadataOnly : undefined;
          for await (const page of listPages(connection, read.path, {
            accept: metadataOnly ? METADATA_ACCEPT : JSON_ACCEPT,
            pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
            ...(options.maxPages !== undefined ? { maxPages: options.maxPages } : {}),
            ...(metadataOnly ? { fieldSelector: metadataOnly.fieldSelector } : {}),
          })) {
            // Never keep a body the server sent instead of metadata (an API server ignoring the Accept header).
            if (metadataOnly && page.kind !== 'PartialObjectMetadataList') throw new ApiStatusError(200, 'NotMetadata', 'the server answered with full objects instead of metadata only; nothing was kept');
            for (const item of page.items) keep(item);
          }
        }
      } catch (error) {
        if (error instanceof ApiStatusError && error.status === 401) throw unauthorized(connection);
        // An add-on's resource the server does not serve after all (a CRD removed since discovery, or
        // a group version that lacks the kind on an older Kubernetes): not installed, which is no gap.
        const notInstalled = error instanceof ApiStatusError && error.status === 404 && read.resource.addOn !== undefined;
        if (!(error instanceof ApiStatusError) && !(error instanceof KubeNetworkError)) throw error;
        if (!notInstalled) failed.push({ source, ...describeFailure(read, error) });
      }
      counter.done += 1;
      readsDone += 1;
      options.onProgress?.({ resource: read.resource.plural, done: counter.done, total: counter.total, objects: counter.objects, readsDone, readsTotal: plan.reads.length });
    };

    // Owners before what they own, so the sampler knows which controllers are in the inventory.
    for (const stage of [0, 1, 2] as const) {
      await forEachLimited(plan.reads.filter((r) => r.resource.stage === stage), concurrency, readOne);
    }
    // In plan order, whatever order the reads finished in: the same cluster gives the same inventory.
    const resources = plan.reads.flatMap((read) => results.get(read) ?? []);
    gaps.push(...plan.reads.flatMap((read) => readGaps.get(read) ?? []));
    if (options.kubeletConfig === true && (options.kinds === ALL_KINDS || options.kinds.has(KUBELET_CONFIG_KIND))) {
      const kubelets = await readKubeletConfigs(connection, { source, origin, concurrency, pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE });
      resources.push(...kubelets.resources);
      gaps.push(...kubelets.gaps);
    }
    return {
      resources,
      gaps,
      summary: {
        context: connection.context,
        server: connection.server,
        ...(version !== undefined ? { version } : {}),
        requests: connection.requests,
        objects: resources.length,
        sampledOut: sampler?.dropped ?? 0,
      },
    };
  } finally {
    connection.close();
  }
}
