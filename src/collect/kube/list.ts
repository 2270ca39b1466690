/** Paginated lists and single gets over a KubeConnection, as kubectl pages them (`limit` + `continue`). */
import { createHash } from 'node:crypto';
import { formatBytes } from '../deadline.js';
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
  /** A bound on the loop, whatever the server's continue tokens say (default 2,000). */
  readonly maxPages?: number;
}

/**
 * Pages of one list at most: 500 objects a page, 1,000,000 objects of one kind, ten times a
 * 100,000-object cluster in a single list; past it, the server is handing out tokens for ever.
 */
export const DEFAULT_MAX_PAGES = 2000;
/** A continue token is a few hundred bytes (a resource version and a key); a longer one is not sent back. */
export const MAX_CONTINUE_BYTES = 64 * 1024;

/** A token as remembered: its digest, so that the memory of a list's tokens is bounded by its pages, whatever their size. */
function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}

/**
 * Pages of a list, one request each, until the server gives no continue token. A list cut short
 * (too many pages, a token repeated or too long) throws: a part of a list is never kept as the whole.
 */
export async function* listPages(connection: KubeConnection, path: string, options: ListOptions): AsyncGenerator<ListPage> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  let token: string | undefined;
  const seen = new Set<string>();
  for (let page = 0; page < maxPages; page++) {
    const response = await connection.get(path, { limit: String(options.pageSize), continue: token, fieldSelector: options.fieldSelector }, options.accept);
    if (response.status < 200 || response.status > 299) throw statusError(response.status, response.body);
    const list = parse(response.body);
    if (!isRecord(list) || !Array.isArray(list.items)) throw new ApiStatusError(response.status, 'InvalidList', 'the answer is not a Kubernetes list');
    yield { kind: typeof list.kind === 'string' ? list.kind : undefined, apiVersion: typeof list.apiVersion === 'string' ? list.apiVersion : undefined, items: list.items as unknown[] };
    const next = isRecord(list.metadata) && typeof list.metadata.continue === 'string' ? list.metadata.continue : '';
    if (next === '') return;
    if (Buffer.byteLength(next) > MAX_CONTINUE_BYTES) throw new ApiStatusError(response.status, 'InvalidList', `the server sent a continue token longer than ${formatBytes(MAX_CONTINUE_BYTES)}; the rest was not read`);
    const remembered = digest(next);
    if (seen.has(remembered)) throw new ApiStatusError(response.status, 'InvalidList', 'the server repeated a continue token; the rest was not read');
    seen.add(remembered);
    token = next;
  }
  throw new ApiStatusError(200, 'InvalidList', `the server handed out continue tokens for more than ${maxPages.toLocaleString('en-US')} pages; the rest was not read`);
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
