/**
 * The connection to one Kubernetes API server, as the user's kubeconfig describes it.
 *
 * `@kubernetes/client-node` does what kubectl does with a kubeconfig: merging KUBECONFIG files,
 * contexts, CA and client certificates, bearer tokens, token files, exec credential plugins
 * (`aws eks get-token`), OIDC, impersonation and proxies. We take its TLS options and auth
 * headers and issue the GETs ourselves, because its typed APIs re-shape what they return (dates
 * become Date objects, fields unknown to the bundled models are dropped, list items lose
 * apiVersion/kind), while eksguard must judge objects exactly as `kubectl get -o json` prints them,
 * and because its request path builds a new agent (a new TLS handshake) per request. The
 * hand-written part is small: one GET with a keep-alive agent, deadlines, gzip, a size cap and
 * bounded retries (docs/limits.md).
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { delimiter, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { AuditorError } from '../../core/errors.js';
import { VERSION } from '../../version.js';
import { abortWords, DEFAULT_REQUEST_TIMEOUT_MS, formatBytes, formatDuration, requestDeadlineMs, untilAborted, within } from '../deadline.js';

export interface ConnectOptions {
  /** `--kubeconfig`; otherwise KUBECONFIG (a list of files, merged), then ~/.kube/config, then in-cluster. */
  readonly kubeconfig?: string;
  /** `--context`; otherwise the kubeconfig's current-context. */
  readonly context?: string;
  /** A kubeconfig built in memory (a fleet scan's EKS clusters): used instead of any file. */
  readonly kubeConfig?: KubeConfig;
  readonly env: NodeJS.ProcessEnv;
  /** Requests in flight at most (the agent's socket pool). */
  readonly concurrency: number;
  /**
   * How long a request may wait for the next byte of its answer (`--request-timeout`, default 30 s);
   * it must finish within 4 times that in all, however steadily the server trickles.
   */
  readonly timeoutMs?: number;
  /** First retry delay when the server gives no Retry-After; doubled per attempt. Default 500 ms. */
  readonly retryDelayMs?: number;
  /** The largest answer read (default 256 MiB). */
  readonly maxResponseBytes?: number;
  /** The run's deadline (`--timeout`): requests in flight end, and no new one starts. */
  readonly signal?: AbortSignal;
}

export interface KubeResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * A request that got no HTTP answer: refused, reset, TLS failure; or one cut short by a bound:
 * no answer in time (TIMEOUT), an answer that did not finish in time (SLOW), too large (TOO_LARGE),
 * the run's deadline (DEADLINE).
 */
export class KubeNetworkError extends Error {
  override name = 'KubeNetworkError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const DEFAULT_RETRY_DELAY_MS = 500;
/** Attempts per request for throttling (429), server errors and dropped connections. */
const MAX_ATTEMPTS = 3;
const MAX_RETRY_AFTER_MS = 10_000;
/** Credentials are re-read at most this often (exec plugins cache until expiry), and after a 401. */
const CREDENTIAL_TTL_MS = 30_000;
/** A single response larger than this is refused; lists are paged, so only a broken server sends one. */
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
/** Codes whose message already says what happened, with the bound that was reached. */
const WORDED_CODES: ReadonlySet<string> = new Set(['TIMEOUT', 'SLOW', 'TOO_LARGE', 'DEADLINE']);

const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
const RETRY_NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'TIMEOUT', 'ECONNABORTED']);

/** A URL for messages: without user:password, which a kubeconfig server field may carry. */
export function displayServer(server: string): string {
  try {
    const url = new URL(server);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return server;
  }
}

/** The first line of an error message, bounded, for one-line reports. */
function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

const NETWORK_PHRASES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed and not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate is not trusted by the kubeconfig's certificate-authority",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate cannot be verified",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's certificate is not trusted by the kubeconfig's certificate-authority",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate does not name this host",
};

export function describeNetworkError(error: KubeNetworkError): string {
  if (WORDED_CODES.has(error.code)) return error.message;
  return `${NETWORK_PHRASES[error.code] ?? firstLine(error.message)} (${error.code})`;
}

function loadKubeConfig(options: ConnectOptions): { config: KubeConfig; files: readonly string[] } {
  if (options.kubeConfig !== undefined) return { config: options.kubeConfig, files: ['(in memory)'] };
  const config = new KubeConfig();
  const env = options.env;
  const listed = options.kubeconfig !== undefined
    ? [options.kubeconfig]
    : (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== '');
  const home = env.HOME ?? env.USERPROFILE;
  const files = listed.length > 0 ? listed : home !== undefined ? [join(home, '.kube', 'config')] : [];
  const present = files.filter((file) => existsSync(file));
  if (options.kubeconfig !== undefined && present.length === 0) {
    throw new AuditorError('ERR_KUBECONFIG', `kubeconfig ${options.kubeconfig}: no such file`, { hint: 'Give the path of a kubeconfig file, or run aws eks update-kubeconfig --name CLUSTER to write one.' });
  }
  if (present.length === 0) {
    if (env.KUBERNETES_SERVICE_HOST !== undefined) {
      // Running in a pod: its ServiceAccount, as kubectl does in-cluster.
      config.loadFromCluster();
      return { config, files: ['(in-cluster ServiceAccount)'] };
    }
    throw new AuditorError('ERR_KUBECONFIG', `no kubeconfig: ${files.length > 0 ? `${files.join(', ')} does not exist` : 'HOME is not set'} and KUBECONFIG names no file`, {
      hint: 'Give --kubeconfig FILE, or run aws eks update-kubeconfig --name CLUSTER to write ~/.kube/config.',
    });
  }
  present.forEach((file, index) => {
    try {
      if (index === 0) config.loadFromFile(file);
      else {
        // KUBECONFIG lists files to merge: the first one that sets a value wins, as with kubectl.
        const more = new KubeConfig();
        more.loadFromFile(file);
        config.mergeConfig(more, true);
      }
    } catch (error) {
      throw new AuditorError('ERR_KUBECONFIG', `kubeconfig ${file}: ${firstLine((error as Error).message)}`, { cause: error });
    }
  });
  return { config, files: present };
}

/** Credentials for one request: TLS material in the agent, auth in headers. */
interface Credentials {
  readonly agent: http.Agent;
  readonly headers: Readonly<Record<string, string>>;
  readonly readAt: number;
}

export class KubeConnection {
  readonly context: string;
  /** The server URL, without any user:password, for messages. */
  readonly server: string;
  /** HTTP requests sent, retries included. */
  requests = 0;
  /** The kubeconfig, context selected: the webhook's cluster view watches through it. */
  readonly config: KubeConfig;
  private readonly url: URL;
  private readonly proxied: boolean;
  private readonly options: ConnectOptions;
  private credentials: Credentials | undefined;
  private pending: Promise<Credentials> | undefined;
  private tlsKey = '';

  private constructor(config: KubeConfig, context: string, server: string, proxied: boolean, options: ConnectOptions) {
    this.config = config;
    this.context = context;
    this.url = new URL(server);
    this.server = displayServer(server);
    this.proxied = proxied;
    this.options = options;
  }

  /** Reads the kubeconfig and selects the context; throws a one-line AuditorError when it cannot. */
  static open(options: ConnectOptions): KubeConnection {
    const { config, files } = loadKubeConfig(options);
    const where = files.join(', ');
    const names = config.getContexts().map((c) => c.name);
    const context = options.context ?? config.getCurrentContext();
    if (!context) {
      throw new AuditorError('ERR_KUBECONFIG', `kubeconfig ${where} sets no current-context`, { hint: names.length > 0 ? `Give --context NAME (contexts: ${names.join(', ')}).` : 'It defines no contexts: run aws eks update-kubeconfig --name CLUSTER.' });
    }
    if (config.getContextObject(context) === null) {
      throw new AuditorError('ERR_KUBECONFIG', `context "${context}" is not in kubeconfig ${where}`, { hint: names.length > 0 ? `Contexts: ${names.join(', ')}.` : 'It defines no contexts: run aws eks update-kubeconfig --name CLUSTER.' });
    }
    config.setCurrentContext(context);
    const cluster = config.getCurrentCluster();
    if (cluster === null) {
      throw new AuditorError('ERR_KUBECONFIG', `context "${context}" names a cluster that kubeconfig ${where} does not define`);
    }
    let server: URL;
    try {
      server = new URL(cluster.server);
    } catch {
      throw new AuditorError('ERR_KUBECONFIG', `context "${context}": cluster server "${displayServer(cluster.server)}" is not a URL`);
    }
    if (server.protocol !== 'https:' && server.protocol !== 'http:') {
      throw new AuditorError('ERR_KUBECONFIG', `context "${context}": cluster server "${displayServer(cluster.server)}" is not an http(s) URL`);
    }
    return new KubeConnection(config, context, cluster.server, cluster.proxyUrl !== undefined, options);
  }

  /** Where errors say the connection goes. */
  get target(): string {
    return `context "${this.context}" (${this.server})`;
  }

  private async readCredentials(): Promise<Credentials> {
    const opts: https.RequestOptions = {};
    try {
      await this.config.applyToHTTPSOptions(opts);
    } catch (error) {
      const user = this.config.getCurrentUser()?.name;
      throw new AuditorError('ERR_KUBE_UNAUTHORIZED', `cannot get credentials for ${this.target}${user ? `, user "${user}"` : ''}: ${firstLine((error as Error).message) || 'the credential plugin failed'}`, {
        cause: error,
        hint: 'For EKS, check that aws eks get-token works in this shell (aws sts get-caller-identity), or run aws eks update-kubeconfig --name CLUSTER.',
      });
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(opts.headers ?? {})) {
      if (typeof value === 'string' || typeof value === 'number') headers[key] = String(value);
    }
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    return { agent: this.agentFor(opts), headers, readAt: Date.now() };
  }

  /**
   * One keep-alive agent for the whole collection, rebuilt only when the client certificate changes
   * (an exec plugin may return a new one). Behind a proxy, client-node's own proxy agent is used.
   */
  private agentFor(opts: https.RequestOptions): http.Agent {
    if (this.proxied && opts.agent instanceof http.Agent) return opts.agent;
    const key = `${String(opts.cert ?? '')}\u0000${String(opts.key ?? '')}`;
    if (this.credentials !== undefined && key === this.tlsKey) return this.credentials.agent;
    this.credentials?.agent.destroy();
    this.tlsKey = key;
    const common = { keepAlive: true, maxSockets: this.options.concurrency };
    if (this.url.protocol === 'http:') return new http.Agent(common);
    return new https.Agent({
      ...common,
      ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
      ...(opts.cert !== undefined ? { cert: opts.cert } : {}),
      ...(opts.key !== undefined ? { key: opts.key } : {}),
      ...(opts.pfx !== undefined ? { pfx: opts.pfx } : {}),
      ...(opts.passphrase !== undefined ? { passphrase: opts.passphrase } : {}),
      ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
      ...(opts.servername !== undefined ? { servername: opts.servername } : {}),
    });
  }

  private async currentCredentials(force: boolean): Promise<Credentials> {
    const fresh = this.credentials !== undefined && !force && Date.now() - this.credentials.readAt < CREDENTIAL_TTL_MS;
    if (fresh && this.credentials !== undefined) return this.credentials;
    // Concurrent requests share one refresh (one exec of the credential plugin).
    this.pending ??= this.readCredentials().finally(() => { this.pending = undefined; });
    this.credentials = await this.pending;
    return this.credentials;
  }

  /**
   * GET a path below the server. Retries throttling, server errors and dropped connections a
   * bounded number of times; on 401 re-reads the credentials once (an expired token). Other
   * statuses are returned for the caller to judge; no answer at all throws KubeNetworkError, and
   * so does the run's deadline (DEADLINE), which no retry outlives.
   */
  async get(path: string, query: Readonly<Record<string, string | undefined>>, accept: string, tries: { readonly attempts?: number; readonly timeoutMs?: number } = {}): Promise<KubeResponse> {
    const attempts = tries.attempts ?? MAX_ATTEMPTS;
    const url = new URL(this.url.toString());
    url.pathname = `${url.pathname.replace(/\/$/, '')}${path}`;
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const credentials = await this.credentialsInTime(false);
      let response: KubeResponse & { retryAfterMs?: number };
      try {
        response = await this.once(url, accept, credentials, tries.timeoutMs ?? this.timeoutMs);
      } catch (error) {
        if (error instanceof KubeNetworkError && RETRY_NETWORK_CODES.has(error.code) && attempt < attempts) {
          await this.pause(this.backoff(attempt));
          continue;
        }
        throw error;
      }
      if (response.status === 401 && !refreshed) {
        refreshed = true;
        await this.credentialsInTime(true);
        continue;
      }
      if (RETRY_STATUSES.has(response.status) && attempt < attempts) {
        await this.pause(response.retryAfterMs ?? this.backoff(attempt));
        continue;
      }
      return { status: response.status, body: response.body };
    }
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  private deadlinePassed(signal: AbortSignal): KubeNetworkError {
    return new KubeNetworkError('DEADLINE', abortWords(signal));
  }

  /**
   * The credentials, read within the bound of a whole request: an exec plugin (`aws eks get-token`)
   * or an OIDC refresh that never ends must not hold the run. After the run's deadline, DEADLINE.
   */
  private async credentialsInTime(force: boolean): Promise<Credentials> {
    const signal = this.options.signal;
    if (signal?.aborted) throw this.deadlinePassed(signal);
    const limitMs = requestDeadlineMs(this.timeoutMs);
    try {
      return await untilAborted(within(this.currentCredentials(force), limitMs, () => {
        const user = this.config.getCurrentUser()?.name;
        return new AuditorError('ERR_KUBE_UNAUTHORIZED', `cannot get credentials for ${this.target}${user ? `, user "${user}"` : ''}: the kubeconfig's credential plugin gave none within ${formatDuration(limitMs)}`, {
          hint: 'For EKS, check that aws eks get-token works in this shell (aws sts get-caller-identity), or run aws eks update-kubeconfig --name CLUSTER.',
        });
      }), signal);
    } catch (error) {
      if (signal?.aborted && error === signal.reason) throw this.deadlinePassed(signal);
      throw error;
    }
  }

  /** Waits before a retry; the run's deadline ends the wait (the next attempt then does not start). */
  private pause(ms: number): Promise<void> {
    const signal = this.options.signal;
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private backoff(attempt: number): number {
    return (this.options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS) * 2 ** (attempt - 1);
  }

  /**
   * One GET. Bounded four ways: no byte for `timeoutMs` (TIMEOUT), the whole answer not in within
   * 4 times that (SLOW: a server trickling a byte now and then), more than the size cap
   * (TOO_LARGE: a body that never ends), and the run's deadline (DEADLINE). The first bound
   * reached is the error, whatever the socket reports as it closes.
   */
  private once(url: URL, accept: string, credentials: Credentials, timeoutMs: number): Promise<KubeResponse & { retryAfterMs?: number }> {
    this.requests += 1;
    const client = url.protocol === 'http:' ? http : https;
    const signal = this.options.signal;
    const maxBytes = this.options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    const deadlineMs = requestDeadlineMs(timeoutMs);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(this.deadlinePassed(signal));
        return;
      }
      const request = client.request(url, {
        method: 'GET',
        agent: credentials.agent,
        timeout: timeoutMs,
        headers: { ...credentials.headers, Accept: accept, 'Accept-Encoding': 'gzip', 'User-Agent': `eksguard/${VERSION}` },
      });
      let cut: KubeNetworkError | undefined;
      let answering = false;
      const stop = (error: KubeNetworkError) => {
        cut ??= error;
        reject(cut);
        request.destroy(cut);
      };
      const timer = setTimeout(() => stop(new KubeNetworkError('SLOW', `the answer did not finish within ${formatDuration(deadlineMs)}`)), deadlineMs);
      const onAbort = () => stop(this.deadlinePassed(signal as AbortSignal));
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('close', () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      });
      request.on('timeout', () => stop(new KubeNetworkError('TIMEOUT', answering ? `the answer stopped for ${formatDuration(timeoutMs)}` : `no answer within ${formatDuration(timeoutMs)}`)));
      request.on('error', (error: NodeJS.ErrnoException) => {
        reject(cut ?? (error instanceof KubeNetworkError ? error : new KubeNetworkError(error.code ?? 'ERROR', error.message, { cause: error })));
      });
      request.on('response', (response) => {
        answering = true;
        const gzip = response.headers['content-encoding'] === 'gzip';
        const stream = gzip ? response.pipe(createGunzip()) : response;
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            stop(new KubeNetworkError('TOO_LARGE', `the answer is larger than ${formatBytes(maxBytes)}`));
            return;
          }
          chunks.push(chunk);
        });
        const fail = (error: NodeJS.ErrnoException) => reject(cut ?? new KubeNetworkError(error.code ?? 'ERROR', error.message, { cause: error }));
        response.on('error', fail);
        if (stream !== response) stream.on('error', fail);
        stream.on('end', () => {
          if (cut !== undefined) return;
          const retryAfter = Number(response.headers['retry-after']);
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS) } : {}),
          });
        });
      });
      request.end();
    });
  }

  close(): void {
    this.credentials?.agent.destroy();
  }
}
