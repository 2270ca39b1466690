/**
 * Which RBAC verbs open a session into a running pod (exec, attach, port-forward), by Kubernetes
 * version: the one definition `restrict-pod-exec`, the risk catalogue (`rbac risky`) and
 * `rbac who-can` share. Pure.
 *
 * kubectl ≥ 1.30 streams exec, attach and port-forward over WebSockets. The API server authorises
 * the WebSocket upgrade, an HTTP GET, as `get` on the subresource; only Kubernetes 1.35's
 * `AuthorizePodWebsocketUpgradeCreatePermission` (beta, on by default) also demands `create`, as
 * the SPDY POST always did. So up to 1.34, `get pods/exec` is exec. Where the cluster's version is
 * unknown, eksguard judges as for ≤ 1.34: the stricter reading, and every EKS version but the
 * newest.
 */
import type { Inventory } from '../core/inventory.js';
import type { Request } from './policy-rule.js';

/** The pod subresources that open a session into a running container. */
export const SESSION_SUBRESOURCES = ['exec', 'attach', 'portforward'] as const;
export type SessionSubresource = (typeof SESSION_SUBRESOURCES)[number];

/** The first minor version whose WebSocket upgrade needs `create` as well as `get`. */
export const CREATE_REQUIRED_FROM_MINOR = 35;

export interface ClusterVersion {
  /** Kubernetes 1.x: the minor; undefined when no source says. */
  readonly minor: number | undefined;
  /** Where it came from, in words: `the live API server (v1.33.5-eks-...)`, `the EKS cluster description`. */
  readonly source: string | undefined;
}

/** `1.34`, `v1.34.2-eks-113cf36`: the minor of a 1.x version; undefined for anything else. */
export function minorOf(version: string): number | undefined {
  const match = /^v?1\.(\d+)(?:[.+-]|$)/.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

const cache = new WeakMap<Inventory, ClusterVersion>();

/**
 * The cluster's Kubernetes version: the live API server's `/version` when the scan read one, else
 * the EKS cluster description of the AWS evidence (the oldest, when it holds several clusters:
 * the verdict must hold for each).
 */
export function clusterVersion(inventory: Inventory): ClusterVersion {
  let found = cache.get(inventory);
  if (found === undefined) {
    found = { minor: undefined, source: undefined };
    const server = inventory.serverVersion;
    const serverMinor = server === undefined ? undefined : minorOf(server);
    if (server !== undefined && serverMinor !== undefined) found = { minor: serverMinor, source: `the API server (${server})` };
    else {
      const minors = (inventory.aws?.clusters ?? []).flatMap((c) => {
        const minor = c.version === undefined ? undefined : minorOf(String(c.version));
        return minor === undefined ? [] : [minor];
      });
      if (minors.length > 0) found = { minor: Math.min(...minors), source: 'the EKS cluster description' };
    }
    cache.set(inventory, found);
  }
  return found;
}

/** Whether `get` on a session subresource opens the session (WebSocket upgrade) on this cluster. */
export function getOpensSessions(version: ClusterVersion): boolean {
  return version.minor === undefined || version.minor < CREATE_REQUIRED_FROM_MINOR;
}

/** The verbs that open a session: `create`, and `get` up to 1.34 (or when the version is unknown). */
export function sessionVerbs(version: ClusterVersion): readonly string[] {
  return getOpensSessions(version) ? ['create', 'get'] : ['create'];
}

/** Why `get` counts, for messages and notes: `Kubernetes 1.33, per the API server (...)` or `the cluster's version is unknown`. */
export function describeGetSessions(version: ClusterVersion): string {
  return version.minor === undefined
    ? 'the cluster\'s version is unknown, so judged as Kubernetes ≤ 1.34, where a WebSocket session is authorised as get'
    : `Kubernetes 1.${version.minor} (from ${version.source ?? 'the input'}) authorises a WebSocket session as get`;
}

/**
 * The requests that open the same session as `request`: a `create` on pods/exec, attach or
 * portforward is also made, over WebSockets, as a `get` where that is enough. Who-can answers the
 * question "who can exec" with both; anything else is answered as asked.
 */
export function sessionRequests(request: Request, version: ClusterVersion): { readonly requests: readonly Request[]; readonly note: string | undefined } {
  if ('nonResourceURL' in request || request.verb !== 'create' || request.apiGroup !== '' || request.resource !== 'pods'
    || !(SESSION_SUBRESOURCES as readonly string[]).includes(request.subresource ?? '') || !getOpensSessions(version)) {
    return { requests: [request], note: undefined };
  }
  return {
    requests: [request, { ...request, verb: 'get' }],
    note: `${describeGetSessions(version)}: subjects allowed get on pods/${request.subresource ?? ''} are included`,
  };
}
