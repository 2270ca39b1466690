/**
 * A fake AWS Security Hub on 127.0.0.1, speaking its REST-JSON protocol to the real SDK client:
 * BatchImportFindings (upserts by Id, validates what the API validates, can throttle once and
 * refuse chosen Ids), GetFindings (the filters eksguard uses, paginated) and BatchUpdateFindings
 * (workflow status). Requests must be SigV4-signed for `securityhub`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;
type Filter = { Value?: string; Key?: string; Comparison?: string };

export interface FakeSecurityHubOptions {
  /** Answer the first BatchImportFindings with HTTP 429 ThrottlingException. */
  readonly throttleFirstImport?: boolean;
  /** Ids refused at import (FailedFindings). */
  readonly refuse?: (id: string) => boolean;
  /** Findings per GetFindings page (default 100, the client's MaxResults). */
  readonly pageSize?: number;
}

export interface FakeSecurityHub {
  readonly url: string;
  /** `securityhub:Operation` per request, in order. */
  readonly calls: string[];
  /** Findings per BatchImportFindings request. */
  readonly importSizes: number[];
  /** Findings by Id, as imported, with `Workflow.Status`. */
  readonly findings: Map<string, Json>;
  close(): Promise<void>;
}

const ASFF_REQUIRED = ['SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'CreatedAt', 'UpdatedAt', 'Title', 'Description'];

/** What BatchImportFindings checks before accepting a finding; a message when it would refuse it. */
function invalid(f: Json): string | undefined {
  for (const key of ASFF_REQUIRED) if (typeof f[key] !== 'string' || f[key] === '') return `${key} is required`;
  if (f.SchemaVersion !== '2018-10-08') return 'SchemaVersion must be 2018-10-08';
  const arn = /^arn:aws:securityhub:([a-z0-9-]+):(\d{12}):product\/(\d{12})\/default$/.exec(String(f.ProductArn));
  if (arn === null || arn[2] !== f.AwsAccountId || arn[3] !== f.AwsAccountId) return `ProductArn ${String(f.ProductArn)} is not this account's default product`;
  if (!Array.isArray(f.Types) || f.Types.length === 0) return 'Types is required';
  if (String(f.Title).length > 256 || String(f.Description).length > 1024) return 'Title or Description too long';
  const label = (f.Severity as Json | undefined)?.Label;
  if (!['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].includes(String(label))) return 'Severity.Label is invalid';
  const resources = f.Resources;
  if (!Array.isArray(resources) || resources.length === 0 || resources.some((r: Json) => typeof r.Type !== 'string' || typeof r.Id !== 'string')) return 'Resources need a Type and an Id';
  return undefined;
}

function matches(finding: Json, filters: Record<string, Filter[]>): boolean {
  const workflow = String((finding.Workflow as Json | undefined)?.Status ?? 'NEW');
  const fields = (finding.ProductFields ?? {}) as Record<string, string>;
  const checks: [Filter[] | undefined, (f: Filter) => boolean][] = [
    [filters.ProductArn, (f) => finding.ProductArn === f.Value],
    [filters.RecordState, (f) => (finding.RecordState ?? 'ACTIVE') === f.Value],
    [filters.WorkflowStatus, (f) => workflow === f.Value],
    [filters.ProductFields, (f) => f.Key !== undefined && fields[f.Key] === f.Value],
  ];
  for (const [list, test] of checks) {
    if (list === undefined) continue;
    if (list.some((f) => f.Comparison !== 'EQUALS')) throw new Error('only EQUALS filters are faked');
    // Several values of one field are OR'd, as Security Hub does.
    if (!list.some(test)) return false;
  }
  return true;
}

export async function startFakeSecurityHub(options: FakeSecurityHubOptions = {}): Promise<FakeSecurityHub> {
  const calls: string[] = [];
  const importSizes: number[] = [];
  const findings = new Map<string, Json>();
  let throttle = options.throttleFirstImport === true;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: Json, error?: string) => {
        res.writeHead(status, { 'content-type': 'application/json', ...(error !== undefined ? { 'x-amzn-errortype': error } : {}) }).end(JSON.stringify(body));
      };
      if (!/Credential=[^/]+\/\d+\/[a-z0-9-]+\/securityhub\/aws4_request/.test(req.headers.authorization ?? '')) return send(403, { message: 'not signed for securityhub' }, 'InvalidSignatureException');
      const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json) : {};
      const route = `${req.method ?? ''} ${req.url?.split('?')[0] ?? ''}`;
      if (route === 'POST /findings/import') {
        calls.push('securityhub:BatchImportFindings');
        if (throttle) {
          throttle = false;
          return send(429, { message: 'Rate exceeded' }, 'ThrottlingException');
        }
        const list = (body.Findings ?? []) as Json[];
        importSizes.push(list.length);
        if (list.length > 100) return send(400, { message: 'at most 100 findings per request' }, 'InvalidInputException');
        const failed: Json[] = [];
        for (const f of list) {
          const problem = options.refuse?.(String(f.Id)) === true ? 'refused by the test' : invalid(f);
          if (problem !== undefined) {
            failed.push({ Id: String(f.Id ?? ''), ErrorCode: 'InvalidInput', ErrorMessage: problem });
            continue;
          }
          const before = findings.get(String(f.Id));
          findings.set(String(f.Id), { ...f, Workflow: before?.Workflow ?? { Status: 'NEW' } });
        }
        return send(200, { FailedCount: failed.length, SuccessCount: list.length - failed.length, FailedFindings: failed });
      }
      if (route === 'POST /findings') {
        calls.push('securityhub:GetFindings');
        const all = [...findings.values()].filter((f) => matches(f, (body.Filters ?? {}) as Record<string, Filter[]>));
        const size = Math.min(options.pageSize ?? 100, Number(body.MaxResults ?? 100));
        const start = body.NextToken !== undefined ? Number(body.NextToken) : 0;
        const page = all.slice(start, start + size);
        return send(200, { Findings: page, ...(start + size < all.length ? { NextToken: String(start + size) } : {}) });
      }
      if (route === 'PATCH /findings/batchupdate') {
        calls.push('securityhub:BatchUpdateFindings');
        const ids = (body.FindingIdentifiers ?? []) as { Id: string; ProductArn: string }[];
        if (ids.length > 100) return send(400, { message: 'at most 100 findings per request' }, 'InvalidInputException');
        const status = String((body.Workflow as Json | undefined)?.Status ?? '');
        const processed: Json[] = [];
        const unprocessed: Json[] = [];
        for (const id of ids) {
          const f = findings.get(id.Id);
          if (f === undefined || f.ProductArn !== id.ProductArn) {
            unprocessed.push({ FindingIdentifier: id, ErrorCode: 'FindingNotFound', ErrorMessage: 'no such finding' });
            continue;
          }
          f.Workflow = { Status: status };
          processed.push(id);
        }
        return send(200, { ProcessedFindings: processed, UnprocessedFindings: unprocessed });
      }
      return send(404, { message: `no route ${route}` }, 'ResourceNotFoundException');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, calls, importSizes, findings,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
