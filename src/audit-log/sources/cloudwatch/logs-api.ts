/**
 * The CloudWatch Logs (and EKS `ListClusters`) calls the audit-log commands make, behind a small
 * interface so the readers stay independent of the SDK's types. The SDK is loaded on first use:
 * only `--cloudwatch` and `audit queries --run` need it. Endpoints, credentials, retries and
 * timeouts come from the same configuration as `scan --aws` (src/collect/aws/clients.ts).
 */
import type { EKSClient } from '@aws-sdk/client-eks';
import { baseConfig, endpointFor, withEndpoint, type ClientOptions } from '../../../collect/aws/clients.js';
import { boundAnswers } from '../../../collect/aws/bounds.js';
import { classify, type Failure } from '../../../collect/aws/errors.js';

export interface LogEvent {
  readonly timestamp: number;
  readonly eventId: string;
  readonly message: string;
  readonly logStreamName?: string;
}

export interface FilterPageInput {
  readonly logGroupName: string;
  readonly logStreamNamePrefix?: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly filterPattern?: string;
  readonly nextToken?: string;
}

export interface FilterPage {
  readonly events: readonly LogEvent[];
  readonly nextToken?: string;
}

export type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout' | 'Unknown';

export interface QueryResults {
  readonly status: QueryStatus;
  /** Each row as field → value (Insights' `@ptr` left out). */
  readonly rows: readonly Readonly<Record<string, string>>[];
  readonly bytesScanned: number;
  readonly recordsScanned: number;
}

export interface LogsApi {
  filterLogEvents(input: FilterPageInput): Promise<FilterPage>;
  startQuery(input: { logGroupName: string; startTime: number; endTime: number; queryString: string; limit: number }): Promise<string>;
  getQueryResults(queryId: string): Promise<QueryResults>;
  stopQuery(queryId: string): Promise<void>;
  /** Names of the log groups starting with the prefix. */
  logGroups(prefix: string): Promise<string[]>;
  /** EKS clusters of the region (for `--all-clusters`). */
  listClusters(): Promise<string[]>;
  readonly region: string;
}

/** How a failed call should be reported: a refused action, a missing log group, or anything else. */
export type LogsFailure = Failure | { readonly kind: 'not-found'; readonly detail: string } | { readonly kind: 'throttled'; readonly detail: string };

export function classifyLogsError(error: unknown, api: Pick<LogsApi, 'region'>, env: NodeJS.ProcessEnv): LogsFailure {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  const message = ((error as { message?: string } | undefined)?.message ?? String(error)).split('\n')[0] ?? '';
  if (name === 'ResourceNotFoundException') return { kind: 'not-found', detail: `${name}: ${message}` };
  if (name === 'ThrottlingException' || name === 'LimitExceededException') return { kind: 'throttled', detail: `${name}: ${message}` };
  return classify(error, api.region, endpointFor('logs', env));
}

/** Pages of `DescribeLogGroups` / `ListClusters` read at most; past it the listing is cut (and said so by the caller). */
const MAX_LIST_PAGES = 1_000;

export async function createLogsApi(options: ClientOptions): Promise<LogsApi> {
  const logs = await import('@aws-sdk/client-cloudwatch-logs');
  const config = await baseConfig(options);
  const client = new logs.CloudWatchLogsClient(withEndpoint(config, 'logs', options.env));
  // Every answer bounded in time and size, as for scan --aws (docs/limits.md).
  client.middlewareStack.use(boundAnswers(options.limits));
  let eks: EKSClient | undefined;
  return {
    region: options.region,
    async filterLogEvents(input) {
      const out = await client.send(new logs.FilterLogEventsCommand({ ...input }));
      return {
        events: (out.events ?? []).map((e) => ({
          timestamp: e.timestamp ?? 0,
          eventId: e.eventId ?? '',
          message: e.message ?? '',
          ...(e.logStreamName !== undefined ? { logStreamName: e.logStreamName } : {}),
        })),
        ...(out.nextToken !== undefined && out.nextToken !== '' ? { nextToken: out.nextToken } : {}),
      };
    },
    async startQuery(input) {
      const out = await client.send(new logs.StartQueryCommand({
        logGroupNames: [input.logGroupName],
        // Insights takes seconds.
        startTime: Math.floor(input.startTime / 1000),
        endTime: Math.ceil(input.endTime / 1000),
        queryString: input.queryString,
        limit: input.limit,
      }));
      if (out.queryId === undefined) throw new Error('StartQuery returned no queryId');
      return out.queryId;
    },
    async getQueryResults(queryId) {
      const out = await client.send(new logs.GetQueryResultsCommand({ queryId }));
      const rows = (out.results ?? []).map((fields) => Object.fromEntries(fields.filter((f) => f.field !== undefined && f.field !== '@ptr').map((f) => [f.field ?? '', f.value ?? ''])));
      return {
        status: (out.status ?? 'Unknown') as QueryStatus,
        rows,
        bytesScanned: out.statistics?.bytesScanned ?? 0,
        recordsScanned: out.statistics?.recordsScanned ?? 0,
      };
    },
    async stopQuery(queryId) {
      await client.send(new logs.StopQueryCommand({ queryId }));
    },
    async logGroups(prefix) {
      const names: string[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
        const out = await client.send(new logs.DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, ...(nextToken !== undefined ? { nextToken } : {}) }));
        for (const group of out.logGroups ?? []) if (group.logGroupName !== undefined) names.push(group.logGroupName);
        nextToken = out.nextToken;
        if (nextToken === undefined || nextToken === '') break;
      }
      return names;
    },
    async listClusters() {
      const sdk = await import('@aws-sdk/client-eks');
      if (eks === undefined) {
        eks = new sdk.EKSClient(withEndpoint(config, 'eks', options.env));
        eks.middlewareStack.use(boundAnswers(options.limits));
      }
      const names: string[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
        const out = await eks.send(new sdk.ListClustersCommand({ ...(nextToken !== undefined ? { nextToken } : {}) }));
        names.push(...(out.clusters ?? []));
        nextToken = out.nextToken;
        if (nextToken === undefined || nextToken === '') break;
      }
      return names;
    },
  };
}
