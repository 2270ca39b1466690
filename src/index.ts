/** The library surface: everything the CLI does is a function here first. */
export { scanManifests, loadConfig, type ScanOptions, type ScanResult } from './scan.js';
export { readInventory, type InventoryRead } from './scan.js';
// The live collector is loaded on first use: importing the library does not load @kubernetes/client-node.
export { readKubeSources, type ClusterSourceOptions, type KubeSources } from './collect/kube-sources.js';
export type { ClusterSummary, CollectProgress } from './collect/kube/collect.js';
export { toSnapshot, serializeSnapshot, type SnapshotInput } from './snapshot/write.js';
export { parseSnapshot, readSnapshot, type SnapshotContents } from './snapshot/read.js';
export type { SnapshotDocument } from './snapshot/format.js';
export { parseManifests, type ParseResult } from './collect/files/parse-manifests.js';
export { readManifestSources, type SourceSummary } from './collect/files/read-sources.js';
export { readAwsDump, type AwsDumpOptions } from './collect/aws-dump/read-dump.js';
export { parseAwsDump, type DumpFile, type DumpResult } from './collect/aws-dump/recognise.js';
export { AWS_CALLS, emptyAwsEvidence, type AwsCall, type AwsEvidence, type Sourced } from './core/aws/model.js';
export { normaliseWire, type Wire } from './core/aws/wire.js';
export { decodePolicyDocument, type PolicyDocument, type PolicyStatement } from './core/aws/policy.js';
export { AwsInventory } from './core/aws/aws-inventory.js';
export type { AwsTarget, AwsTargetKind, AwsTargetMap } from './core/aws/targets.js';
export { Inventory, namespaceOf, type Evidence } from './core/inventory.js';
export { toWorkload, effectiveSecurityField, type Workload, type ContainerEntry } from './core/workload.js';
export type { Finding, Severity, FieldPath, PatchOp, ResourceRef, Suppression } from './core/finding.js';
export type { KubeObject, KubeResource, Gap, Unread } from './core/resource.js';
export { AuditorError, ConfigError, UsageError } from './core/errors.js';
export { audit, type AuditResult, type Summary } from './engine/audit.js';
export { parseConfig, type Config, type Exclusion } from './engine/config.js';
export { resolveRules } from './engine/rule-set.js';
export { applyPatch } from './engine/apply-patch.js';
export { builtinRules, type BuiltinRuleId } from './rules/index.js';
export { defineRule, type Rule, type AnyRule } from './rules/define-rule.js';
export { renderJson } from './report/json.js';
export { renderTable } from './report/table.js';
export { renderSarif, type SarifContext } from './report/sarif.js';
export { renderJunit } from './report/junit.js';
export { renderMarkdown, type MarkdownContext } from './report/markdown.js';
export { renderHtml } from './report/html/page.js';
export { htmlFromAuditLog, htmlFromRisky, htmlFromScan, type HtmlContext } from './report/html/adapters.js';
export type { HtmlPage, HtmlFinding } from './report/html/model.js';
export { renderOcsf, type OcsfContext } from './report/ocsf.js';
export { asffFindings, renderAsff, type AsffContext } from './report/asff.js';
export { fingerprint } from './baseline/fingerprint.js';
export { applyBaseline, compareFindings, type BaselineSummary, type Comparison } from './baseline/compare.js';
export { parseReportFindings } from './baseline/report-findings.js';
// RBAC and IAM access analysis (eksguard rbac who-can | lookup | risky); the rest of the RBAC library is in ./rbac/index.js.
export { whoCanAnswer, lookup, riskyPermissions, type WhoCanAnswer, type WhoCanQuery, type LookupAnswer, type LookupQuery, type RiskyReport, type Risk } from './rbac/index.js';
export {
  analyzeAuditLogs, rbacFromAuditLogs, builtinDetections, insightsQueries, cloudFormationTemplate, terraformTemplate,
  type AnalyzeOptions, type AuditLogResult, type RbacFromLogsOptions, type RbacFromLogsResult,
} from './audit-log/index.js';
// Generators (eksguard generate) and incident response (eksguard incident): pure, objects and commands out, nothing applied.
export { tenantKit, ADMIN_RULES, type TenantOptions, type TenantKit } from './generate/tenant.js';
export { networkPolicyPlan, type NetworkPolicyPlan } from './generate/network-policies.js';
export { trustPolicies, clusterIdentity, type TrustPolicies, type TrustPolicyOptions } from './generate/trust-policy.js';
export { locate, matchImage, type LocateQuery, type LocateResult } from './incident/locate.js';
export { isolationPlan, renderIsolationScript, renderIsolationYaml, type IsolationPlan } from './incident/isolate.js';
