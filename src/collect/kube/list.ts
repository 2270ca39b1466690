/** Paginated lists and single gets over a KubeConnection, as kubectl pages them (`limit` + `continue`). */
import type { KubeConnection } from './connection.js';

export const JSON_ACCEPT = 'application/json';
/**
 * Object metadata only: the API server answers with a PartialObjectMetadataList, without the
 * objects' bodies (a Secret's `data`). Only this type is accepted, so a server that cannot
 * produce it answers 406 instead of falling back to full objects.
 */
export const METADATA_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

/** An answer other than 2xx (or a 2xx body that is not what was asked for). */
export class ApiStatusError extends Error {
  override name = 'ApiStatusError';
  readonly status: number;
  /** `reason` of the server's Status object: Forbidden, NotFound, Expired, ... */
  readonly reason: string | undefined;
  constructor(status: number, reason: string | undefined, message: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

export interface ListPage {
  readonly kind: string | undefined;
  readonly apiVersion: string | undefined;
  readonly items: readonly unknown[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** The error of a non-2xx answer, with the server's Status message when it sent one. */
function statusError(status: number, body: string): ApiStatusError {
  const parsed = parse(body);
  const reason = isRecord(parsed) && typeof parsed.reason === 'string' ? parsed.reason : undefined;
  const message = isRecord(parsed) && typeof parsed.message === 'string' ? parsed.message : `HTTP ${status}`;
  return new ApiStatusError(status, reason, message);
}

export interface ListOptions {
  readonly accept: string;
  readonly pageSize: number;
  readonly fieldSelector?: string;
  /** A bound on the loop, whatever the server's continue tokens say. */
  readonly maxPages?: number;
}

const DEFAULT_MAX_PAGES = 100_000;

/** Pages of a list, one request each, until the server gives no continue token. */
export async function* listPages(connection: KubeConnection, path: string, options: ListOptions): AsyncGenerator<ListPage> {
  let token: string | undefined;
  const seen = new Set<string>();
  for (let page = 0; page < (options.maxPages ?? DEFAULT_MAX_PAGES); page++) {
    const response = await connection.get(path, { limit: String(options.pageSize), continue: token, fieldSelector: options.fieldSelector }, options.accept);
    if (response.status < 200 || response.status > 299) throw statusError(response.status, response.body);
    const list = parse(response.body);
    if (!isRecord(list) || !Array.isArray(list.items)) throw new ApiStatusError(response.status, 'InvalidList', 'the answer is not a Kubernetes list');
    yield { kind: typeof list.kind === 'string' ? list.kind : undefined, apiVersion: typeof list.apiVersion === 'string' ? list.apiVersion : undefined, items: list.items as unknown[] };
    const next = isRecord(list.metadata) && typeof list.metadata.continue === 'string' ? list.metadata.continue : '';
    if (next === '') return;
    if (seen.has(next)) throw new ApiStatusError(response.status, 'InvalidList', 'the server repeated a continue token');
    seen.add(next);
    token = next;
  }
  throw new ApiStatusError(200, 'InvalidList', `more than ${options.maxPages ?? DEFAULT_MAX_PAGES} pages`);
}

/** One object by path; undefined when the server says it does not exist (404). */
export async function getObject(connection: KubeConnection, path: string): Promise<Record<string, unknown> | undefined> {
  const response = await connection.get(path, {}, JSON_ACCEPT);
  if (response.status === 404) return undefined;
  if (response.status < 200 || response.status > 299) throw statusError(response.status, response.body);
  const object = parse(response.body);
  if (!isRecord(object)) throw new ApiStatusError(response.status, 'InvalidObject', 'the answer is not a Kubernetes object');
  return object;
}

/** A JSON document that is not a list or object (`/version`, `/apis`); throws on non-2xx. */
export async function getJson(connection: KubeConnection, path: string, tries?: { readonly attempts?: number; readonly timeoutMs?: number }): Promise<unknown> {
  const response = await connection.get(path, {}, JSON_ACCEPT, tries);
  if (response.status < 200 || response.status > 299) throw statusError(response.status, response.body);
  return parse(response.body);
}
