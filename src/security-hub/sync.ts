/**
 * `scan --security-hub`: import the scan's ASFF findings into AWS Security Hub and resolve the
 * findings an earlier import of the same target holds that this scan no longer finds, so Security
 * Hub mirrors the cluster. BatchImportFindings takes at most 100 findings per call; throttling is
 * retried by the SDK (adaptive mode, bounded attempts); every finding Security Hub refuses is a gap.
 * The earlier findings are those of this product (ProductArn) and target (the ProductFields key
 * `eksguard/target`), still active and not yet resolved; they are resolved with BatchUpdateFindings
 * (Workflow RESOLVED). A scan with gaps resolves nothing: a finding it could not judge is not fixed.
 */
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { boundAnswers } from '../collect/aws/bounds.js';
import { baseConfig, withEndpoint, type ClientOptions } from '../collect/aws/clients.js';
import { classify } from '../collect/aws/errors.js';
import type { Gap } from '../core/resource.js';

/** Findings per BatchImportFindings and per BatchUpdateFindings call (the API's maximum). */
export const BATCH_SIZE = 100;
const SOURCE = 'securityhub';

export interface SyncInput {
  /** The ASFF findings of this scan (report/asff.ts). */
  readonly findings: readonly Record<string, unknown>[];
  readonly productArn: string;
  /** `eksguard/target` of this scan: only earlier findings of the same target are resolved. */
  readonly target: string;
  /** Whether the scan was complete; with gaps, nothing is resolved. */
  readonly complete: boolean;
}

export interface SyncOutcome {
  readonly imported: number;
  /** Earlier findings resolved as fixed. */
  readonly resolved: number;
  readonly gaps: readonly Gap[];
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * A client bounded like the collectors' (collect/aws/bounds.ts, `options.limits`): connecting,
 * waiting for an answer, silences within one, an answer's size and the run's deadline.
 */
export async function createSecurityHubClient(options: ClientOptions): Promise<SecurityHubClient> {
  const { SecurityHubClient: Client } = await import('@aws-sdk/client-securityhub');
  const client = new Client(withEndpoint(await baseConfig(options), 'securityhub', options.env));
  client.middlewareStack.use(boundAnswers(options.limits));
  return client;
}

function callGap(call: string, error: unknown, region: string, what: string): Gap {
  const failure = classify(error, region, undefined);
  if (failure.kind === 'fatal') throw failure.error;
  return {
    source: SOURCE,
    code: failure.kind === 'denied' ? 'AWS_FORBIDDEN' : 'AWS_UNAVAILABLE',
    message: `${call} ${failure.kind === 'denied' ? 'was denied' : 'failed'} (${failure.kind === 'cut' ? failure.words : failure.detail}): ${what}${failure.kind === 'denied' ? '; grant deploy/iam-policy-security-hub.json' : ''}`,
  };
}

/** Ids of the earlier import's findings that are still open: this product, this target. */
async function openFindingIds(client: SecurityHubClient, input: SyncInput): Promise<string[]> {
  const { GetFindingsCommand } = await import('@aws-sdk/client-securityhub');
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new GetFindingsCommand({
      Filters: {
        ProductArn: [{ Value: input.productArn, Comparison: 'EQUALS' }],
        ProductFields: [{ Key: 'eksguard/target', Value: input.target, Comparison: 'EQUALS' }],
        RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        WorkflowStatus: [{ Value: 'NEW', Comparison: 'EQUALS' }, { Value: 'NOTIFIED', Comparison: 'EQUALS' }],
      },
      MaxResults: BATCH_SIZE,
      ...(token !== undefined ? { NextToken: token } : {}),
    }));
    for (const f of page.Findings ?? []) if (f.Id !== undefined) ids.push(f.Id);
    token = page.NextToken !== undefined && page.NextToken !== '' ? page.NextToken : undefined;
  } while (token !== undefined);
  return ids;
}

export async function syncSecurityHub(client: SecurityHubClient, input: SyncInput, region: string): Promise<SyncOutcome> {
  const { BatchImportFindingsCommand, BatchUpdateFindingsCommand } = await import('@aws-sdk/client-securityhub');
  const gaps: Gap[] = [];
  let imported = 0;
  for (const batch of chunks(input.findings, BATCH_SIZE)) {
    try {
      // The ASFF documents are built to the API's shape (report/asff.ts); the SDK type is stricter about literal unions.
      const out = await client.send(new BatchImportFindingsCommand({ Findings: batch as unknown as AwsSecurityFinding[] }));
      imported += out.SuccessCount ?? 0;
      for (const failed of out.FailedFindings ?? []) {
        gaps.push({ source: SOURCE, code: 'AWS_UNAVAILABLE', message: `finding ${failed.Id ?? '?'} was not imported (${failed.ErrorCode ?? 'error'}: ${failed.ErrorMessage ?? ''})` });
      }
    } catch (error) {
      gaps.push(callGap('securityhub:BatchImportFindings', error, region, `${batch.length} finding${batch.length === 1 ? '' : 's'} not imported`));
    }
  }
  if (!input.complete) {
    gaps.push({ source: SOURCE, code: 'AWS_UNAVAILABLE', message: 'the scan is incomplete (it has gaps): findings of the earlier import were left open rather than resolved' });
    return { imported, resolved: 0, gaps };
  }
  let open: string[];
  try {
    open = await openFindingIds(client, input);
  } catch (error) {
    gaps.push(callGap('securityhub:GetFindings', error, region, 'fixed findings of the earlier import were not resolved'));
    return { imported, resolved: 0, gaps };
  }
  const current = new Set(input.findings.map((f) => String(f.Id)));
  const fixed = open.filter((id) => !current.has(id));
  let resolved = 0;
  for (const batch of chunks(fixed, BATCH_SIZE)) {
    try {
      const out = await client.send(new BatchUpdateFindingsCommand({
        FindingIdentifiers: batch.map((Id) => ({ Id, ProductArn: input.productArn })),
        Workflow: { Status: 'RESOLVED' },
        Note: { Text: `eksguard: no longer found by the scan of ${input.target}`, UpdatedBy: 'eksguard' },
      }));
      resolved += out.ProcessedFindings?.length ?? 0;
      for (const u of out.UnprocessedFindings ?? []) {
        gaps.push({ source: SOURCE, code: 'AWS_UNAVAILABLE', message: `finding ${u.FindingIdentifier?.Id ?? '?'} was not resolved (${u.ErrorCode ?? 'error'}: ${u.ErrorMessage ?? ''})` });
      }
    } catch (error) {
      gaps.push(callGap('securityhub:BatchUpdateFindings', error, region, `${batch.length} fixed findings not resolved`));
    }
  }
  return { imported, resolved, gaps };
}
