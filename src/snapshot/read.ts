import { readFile } from 'node:fs/promises';
import type { SourceSummary } from '../collect/files/read-sources.js';
import { emptyAwsEvidence, type AwsCall, type AwsEvidence } from '../core/aws/model.js';
import { AuditorError } from '../core/errors.js';
import type { Evidence } from '../core/inventory.js';
import { validateAgainst } from '../core/json-schema.js';
import { redactSecret } from '../core/redact.js';
import { refOf, type Gap, type KubeResource, type Origin } from '../core/resource.js';
import { SNAPSHOT_KIND, SNAPSHOT_SCHEMA, SNAPSHOT_VERSION, type SnapshotDocument } from './format.js';

export interface SnapshotContents {
  readonly resources: KubeResource[];
  readonly gaps: Gap[];
  readonly sources: SourceSummary[];
  readonly evidence: Evidence[];
  readonly aws?: AwsEvidence;
  /** The kinds its live collection read, when it says (see SnapshotDocument.kinds). */
  readonly kinds?: readonly string[];
  readonly createdAt: string;
}

const HINT = 'Write one with eksguard snapshot [PATH ...] [--cluster] --output-file FILE; manifests are scanned as paths, not with --snapshot.';

function invalid(file: string, message: string, hint = HINT): AuditorError {
  return new AuditorError('ERR_SNAPSHOT_INVALID', `${file}: ${message}`, { hint });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A snapshot's text to the inventory it saved; throws a one-line AuditorError for anything else. */
export function parseSnapshot(text: string, file: string): SnapshotContents {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw invalid(file, `not an eksguard snapshot (not JSON: ${(error as Error).message})`);
  }
  if (!isRecord(value) || value.kind !== SNAPSHOT_KIND) {
    const kind = isRecord(value) && typeof value.kind === 'string' ? `kind is ${value.kind}` : 'no kind';
    throw invalid(file, `not an eksguard snapshot (${kind}; expected ${SNAPSHOT_KIND})`);
  }
  if (typeof value.version === 'number' && value.version > SNAPSHOT_VERSION) {
    throw invalid(file, `snapshot format version ${value.version} is newer than this eksguard reads (${SNAPSHOT_VERSION})`, 'Scan it with the eksguard version that wrote it, or a newer one.');
  }
  const problem = validateAgainst(SNAPSHOT_SCHEMA, value)[0];
  if (problem) throw invalid(file, `invalid snapshot at ${problem.pointer || '/'}: ${problem.message}`);
  const document = value as unknown as SnapshotDocument;

  // One origin object per context or file, shared by its objects.
  const origins = new Map<string, Origin>();
  const resources = document.objects.map(({ origin, object }): KubeResource => {
    const key = JSON.stringify(origin);
    let shared = origins.get(key);
    if (shared === undefined) {
      shared = origin;
      origins.set(key, shared);
    }
    // Saved redacted; redacted again in case the file was written by hand.
    const redacted = redactSecret(object);
    return { ref: refOf(redacted), object: redacted, origin: shared };
  });
  const aws = document.aws === undefined ? undefined
    : ({ ...emptyAwsEvidence(), ...document.aws, collected: new Set((document.aws.collected as string[]) as AwsCall[]) } as unknown as AwsEvidence);
  return {
    resources,
    gaps: [...document.gaps],
    sources: [...document.sources],
    evidence: [...document.evidence],
    ...(aws !== undefined ? { aws } : {}),
    ...(document.kinds !== undefined ? { kinds: [...document.kinds] } : {}),
    createdAt: document.createdAt,
  };
}

export async function readSnapshot(file: string): Promise<SnapshotContents> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AuditorError('ERR_SNAPSHOT_INVALID', `snapshot ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? 'error'})`}`);
  }
  return parseSnapshot(text, file);
}
