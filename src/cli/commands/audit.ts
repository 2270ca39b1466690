import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { atLeast, type Severity } from '../../core/finding.js';
import { UsageError } from '../../core/errors.js';
import type { Gap } from '../../core/resource.js';
import { analyzeAuditLogs, rbacFromAuditLogs } from '../../audit-log/analyze.js';
import { cloudFormationTemplate, terraformTemplate } from '../../audit-log/cloudwatch/alarms.js';
import { insightsQueries, renderQueries } from '../../audit-log/cloudwatch/queries.js';
import { SERVICE_ACCOUNT_PREFIX } from '../../audit-log/event.js';
import { auditAppendix, renderAuditJson } from '../../audit-log/render.js';
import type { AuditLogResult } from '../../audit-log/result.js';
import { allDetections, resolveDetections } from '../../audit-log/settings.js';
import { renderJunit } from '../../report/junit.js';
import { renderMarkdown } from '../../report/markdown.js';
import { renderSarif } from '../../report/sarif.js';
import { renderTable } from '../../report/table.js';
import { htmlFromAuditLog } from '../../report/html/adapters.js';
import { renderHtml } from '../../report/html/page.js';
import { renderOcsf } from '../../report/ocsf.js';
import { loadConfig } from '../../scan.js';
import { VERSION } from '../../version.js';
import { ExitCode, wantsColor, type Io } from '../io.js';
import { parseOutputs, type OutputFormat } from './scan.js';

export interface AuditAnalyzeArgs {
  readonly paths: readonly string[];
  readonly output: readonly string[];
  readonly outputFile?: string;
  readonly failOn?: Severity | 'none';
  readonly config?: string;
  readonly detections: readonly string[];
  readonly allowGaps: boolean;
  readonly color?: boolean;
}

function reportGaps(gaps: readonly Gap[], io: Io): void {
  for (const gap of gaps) io.stderr.write(`eksguard: ${gap.source}${gap.line !== undefined ? `:${gap.line}` : ''}: ${gap.message}\n`);
}

async function writeOut(file: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  } catch (error) {
    throw new UsageError(`cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'Check that the directory is writable.');
  }
}

function noAsff(): UsageError {
  return new UsageError('-o asff: only eksguard scan writes ASFF (it needs the AWS account and region of the findings)', 'Use -o ocsf or -o json for audit-log findings.');
}

function render(format: OutputFormat, result: AuditLogResult, cwd: string, color: boolean): string {
  const sources = result.sources.map((s) => ({ path: s.path, documents: s.records, objects: s.events }));
  const context = { version: VERSION, sources, rules: result.detections, cwd };
  switch (format) {
    case 'json': return renderAuditJson(result, VERSION);
    case 'sarif': return renderSarif(result, context);
    case 'junit': return renderJunit(result);
    case 'markdown': return renderMarkdown(result, context);
    case 'table': return renderTable(result, context, { color, noun: 'event', appendix: auditAppendix(result, color) });
    case 'html': return renderHtml(htmlFromAuditLog(result, { ...context, generatedAt: new Date().toISOString() }));
    case 'ocsf': return renderOcsf(result, { ...context, generatedAt: new Date().toISOString() });
    case 'asff': throw noAsff();
  }
}

export async function runAuditAnalyze(args: AuditAnalyzeArgs, io: Io): Promise<ExitCode> {
  if (args.paths.length === 0) throw new UsageError('no audit log given', 'Give log files (JSON lines, CloudWatch exports, .gz), directories, or - for standard input.');
  const outputs = parseOutputs(args.output, args.outputFile);
  if (outputs.some((o) => o.format === 'asff')) throw noAsff(); // before the logs are read
  const { config, file } = await loadConfig(args.config, io.cwd);
  const result = await analyzeAuditLogs({
    paths: args.paths,
    stdin: io.stdin,
    cwd: io.cwd,
    config,
    ...(file ? { configFile: file } : {}),
    ...(args.detections.length > 0 ? { detections: args.detections } : {}),
  });
  for (const output of outputs) {
    const color = output.file === undefined && wantsColor(io, args.color);
    const text = render(output.format, result, io.cwd, color);
    if (output.file !== undefined) await writeOut(resolve(io.cwd, output.file), text);
    else io.stdout.write(text);
  }
  reportGaps(result.gaps, io);
  if (result.gaps.length > 0 && !args.allowGaps) return ExitCode.Fatal;
  const failOn = args.failOn ?? config.failOn ?? 'high';
  if (failOn === 'none') return ExitCode.Ok;
  return result.findings.some((f) => atLeast(f.severity, failOn)) ? ExitCode.Findings : ExitCode.Ok;
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
  if (args.paths.length === 0) throw new UsageError('no audit log given', 'Give log files (JSON lines, CloudWatch exports, .gz), directories, or - for standard input.');
  const user = subjectUser(args.user, args.serviceAccount);
  const labels = args.labels.length > 0 ? parsePairs('--generate-labels', args.labels) : { 'eksguard.io/generated': 'true', 'eksguard.io/user': '${user}' };
  const annotations = args.annotations.length > 0 ? parsePairs('--generate-annotations', args.annotations) : { 'eksguard.io/generated-by': `eksguard ${VERSION} audit rbac` };
  const result = await rbacFromAuditLogs({
    paths: args.paths,
    stdin: io.stdin,
    cwd: io.cwd,
    user,
    ...(args.namespace !== undefined ? { namespace: args.namespace } : {}),
    generate: { expandMultipleNamespaces: args.expandMultiNamespace, expandMultipleNames: args.expandMultiName },
    template: { name: args.name ?? 'eksguard:${user}', labels, annotations },
  });
  reportGaps(result.gaps, io);
  if (result.matched === 0) {
    io.stderr.write(`eksguard: no audit events matched user ${user}${args.namespace !== undefined ? ` in namespace ${args.namespace}` : ''}\n`);
    return ExitCode.Fatal;
  }
  const kinds = result.objects.map((o) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}`);
  io.stderr.write(`eksguard: ${result.matched} event${result.matched === 1 ? '' : 's'} of ${user}, ${result.requests.length} distinct request${result.requests.length === 1 ? '' : 's'}: ${kinds.length > 0 ? kinds.join(', ') : 'all already allowed to every user (discovery), nothing to grant'}\n`);
  if (args.outputFile !== undefined) await writeOut(resolve(io.cwd, args.outputFile), result.yaml);
  else io.stdout.write(result.yaml);
  return result.gaps.length > 0 && !args.allowGaps ? ExitCode.Fatal : ExitCode.Ok;
}

export interface AuditQueriesArgs {
  readonly detections: readonly string[];
  readonly cluster?: string;
  readonly config?: string;
  readonly output: 'text' | 'json';
}

export async function runAuditQueries(args: AuditQueriesArgs, io: Io): Promise<ExitCode> {
  const { config, file } = await loadConfig(args.config, io.cwd);
  const settings = resolveDetections(config, { ...(file ? { configFile: file } : {}), ...(args.detections.length > 0 ? { only: args.detections } : {}) });
  // Every detection has a query, also those the config cannot run offline (no CIDRs: a placeholder).
  const all = [...settings.detections, ...settings.notEvaluated.map((n) => ({ id: n.ruleId, severity: 'high' as const, options: {} }))];
  const order = allDetections().map((d) => d.id);
  all.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const titles = Object.fromEntries(allDetections().map((d) => [d.id, d.meta.title]));
  const queries = insightsQueries(all, settings.clusterCidrs, titles);
  if (args.output === 'json') {
    const logGroup = args.cluster !== undefined ? `/aws/eks/${args.cluster}/cluster` : null;
    io.stdout.write(`${JSON.stringify({ logGroup, queries }, null, 2)}\n`);
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
  const text = args.format === 'terraform' ? terraformTemplate(options) : cloudFormationTemplate(options);
  if (args.outputFile !== undefined) await writeOut(resolve(io.cwd, args.outputFile), text);
  else io.stdout.write(text);
  return ExitCode.Ok;
}
