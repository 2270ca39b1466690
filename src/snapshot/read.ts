import { readFile, stat } from 'node:fs/promises';
import { MAX_FILE_BYTES, type SourceSummary } from '../collect/files/read-sources.js';
import { emptyAwsEvidence, type AwsCall, type AwsEvidence } from '../core/aws/model.js';
import { AuditorError } from '../core/errors.js';
import type { Evidence } from '../core/inventory.js';
import { MAX_NESTING, nestsTooDeep } from '../core/input-bounds.js';
import { validateAgainst, type JsonSchemaObject } from '../core/json-schema.js';
import { redactSecret } from '../core/redact.js';
import { refOf, type Gap, type KubeResource, type Origin } from '../core/resource.js';
import { AWS_SCHEMA, GAP_SCHEMA, OBJECT_SCHEMA, SNAPSHOT_KIND, SNAPSHOT_SCHEMA, SNAPSHOT_VERSION, SOURCE_SCHEMA, type SnapshotDocument, type StoredObject } from './format.js';

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

/** Why one part of a snapshot cannot be used, in words that follow its pointer; undefined when it can. */
function partProblem(part: unknown, schema: JsonSchemaObject, pointer = ''): string | undefined {
  // Walkers after the reader recurse once per level: as deep as a manifest may nest, no deeper.
  if (nestsTooDeep(part)) return `nests deeper than ${MAX_NESTING} levels`;
  const problem = validateAgainst(schema, part)[0];
  return problem === undefined ? undefined : `is not valid (at ${pointer}${problem.pointer || '/'}: ${problem.message})`;
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
  // Each part on its own: one that is not valid is a gap naming it, the rest is used.
  const partGaps: Gap[] = [];
  const valid = <T>(list: readonly unknown[], name: string, schema: JsonSchemaObject): T[] => list.filter((part, i) => {
    const reason = partProblem(part, schema);
    if (reason !== undefined) partGaps.push({ source: file, code: 'UNREADABLE', message: `snapshot part /${name}/${i} ${reason}; not used` });
    return reason === undefined;
  }) as T[];
  const sources = valid<SourceSummary>(document.sources, 'sources', SOURCE_SCHEMA);
  const gaps = valid<Gap>(document.gaps, 'gaps', GAP_SCHEMA);
  const objects = valid<StoredObject>(document.objects, 'objects', OBJECT_SCHEMA);

  // One origin object per context or file, shared by its objects.
  const origins = new Map<string, Origin>();
  const resources = objects.map(({ origin, object }): KubeResource => {
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
  let aws: AwsEvidence | undefined;
  if (document.aws !== undefined) {
    const reason = partProblem(document.aws, AWS_SCHEMA, '/aws');
    // Parts added to the evidence since a snapshot was written are padded as empty.
    if (reason === undefined) aws = { ...emptyAwsEvidence(), ...document.aws, collected: new Set((document.aws.collected as string[]) as AwsCall[]) } as unknown as AwsEvidence;
    else partGaps.push({ source: file, code: 'UNREADABLE', message: `snapshot part /aws ${reason}; the AWS evidence was not used` });
  }
  return {
    resources,
    gaps: [...gaps, ...partGaps],
    sources,
    evidence: [...document.evidence],
    ...(aws !== undefined ? { aws } : {}),
    ...(document.kinds !== undefined ? { kinds: [...document.kinds] } : {}),
    createdAt: document.createdAt,
  };
}

export async function readSnapshot(file: string): Promise<SnapshotContents> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw invalid(file, 'not a regular file');
    if (info.size > MAX_FILE_BYTES) throw invalid(file, `file is ${Math.round(info.size / 1024 / 1024)} MiB, over the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof AuditorError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new AuditorError('ERR_SNAPSHOT_INVALID', `snapshot ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? 'error'})`}`);
  }
  return parseSnapshot(text, file);
}
