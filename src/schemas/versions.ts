/**
 * The `schemaVersion` of each `-o json` document, and the name of its schema (`schemas/<name>.schema.json`).
 *
 * A document's version goes up by one when a key it had is removed or renamed, or changes type or
 * meaning: what a consumer written for the old version could misread. Adding a key does not bump
 * it (the schemas allow keys they do not list). docs/json-output.md says the same to users.
 */
export const SCHEMA_VERSIONS = {
  scan: 1,
  'audit-analyze': 1,
  'audit-queries': 1,
  'pss-check': 1,
  'pss-advise': 1,
  'rbac-who-can': 1,
  'rbac-lookup': 1,
  'rbac-risky': 1,
  diff: 1,
  // fleet (#23) adds its document here, and its schema in src/schemas/documents.ts.
} as const;

export type SchemaName = keyof typeof SCHEMA_VERSIONS;
