/** The library surface: everything the CLI does is a function here first. */
export { scanManifests, loadConfig, type ScanOptions, type ScanResult } from './scan.js';
export { parseManifests, type ParseResult } from './collect/files/parse-manifests.js';
export { readManifestSources, type SourceSummary } from './collect/files/read-sources.js';
export { Inventory, namespaceOf, type Evidence } from './core/inventory.js';
export { toWorkload, effectiveSecurityField, type Workload, type ContainerEntry } from './core/workload.js';
export type { Finding, Severity, FieldPath, PatchOp, ResourceRef, Suppression } from './core/finding.js';
export type { KubeObject, KubeResource, Gap } from './core/resource.js';
export { AuditorError, ConfigError, UsageError } from './core/errors.js';
export { audit, type AuditResult, type Summary } from './engine/audit.js';
export { parseConfig, type Config, type Exclusion } from './engine/config.js';
export { resolveRules } from './engine/rule-set.js';
export { applyPatch } from './engine/apply-patch.js';
export { builtinRules, type BuiltinRuleId } from './rules/index.js';
export { defineRule, type Rule, type AnyRule } from './rules/define-rule.js';
export { renderJson } from './report/json.js';
export { renderTable } from './report/table.js';
