/**
 * The webhook's HTTPS server (Node's `https`): `POST /validate`, `/validate/warn`, `/validate/enforce`
 * (or `/validate?mode=warn`), `GET /healthz`,
 * `/readyz` and `/metrics`. The decision is synchronous and takes well under a millisecond per
 * object, so the API server's `timeoutSeconds` is met without queueing; what could make a request
 * slow is the client, and every socket phase has a timeout.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { formatKubeRef, refOf } from '../core/resource.js';
import { parseAdmissionReview, type AdmissionRequest } from './admission-review.js';
import { MODES, type Decision, type Mode } from './decide.js';
import type { WebhookMetrics } from './metrics.js';
import { readTlsFiles, watchTlsFiles } from './tls-files.js';

/** The API server's own limit on a request body (3 MiB); an AdmissionReview holds two objects of at most that. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

const VALIDATE_PATHS: ReadonlySet<string> = new Set(['/validate', ...MODES.map((mode) => `/validate/${mode}`)]);

export interface WebhookServerOptions {
  readonly certFile: string;
  readonly keyFile: string;
  readonly port: number;
  /** Default: every interface (in a pod, the API server connects through the Service). */
  readonly host?: string;
  /** `--mode`: for requests whose path does not choose one. */
  readonly mode: Mode;
  readonly decide: (request: AdmissionRequest, mode: Mode) => Decision;
  readonly ready: () => boolean;
  readonly metrics: WebhookMetrics;
  /** One log line (JSON), written by the caller. */
  readonly log: (line: string) => void;
  /** How often the certificate files are checked for a change (default 10 s). */
  readonly certPollMs?: number;
  /** Body size limit, default MAX_BODY_BYTES (tests lower it). */
  readonly maxBodyBytes?: number;
}

export interface WebhookServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A JSON log line: whatever a request names (object names, user names) is escaped by JSON itself. */
export function logLine(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8', close = false): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...(close ? { Connection: 'close' } : {}) });
  res.end(body);
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The body, up to `limit` bytes: a larger one is refused as soon as it shows (413), not buffered. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new HttpError(413, `request body over ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(new HttpError(413, `request body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * The mode a request path chooses: `/validate/warn` (or `/validate/enforce`), or `/validate?mode=warn`.
 * The path form is the one a ValidatingWebhookConfiguration can name: Kubernetes checks each
 * segment of `clientConfig.service.path` as a DNS-1123 subdomain, so a query string is refused there.
 */
function modeOf(url: URL, fallback: Mode): string {
  const fromPath = url.pathname === '/validate' ? undefined : url.pathname.slice('/validate/'.length);
  const fromQuery = url.searchParams.get('mode') ?? undefined;
  if (fromPath !== undefined && fromQuery !== undefined && fromPath !== fromQuery) return `${fromPath}?mode=${fromQuery}`;
  return fromPath ?? fromQuery ?? fallback;
}

async function validate(req: IncomingMessage, res: ServerResponse, url: URL, options: WebhookServerOptions): Promise<void> {
  const started = performance.now();
  const mode = modeOf(url, options.mode);
  const known = (MODES as readonly string[]).includes(mode);
  const fail = (status: number, message: string): void => {
    // A label never holds what a client wrote: one series per made-up mode would grow without end.
    options.metrics.record(undefined, known ? mode : 'invalid', (performance.now() - started) / 1000, status);
    // After a refused body the connection may still hold unread bytes: close it rather than read them.
    send(res, status, `${message}\n`, undefined, status === 413);
  };
  if (!known) return fail(400, `mode ${JSON.stringify(mode)}: expected enforce or warn`);
  if (!isJson(req.headers['content-type'])) return fail(415, 'expected Content-Type: application/json');
  let body: unknown;
  try {
    const raw = await readBody(req, options.maxBodyBytes ?? MAX_BODY_BYTES);
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    if (error instanceof HttpError) return fail(error.status, error.message);
    return fail(400, error instanceof SyntaxError ? 'the body is not JSON' : 'the request body could not be read');
  }
  const request = parseAdmissionReview(body);
  if (typeof request === 'string') return fail(400, request);
  const decision = options.decide(request, mode as Mode);
  send(res, 200, JSON.stringify(decision.review), 'application/json');
  options.metrics.record(decision, mode, (performance.now() - started) / 1000);
  const object = request.object ?? request.oldObject;
  const subject = object ? formatKubeRef(refOf(request.namespace !== undefined && object.metadata?.namespace === undefined ? { ...object, metadata: { ...object.metadata, namespace: request.namespace } } : object)) : request.kind.kind;
  for (const error of decision.errors) {
    options.log(logLine('error', 'rule failed; not blocking on its account', { rule: error.ruleId, error: error.message, object: subject, uid: request.uid }));
  }
  if (decision.outcome === 'denied') {
    options.log(logLine('info', 'denied', { object: subject, uid: request.uid, user: request.userInfo.username, rules: [...new Set(decision.denied.map((f) => f.ruleId))], dryRun: request.dryRun, mode }));
  }
}

/** Starts the server; resolves once it listens. Throws a one-line error when the certificate files are unusable. */
export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const material = readTlsFiles(options.certFile, options.keyFile);
  const server = https.createServer({
    ...material,
    // A client that opens a connection and never finishes the handshake or the request is dropped.
    handshakeTimeout: 10_000,
    requestTimeout: 15_000,
    headersTimeout: 10_000,
    // The API server keeps connections to webhooks open and reuses them.
    keepAliveTimeout: 65_000,
    // A compromised client must not tie up the server with headers either.
    maxHeaderSize: 16 * 1024,
  }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://webhook.invalid');
    const route = `${req.method ?? ''} ${url.pathname}`;
    if (req.method === 'POST' && VALIDATE_PATHS.has(url.pathname)) {
      validate(req, res, url, options).catch((error: unknown) => {
        options.log(logLine('error', 'request failed', { error: (error as Error).message }));
        if (!res.headersSent) send(res, 500, 'internal error\n');
      });
      return;
    }
    req.resume();
    if (route === 'GET /healthz') return send(res, 200, 'ok\n');
    if (route === 'GET /readyz') return options.ready() ? send(res, 200, 'ok\n') : send(res, 503, 'not ready\n');
    if (route === 'GET /metrics') {
      options.metrics.registry.metrics().then(
        (text) => send(res, 200, text, options.metrics.registry.contentType),
        (error: unknown) => send(res, 500, `${(error as Error).message}\n`),
      );
      return;
    }
    if (VALIDATE_PATHS.has(url.pathname) || ['/healthz', '/readyz', '/metrics'].includes(url.pathname)) return send(res, 405, 'method not allowed\n');
    send(res, 404, 'not found\n');
  });
  // Idle sockets are closed after this long without traffic (longer than keep-alive, so that wins).
  server.setTimeout(70_000, (socket) => socket.destroy());
  const stopWatching = watchTlsFiles(options.certFile, options.keyFile, options.certPollMs ?? 10_000, (next) => {
    server.setSecureContext(next);
    options.log(logLine('info', 'serving certificate reloaded', { cert: options.certFile }));
  }, (error) => options.log(logLine('warn', 'serving certificate not reloaded; keeping the previous one', { error: error.message })));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    stopWatching();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    // Requests in flight are answered (the API server would otherwise apply the failure policy);
    // idle keep-alive connections close now, and whatever is left after 5 s is cut.
    close: () => new Promise<void>((resolve) => {
      stopWatching();
      const cut = setTimeout(() => server.closeAllConnections(), 5_000);
      cut.unref();
      server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      server.closeIdleConnections();
    }),
  };
}
