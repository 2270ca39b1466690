/**
 * A loopback CloudWatch Logs endpoint speaking the service's JSON protocol (`X-Amz-Target:
 * Logs_20140328.<Operation>`, `application/x-amz-json-1.1`) for the operations the audit commands
 * call, plus EKS `ListClusters` (rest-json), so tests run the real SDK clients against it:
 * pagination with `nextToken`, events across streams and pages, filter patterns evaluated as
 * CloudWatch does, throttling, access denied, missing log groups, Insights queries that run, finish,
 * fail or never finish.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchesFilterPattern } from './filter-pattern.js';

export interface StoredEvent {
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly message: string;
  readonly eventId: string;
}

export interface QueryAnswer {
  readonly rows: readonly Record<string, string>[];
  readonly bytesScanned?: number;
  readonly recordsScanned?: number;
  /** Polls answered `Running` before the final status. */
  readonly runningPolls?: number;
  readonly status?: 'Complete' | 'Failed' | 'Cancelled' | 'Timeout';
  /** Never finishes: always `Running`. */
  readonly hang?: boolean;
}

export interface FakeLogsOptions {
  /** Events per FilterLogEvents page. */
  readonly pageSize?: number;
  /** Answer every other page with no events (CloudWatch does, while it searches). */
  readonly emptyPages?: boolean;
  /** `Logs_20140328.FilterLogEvents` etc. answered AccessDeniedException. */
  readonly deny?: readonly string[];
  /** Operations answered ThrottlingException this many times before they succeed. */
  readonly throttle?: Readonly<Record<string, number>>;
  /** The Insights answer for a query, chosen by its text and log group; undefined → no rows. */
  readonly answer?: (query: string, logGroup: string) => QueryAnswer | undefined;
  readonly clusters?: readonly string[];
}

export interface FakeLogs {
  readonly url: string;
  /** `logs:FilterLogEvents`, `eks:ListClusters`, ... in order. */
  readonly calls: string[];
  /** The filter patterns FilterLogEvents was asked for. */
  readonly patterns: (string | undefined)[];
  /** Events sent back in all (bytes of messages). */
  readonly sent: { events: number; bytes: number };
  readonly stopped: string[];
  addEvents(logGroup: string, events: readonly StoredEvent[]): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(payload));
}

function fail(res: ServerResponse, type: string, message: string): void {
  res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type }).end(JSON.stringify({ __type: type, message }));
}

export async function startFakeLogs(options: FakeLogsOptions = {}): Promise<FakeLogs> {
  const groups = new Map<string, StoredEvent[]>();
  const calls: string[] = [];
  const patterns: (string | undefined)[] = [];
  const sent = { events: 0, bytes: 0 };
  const stopped: string[] = [];
  const throttles = new Map(Object.entries(options.throttle ?? {}));
  const queries = new Map<string, { answer: QueryAnswer; polls: number }>();
  let queryCount = 0;

  function filterLogEvents(input: Json, res: ServerResponse): void {
    const group = groups.get(String(input.logGroupName));
    if (group === undefined) return fail(res, 'ResourceNotFoundException', 'The specified log group does not exist.');
    const prefix = typeof input.logStreamNamePrefix === 'string' ? input.logStreamNamePrefix : '';
    const start = typeof input.startTime === 'number' ? input.startTime : -Infinity;
    const end = typeof input.endTime === 'number' ? input.endTime : Infinity;
    const pattern = typeof input.filterPattern === 'string' ? input.filterPattern : undefined;
    if (input.nextToken === undefined) patterns.push(pattern);
    const matching = group
      .filter((e) => e.logStreamName.startsWith(prefix) && e.timestamp >= start && e.timestamp <= end)
      .filter((e) => pattern === undefined || matchesFilterPattern(pattern, e.message))
      .sort((a, b) => a.timestamp - b.timestamp);
    // The token: the offset into the matching events, and whether this page is an empty one.
    const token = typeof input.nextToken === 'string' ? (JSON.parse(Buffer.from(input.nextToken, 'base64url').toString()) as { offset: number; empty: boolean }) : { offset: 0, empty: false };
    const size = options.pageSize ?? 10_000;
    if (options.emptyPages === true && !token.empty && token.offset < matching.length) {
      return send(res, 200, { events: [], searchedLogStreams: [], nextToken: Buffer.from(JSON.stringify({ offset: token.offset, empty: true })).toString('base64url') });
    }
    const page = matching.slice(token.offset, token.offset + size);
    sent.events += page.length;
    sent.bytes += page.reduce((n, e) => n + Buffer.byteLength(e.message), 0);
    const next = token.offset + size < matching.length ? Buffer.from(JSON.stringify({ offset: token.offset + size, empty: false })).toString('base64url') : undefined;
    send(res, 200, {
      events: page.map((e) => ({ logStreamName: e.logStreamName, timestamp: e.timestamp, message: e.message, ingestionTime: e.timestamp + 1000, eventId: e.eventId })),
      searchedLogStreams: [],
      ...(next !== undefined ? { nextToken: next } : {}),
    });
  }

  function startQuery(input: Json, res: ServerResponse): void {
    const names = Array.isArray(input.logGroupNames) ? (input.logGroupNames as string[]) : [];
    const logGroup = names[0] ?? '';
    if (!groups.has(logGroup)) return fail(res, 'ResourceNotFoundException', `Log group ${logGroup} does not exist`);
    queryCount += 1;
    const queryId = `query-${queryCount}`;
    queries.set(queryId, { answer: options.answer?.(String(input.queryString), logGroup) ?? { rows: [] }, polls: 0 });
    send(res, 200, { queryId });
  }

  function getQueryResults(input: Json, res: ServerResponse): void {
    const query = queries.get(String(input.queryId));
    if (query === undefined) return fail(res, 'ResourceNotFoundException', 'no such query');
    query.polls += 1;
    const { answer } = query;
    const running = answer.hang === true || query.polls <= (answer.runningPolls ?? 1);
    const status = running ? 'Running' : answer.status ?? 'Complete';
    send(res, 200, {
      status,
      results: status === 'Complete' ? answer.rows.map((row) => [...Object.entries(row).map(([field, value]) => ({ field, value })), { field: '@ptr', value: 'opaque' }]) : [],
      statistics: { bytesScanned: answer.bytesScanned ?? 0, recordsScanned: answer.recordsScanned ?? 0, recordsMatched: answer.rows.length },
    });
  }

  const server = createServer((req, res) => {
    void (async () => {
      const text = await body(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'GET' && url.pathname === '/clusters') {
        calls.push('eks:ListClusters');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ clusters: options.clusters ?? [] }));
        return;
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.split('.').pop() ?? '';
      calls.push(`logs:${operation}`);
      const left = throttles.get(operation) ?? 0;
      if (left > 0) {
        throttles.set(operation, left - 1);
        return fail(res, 'ThrottlingException', 'Rate exceeded');
      }
      if (options.deny?.includes(operation) === true) return fail(res, 'AccessDeniedException', `User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: logs:${operation}`);
      const input = (text === '' ? {} : JSON.parse(text)) as Json;
      switch (operation) {
        case 'FilterLogEvents': return filterLogEvents(input, res);
        case 'StartQuery': return startQuery(input, res);
        case 'GetQueryResults': return getQueryResults(input, res);
        case 'StopQuery':
          stopped.push(String(input.queryId));
          return send(res, 200, { success: true });
        case 'DescribeLogGroups': {
          const prefix = typeof input.logGroupNamePrefix === 'string' ? input.logGroupNamePrefix : '';
          return send(res, 200, { logGroups: [...groups.keys()].filter((g) => g.startsWith(prefix)).map((logGroupName) => ({ logGroupName, arn: `arn:aws:logs:eu-west-1:111122223333:log-group:${logGroupName}:*` })) });
        }
        default: return fail(res, 'UnknownOperationException', `no such operation ${target}`);
      }
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls, patterns, sent, stopped,
    addEvents(logGroup, events) {
      const list = groups.get(logGroup) ?? [];
      list.push(...events);
      groups.set(logGroup, list);
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
