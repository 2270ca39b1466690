/**
 * `eksguard audit analyze` and `audit rbac` as library functions: a source hands events to a job
 * (the detections, or one subject's requests), and the job's state becomes the report. The sources
 * are files (and standard input) or CloudWatch Logs; everything after the source is shared.
 */
import type { Config } from '../engine/config.js';
import { EMPTY_CONFIG } from '../engine/config.js';
import type { AnalysisState } from './analyzer.js';
import { analyzeJob, rbacJob, type JobSpec, type RbacState } from './jobs.js';
import { generateRules, DEFAULT_GENERATE_OPTIONS, type GenerateOptions, type GeneratedRules } from './rbac/generate.js';
import type { ObjectTemplate } from './rbac/render.js';
import type { RequestAttributes, SubjectSelection } from './rbac/requests.js';
import type { LogJob } from './sources/consume.js';
import { readAuditLogs, type ReadLogsOptions } from './sources/files/read.js';
import type { Checkpoint } from './sources/cloudwatch/checkpoint.js';
import { pushDownPattern } from './sources/cloudwatch/filter-pattern.js';
import type { LogsApi } from './sources/cloudwatch/logs-api.js';
import { readCloudWatchEvents } from './sources/cloudwatch/read.js';
import type { TimeWindow } from './sources/cloudwatch/window.js';
import type { LogSource, ReadLogsResult } from './sources/source.js';
import { buildInsightsResult, buildResult, type AuditLogResult } from './result.js';
import { insightsQueries } from './artefacts/queries.js';
import { insightsFinding, runInsightsQueries, type ClusterLogGroup, type InsightsRunOptions } from './sources/cloudwatch/insights.js';
import type { Finding } from '../core/finding.js';
import { detectionById, resolveDetections } from './settings.js';
import type { KubeObject, Gap } from '../core/resource.js';

/** Where the events come from. */
export type EventSource =
  | { readonly kind: 'files'; readonly paths: readonly string[]; readonly read?: ReadLogsOptions }
  | {
    readonly kind: 'cloudwatch';
    readonly api: LogsApi;
    readonly logGroup: string;
    readonly window: TimeWindow;
    readonly checkpoint?: Checkpoint;
    readonly maxPages?: number;
    readonly env: NodeJS.ProcessEnv;
  };

/** What a read gives beyond the events: where a CloudWatch read stopped. */
export interface SourceOutcome {
  readonly checkpoint?: Checkpoint;
  /** Every event of the source was read (always true for files). */
  readonly complete: boolean;
}

/** Reads a source for a job; `filterPattern` is what CloudWatch may filter on the job's behalf. */
async function readSource<S>(source: EventSource, spec: JobSpec, job: LogJob<S>, filterPattern: string | undefined): Promise<ReadLogsResult<S> & SourceOutcome> {
  if (source.kind === 'files') return { ...(await readAuditLogs(source.paths, spec, job, source.read)), complete: true };
  return readCloudWatchEvents(source.api, job, {
    logGroup: source.logGroup,
    window: source.window,
    env: source.env,
    ...(filterPattern !== undefined ? { filterPattern } : {}),
    ...(source.checkpoint !== undefined ? { checkpoint: source.checkpoint } : {}),
    ...(source.maxPages !== undefined ? { maxPages: source.maxPages } : {}),
  });
}

export interface AnalyzeOptions extends ReadLogsOptions {
  /** Files, directories, `-` for standard input; plain or gzip. Ignored when `source` is given. */
  readonly paths?: readonly string[];
  readonly source?: EventSource;
  readonly config?: Config;
  readonly configFile?: string;
  /** Run only these detections. */
  readonly detections?: readonly string[];
}

function sourceOf(options: AnalyzeOptions & { paths?: readonly string[] }): EventSource {
  return options.source ?? { kind: 'files', paths: options.paths ?? [], read: options };
}

export async function analyzeAuditLogs(options: AnalyzeOptions): Promise<AuditLogResult & SourceOutcome> {
  const config = options.config ?? EMPTY_CONFIG;
  const settings = resolveDetections(config, {
    ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
    ...(options.detections !== undefined ? { only: options.detections } : {}),
  });
  const selected = settings.detections.map((s) => detectionById(s.id)).filter((d) => d !== undefined);
  const read = await readSource<AnalysisState>(sourceOf(options), { kind: 'analyze', settings }, analyzeJob(settings), pushDownPattern(selected));
  const result = buildResult({
    ...read,
    settings,
    policy: { exclusions: config.exclusions, defaultExemptions: config.defaultExemptions, disallowAnnotationExemptions: config.disallowAnnotationExemptions },
  });
  return { ...result, complete: read.complete, ...(read.checkpoint !== undefined ? { checkpoint: read.checkpoint } : {}) };
}

export interface RbacFromLogsOptions extends ReadLogsOptions, SubjectSelection {
  readonly paths?: readonly string[];
  readonly source?: EventSource;
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

/** The subject's events, as a CloudWatch filter: its own requests and those made impersonating it. */
function subjectPattern(user: string): string | undefined {
  // A quote, backslash or wildcard cannot be written as a literal in a filter pattern term.
  if (/["\\*]/.test(user)) return undefined;
  return `{ $.user.username = "${user}" || $.impersonatedUser.username = "${user}" }`;
}

/** `eksguard audit rbac`: the Roles, ClusterRole and bindings that allow exactly what the subject was seen doing. */
export async function rbacFromAuditLogs(options: RbacFromLogsOptions): Promise<RbacFromLogsResult> {
  const selection: SubjectSelection = { user: options.user, ...(options.namespace !== undefined ? { namespace: options.namespace } : {}) };
  const read = await readSource<RbacState>(sourceOf(options), { kind: 'rbac', selection }, rbacJob(selection), subjectPattern(options.user));
  const requests = [...read.state.requests.values()];
  const rules = generateRules(requests, { ...DEFAULT_GENERATE_OPTIONS, ...options.generate });
  // Loaded here, not with the module: it brings the YAML library, which `audit analyze` does not need.
  const { rbacObjects, renderRbacYaml } = await import('./rbac/render.js');
  const objects = rbacObjects(rules, options.user, options.template);
  const gaps = [...read.gaps];
  if (read.state.malformed > 0) {
    gaps.push({
      source: read.sources.map((s) => s.path).join(', ') || 'audit log',
      code: 'NOT_AN_AUDIT_EVENT',
      message: `${read.state.malformed} event${read.state.malformed === 1 ? '' : 's'} of ${options.user} name${read.state.malformed === 1 ? 's' : ''} an API resource path without a readable objectRef; left out of the generated rules`,
    });
  }
  return { objects, yaml: objects.length > 0 ? renderRbacYaml(objects) : '', rules, matched: read.state.matched, requests, sources: read.sources, gaps };
}

export interface QueryAuditLogsOptions {
  readonly api: LogsApi;
  readonly targets: readonly ClusterLogGroup[];
  readonly window: TimeWindow;
  readonly env: NodeJS.ProcessEnv;
  readonly config?: Config;
  readonly configFile?: string;
  readonly detections?: readonly string[];
  readonly run?: Pick<InsightsRunOptions, 'concurrency' | 'pollMs' | 'deadlineMs' | 'sleep' | 'now' | 'rowLimit'>;
}

/** `eksguard audit queries --run`: each detection's Logs Insights query where the logs are, as findings. */
export async function queryAuditLogs(options: QueryAuditLogsOptions): Promise<AuditLogResult> {
  const config = options.config ?? EMPTY_CONFIG;
  const settings = resolveDetections(config, {
    ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
    ...(options.detections !== undefined ? { only: options.detections } : {}),
  });
  const titles = Object.fromEntries(settings.detections.map((s) => [s.id, detectionById(s.id)?.meta.title ?? s.id]));
  const queries = insightsQueries(settings.detections, settings.clusterCidrs, titles);
  const runs = await runInsightsQueries({ ...options.run, api: options.api, targets: options.targets, queries, window: options.window, env: options.env });
  const findings: Finding[] = [];
  const gaps: Gap[] = [];
  for (const run of runs) {
    if (run.gap !== undefined) gaps.push(run.gap);
    const setting = settings.detections.find((s) => s.id === run.detection);
    const detection = detectionById(run.detection);
    if (setting === undefined || detection === undefined) continue;
    const finding = insightsFinding(run, { title: detection.meta.title, remediation: detection.meta.remediation, severity: setting.severity }, options.api.region);
    if (finding !== undefined) findings.push(finding);
  }
  const sources: LogSource[] = options.targets.map((target) => {
    const mine = runs.filter((r) => r.target === target);
    const bytesScanned = mine.reduce((sum, r) => sum + (r.results?.bytesScanned ?? 0), 0);
    const recordsScanned = mine.reduce((sum, r) => sum + (r.results?.recordsScanned ?? 0), 0);
    return {
      path: `insights:${target.logGroup}`, format: 'lines', compressed: false, parallel: false,
      records: recordsScanned, events: recordsScanned, malformed: 0, notEvents: 0,
      insights: {
        logGroup: target.logGroup,
        start: new Date(options.window.start).toISOString(),
        end: new Date(options.window.end).toISOString(),
        queries: mine.length,
        bytesScanned,
        recordsScanned,
      },
    };
  });
  return buildInsightsResult({ findings, gaps, sources, settings, records: sources.reduce((sum, s) => sum + s.records, 0) });
}
