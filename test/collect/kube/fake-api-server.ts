/**
 * A local stand-in for the Kubernetes API server, for tests and the bench: HTTPS on 127.0.0.1 with
 * a self-signed certificate made on the spot, bearer-token authentication, discovery (`/version`,
 * `/api`, `/apis`, `/api/v1`, `/apis/G/V`), list and get endpoints served from fixture objects with
 * `limit`/`continue` pagination and field selectors, 403 for configured calls, and the metadata-only
 * list form (PartialObjectMetadataList). It records every request, and counts every Secret body it
 * serves, so tests can prove the collector never asks for one.
 *
 * Its resource table is its own (what a real server's discovery says), deliberately not the
 * collector's, so the tests check the collector against the protocol rather than against itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { generate } from 'selfsigned';
import type { KubeObject } from '../../../src/core/resource.js';

export interface ServedResource {
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export interface ServedGroup {
  /** `''` for the core group. */
  readonly group: string;
  readonly version: string;
  readonly resources: readonly ServedResource[];
}

const r = (kind: string, plural: string, namespaced: boolean): ServedResource => ({ kind, plural, namespaced });

/** What a plain EKS cluster serves (the subset that matters here). */
export const BUILTIN_GROUPS: readonly ServedGroup[] = [
  {
    group: '', version: 'v1', resources: [
      r('Namespace', 'namespaces', false), r('Node', 'nodes', false), r('PersistentVolume', 'persistentvolumes', false),
      r('ServiceAccount', 'serviceaccounts', true), r('Service', 'services', true), r('ResourceQuota', 'resourcequotas', true),
      r('LimitRange', 'limitranges', true), r('ConfigMap', 'configmaps', true), r('Secret', 'secrets', true),
      r('PodTemplate', 'podtemplates', true), r('ReplicationController', 'replicationcontrollers', true), r('Pod', 'pods', true),
      r('Event', 'events', true), r('Endpoints', 'endpoints', true),
    ],
  },
  { group: 'apps', version: 'v1', resources: [r('Deployment', 'deployments', true), r('StatefulSet', 'statefulsets', true), r('DaemonSet', 'daemonsets', true), r('ReplicaSet', 'replicasets', true), r('ControllerRevision', 'controllerrevisions', true)] },
  { group: 'batch', version: 'v1', resources: [r('Job', 'jobs', true), r('CronJob', 'cronjobs', true)] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resources: [r('Role', 'roles', true), r('RoleBinding', 'rolebindings', true), r('ClusterRole', 'clusterroles', false), r('ClusterRoleBinding', 'clusterrolebindings', false)] },
  { group: 'networking.k8s.io', version: 'v1', resources: [r('NetworkPolicy', 'networkpolicies', true), r('Ingress', 'ingresses', true), r('IngressClass', 'ingressclasses', false)] },
  { group: 'storage.k8s.io', version: 'v1', resources: [r('StorageClass', 'storageclasses', false)] },
  // Webhooks only, as before Kubernetes 1.30: the group is served, ValidatingAdmissionPolicies are not (404).
  { group: 'admissionregistration.k8s.io', version: 'v1', resources: [r('MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false), r('ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false)] },
];

/** What kubectl's short names resolve through (discovery's shortNames). */
const SHORT_NAMES: Readonly<Record<string, readonly string[]>> = {
  namespaces: ['ns'], nodes: ['no'], persistentvolumes: ['pv'], serviceaccounts: ['sa'], services: ['svc'], resourcequotas: ['quota'],
  limitranges: ['limits'], configmaps: ['cm'], replicationcontrollers: ['rc'], pods: ['po'], deployments: ['deploy'], statefulsets: ['sts'],
  daemonsets: ['ds'], replicasets: ['rs'], cronjobs: ['cj'], networkpolicies: ['netpol'], ingresses: ['ing'], storageclasses: ['sc'],
};

/** Add-ons a test can install. */
export const KYVERNO: ServedGroup = { group: 'kyverno.io', version: 'v1', resources: [r('ClusterPolicy', 'clusterpolicies', false), r('Policy', 'policies', true)] };
export const CILIUM: ServedGroup = { group: 'cilium.io', version: 'v2', resources: [r('CiliumNetworkPolicy', 'ciliumnetworkpolicies', true), r('CiliumClusterwideNetworkPolicy', 'ciliumclusterwidenetworkpolicies', false)] };

export interface Refusal {
  readonly verb: 'get' | 'list';
  readonly resource: string;
  /** A namespace; `'*'` for every namespace and cluster-wide; absent for cluster-wide requests only. */
  readonly namespace?: string;
}

export interface FakeApiOptions {
  readonly objects: readonly KubeObject[];
  /** Required bearer token; requests without it get 401 (all but /version), with another one 401 everywhere. */
  readonly token?: string;
  /** Instead of `token`: whether a bearer token is accepted (an EKS authenticator checking a presigned STS URL). */
  readonly acceptToken?: (token: string) => boolean;
  /** A certificate of its own (each fake cluster has its own CA), instead of the process's shared one. */
  readonly certificate?: { readonly cert: string; readonly key: string };
  readonly refuse?: readonly Refusal[];
  readonly addOns?: readonly ServedGroup[];
  /** Server-side cap on `limit`. */
  readonly maxPageSize?: number;
  /** Answer this many requests matching the path with this status first (throttling, outages). */
  readonly failures?: readonly { readonly path: RegExp; readonly status: number; readonly times: number }[];
  /** Answer continued lists with 410 Gone (an expired continue token). */
  readonly expireContinue?: boolean;
  /** Serve full objects even when asked for metadata only (a broken server or proxy). */
  readonly ignoreMetadataAccept?: boolean;
  /**
   * Answers an authenticated request itself when it returns true (a hostile server: silent,
   * dripping, endless; see test/hostile/servers.ts). The request is recorded with status 0 and no query.
   */
  readonly intercept?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly accept: string;
  readonly status: number;
}

export interface FakeApiServer {
  readonly url: string;
  /** The CA to trust: the server's own self-signed certificate (PEM). */
  readonly ca: string;
  readonly requests: RecordedRequest[];
  /** Secret objects served with their body (data), by list or get. */
  readonly secretBodiesServed: () => number;
  close(): Promise<void>;
}

let certificate: Promise<{ cert: string; key: string }> | undefined;

/** One self-signed certificate for 127.0.0.1 per test process (generating one takes a few hundred ms). */
export function localCertificate(): Promise<{ cert: string; key: string }> {
  certificate ??= generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return certificate;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

interface Route {
  readonly served: ServedGroup;
  readonly resource: ServedResource;
  readonly namespace?: string;
  readonly name?: string;
}

/** `/api/v1/...` or `/apis/G/V/...` to the resource, namespace and name it names. */
function route(groups: readonly ServedGroup[], segments: readonly string[]): Route | 'discovery' | undefined {
  let rest: readonly string[];
  let served: ServedGroup | undefined;
  if (segments[0] === 'api' && segments[1] === 'v1') {
    served = groups.find((g) => g.group === '' && g.version === 'v1');
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    served = groups.find((g) => g.group === segments[1] && g.version === segments[2]);
    rest = segments.slice(3);
  } else return undefined;
  if (served === undefined) return undefined;
  if (rest.length === 0) return 'discovery';
  const find = (plural: string | undefined) => served?.resources.find((x) => x.plural === plural);
  // namespaces/NS/PLURAL[/NAME] -- but namespaces/NAME alone is a get of a Namespace.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const resource = find(rest[2]);
    if (resource === undefined || !resource.namespaced || rest.length > 4) return undefined;
    return { served, resource, namespace: rest[1], ...(rest[3] !== undefined ? { name: rest[3] } : {}) };
  }
  const resource = find(rest[0]);
  if (resource === undefined || rest.length > 2) return undefined;
  return { served, resource, ...(rest[1] !== undefined ? { name: rest[1] } : {}) };
}

function matchesSelector(object: KubeObject, selector: string | undefined): boolean {
  if (selector === undefined || selector === '') return true;
  return selector.split(',').every((term) => {
    const negate = term.includes('!=');
    const [field = '', value = ''] = term.split(negate ? '!=' : /==?/);
    const actual = field === 'metadata.name' ? object.metadata?.name
      : field === 'metadata.namespace' ? object.metadata?.namespace
        : field === 'type' ? object.type : undefined;
    return negate ? actual !== value : actual === value;
  });
}

/** An item as a real server lists it: built-in kinds without apiVersion/kind, custom resources with them. */
function asListItem(object: KubeObject, builtin: boolean): Record<string, unknown> {
  if (!builtin) return { ...object };
  return Object.fromEntries(Object.entries(object).filter(([key]) => key !== 'apiVersion' && key !== 'kind'));
}

export async function startFakeApiServer(options: FakeApiOptions): Promise<FakeApiServer> {
  const { cert, key } = options.certificate ?? await localCertificate();
  const groups = [...BUILTIN_GROUPS, ...(options.addOns ?? [])];
  const requests: RecordedRequest[] = [];
  let secretBodies = 0;
  const failures = (options.failures ?? []).map((f) => ({ ...f, left: f.times }));
  const sorted = [...options.objects].sort((a, b) => {
    const ka = `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`;
    const kb = `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const accept = req.headers.accept ?? '';
    const query = Object.fromEntries(url.searchParams.entries());
    const send = (code: number, body: unknown, contentType = 'application/json') => {
      requests.push({ method: req.method ?? '', path: url.pathname, query, accept, status: code });
      let data: Buffer = Buffer.from(JSON.stringify(body));
      const headers: Record<string, string> = { 'Content-Type': contentType };
      if ((req.headers['accept-encoding'] ?? '').includes('gzip') && data.length > 1024) {
        data = gzipSync(data);
        headers['Content-Encoding'] = 'gzip';
      }
      res.writeHead(code, headers);
      res.end(data);
    };
    if (req.method !== 'GET') return send(405, status(405, 'MethodNotAllowed', `${req.method ?? ''} is not allowed on this read-only fake`));

    const auth = req.headers.authorization;
    const accepts = options.acceptToken ?? (options.token !== undefined ? (t: string) => t === options.token : undefined);
    if (accepts !== undefined) {
      const anonymous = auth === undefined;
      if ((!anonymous && !(auth.startsWith('Bearer ') && accepts(auth.slice(7)))) || (anonymous && url.pathname !== '/version')) {
        return send(401, status(401, 'Unauthorized', 'Unauthorized'));
      }
    }
    if (options.intercept?.(req, res, url) === true) {
      // Recorded without the query, and with the path copied (V8 would keep it as a slice of the whole URL): a hostile
      // server's tokens come back in the URL, and a test of memory bounds must not hold them itself.
      requests.push({ method: req.method ?? '', path: Buffer.from(url.pathname).toString('utf8'), query: {}, accept, status: 0 });
      return;
    }
    const failure = failures.find((f) => f.left > 0 && f.path.test(url.pathname));
    if (failure) {
      failure.left -= 1;
      return send(failure.status, status(failure.status, failure.status === 429 ? 'TooManyRequests' : 'InternalError', 'injected failure'));
    }

    if (url.pathname === '/version') return send(200, { major: '1', minor: '31', gitVersion: 'v1.31.4-eks-fake', platform: 'linux/amd64' });
    if (url.pathname === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (url.pathname === '/apis') {
      return send(200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.filter((g) => g.group !== '').map((g) => ({
          name: g.group,
          versions: [{ groupVersion: `${g.group}/${g.version}`, version: g.version }],
          preferredVersion: { groupVersion: `${g.group}/${g.version}`, version: g.version },
        })),
      });
    }
    const segments = url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
    const found = route(groups, segments);
    if (found === undefined) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    if (found === 'discovery') {
      const served = groups.find((g) => (segments[0] === 'api' ? g.group === '' : g.group === segments[1] && g.version === segments[2]));
      const groupVersion = served && served.group !== '' ? `${served.group}/${served.version}` : 'v1';
      return send(200, {
        kind: 'APIResourceList',
        groupVersion,
        resources: (served?.resources ?? []).map((x) => ({
          name: x.plural, singularName: x.kind.toLowerCase(), namespaced: x.namespaced, kind: x.kind, verbs: ['get', 'list'],
          ...(SHORT_NAMES[x.plural] ? { shortNames: SHORT_NAMES[x.plural] } : {}),
        })),
      });
    }

    const verb = found.name === undefined ? 'list' : 'get';
    const refused = (options.refuse ?? []).find((f) => f.verb === verb && f.resource === found.resource.plural
      && (f.namespace === '*' || f.namespace === found.namespace));
    if (refused) {
      const scope = found.namespace === undefined ? 'at the cluster scope' : `in the namespace "${found.namespace}"`;
      return send(403, status(403, 'Forbidden', `${found.resource.plural} is forbidden: User "eksguard" cannot ${verb} resource "${found.resource.plural}" in API group "${found.served.group}" ${scope}`));
    }

    const builtin = BUILTIN_GROUPS.includes(found.served);
    const groupVersion = found.served.group === '' ? 'v1' : `${found.served.group}/${found.served.version}`;
    const ofResource = sorted.filter((o) => o.kind === found.resource.kind && groupOf(o.apiVersion) === found.served.group
      && (found.namespace === undefined || o.metadata?.namespace === found.namespace));
    const metadataOnly = !options.ignoreMetadataAccept && (accept.includes('as=PartialObjectMetadataList') || accept.includes('as=PartialObjectMetadata;'));

    if (found.name !== undefined) {
      const object = ofResource.find((o) => o.metadata?.name === found.name);
      if (object === undefined) return send(404, status(404, 'NotFound', `${found.resource.plural} "${found.name}" not found`));
      if (metadataOnly) return send(200, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata ?? {} });
      if (object.kind === 'Secret') secretBodies += 1;
      return send(200, object);
    }

    if (query.continue !== undefined && options.expireContinue) {
      return send(410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result.'));
    }
    const selected = ofResource.filter((o) => matchesSelector(o, query.fieldSelector));
    let offset = 0;
    if (query.continue !== undefined) {
      try {
        offset = (JSON.parse(Buffer.from(query.continue, 'base64url').toString('utf8')) as { offset: number }).offset;
      } catch {
        return send(400, status(400, 'BadRequest', 'invalid continue token'));
      }
    }
    const requested = query.limit !== undefined ? Number(query.limit) : Infinity;
    const limit = Math.min(requested > 0 ? requested : Infinity, options.maxPageSize ?? Infinity);
    const page = selected.slice(offset, offset + limit);
    const next = offset + page.length < selected.length ? Buffer.from(JSON.stringify({ offset: offset + page.length })).toString('base64url') : undefined;
    const metadata = { resourceVersion: '1000', ...(next !== undefined ? { continue: next, remainingItemCount: selected.length - offset - page.length } : {}) };
    if (metadataOnly) {
      return send(200, {
        kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata,
        items: page.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata ?? {} })),
      }, 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    }
    secretBodies += page.filter((o) => o.kind === 'Secret').length;
    return send(200, { kind: `${found.resource.kind}List`, apiVersion: groupVersion, metadata, items: page.map((o) => asListItem(o, builtin)) });
  };

  // Headers up to 1 MiB, as the Go API server takes them: long continue tokens come back in the URL.
  const server: Server = createServer({ cert, key, maxHeaderSize: 1024 * 1024 }, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: cert,
    requests,
    secretBodiesServed: () => secretBodies,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
