/**
 * A local HTTPS API server that lists and watches (`?watch=true`, one JSON event per line, as the
 * real one streams them), for the webhook's informer-backed cluster view. Objects added while a
 * watch is open are sent to it as ADDED events. Read-only: anything but GET is refused.
 */
import { createServer, type Server } from 'node:https';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_RESOURCES } from '../../src/collect/kube/resources.js';
import type { KubeObject } from '../../src/core/resource.js';
import { localCertificate } from '../collect/kube/fake-api-server.js';

export interface WatchableApi {
  readonly url: string;
  readonly ca: string;
  /** `GET path?query` of every request, watches included. */
  readonly requests: string[];
  add(object: KubeObject): void;
  close(): Promise<void>;
}

interface Watcher {
  readonly kind: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly res: ServerResponse;
}

export async function startWatchableApi(initial: readonly KubeObject[], token: string): Promise<WatchableApi> {
  const { cert, key } = await localCertificate();
  const objects: KubeObject[] = [];
  const watchers = new Set<Watcher>();
  const requests: string[] = [];
  let version = 100;
  let closing = false;
  const stamp = (object: KubeObject): KubeObject => ({ ...object, metadata: { ...object.metadata, resourceVersion: String(++version) } });
  for (const object of initial) objects.push(stamp(object));
  const matches = (o: KubeObject, w: Omit<Watcher, 'res'>) => o.kind === w.kind && (w.namespace === undefined || o.metadata?.namespace === w.namespace) && (w.name === undefined || o.metadata?.name === w.name);

  const server: Server = createServer({ cert, key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    requests.push(`${req.method ?? ''} ${url.pathname}${url.search}`);
    if (closing) return void req.socket.destroy();
    const fail = (code: number, message: string) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, message }));
    };
    if (req.method !== 'GET') return fail(405, 'read-only');
    if (req.headers.authorization !== `Bearer ${token}`) return fail(401, 'Unauthorized');
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const rest = segments[0] === 'api' ? segments.slice(2) : segments.slice(3);
    const namespace = rest[0] === 'namespaces' && rest.length === 3 ? rest[1] : undefined;
    const plural = rest.at(-1);
    const resource = API_RESOURCES.find((r) => r.plural === plural && r.addOn === undefined);
    if (resource === undefined) return fail(404, 'not found');
    const name = url.searchParams.get('fieldSelector')?.match(/^metadata\.name=(.+)$/)?.[1];
    const filter = { kind: resource.kind, ...(namespace !== undefined ? { namespace } : {}), ...(name !== undefined ? { name } : {}) };
    if (url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      const watcher = { ...filter, res };
      watchers.add(watcher);
      res.on('close', () => watchers.delete(watcher));
      return;
    }
    // Items as a real server lists them: without apiVersion and kind.
    const items = objects.filter((o) => matches(o, filter)).map(({ apiVersion: _a, kind: _k, ...item }) => item);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: `${resource.kind}List`, apiVersion: resource.apiVersions[0], metadata: { resourceVersion: String(version) }, items }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: cert,
    requests,
    add(object) {
      const stamped = stamp(object);
      objects.push(stamped);
      for (const watcher of watchers) if (matches(stamped, watcher)) watcher.res.write(`${JSON.stringify({ type: 'ADDED', object: stamped })}\n`);
    },
    // A watch a client began just before it stopped can still be connecting: connections that
    // arrive while closing are cut too, or server.close would wait for them forever.
    close: () => new Promise<void>((resolve) => {
      closing = true;
      for (const watcher of watchers) watcher.res.end();
      server.on('secureConnection', (socket) => socket.destroy());
      server.close(() => resolve());
      server.closeAllConnections();
      const sweep = setInterval(() => server.closeAllConnections(), 20);
      server.once('close', () => clearInterval(sweep));
    }),
  };
}
