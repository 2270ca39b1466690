/**
 * The snapshot file: an Inventory saved as JSON, to be scanned later (`eksguard scan --snapshot`)
 * where the cluster and AWS account cannot be reached. Versioned: a reader refuses a version it
 * does not know rather than guess.
 */
import type { SourceSummary } from '../collect/files/read-sources.js';
import type { Evidence } from '../core/inventory.js';
import type { JsonSchemaObject } from '../core/json-schema.js';
import type { FieldPath } from '../core/finding.js';
import type { Gap, KubeObject } from '../core/resource.js';

export const SNAPSHOT_KIND = 'EksguardSnapshot';
export const SNAPSHOT_VERSION = 1;

/** Where a saved object came from: its file and document line, or its cluster context. Locators (functions) are not saved. */
export type StoredOrigin =
  | { readonly type: 'file'; readonly file: string; readonly line: number; readonly itemPath?: FieldPath }
  | { readonly type: 'cluster'; readonly context: string };

export interface StoredObject {
  readonly origin: StoredOrigin;
  readonly object: KubeObject;
}

export interface SnapshotDocument {
  readonly kind: typeof SNAPSHOT_KIND;
  readonly version: typeof SNAPSHOT_VERSION;
  readonly tool: { readonly name: 'eksguard'; readonly version: string };
  /** When the snapshot was written (ISO 8601). */
  readonly createdAt: string;
  /** The evidence the collection read (manifests, cluster, aws): a scan of the snapshot judges what it would have judged live. */
  readonly evidence: readonly Evidence[];
  readonly sources: readonly SourceSummary[];
  /** What the collection could not read: still gaps when the snapshot is scanned. */
  readonly gaps: readonly Gap[];
  /**
   * The Kubernetes kinds the live collection read (what the rules it was written for need): a scan
   * of the snapshot reports rules needing other kinds as not evaluated. Absent when no cluster was read.
   */
  readonly kinds?: readonly string[];
  /** Kubernetes objects, Secrets reduced to metadata. */
  readonly objects: readonly StoredObject[];
  /** AWS evidence as the AWS collectors read it (`collected` as a list). */
  readonly aws?: Readonly<Record<string, unknown>>;
}

const origin = {
  oneOf: [
    {
      type: 'object', additionalProperties: false, required: ['type', 'file', 'line'],
      properties: { type: { const: 'file' }, file: { type: 'string' }, line: { type: 'integer', minimum: 1 }, itemPath: { type: 'array', items: { type: ['string', 'integer'] } } },
    },
    { type: 'object', additionalProperties: false, required: ['type', 'context'], properties: { type: { const: 'cluster' }, context: { type: 'string' } } },
  ],
};

/** The envelope, checked before anything is read from it (objects are checked for apiVersion and kind only, as in files). */
export const SNAPSHOT_SCHEMA: JsonSchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'version', 'tool', 'createdAt', 'evidence', 'sources', 'gaps', 'objects'],
  properties: {
    kind: { const: SNAPSHOT_KIND },
    version: { const: SNAPSHOT_VERSION },
    tool: { type: 'object', required: ['name', 'version'], properties: { name: { type: 'string' }, version: { type: 'string' } } },
    createdAt: { type: 'string' },
    evidence: { type: 'array', items: { enum: ['manifests', 'cluster', 'aws', 'audit'] } },
    sources: {
      type: 'array',
      items: { type: 'object', required: ['path', 'objects', 'documents'], properties: { path: { type: 'string' }, objects: { type: 'integer' }, documents: { type: 'integer' }, skipped: { type: 'string' } } },
    },
    gaps: {
      type: 'array',
      items: { type: 'object', required: ['source', 'code', 'message'], properties: { source: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' }, line: { type: 'integer' } } },
    },
    kinds: { type: 'array', items: { type: 'string' } },
    objects: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['origin', 'object'],
        properties: {
          origin,
          object: { type: 'object', required: ['apiVersion', 'kind'], properties: { apiVersion: { type: 'string', minLength: 1 }, kind: { type: 'string', minLength: 1 } } },
        },
      },
    },
    aws: { type: 'object', required: ['collected'], properties: { collected: { type: 'array', items: { type: 'string' } } } },
  },
};
