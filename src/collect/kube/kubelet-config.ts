/**
 * `--kubelet-config`: each node's effective kubelet configuration, `GET
 * /api/v1/nodes/NAME/proxy/configz` through the API server, a few nodes at a time, each request
 * bounded by the request timeout and tried once (a kubelet that does not answer would otherwise
 * hold the run for three timeouts). A node that does not answer is a gap naming it, and the other
 * nodes are judged; when no node answers, the rules that need kubelet configurations are not
 * evaluated. Opt-in because it needs `get` on `nodes/proxy`, which reaches the whole kubelet API
 * (docs/cluster.md, deploy/rbac-kubelet-config.yaml).
 */
import { kubeletConfigObject, KUBELET_CONFIG_KIND } from '../../core/kubelet-config.js';
import type { Gap, KubeResource, Origin } from '../../core/resource.js';
import { refOf } from '../../core/resource.js';
import { describeNetworkError, KubeNetworkError, type KubeConnection } from './connection.js';
import { ApiStatusError, getJson, listPages, METADATA_ACCEPT } from './list.js';
import { forEachLimited } from './pool.js';

export interface KubeletConfigRead {
  readonly resources: KubeResource[];
  readonly gaps: Gap[];
}

const PERMISSION = 'needs verb "get" on resource "nodes/proxy" (a ClusterRole); deploy/rbac-kubelet-config.yaml grants it';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The failure in a few words: the gap's message and the "not evaluated" cause. */
function cause(error: ApiStatusError | KubeNetworkError): string {
  if (error instanceof KubeNetworkError) return describeNetworkError(error);
  if (error.status === 401 || error.status === 403) return `HTTP ${error.status} ${error.status === 403 ? 'Forbidden' : 'Unauthorized'}`;
  const first = error.message.split('\n')[0] ?? '';
  if (error.status >= 200 && error.status < 300) return first;
  return first === `HTTP ${error.status}` ? first : `${first} (HTTP ${error.status})`;
}

function codeOf(error: ApiStatusError | KubeNetworkError): Gap['code'] {
  return error instanceof ApiStatusError && (error.status === 401 || error.status === 403) ? 'KUBE_FORBIDDEN' : 'KUBE_UNAVAILABLE';
}

function isReadError(error: unknown): error is ApiStatusError | KubeNetworkError {
  return error instanceof ApiStatusError || error instanceof KubeNetworkError;
}

/** The names of the cluster's nodes, from a metadata-only list (what `list nodes` in deploy/rbac.yaml allows). */
async function nodeNames(connection: KubeConnection, pageSize: number): Promise<string[]> {
  const names: string[] = [];
  for await (const page of listPages(connection, '/api/v1/nodes', { accept: METADATA_ACCEPT, pageSize })) {
    for (const item of page.items) {
      const name = isRecord(item) && isRecord(item.metadata) ? item.metadata.name : undefined;
      if (typeof name === 'string' && name !== '') names.push(name);
    }
  }
  return names.sort();
}

/**
 * Reads every node's kubelet configuration. Throws only what is not a failed read (the
 * credentials' AuditorError); everything else is a gap.
 */
export async function readKubeletConfigs(connection: KubeConnection, options: { readonly source: string; readonly origin: Origin; readonly concurrency: number; readonly pageSize: number }): Promise<KubeletConfigRead> {
  const { source, origin } = options;
  let names: string[];
  try {
    names = await nodeNames(connection, options.pageSize);
  } catch (error) {
    if (!isReadError(error)) throw error;
    return {
      resources: [],
      gaps: [{
        source, code: codeOf(error),
        message: `cannot list nodes to read their kubelet configuration: ${cause(error)}`,
        unread: { kinds: [KUBELET_CONFIG_KIND], cause: cause(error) },
      }],
    };
  }
  const found = new Map<string, KubeResource>();
  const failed = new Map<string, { code: Gap['code']; message: string; cause: string }>();
  await forEachLimited(names, options.concurrency, async (node) => {
    const what = `get nodes/proxy ${node}/configz`;
    try {
      const object = kubeletConfigObject(node, await getJson(connection, `/api/v1/nodes/${encodeURIComponent(node)}/proxy/configz`, { attempts: 1 }));
      if (object === undefined) {
        failed.set(node, { code: 'KUBE_UNAVAILABLE', message: `node ${node}: the kubelet's /configz answer is not a kubelet configuration (${what})`, cause: 'not a kubelet configuration' });
        return;
      }
      found.set(node, { ref: refOf(object), object, origin });
    } catch (error) {
      if (!isReadError(error)) throw error;
      const forbidden = codeOf(error) === 'KUBE_FORBIDDEN';
      failed.set(node, {
        code: codeOf(error),
        message: `node ${node}: cannot read the kubelet configuration (${what}): ${cause(error)}${forbidden ? `; ${PERMISSION}` : ''}`,
        cause: cause(error),
      });
    }
  });
  // In node order, whatever order the answers came in.
  const noneRead = found.size === 0;
  const gaps: Gap[] = [...failed.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, f]) => ({
    source, code: f.code, message: f.message,
    // The nodes that answered are judged; only when none did is the rule left without evidence.
    ...(noneRead ? { unread: { kinds: [KUBELET_CONFIG_KIND], cause: f.cause } } : {}),
  }));
  return { resources: names.flatMap((n) => found.get(n) ?? []), gaps };
}
