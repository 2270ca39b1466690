import type { SourceSummary } from '../collect/files/read-sources.js';
import type { AwsEvidence } from '../core/aws/model.js';
import type { Evidence } from '../core/inventory.js';
import { redactSecret } from '../core/redact.js';
import type { Gap, KubeResource } from '../core/resource.js';
import { SNAPSHOT_KIND, SNAPSHOT_VERSION, type SnapshotDocument, type StoredObject, type StoredOrigin } from './format.js';

export interface SnapshotInput {
  readonly objects: readonly KubeResource[];
  readonly gaps: readonly Gap[];
  readonly sources: readonly SourceSummary[];
  readonly evidence: Iterable<Evidence>;
  readonly aws?: AwsEvidence;
  /** The kinds a live collection read; omit when no cluster was read. */
  readonly kinds?: Iterable<string>;
  readonly toolVersion: string;
  /** ISO 8601; given by the caller so this stays a pure function. */
  readonly createdAt: string;
}

function storedOrigin(resource: KubeResource): StoredOrigin | undefined {
  const origin = resource.origin;
  if (origin.type === 'file') return { type: 'file', file: origin.file, line: origin.line, ...(origin.itemPath ? { itemPath: origin.itemPath } : {}) };
  if (origin.type === 'cluster') return { type: 'cluster', context: origin.context };
  return undefined; // implied and AWS origins are not Kubernetes objects of the input
}

/** The inventory as a snapshot document: Secrets reduced to metadata, whatever source they came from. */
export function toSnapshot(input: SnapshotInput): SnapshotDocument {
  const objects: StoredObject[] = [];
  for (const resource of input.objects) {
    const origin = storedOrigin(resource);
    if (origin !== undefined) objects.push({ origin, object: redactSecret(resource.object) });
  }
  return {
    kind: SNAPSHOT_KIND,
    version: SNAPSHOT_VERSION,
    tool: { name: 'eksguard', version: input.toolVersion },
    createdAt: input.createdAt,
    evidence: [...new Set(input.evidence)].sort(),
    sources: input.sources,
    gaps: input.gaps,
    ...(input.kinds !== undefined ? { kinds: [...new Set(input.kinds)].sort() } : {}),
    objects,
    ...(input.aws !== undefined ? { aws: { ...input.aws, collected: [...input.aws.collected].sort() } } : {}),
  };
}

/** JSON with one object per line: diffable, and cheap to write for large clusters. */
export function serializeSnapshot(document: SnapshotDocument): string {
  const { objects, ...header } = document;
  const head = JSON.stringify(header);
  const lines = objects.map((o) => JSON.stringify(o));
  return `${head.slice(0, -1)},"objects":[${lines.length > 0 ? `\n${lines.join(',\n')}\n` : ''}]}\n`;
}
