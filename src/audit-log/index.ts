/** Kubernetes audit logs: detections, least-privilege RBAC from observed use, CloudWatch queries and alarms. */
export { analyzeAuditLogs, rbacFromAuditLogs, type AnalyzeOptions, type RbacFromLogsOptions, type RbacFromLogsResult } from './analyze.js';
export { toAuditEvent, effectiveUser, type AuditEvent, type AuditUser, type ObjectRef } from './event.js';
export { builtinDetections, type DetectionId } from './detections/index.js';
export type { Detection, AnyDetection, DetectionMeta, Match } from './detection.js';
export { resolveDetections, type AnalyzeSettings, type DetectionSetting } from './settings.js';
export type { AuditLogResult, Timeline, TimelineBucket, UnjudgedCount } from './result.js';
export { renderAuditJson, renderAuditTable, auditAppendix, renderTimelineTable } from './render.js';
export { readAuditLogs, type ReadLogsOptions } from './sources/files/read.js';
export type { LogSource, CloudWatchReadSummary } from './sources/source.js';
export { generateRules, DEFAULT_GENERATE_OPTIONS, type GenerateOptions, type GeneratedRules } from './rbac/generate.js';
export { compactRules } from './rbac/compact.js';
export { rbacObjects, renderRbacYaml, type ObjectTemplate } from './rbac/render.js';
export { requestOf, type RequestAttributes, type SubjectSelection } from './rbac/requests.js';
export { insightsQueries, renderQueries, type InsightsQuery } from './artefacts/queries.js';
export { cloudFormationTemplate, terraformTemplate, UNAUTHORIZED_FILTER_PATTERN, type AlarmOptions } from './artefacts/alarms.js';
