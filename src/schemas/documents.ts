/**
 * The JSON Schema of every `-o json` document eksguard writes. `scripts/machine-output.ts` writes
 * them to `schemas/<name>.schema.json` (open: keys added later validate); the tests validate real
 * CLI output against the closed form, so a key the code emits and the schema lacks fails a test.
 */
import { SEVERITIES } from '../core/finding.js';
import { GAP_CODES } from '../core/resource.js';
import { PSS_LEVELS } from '../pss/levels.js';
import { RISKS } from '../rbac/risk-catalogue.js';
import { arr, bool, int, nullable, obj, oneOfValues, open, record, str, type Schema } from './builders.js';
import { SCHEMA_VERSIONS, type SchemaName } from './versions.js';

/** Where the shipped schemas are published: `$id`s, not fetched by eksguard. */
export const SCHEMA_BASE_URL = 'https://raw.githubusercontent.com/eksguard/eksguard/main/schemas/';

const severity = oneOfValues(SEVERITIES);
const tool = obj({ name: { const: 'eksguard' }, version: str });

const gap = obj({ source: str, line: nullable(int), code: oneOfValues(Object.keys(GAP_CODES)), message: str });

const patchOp = obj({ op: oneOfValues(['add', 'replace', 'remove']), path: str, value: {} }, ['value']);

const evidence = obj({
  count: int,
  firstSeen: nullable(str),
  lastSeen: nullable(str),
  events: arr(obj({
    auditID: str, time: str, user: str, impersonatedUser: nullable(str), sourceIP: str, userAgent: nullable(str),
    verb: str, object: str, code: nullable(int), file: nullable(str), line: nullable(int),
  })),
  windows: arr(obj({ start: str, count: int, spike: bool })),
  rows: arr(record(str)),
}, ['windows', 'rows']);

/** A finding of `scan`, `audit analyze` and `diff` (docs/json-output.md). */
const finding = obj({
  ruleId: str,
  severity,
  area: str,
  title: str,
  message: str,
  // Kubernetes objects have apiVersion, file and line; AWS resources arn, service and region.
  resource: obj({
    apiVersion: nullable(str), kind: str, namespace: nullable(str), name: nullable(str),
    file: nullable(str), line: nullable(int), column: nullable(int), arn: nullable(str),
    service: str, region: nullable(str), id: nullable(str),
  }, ['service', 'region', 'id']),
  origin: nullable(str),
  path: str,
  pointer: str,
  remediation: str,
  fix: nullable(arr(patchOp)),
  suggestions: arr(obj({ message: str, patch: arr(patchOp) })),
  evidence: nullable(evidence),
  fingerprint: str,
  baselineState: nullable(oneOfValues(['new', 'unchanged'])),
  exemption: obj({ kind: oneOfValues(['annotation', 'config', 'default']), reason: str }),
}, ['exemption']);

const bySeverity = obj(Object.fromEntries(SEVERITIES.map((s) => [s, int])));
const notEvaluated = arr(obj({ ruleId: str, reason: str }));

const scan = obj({
  sources: arr(obj({ path: str, documents: int, objects: int, skipped: nullable(str), duplicates: int })),
  summary: obj({
    bySeverity, findings: int, exempted: int, resources: int, rulesRun: int, checks: int, passed: int,
    score: nullable({ type: 'integer', minimum: 0, maximum: 100 }),
  }),
  findings: arr(finding),
  exempted: arr(finding),
  gaps: arr(gap),
  notEvaluated,
  baseline: nullable(obj({ file: str, new: int, unchanged: int, fixed: arr(finding) })),
});

const auditAnalyze = obj({
  sources: arr(obj({
    path: str, format: oneOfValues(['lines', 'documents']), compressed: bool, parallel: bool,
    records: int, events: int, malformed: int, notEvents: int,
    cloudWatch: obj({ logGroup: str, start: str, end: str, pages: int, bytes: int, filterPattern: str, skippedByCheckpoint: int }, ['filterPattern']),
    insights: obj({ logGroup: str, start: str, end: str, queries: int, bytesScanned: int, recordsScanned: int }),
  }, ['cloudWatch', 'insights'])),
  // No score: a share of detections that stayed quiet says nothing about a cluster (docs/json-output.md).
  summary: obj({ bySeverity, findings: int, exempted: int, resources: int, rulesRun: int, checks: int, passed: int, events: int }),
  findings: arr(finding),
  exempted: arr(finding),
  gaps: arr(gap),
  notEvaluated,
  unjudged: arr(obj({ detection: str, count: int, reason: str })),
  timeline: obj({
    bucket: oneOfValues(['minute', 'hour']),
    buckets: arr(obj({ start: str, events: int, detections: record(int) })),
  }),
});

const auditQueries = obj({
  logGroup: nullable(str),
  queries: arr(obj({ detection: str, title: str, query: str })),
});

const level = oneOfValues(PSS_LEVELS);
const pssVersion: Schema = { type: 'string', pattern: '^(latest|v1\\.[0-9]+)$' };
const labelErrors = arr(obj({ label: str, value: str, fallback: str }));
const workload = obj({ kind: str, namespace: str, name: str, file: nullable(str), line: nullable(int) });
const violations = arr(obj({ check: str, message: str }));

const pssCheck = obj({
  level: nullable(level),
  version: nullable(pssVersion),
  results: arr(obj({ resource: workload, level, version: pssVersion, allowed: bool, violations })),
  namespaces: arr(obj({ name: str, source: oneOfValues(['option', 'labels', 'unlabelled', 'absent']), level, version: pssVersion, labelErrors })),
  gaps: arr(gap),
});

const policyMode = obj({ level, version: pssVersion });
const pssAdvise = obj({
  version: pssVersion,
  namespaces: arr(obj({
    namespace: str,
    workloads: int,
    level,
    version: pssVersion,
    blocked: nullable(obj({ level, workloads: arr(obj({ resource: workload, violations })) })),
    current: nullable(obj({ enforce: policyMode, audit: policyMode, warn: policyMode, labelErrors })),
    labels: record(str),
    command: str,
  })),
  withoutWorkloads: arr(str),
  gaps: arr(gap),
});

const subjectKind = oneOfValues(['User', 'Group', 'ServiceAccount', 'IAMRole', 'IAMUser']);
const via = obj({
  kind: oneOfValues(['ClusterRoleBinding', 'RoleBinding', 'AccessPolicy', 'system:masters']),
  name: str, namespace: nullable(str), role: nullable(str), mapping: nullable(str), as: nullable(str), source: nullable(str),
});
const coverage = obj({
  rbac: { const: true },
  awsAuth: oneOfValues(['present', 'absent', 'ignored']),
  accessEntries: oneOfValues(['present', 'not-collected', 'ignored']),
  authenticationMode: nullable(str),
});
const subjectRef = obj({ kind: subjectKind, name: str, namespace: nullable(str) });

const rbacWhoCan = obj({
  request: obj({
    verb: str, apiGroup: nullable(str), resource: nullable(str), subresource: nullable(str), name: nullable(str),
    nonResourceURL: nullable(str), namespace: nullable(str), scope: oneOfValues(['namespace', 'cluster', 'anywhere']),
  }),
  subjects: arr(obj({
    kind: subjectKind, name: str, namespace: nullable(str), via: arr(via),
    scope: obj({ clusterWide: bool, namespaces: arr(str) }), members: nullable(str),
  })),
  dangling: arr(obj({
    kind: oneOfValues(['RoleBinding', 'ClusterRoleBinding']), name: str, namespace: nullable(str), roleRef: str, subjects: arr(str), source: nullable(str),
  })),
  coverage,
  notes: arr(str),
  gaps: arr(gap),
});

const rbacLookup = obj({
  query: obj({ subject: str, kind: nullable(oneOfValues(['user', 'group', 'serviceaccount', 'iamrole', 'iamuser'])), exact: bool }),
  subjects: arr(obj({ kind: subjectKind, name: str, namespace: nullable(str), mappedFrom: arr(str), notes: arr(str) })),
  rows: arr(obj({
    subject: subjectRef,
    scope: str,
    role: obj({ kind: oneOfValues(['ClusterRole', 'Role', 'AccessPolicy', 'system:masters']), name: str, missing: bool }),
    source: obj({ kind: oneOfValues(['ClusterRoleBinding', 'RoleBinding', 'access entry', 'aws-auth']), name: str, namespace: nullable(str), location: nullable(str) }),
    through: nullable(str),
  })),
  coverage,
  notes: arr(str),
  gaps: arr(gap),
});

const rbacRisky = obj({
  summary: obj({ risks: int, bySeverity }),
  risks: arr(obj({
    id: oneOfValues(Object.keys(RISKS)), severity, title: str, subject: subjectRef, namespace: nullable(str),
    message: str, path: arr(str), via: arr(via), heldBy: arr(str),
  })),
  coverage,
  notes: arr(str),
  gaps: arr(gap),
});

const diff = obj({
  tool,
  files: obj({ old: str, new: str }),
  summary: obj({ new: int, fixed: int, unchanged: int }),
  new: arr(finding),
  fixed: arr(finding),
  unchanged: arr(finding),
});

/** Adds `tool` where the document has it. */
const withTool = (schema: Schema): Schema => withKeys(schema, { tool });

function withKeys(schema: Schema, first: Readonly<Record<string, Schema>>): Schema {
  const properties = { ...first, ...(schema.properties as Record<string, Schema>) };
  return { ...schema, properties, required: Object.keys(properties) };
}

interface DocumentSchema {
  readonly title: string;
  readonly body: Schema;
}

/** Each document: what writes it, and its keys besides `schemaVersion` (docs/json-output.md). */
const DOCUMENTS: Readonly<Record<SchemaName, DocumentSchema>> = {
  scan: { title: 'eksguard scan -o json', body: withTool(scan) },
  'audit-analyze': { title: 'eksguard audit analyze -o json (and audit queries --run -o json)', body: withTool(auditAnalyze) },
  'audit-queries': { title: 'eksguard audit queries -o json (the printed queries)', body: auditQueries },
  'pss-check': { title: 'eksguard pss check -o json', body: pssCheck },
  'pss-advise': { title: 'eksguard pss advise -o json', body: pssAdvise },
  'rbac-who-can': { title: 'eksguard rbac who-can -o json', body: rbacWhoCan },
  'rbac-lookup': { title: 'eksguard rbac lookup -o json', body: rbacLookup },
  'rbac-risky': { title: 'eksguard rbac risky -o json', body: rbacRisky },
  diff: { title: 'eksguard diff -o json', body: diff },
};

export const SCHEMA_NAMES = Object.keys(DOCUMENTS) as SchemaName[];

/**
 * The schema of one document. `closed` (the tests' form) refuses keys it does not list; the
 * shipped form accepts them, as documents may gain keys without a new schemaVersion.
 */
export function documentSchema(name: SchemaName, options: { readonly closed: boolean }): Schema {
  const { title, body } = DOCUMENTS[name];
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${SCHEMA_BASE_URL}${name}.schema.json`,
    title,
    description: 'See docs/json-output.md. Absent values are null, never missing keys.',
    ...withKeys(body, { schemaVersion: { const: SCHEMA_VERSIONS[name] } }),
  };
  return options.closed ? schema : (open(schema) as Schema);
}

/** The file text of a shipped schema. */
export function schemaFileText(name: SchemaName): string {
  return `${JSON.stringify(documentSchema(name, { closed: false }), null, 2)}\n`;
}
