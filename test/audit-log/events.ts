/** Builders for audit events as the API server writes them (audit.k8s.io/v1, one JSON object per line). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../temp-dir.js';

export interface EventSpec {
  readonly verb?: string;
  readonly user?: string;
  readonly groups?: readonly string[];
  readonly impersonate?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly apiGroup?: string;
  readonly apiVersion?: string;
  /** A non-resource request: no objectRef. */
  readonly path?: string;
  readonly code?: number;
  readonly stage?: string;
  readonly ip?: string | readonly string[];
  readonly userAgent?: string;
  readonly time?: string;
  readonly auditID?: string;
  readonly requestObject?: unknown;
  readonly responseObject?: unknown;
  readonly decision?: string;
  readonly query?: string;
}

let counter = 0;

export function auditEvent(spec: EventSpec = {}): Record<string, unknown> {
  counter += 1;
  const resource = spec.resource ?? 'pods';
  const uri = spec.path ?? `/api${spec.apiGroup ? `s/${spec.apiGroup}` : ''}/${spec.apiVersion ?? 'v1'}${spec.namespace ? `/namespaces/${spec.namespace}` : ''}/${resource}${spec.name ? `/${spec.name}` : ''}${spec.subresource ? `/${spec.subresource}` : ''}${spec.query ? `?${spec.query}` : ''}`;
  const event: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: spec.requestObject !== undefined ? 'RequestResponse' : 'Metadata',
    auditID: spec.auditID ?? `00000000-0000-0000-0000-${String(counter).padStart(12, '0')}`,
    stage: spec.stage ?? 'ResponseComplete',
    requestURI: uri,
    verb: spec.verb ?? 'get',
    user: { username: spec.user ?? 'alice', groups: spec.groups ?? ['system:authenticated'] },
    ...(spec.impersonate ? { impersonatedUser: { username: spec.impersonate, groups: ['system:authenticated'] } } : {}),
    sourceIPs: typeof spec.ip === 'string' ? [spec.ip] : spec.ip ?? ['10.0.1.15'],
    userAgent: spec.userAgent ?? 'kubectl/v1.30.0 (linux/amd64) kubernetes/abc',
    ...(spec.path === undefined ? {
      objectRef: {
        resource,
        ...(spec.namespace ? { namespace: spec.namespace } : {}),
        ...(spec.name ? { name: spec.name } : {}),
        ...(spec.apiGroup ? { apiGroup: spec.apiGroup } : {}),
        apiVersion: spec.apiVersion ?? 'v1',
        ...(spec.subresource ? { subresource: spec.subresource } : {}),
      },
    } : {}),
    responseStatus: { metadata: {}, code: spec.code ?? 200 },
    ...(spec.requestObject !== undefined ? { requestObject: spec.requestObject } : {}),
    ...(spec.responseObject !== undefined ? { responseObject: spec.responseObject } : {}),
    requestReceivedTimestamp: spec.time ?? '2024-05-01T10:00:00.000000Z',
    stageTimestamp: spec.time ?? '2024-05-01T10:00:00.000000Z',
    annotations: { 'authorization.k8s.io/decision': spec.decision ?? ((spec.code ?? 200) === 403 ? 'forbid' : 'allow'), 'authorization.k8s.io/reason': '' },
  };
  return event;
}

export function jsonLines(events: readonly unknown[]): string {
  return `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
}

export function tempDir(): string {
  return makeTempDir('audit');
}

export function writeLog(name: string, content: string | Buffer, dir = tempDir()): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

export function pod(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'web-', namespace: 'default', ...meta }, spec };
}

export function container(name: string, securityContext?: Record<string, unknown>, image = 'nginx:1.27'): Record<string, unknown> {
  return { name, image, ...(securityContext ? { securityContext } : {}) };
}
