import { resolve } from 'node:path';
import { atLeast, type Severity } from '../../core/finding.js';
import { UsageError } from '../../core/errors.js';
import type { Gap } from '../../core/resource.js';
import { analyzeAuditLogs, queryAuditLogs, rbacFromAuditLogs } from '../../audit-log/analyze.js';
import { logGroupOfCluster } from '../../audit-log/sources/cloudwatch/read.js';
import type { ClusterLogGroup } from '../../audit-log/sources/cloudwatch/insights.js';
import { checkClusterName } from '../../core/eks-names.js';
import { cloudWatchSource, logsApi, windowOf, writeCheckpointFile, type CloudWatchArgs } from './audit-cloudwatch.js';
import { insightsQueries, renderQueries } from '../../audit-log/artefacts/queries.js';
import { SERVICE_ACCOUNT_PREFIX } from '../../audit-log/event.js';
import { renderAuditJson, renderAuditTable } from '../../audit-log/render.js';
import type { AuditLogResult } from '../../audit-log/result.js';
import { allDetections, resolveDetections } from '../../audit-log/settings.js';
import { renderJunit } from '../../report/junit.js';
import { renderMarkdown } from '../../report/markdown.js';
import { renderSarif } from '../../report/sarif.js';
import { htmlFromAuditLog } from '../../report/html/adapters.js';
import { renderHtml } from '../../report/html/page.js';
import { renderOcsf } from '../../report/ocsf.js';
import { loadConfig } from '../../config-file.js';
import { VERSION } from '../../version.js';
import { ExitCode, terminalWidth, wantsColor, type Io } from '../io.js';
import { prepareOutputFile, writeOutputFile } from '../output-file.js';
import { REPORT_FORMATS, inputFiles, parseReportTargets, type ReportTarget } from '../report-output.js';
import type { OutputFormat } from './scan.js';
import { gapLine } from '../../core/gap-text.js';
import { terminalText } from '../../core/terminal-text.js';
import { SCHEMA_VERSIONS } from '../../schemas/versions.js';

export interface AuditAnalyzeArgs {
  readonly paths: readonly string[];
  readonly output: readonly string[];
  readonly outputFile?: string;
  readonly failOn?: Severity | 'none';
  readonly config?: string;
  readonly detections: readonly string[];
  readonly allowGaps: boolean;
  readonly color?: boolean;
  /** `--cloudwatch`: read the events from CloudWatch Logs instead of files. */
  readonly cloudWatch?: CloudWatchArgs;
  readonly checkpoint?: string;
  /** `-v`: the table in full (docs link, every event of the evidence, every bucket of the timeline, ...). */
  readonly verbose?: boolean;
}

function reportGaps(gaps: readonly Gap[], io: Io): void {
  for (const gap of gaps) io.stderr.write(gapLine(gap));
}

function noAsff(): UsageError {
  return new UsageError('-o asff: only eksguard scan writes ASFF (it needs the AWS account and region of the findings)', 'Use -o ocsf or -o json for audit-log findings.');
}

/** How a report is drawn: colour, columns and `-v` matter to the table only. */
interface TableStyle {
  readonly color: boolean;
  readonly width: number;
  readonly verbose: boolean;
}

function render(format: OutputFormat, result: AuditLogResult, cwd: string, style: TableStyle): string {
  const sources = result.sources.map((s) => ({ path: s.path, documents: s.records, objects: s.events }));
  const context = { version: VERSION, sources, rules: result.detections, cwd };
  switch (format) {
    case 'json': return renderAuditJson(result, VERSION);
    case 'sarif': return renderSarif(result, context);
    case 'junit': return renderJunit(result);
    case 'markdown': return renderMarkdown(result, context);
    case 'table': return renderAuditTable(result, context, style);
    case 'html': return renderHtml(htmlFromAuditLog(result, { ...context, generatedAt: new Date().toISOString() }));
    case 'ocsf': return renderOcsf(result, { ...context, generatedAt: new Date().toISOString() });
    case 'asff': throw noAsff();
  }
}

/** `-o` of the audit reports: the scan formats but ASFF, which gets its own words (it needs an AWS account and region). */
function auditTargets(specs: readonly string[], outputFile: string | undefined): ReportTarget<(typeof REPORT_FORMATS.auditAnalyze)[number]>[] {
  if (specs.some((spec) => spec.split('=')[0] === 'asff')) throw noAsff();
  return parseReportTargets(specs, outputFile, REPORT_FORMATS.auditAnalyze, 'table');
}

/** Files, or `--cloudwatch`: one or the other. */
function checkLogSource(paths: readonly string[], cloudWatch: CloudWatchArgs | undefined, checkpoint: string | undefined): void {
  if (cloudWatch !== undefined && paths.length > 0) throw new UsageError('give log files or --cloudwatch, not both');
  if (cloudWatch === undefined && paths.length === 0) throw new UsageError('no audit log given', 'Give log files (JSON lines, CloudWatch exports, .gz), directories, or - for standard input; or read CloudWatch Logs directly with --cloudwatch --cluster-name NAME --since 24h.');
  if (cloudWatch === undefined && checkpoint !== undefined) throw new UsageError('--checkpoint goes with --cloudwatch');
}

/** Every report file checked before the work starts: a bad path fails at once, in one line. */
async function prepareOutputs(args: Pick<AuditAnalyzeArgs, 'output' | 'outputFile'> & { readonly paths?: readonly string[] }, io: Io): Promise<void> {
  const inputs = (args.paths ?? []).map((path) => (path === '-' ? path : resolve(io.cwd, path)));
  for (const output of auditTargets(args.output, args.outputFile)) if (output.file !== undefined) await prepareOutputFile(resolve(io.cwd, output.file), undefined, inputs);
}

async function writeReports(args: Pick<AuditAnalyzeArgs, 'output' | 'outputFile' | 'color' | 'verbose'>, result: AuditLogResult, io: Io): Promise<void> {
  for (const output of auditTargets(args.output, args.outputFile)) {
    const color = output.file === undefined && wantsColor(io, args.color);
    const text = render(output.format, result, io.cwd, { color, width: output.file === undefined ? terminalWidth(io) : 100, verbose: args.verbose === true });
    if (output.file !== undefined) await writeOutputFile(resolve(io.cwd, output.file), text);
    else io.stdout.write(text);
  }
}

function exitFor(result: AuditLogResult, allowGaps: boolean, failOn: Severity | 'none'): ExitCode {
  if (result.gaps.length > 0 && !allowGaps) return ExitCode.Fatal;
  if (failOn === 'none') return ExitCode.Ok;
  return result.findings.some((f) => atLeast(f.severity, failOn)) ? ExitCode.Findings : ExitCode.Ok;
}

export async function runAuditAnalyze(args: AuditAnalyzeArgs, io: Io): Promise<ExitCode> {
  checkLogSource(args.paths, args.cloudWatch, args.checkpoint);
  await prepareOutputs(args, io);
  const { config, file } = await loadConfig(args.config, io.cwd);
  const source = args.cloudWatch !== undefined ? await cloudWatchSource(args.cloudWatch, args.checkpoint, io) : undefined;
  const result = await analyzeAuditLogs({
    paths: args.paths,
    ...(source !== undefined ? { source } : {}),
    stdin: io.stdin,
    cwd: io.cwd,
    config,
    ...(file ? { configFile: file } : {}),
    ...(args.detections.length > 0 ? { detections: args.detections } : {}),
  });
  await writeReports(args, result, io);
  reportGaps(result.gaps, io);
  // Only a complete read moves the checkpoint: after a failure the next run reads the window again.
  if (args.checkpoint !== undefined && result.complete && result.checkpoint !== undefined) await writeCheckpointFile(args.checkpoint, io.cwd, result.checkpoint);
  return exitFor(result, args.allowGaps, args.failOn ?? config.failOn ?? 'high');
}

export interface AuditRbacArgs {
  readonly paths: readonly string[];
  readonly user?: string;
  readonly serviceAccount?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly labels: readonly string[];
  readonly annotations: readonly string[];
  readonly expandMultiNamespace: boolean;
  readonly expandMultiName: boolean;
  readonly outputFile?: string;
  readonly allowGaps: boolean;
  readonly cloudWatch?: CloudWatchArgs;
}

/** `key=value` pairs; `${user}` in a value is the subject's username. */
function parsePairs(flag: string, pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} ${pair}: expected key=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** The username to generate for: `--user`, or the ServiceAccount's (`system:serviceaccount:<ns>:<name>`). */
export function subjectUser(user: string | undefined, serviceAccount: string | undefined): string {
  if (user !== undefined && serviceAccount !== undefined) throw new UsageError('give --user or --serviceaccount, not both');
  if (serviceAccount !== undefined) {
    const parts = serviceAccount.split(':');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') throw new UsageError(`--serviceaccount ${serviceAccount}: expected NAMESPACE:NAME`);
    return `${SERVICE_ACCOUNT_PREFIX}${parts[0] ?? ''}:${parts[1] ?? ''}`;
  }
  if (user === undefined || user === '') throw new UsageError('whose requests? give --user USER or --serviceaccount NAMESPACE:NAME');
  return user;
}

export async function runAuditRbac(args: AuditRbacArgs, io: Io): Promise<ExitCode> {
  checkLogSource(args.paths, args.cloudWatch, undefined);
  const user = subjectUser(args.user, args.serviceAccount);
  // Checked before the logs are read: the roles must not be written over a log being read.
  if (args.outputFile !== undefined) await prepareOutputFile(resolve(io.cwd, args.outputFile), 'the roles', inputFiles(io, args.paths));
  const source = args.cloudWatch !== undefined ? await cloudWatchSource(args.cloudWatch, undefined, io) : undefined;
  const labels = args.labels.length > 0 ? parsePairs('--generate-labels', args.labels) : { 'eksguard.io/generated': 'true', 'eksguard.io/user': '${user}' };
  const annotations = args.annotations.length > 0 ? parsePairs('--generate-annotations', args.annotations) : { 'eksguard.io/generated-by': `eksguard ${VERSION} audit rbac` };
  const result = await rbacFromAuditLogs({
    paths: args.paths,
    ...(source !== undefined ? { source } : {}),
    stdin: io.stdin,
    cwd: io.cwd,
    user,
    ...(args.namespace !== undefined ? { namespace: args.namespace } : {}),
    generate: { expandMultipleNamespaces: args.expandMultiNamespace, expandMultipleNames: args.expandMultiName },
    template: { name: args.name ?? 'eksguard:${user}', labels, annotations },
  });
  reportGaps(result.gaps, io);
  if (result.matched === 0) {
    io.stderr.write(`eksguard: no audit events matched user ${terminalText(user)}${args.namespace !== undefined ? ` in namespace ${terminalText(args.namespace)}` : ''}\n`);
    return ExitCode.Fatal;
  }
  const kinds = result.objects.map((o) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}`);
  io.stderr.write(`eksguard: ${result.matched} event${result.matched === 1 ? '' : 's'} of ${terminalText(user)}, ${result.requests.length} distinct request${result.requests.length === 1 ? '' : 's'}: ${kinds.length > 0 ? terminalText(kinds.join(', ')) : 'all already allowed to every user (discovery), nothing to grant'}\n`);
  if (args.outputFile !== undefined) await writeOutputFile(resolve(io.cwd, args.outputFile), result.yaml, { what: 'the roles' });
  else io.stdout.write(result.yaml);
  return result.gaps.length > 0 && !args.allowGaps ? ExitCode.Fatal : ExitCode.Ok;
}

export interface AuditQueriesArgs {
  readonly detections: readonly string[];
  readonly cluster?: string;
  readonly config?: string;
  /** Printed: `text` or `json`. With `--run`: report formats, as `audit analyze` takes them. */
  readonly output: readonly string[];
  readonly outputFile?: string;
  /** `--run`: start the queries in Logs Insights and report their results as findings. */
  readonly run?: QueriesRunArgs;
}

export interface QueriesRunArgs extends CloudWatchArgs {
  readonly allClusters: boolean;
  readonly concurrency?: number;
  readonly failOn?: Severity | 'none';
  readonly allowGaps: boolean;
  readonly color?: boolean;
  readonly verbose?: boolean;
}

/** The log groups a fleet run queries: the clusters named, or every cluster of the region whose audit log group exists. */
async function queryTargets(args: QueriesRunArgs, api: Awaited<ReturnType<typeof logsApi>>, env: NodeJS.ProcessEnv, gaps: Gap[]): Promise<ClusterLogGroup[]> {
  if (args.allClusters && args.clusterNames.length > 0) throw new UsageError('give --cluster-name or --all-clusters, not both');
  if (!args.allClusters) {
    if (args.clusterNames.length === 0) throw new UsageError('audit queries --run needs --cluster-name NAME (repeatable) or --all-clusters');
    return args.clusterNames.map((name) => ({ cluster: checkClusterName('--cluster-name', name), logGroup: logGroupOfCluster(name) }));
  }
  let clusters: string[];
  let groups: Set<string>;
  try {
    [clusters, groups] = await Promise.all([api.listClusters(), api.logGroups('/aws/eks/').then((g) => new Set(g))]);
  } catch (error) {
    const { logsGap } = await import('../../audit-log/sources/cloudwatch/read.js');
    gaps.push(logsGap(error, 'eks:ListClusters / logs:DescribeLogGroups', '/aws/eks/', api, env));
    return [];
  }
  const targets: ClusterLogGroup[] = [];
  for (const cluster of clusters.sort()) {
    const logGroup = logGroupOfCluster(cluster);
    if (groups.has(logGroup)) targets.push({ cluster, logGroup });
    else gaps.push({ source: `cloudwatch:${logGroup}`, code: 'NOT_FOUND', message: `control-plane audit logging is off for ${cluster}: log group ${logGroup} does not exist in ${api.region} (rule require-control-plane-logging)` });
  }
  return targets;
}

async function runQueriesLive(args: AuditQueriesArgs, run: QueriesRunArgs, io: Io): Promise<ExitCode> {
  const outputs = { output: args.output, ...(args.outputFile !== undefined ? { outputFile: args.outputFile } : {}), ...(run.color !== undefined ? { color: run.color } : {}), verbose: run.verbose === true };
  await prepareOutputs(outputs, io);
  const { config, file } = await loadConfig(args.config, io.cwd);
  const window = windowOf(run, false, Date.now());
  const api = await logsApi(run, io, 'audit queries --run');
  const gaps: Gap[] = [];
  const targets = await queryTargets(run, api, io.env, gaps);
  const result = await queryAuditLogs({
    api, targets, window, env: io.env, config,
    ...(file ? { configFile: file } : {}),
    ...(args.detections.length > 0 ? { detections: args.detections } : {}),
    ...(run.concurrency !== undefined ? { run: { concurrency: run.concurrency } } : {}),
  });
  const withGaps: AuditLogResult = { ...result, gaps: [...gaps, ...result.gaps] };
  await writeReports(outputs, withGaps, io);
  reportGaps(withGaps.gaps, io);
  return exitFor(withGaps, run.allowGaps, run.failOn ?? config.failOn ?? 'high');
}

export async function runAuditQueries(args: AuditQueriesArgs, io: Io): Promise<ExitCode> {
  if (args.run !== undefined) return runQueriesLive(args, args.run, io);
  const format = args.output.length === 0 ? 'text' : args.output.length === 1 ? args.output[0] : undefined;
  if (format !== 'text' && format !== 'json') throw new UsageError(`-o ${args.output.join(' -o ')}: printed queries are text or json (report formats go with --run)`);
  if (args.cluster !== undefined) checkClusterName('--cluster-name', args.cluster);
  const { config, file } = await loadConfig(args.config, io.cwd);
  const settings = resolveDetections(config, { ...(file ? { configFile: file } : {}), ...(args.detections.length > 0 ? { only: args.detections } : {}) });
  // Every detection has a query, also those the config cannot run offline (no CIDRs: a placeholder).
  const all = [...settings.detections, ...settings.notEvaluated.map((n) => ({ id: n.ruleId, severity: 'high' as const, severityConfigured: false, options: {} }))];
  const order = allDetections().map((d) => d.id);
  all.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const titles = Object.fromEntries(allDetections().map((d) => [d.id, d.meta.title]));
  const queries = insightsQueries(all, settings.clusterCidrs, titles);
  if (format === 'json') {
    const logGroup = args.cluster !== undefined ? `/aws/eks/${args.cluster}/cluster` : null;
    io.stdout.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSIONS['audit-queries'], logGroup, queries }, null, 2)}\n`);
  } else {
    io.stdout.write(renderQueries(queries, args.cluster));
  }
  return ExitCode.Ok;
}

export interface CloudwatchAlarmsArgs {
  readonly cluster: string;
  readonly format: 'cloudformation' | 'terraform';
  readonly threshold: string;
  readonly period: string;
  readonly alarmTopic?: string;
  readonly outputFile?: string;
}

function integer(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} ${value}: expected a whole number`);
  return Number(value);
}

export async function runCloudwatchAlarms(args: CloudwatchAlarmsArgs, io: Io): Promise<ExitCode> {
  const options = {
    cluster: args.cluster,
    threshold: integer('--threshold', args.threshold),
    period: integer('--period', args.period),
    ...(args.alarmTopic !== undefined ? { topicArn: args.alarmTopic } : {}),
  };
  // Loaded here: it brings the YAML library, which the other audit commands do not need.
  const { cloudFormationTemplate, terraformTemplate } = await import('../../audit-log/artefacts/alarms.js');
  const text = args.format === 'terraform' ? terraformTemplate(options) : cloudFormationTemplate(options);
  if (args.outputFile !== undefined) await writeOutputFile(resolve(io.cwd, args.outputFile), text, { what: 'the template' });
  else io.stdout.write(text);
  return ExitCode.Ok;
}
