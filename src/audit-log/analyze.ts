/** `eksguard audit analyze` as a library function: read the logs, run the detections, report. */
import type { Config } from '../engine/config.js';
import { EMPTY_CONFIG } from '../engine/config.js';
import type { AnalysisState } from './analyzer.js';
import { analyzeJob, rbacJob, type RbacState } from './jobs.js';
import { generateRules, DEFAULT_GENERATE_OPTIONS, type GenerateOptions, type GeneratedRules } from './rbac/generate.js';
import { rbacObjects, renderRbacYaml, type ObjectTemplate } from './rbac/render.js';
import type { RequestAttributes, SubjectSelection } from './rbac/requests.js';
import { readAuditLogs, type LogSource, type ReadLogsOptions } from './read.js';
import { buildResult, type AuditLogResult } from './result.js';
import { resolveDetections } from './settings.js';
import type { KubeObject, Gap } from '../core/resource.js';

export interface AnalyzeOptions extends ReadLogsOptions {
  /** Files, directories, `-` for standard input; plain or gzip. */
  readonly paths: readonly string[];
  readonly config?: Config;
  readonly configFile?: string;
  /** Run only these detections. */
  readonly detections?: readonly string[];
}

export async function analyzeAuditLogs(options: AnalyzeOptions): Promise<AuditLogResult> {
  const config = options.config ?? EMPTY_CONFIG;
  const settings = resolveDetections(config, {
    ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
    ...(options.detections !== undefined ? { only: options.detections } : {}),
  });
  const read = await readAuditLogs<AnalysisState>(options.paths, { kind: 'analyze', settings }, analyzeJob(settings), options);
  return buildResult({
    ...read,
    settings,
    policy: { exclusions: config.exclusions, defaultExemptions: config.defaultExemptions, disallowAnnotationExemptions: config.disallowAnnotationExemptions },
  });
}

export interface RbacFromLogsOptions extends ReadLogsOptions, SubjectSelection {
  readonly paths: readonly string[];
  readonly generate?: Partial<GenerateOptions>;
  readonly template: ObjectTemplate;
}

export interface RbacFromLogsResult {
  readonly objects: readonly KubeObject[];
  readonly yaml: string;
  readonly rules: GeneratedRules;
  /** Events of the subject, and the distinct requests among them. */
  readonly matched: number;
  readonly requests: readonly RequestAttributes[];
  readonly sources: readonly LogSource[];
  readonly gaps: readonly Gap[];
}

/** `eksguard audit rbac`: the Roles, ClusterRole and bindings that allow exactly what the subject was seen doing. */
export async function rbacFromAuditLogs(options: RbacFromLogsOptions): Promise<RbacFromLogsResult> {
  const selection: SubjectSelection = { user: options.user, ...(options.namespace !== undefined ? { namespace: options.namespace } : {}) };
  const read = await readAuditLogs<RbacState>(options.paths, { kind: 'rbac', selection }, rbacJob(selection), options);
  const requests = [...read.state.requests.values()];
  const rules = generateRules(requests, { ...DEFAULT_GENERATE_OPTIONS, ...options.generate });
  const objects = rbacObjects(rules, options.user, options.template);
  return { objects, yaml: objects.length > 0 ? renderRbacYaml(objects) : '', rules, matched: read.state.matched, requests, sources: read.sources, gaps: read.gaps };
}
