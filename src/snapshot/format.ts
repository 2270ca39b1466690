/**
 * The snapshot file: an Inventory saved as JSON, to be scanned later (`eksguard scan --snapshot`)
 * where the cluster and AWS account cannot be reached. Versioned: a reader refuses a version it
 * does not know rather than guess.
 */
import type { SourceSummary } from '../collect/files/read-sources.js';
import type { Evidence } from '../core/inventory.js';
import type { JsonSchemaObject } from '../core/json-schema.js';
import { emptyAwsEvidence } from '../core/aws/model.js';
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

/** One saved source, gap and object: each is checked on its own, and one that is not valid is a gap, not the end of the read. */
export const SOURCE_SCHEMA: JsonSchemaObject = {
  type: 'object', required: ['path', 'objects', 'documents'],
  properties: { path: { type: 'string' }, objects: { type: 'integer' }, documents: { type: 'integer' }, skipped: { type: 'string' }, duplicates: { type: 'integer' } },
};

export const GAP_SCHEMA: JsonSchemaObject = {
  type: 'object', required: ['source', 'code', 'message'],
  properties: { source: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' }, line: { type: 'integer' } },
};

export const OBJECT_SCHEMA: JsonSchemaObject = {
  type: 'object', additionalProperties: false, required: ['origin', 'object'],
  properties: {
    origin,
    object: { type: 'object', required: ['apiVersion', 'kind'], properties: { apiVersion: { type: 'string', minLength: 1 }, kind: { type: 'string', minLength: 1 } } },
  },
};

/** The lists of each AWS service in `AwsEvidence` (core/aws/model.ts), each item `{ data, source }`. */
const AWS_LISTS: Readonly<Record<string, readonly string[]>> = {
  eks: ['clusters', 'nodegroups', 'addons', 'accessEntries', 'accessPolicies', 'podIdentityAssociations'],
  ec2: ['launchTemplateVersions', 'instances', 'securityGroups', 'subnets', 'flowLogs'],
  iam: ['roles', 'users', 'policies'],
  logs: ['metricFilters'],
  cloudwatch: ['alarms'],
  ecr: ['repositories', 'scanning'],
  guardduty: ['detectors'],
  inspector2: ['accounts'],
  cloudtrail: ['trails', 'statuses', 'eventSelectors'],
  kms: ['rotation', 'keys'],
};

const sourced = {
  type: 'array',
  items: { type: 'object', required: ['data', 'source'], properties: { data: { type: 'object' }, source: { type: 'string' } } },
};

/** A part of the AWS evidence as `emptyAwsEvidence()` has it: a list of `{ data, source }`, a service of such lists, or (GuardDuty's `detectorIds`) plain strings. */
function awsPartSchema(key: string, value: unknown): Readonly<Record<string, unknown>> {
  if (Array.isArray(value)) return key === 'detectorIds' ? { type: 'array', items: { type: 'string' } } : sourced;
  const parts = Object.entries(value as Record<string, unknown>);
  return { type: 'object', properties: Object.fromEntries(parts.map(([k, v]) => [k, awsPartSchema(k, v)])) };
}

/**
 * The AWS evidence: every service and list the rules read, so a scan never meets a part of the wrong
 * type. Every part `emptyAwsEvidence()` knows is checked when present (one source of the shape); the
 * parts snapshots have always held are required, those added since are padded as empty when missing.
 */
export const AWS_SCHEMA: JsonSchemaObject = {
  type: 'object',
  required: ['collected', ...Object.keys(AWS_LISTS)],
  properties: {
    collected: { type: 'array', items: { type: 'string' } },
    collectedAt: { type: 'string' },
    ...Object.fromEntries(Object.entries(emptyAwsEvidence()).filter(([key]) => key !== 'collected').map(([key, value]) => [key, {
      ...awsPartSchema(key, value),
      ...(AWS_LISTS[key] !== undefined ? { required: key === 'guardduty' ? [...AWS_LISTS[key], 'detectorIds'] : [...AWS_LISTS[key]] } : {}),
    }])),
  },
};

/**
 * The envelope, checked before anything is read from it. Its parts (each source, gap and object,
 * and the AWS evidence) are checked one by one after it, so one bad part is a gap, not the end.
 */
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
    sources: { type: 'array' },
    gaps: { type: 'array' },
    kinds: { type: 'array', items: { type: 'string' } },
    objects: { type: 'array' },
    aws: { type: 'object' },
  },
};
