/**
 * `eksguard webhook --cluster`: a read-only view of the objects the cluster rules look up (RBAC
 * bindings, LimitRanges, ...), kept current by `@kubernetes/client-node` informers (list, then
 * watch from that resourceVersion, relist on 410 Gone). The lists go through eksguard's own
 * KubeConnection so objects keep the shape `kubectl get -o json` prints (see connection.ts).
 *
 * Bounded in memory: only the kinds the plan needs are watched, never Secrets, ConfigMaps only by
 * name (aws-auth, the VPC CNI's settings), and past `maxObjects` the view stops answering (the
 * cluster rules are then not run, and say so once) rather than grow without end.
 */
import { ListWatch, Watch, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { KubeConnection } from '../collect/kube/connection.js';
import { resourcePath } from '../collect/kube/plan.js';
import { API_RESOURCES, NAMED_CONFIG_MAPS, type ApiResource } from '../collect/kube/resources.js';
import type { KubeObject, KubeResource } from '../core/resource.js';
import { refOf } from '../core/resource.js';
import type { KindsNeeded } from '../engine/rule-kinds.js';
import { logLine } from './server.js';
import type { LiveClusterView } from './index.js';

export interface ClusterViewOptions {
  readonly kinds: KindsNeeded;
  readonly env: NodeJS.ProcessEnv;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly log: (line: string) => void;
  /** Objects held at most across all kinds (default 200,000). */
  readonly maxObjects?: number;
  /** Delay before an informer that failed (403, connection lost) starts again; default 5 s. */
  readonly retryMs?: number;
}

/** Kinds the view never watches: a Secret's data must not sit in the webhook's memory. */
const NEVER_WATCHED: ReadonlySet<string> = new Set(['Secret']);

interface Feed {
  readonly resource: ApiResource;
  readonly apiVersion: string;
  readonly path: string;
  readonly fieldSelector?: string;
  informer?: ListWatch<KubernetesObject>;
  synced: boolean;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** What the rules never read and a watch keeps sending: dropped from listed objects to save memory. */
function slim(object: KubeObject): KubeObject {
  const metadata = object.metadata;
  if (metadata === undefined) return object;
  const kept: Record<string, unknown> = { ...metadata };
  delete kept.managedFields;
  const annotations = metadata.annotations;
  if (annotations !== undefined && LAST_APPLIED in annotations) {
    const rest: Record<string, string> = { ...annotations };
    delete rest[LAST_APPLIED];
    kept.annotations = rest;
  }
  return { ...object, metadata: kept };
}

function feedsFor(kinds: KindsNeeded): Feed[] {
  const wanted = (r: ApiResource): boolean => !NEVER_WATCHED.has(r.kind) && (kinds === 'all' || kinds.has(r.kind));
  const feeds: Feed[] = [];
  for (const resource of API_RESOURCES.filter(wanted)) {
    // Add-on APIs in their first version; one the cluster does not serve lists as 404 and stays empty.
    const apiVersion = resource.apiVersions[0] ?? 'v1';
    if (resource.read.verb === 'get' || resource.kind === 'ConfigMap') {
      for (const { namespace, name } of resource.kind === 'ConfigMap' ? NAMED_CONFIG_MAPS : resource.read.verb === 'get' ? resource.read.names : []) {
        feeds.push({ resource, apiVersion, path: resourcePath(resource, apiVersion, namespace), fieldSelector: `metadata.name=${name}`, synced: false });
      }
      continue;
    }
    feeds.push({ resource, apiVersion, path: resourcePath(resource, apiVersion, undefined), synced: false });
  }
  return feeds;
}

export function startClusterView(options: ClusterViewOptions): LiveClusterView {
  const connection = KubeConnection.open({
    env: options.env,
    concurrency: 4,
    ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context !== undefined ? { context: options.context } : {}),
  });
  const maxObjects = options.maxObjects ?? 200_000;
  const retryMs = options.retryMs ?? 5_000;
  const feeds = feedsFor(options.kinds);
  const resources = new WeakMap<KubernetesObject, KubeResource>();
  const origin = { type: 'cluster', context: connection.context } as const;
  let held = 0;
  let overflowing = false;
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();

  const list = (feed: Feed) => async (): Promise<KubernetesListObject<KubernetesObject>> => {
    const items: KubernetesObject[] = [];
    let next: string | undefined;
    let resourceVersion = '';
    do {
      const response = await connection.get(feed.path, { limit: '500', continue: next, fieldSelector: feed.fieldSelector }, 'application/json');
      if (response.status === 404) return { apiVersion: 'v1', kind: 'List', metadata: {}, items: [] };
      if (response.status !== 200) throw Object.assign(new Error(`list ${feed.path}: HTTP ${response.status}`), { statusCode: response.status });
      const page = JSON.parse(response.body) as { metadata?: { continue?: string; resourceVersion?: string }; items?: Record<string, unknown>[] };
      for (const item of page.items ?? []) items.push(slim({ ...item, apiVersion: feed.apiVersion, kind: feed.resource.kind } as KubeObject) as KubernetesObject);
      next = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (next !== undefined);
    feed.synced = true;
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion }, items };
  };

  const start = (feed: Feed): void => {
    const informer = new ListWatch<KubernetesObject>(feed.path, new Watch(connection.config), list(feed), false, undefined, feed.fieldSelector);
    feed.informer = informer;
    informer.on('add', () => {
      held += 1;
      if (held > maxObjects && !overflowing) {
        overflowing = true;
        options.log(logLine('error', `cluster view holds over ${maxObjects} objects: rules that look at other objects are not run until restart`, { kind: feed.resource.kind }));
      }
    });
    informer.on('delete', () => {
      held -= 1;
    });
    informer.on('error', (error: unknown) => {
      if (stopped) return;
      const status = (error as { statusCode?: number }).statusCode;
      options.log(logLine('warn', `cluster view: watching ${feed.resource.plural} failed; retrying`, {
        path: feed.path, error: status !== undefined ? `HTTP ${status}` : (error as Error).message,
        ...(status === 403 ? { hint: 'grant get, list and watch on it to the webhook (deploy/kubernetes/webhook)' } : {}),
      }));
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopped) informer.start().catch(() => undefined);
      }, retryMs);
      timer.unref();
      timers.add(timer);
    });
    informer.start().catch(() => undefined);
  };
  for (const feed of feeds) start(feed);
  options.log(logLine('info', 'cluster view: watching', { context: connection.context, server: connection.server, resources: feeds.map((f) => `${f.resource.plural}${f.fieldSelector ? `(${f.fieldSelector})` : ''}`) }));

  const asResource = (object: KubernetesObject): KubeResource => {
    let resource = resources.get(object);
    if (resource === undefined) {
      const kube = object as unknown as KubeObject;
      resource = { ref: refOf(kube), object: kube, origin };
      resources.set(object, resource);
    }
    return resource;
  };

  return {
    get ready() {
      return feeds.every((f) => f.synced);
    },
    objectsAround(namespace) {
      if (overflowing) return undefined;
      const around: KubeResource[] = [];
      for (const feed of feeds) {
        const cache = feed.informer;
        if (cache === undefined) continue;
        const objects = feed.resource.namespaced ? (namespace === undefined ? [] : cache.list(namespace)) : cache.list();
        for (const object of objects) around.push(asResource(object));
      }
      return around;
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      const stopAll = (): void => {
        for (const feed of feeds) feed.informer?.stop().catch(() => undefined);
      };
      stopAll();
      // ListWatch aborts only a watch that has connected: one still connecting when stop() came
      // would stay open and keep the process alive after SIGTERM. Stopping again once it is up
      // closes it (unref'd: the timers themselves keep nothing alive).
      for (const delay of [500, 2_000]) setTimeout(stopAll, delay).unref();
    },
  };
}
