import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { atLeast, type Finding, type Severity } from '../../core/finding.js';
import type { BaselineSummary } from '../../baseline/compare.js';
import { UsageError, nullThrows } from '../../core/errors.js';
import type { AsffContext } from '../../report/asff.js';
import type { Gap } from '../../core/resource.js';
import { awsScopeOf, findingArns, type AwsScope } from '../../report/aws-scope.js';
import { loadConfig, scanManifests, type AwsSourceOptions, type ScanResult } from '../../scan.js';
import { VERSION } from '../../version.js';
import { ExitCode, stdinFor, terminalWidth, wantsColor, type Io } from '../io.js';
import { liveSources, type LiveSourceFlags, type LiveSources } from '../live-sources.js';
import { prepareOutputFile, writeBatched, writeOutputFile } from '../output-file.js';
import { gapLine } from '../../core/gap-text.js';
import type { ReportedRule } from '../../report/context.js';
import type { AnyRule } from '../../rules/define-rule.js';
import { builtinRules } from '../../rules/index.js';
import { REPORT_FORMATS, parseReportTargets } from '../report-output.js';

export { parseFailOn } from '../report-output.js';

export const OUTPUT_FORMATS = REPORT_FORMATS.scan;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** One report to write: to `file`, or to standard output when it has none. */
export interface OutputTarget {
  readonly format: OutputFormat;
  readonly file?: string;
}

export interface ScanArgs {
  readonly paths: readonly string[];
  /** `-o` values as given: `FORMAT` or `FORMAT=FILE`; none means table to standard output. */
  readonly output: readonly string[];
  /** `--output-file`: the file of the one format given without `=FILE`. */
  readonly outputFile?: string;
  readonly failOn?: Severity | 'none';
  readonly config?: string;
  readonly rules: readonly string[];
  readonly excludeNamespaces: readonly string[];
  readonly allowGaps: boolean;
  readonly color?: boolean;
  /** `--aws-dump DIR`. */
  readonly awsDump?: string;
  /** `--cluster-name N`. */
  readonly clusterName?: string;
  /** `--cluster` (with --context, --kubeconfig, --namespace), `--snapshot`, `--quiet`. */
  readonly live?: LiveSourceFlags;
  /** `--aws` with `--region`, `--profile`, `--role-arn` (the latter given without --aws are a usage error). */
  readonly aws?: { readonly enabled: boolean; readonly region?: string; readonly profile?: string; readonly roleArn?: string };
  /** `--baseline OLD.json`: a previous `-o json` report; its findings are marked and do not fail the scan. */
  readonly baseline?: string;
  /** `--aws-account ID`: the account of ASFF findings when the AWS evidence does not say. */
  readonly awsAccount?: string;
  /** `--security-hub`: import the findings into Security Hub and archive the fixed ones. */
  readonly securityHub?: boolean;
  /** `-v`: the table shows each finding's guide link and lists what it otherwise counts. */
  readonly verbose?: boolean;
}

/** `--aws` flags checked, the region resolved from the environment when not given; the run's deadlines are the cluster's when given. */
export function awsSource(args: Pick<ScanArgs, 'aws' | 'awsDump'> & Partial<Pick<ScanArgs, 'securityHub' | 'output'>>, io: Io, live?: Pick<LiveSources, 'requestTimeoutMs' | 'signal'>): AwsSourceOptions | undefined {
  const aws = args.aws;
  if (aws === undefined) return undefined;
  // Without --aws, --region names the region of ASFF findings (and of Security Hub), nothing is read live.
  if (!aws.enabled && (args.securityHub === true || (args.output ?? []).some((o) => o.startsWith('asff')))) return undefined;
  if (!aws.enabled) throw new UsageError('--region, --profile and --role-arn go with --aws', 'Add --aws to read AWS evidence live.');
  if (args.awsDump !== undefined) throw new UsageError('--aws and --aws-dump read the same evidence: give one', 'Use --aws-dump DIR for AWS CLI output files, --aws to read live.');
  const region = aws.region ?? (io.env.AWS_REGION || undefined) ?? (io.env.AWS_DEFAULT_REGION || undefined);
  if (region === undefined) throw new UsageError('--aws needs a region', 'Give --region REGION, or set AWS_REGION.');
  return {
    region, env: io.env, ...(aws.profile !== undefined ? { profile: aws.profile } : {}), ...(aws.roleArn !== undefined ? { roleArn: aws.roleArn } : {}),
    ...(live?.signal !== undefined ? { signal: live.signal } : {}), ...(live?.requestTimeoutMs !== undefined ? { requestTimeoutMs: live.requestTimeoutMs } : {}),
  };
}

/** `-o FORMAT[=FILE]` and `--output-file` of the scan formats (src/cli/report-output.ts). */
export function parseOutputs(specs: readonly string[], outputFile?: string): OutputTarget[] {
  return parseReportTargets(specs, outputFile, OUTPUT_FORMATS, 'table');
}

/** What reports need besides the result: the baseline, the time, and where in AWS the findings are. */
export interface RenderExtras {
  readonly baseline: BaselineSummary | undefined;
  readonly generatedAt: string;
  readonly asff: () => AsffContext;
  /** Columns of the table: the terminal's, or 100 for a file or a pipe. */
  readonly width: number;
  readonly verbose: boolean;
}

/**
 * A report's text, or (JSON) its pieces in order, written as they come so a large report is never one string.
 * Each format's renderer is loaded when its report is asked for: a scan loads only those it writes.
 */
export async function render(format: OutputFormat, result: ScanResult, cwd: string, color: boolean, extras: RenderExtras): Promise<string | Iterable<string>> {
  const { baseline, generatedAt } = extras;
  const context = { version: VERSION, sources: result.sources, rules: result.rules, cwd, ...(baseline !== undefined ? { baseline } : {}) };
  switch (format) {
    case 'json': return (await import('../../report/json.js')).jsonReportChunks(result, context);
    case 'sarif': return (await import('../../report/sarif.js')).renderSarif(result, { ...context, notRun: rulesNotRun(result) });
    case 'junit': return (await import('../../report/junit.js')).renderJunit(result);
    case 'markdown': return (await import('../../report/markdown.js')).renderMarkdown(result, context);
    case 'table': return (await import('../../report/table.js')).renderTable(result, context, { color, width: extras.width, verbose: extras.verbose, docs: new Map(result.rules.map((r) => [r.rule.id, r.rule.meta.docs.url])) });
    case 'html': {
      const [{ htmlFromScan }, { renderHtml }] = await Promise.all([import('../../report/html/adapters.js'), import('../../report/html/page.js')]);
      return renderHtml(htmlFromScan(result, { ...context, generatedAt, facts: scanFacts(result) }));
    }
    case 'ocsf': return (await import('../../report/ocsf.js')).renderOcsf(result, { ...context, generatedAt, aws: scanAwsScope(result) });
    case 'asff': return (await import('../../report/asff.js')).renderAsff(result, extras.asff());
  }
}

/** The built-in rules the scan did not run (opt-in, off in the config, or left out by --rule), at their default severity. */
function rulesNotRun(result: ScanResult): ReportedRule[] {
  const ran = new Set(result.rules.map((r) => r.rule.id));
  return (Object.values(builtinRules) as AnyRule[]).filter((rule) => !ran.has(rule.id)).map((rule) => ({ rule, severity: rule.meta.severity }));
}

/**
 * The account, region and target of ASFF findings: `--aws-account` and `--region` when given, else
 * the ARNs of the AWS evidence. Without both there is no ProductArn: a usage error saying so.
 */
export function asffContext(result: ScanResult, args: ScanArgs, io: Io, generatedAt: string): AsffContext {
  const scope = scanAwsScope(result);
  const account = args.awsAccount ?? scope.account;
  const region = args.aws?.region ?? scope.region ?? (args.aws?.enabled === true ? io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || undefined : undefined);
  if (account === undefined || region === undefined) {
    throw new UsageError(
      `-o asff and --security-hub need the AWS account and region of the findings (${account === undefined ? 'no account' : 'no region'} in the AWS evidence or the options)`,
      'Give --aws-account ACCOUNT_ID and --region REGION, or scan AWS evidence with an EKS cluster (--aws, --aws-dump).',
    );
  }
  if (!/^\d{12}$/.test(account)) throw new UsageError(`--aws-account ${account}: expected a 12-digit AWS account id`);
  const clusters = (result.inventory.aws?.clusters ?? []).filter((c) => args.clusterName === undefined || c.name === args.clusterName);
  const only = clusters.length === 1 ? clusters[0] : undefined;
  const target = only?.name !== undefined ? `eks:${only.name}`
    : result.cluster !== undefined ? `cluster:${result.cluster.context}`
      : args.paths.length > 0 ? `files:${[...args.paths].sort().join(',')}` : 'aws';
  return { version: VERSION, rules: result.rules, generatedAt, account, region, target, ...(only?.arn !== undefined ? { clusterArn: only.arn } : {}) };
}

/** The AWS account and region of a scan: its EKS clusters' ARNs, else its findings' ARNs. */
export function scanAwsScope(result: ScanResult): AwsScope {
  return awsScopeOf([...(result.inventory.aws?.clusters ?? []).map((c) => c.arn ?? ''), ...findingArns(result.findings)]);
}

/** What the HTML header names besides the sources: the live cluster, the EKS clusters, the AWS account. */
function scanFacts(result: ScanResult): [string, string][] {
  const facts: [string, string][] = [];
  if (result.cluster !== undefined) facts.push(['Cluster', `${result.cluster.context} (${result.cluster.server}${result.cluster.version !== undefined ? `, ${result.cluster.version}` : ''})`]);
  const eks = (result.inventory.aws?.clusters ?? []).map((c) => c.name ?? '').filter((n) => n !== '');
  if (eks.length > 0) facts.push(['EKS clusters', eks.join(', ')]);
  const scope = scanAwsScope(result);
  if (scope.account !== undefined) facts.push(['AWS account', `${scope.account}${scope.region !== undefined ? ` (${scope.region})` : ''}`]);
  return facts;
}

/** Reads `--baseline FILE`; an unreadable or foreign file is a usage error naming it. */
export async function readBaseline(file: string, cwd: string): Promise<{ findings: readonly Finding[]; exempted: readonly Finding[] }> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`--baseline ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'Give a report written earlier by eksguard scan -o json.');
  }
  const { parseReportFindings } = await import('../../baseline/report-findings.js');
  return parseReportFindings(text, file);
}

/** The scan result with its findings marked against the baseline (exempted ones too, against the baseline's findings and exemptions). */
export async function withBaseline(result: ScanResult, file: string, old: { findings: readonly Finding[]; exempted: readonly Finding[] }): Promise<{ result: ScanResult; summary: BaselineSummary }> {
  const { applyBaseline } = await import('../../baseline/compare.js');
  const { findings, summary } = applyBaseline(file, old.findings, result.findings);
  const exempted = applyBaseline(file, [...old.findings, ...old.exempted], result.exempted).findings;
  return { result: { ...result, findings, exempted }, summary };
}

/** `--security-hub`: the import, one line on stderr saying what it did, and its gaps. `aws` holds the credentials' environment, profile and role. */
export async function importToSecurityHub(result: ScanResult, asff: AsffContext, aws: { readonly env: NodeJS.ProcessEnv; readonly profile?: string | undefined; readonly roleArn?: string | undefined; readonly requestTimeoutMs?: number | undefined; readonly signal?: AbortSignal | undefined }, io: Io): Promise<Gap[]> {
  const { createSecurityHubClient, syncSecurityHub } = await import('../../security-hub/sync.js');
  const { asffFindings, productArn } = await import('../../report/asff.js');
  const { requestLimits } = await import('../../collect/aws/bounds.js');
  const client = await createSecurityHubClient({ region: asff.region, env: aws.env, limits: requestLimits({ ...(aws.requestTimeoutMs !== undefined ? { requestTimeoutMs: aws.requestTimeoutMs } : {}), ...(aws.signal !== undefined ? { signal: aws.signal } : {}) }), ...(aws.profile !== undefined ? { profile: aws.profile } : {}), ...(aws.roleArn !== undefined ? { roleArn: aws.roleArn } : {}) });
  try {
    const outcome = await syncSecurityHub(client, { findings: asffFindings(result, asff), productArn: productArn(asff.region, asff.account), target: asff.target, complete: result.gaps.length === 0 }, asff.region);
    io.stderr.write(`eksguard: Security Hub (${asff.account}, ${asff.region}): ${outcome.imported} finding${outcome.imported === 1 ? '' : 's'} imported, ${outcome.resolved} resolved as fixed (target ${asff.target})\n`);
    return [...outcome.gaps];
  } finally {
    client.destroy();
  }
}

export async function runScan(args: ScanArgs, io: Io): Promise<ExitCode> {
  const live = liveSources(args.live, io);
  const aws = awsSource(args, io, live);
  if (args.paths.length === 0 && args.awsDump === undefined && aws === undefined && !live.any) throw new UsageError('nothing to scan', 'Give files, directories, or - to read standard input (helm template . | eksguard scan -), --cluster, --snapshot FILE, --aws-dump DIR, or --aws.');
  if (args.clusterName !== undefined && args.awsDump === undefined && aws === undefined) throw new UsageError('--cluster-name needs AWS evidence', 'Give --aws-dump DIR or --aws as well.');
  const outputs = parseOutputs(args.output, args.outputFile);
  const inputs = [...args.paths, ...(live.snapshot !== undefined ? [live.snapshot] : [])].map((path) => (path === '-' ? path : resolve(io.cwd, path)));
  for (const output of outputs) if (output.file !== undefined) await prepareOutputFile(resolve(io.cwd, output.file), undefined, inputs);
  const { config, file } = await loadConfig(args.config, io.cwd);
  // Read before the scan: a wrong baseline path should not cost a cluster read.
  const old = args.baseline !== undefined ? await readBaseline(args.baseline, io.cwd) : undefined;
  const scanned = await scanManifests({
    paths: args.paths,
    ...stdinFor(args.paths, io),
    config,
    ...(file ? { configFile: file } : {}),
    rules: args.rules,
    excludeNamespaces: args.excludeNamespaces,
    // Passing checks are kept only for the report that lists them: the list grows with rules × objects.
    recordChecks: outputs.some((o) => o.format === 'junit'),
    ...(args.awsDump !== undefined ? { awsDump: resolve(io.cwd, args.awsDump) } : {}),
    ...(args.clusterName !== undefined ? { clusterName: args.clusterName } : {}),
    ...(aws !== undefined ? { aws } : {}),
    cwd: io.cwd,
    ...(live.cluster !== undefined ? { cluster: live.cluster } : {}),
    ...(live.snapshot !== undefined ? { snapshot: live.snapshot } : {}),
  }).catch((error: unknown) => {
    live.finish(undefined); // clear the progress line before the error is printed
    throw error;
  });
  live.finish(scanned.cluster);
  const baselined = old !== undefined && args.baseline !== undefined ? await withBaseline(scanned, args.baseline, old) : undefined;
  const result = baselined?.result ?? scanned;
  const generatedAt = new Date().toISOString();
  // Checked before any report is written: without an account and region, no ASFF can be made.
  const asff = outputs.some((o) => o.format === 'asff') || args.securityHub === true ? asffContext(result, args, io, generatedAt) : undefined;
  const extras: Omit<RenderExtras, 'width'> = { baseline: baselined?.summary, generatedAt, verbose: args.verbose === true, asff: () => nullThrows(asff, 'the ASFF context is made when -o asff is given') };
  for (const output of outputs) {
    const color = output.file === undefined && wantsColor(io, args.color);
    const report = await render(output.format, result, io.cwd, color, { ...extras, width: output.file === undefined ? terminalWidth(io) : 100 });
    if (output.file !== undefined) await writeOutputFile(resolve(io.cwd, output.file), report);
    else if (typeof report === 'string') io.stdout.write(report);
    else await writeBatched(report, (batch) => (io.stdout.write(batch) === false ? once(io.stdout, 'drain') : Promise.resolve()));
  }

  const gaps: Gap[] = [...result.gaps];
  if (asff !== undefined && args.securityHub === true) gaps.push(...await importToSecurityHub(result, asff, { env: io.env, profile: args.aws?.profile, roleArn: args.aws?.roleArn, requestTimeoutMs: live.requestTimeoutMs, signal: live.signal }, io));
  for (const gap of gaps) io.stderr.write(gapLine(gap));
  // A run that judged nothing has not passed: the report says why per rule (notEvaluated), the exit code says it is no verdict.
  const nothingEvaluated = result.rules.length > 0 && result.notEvaluated.length === result.rules.length;
  if (nothingEvaluated) io.stderr.write(`eksguard: ${result.rules.length === 1 ? 'the selected rule could not' : `none of the ${result.rules.length} selected rules could`} be evaluated on this input (the report's "not evaluated" says why)\n`);
  if ((gaps.length > 0 || nothingEvaluated) && !args.allowGaps) return ExitCode.Fatal;
  const failOn = args.failOn ?? config.failOn ?? 'high';
  if (failOn === 'none') return ExitCode.Ok;
  // Findings the baseline already had do not fail the scan: only what is new does.
  return result.findings.some((f) => f.baselineState !== 'unchanged' && atLeast(f.severity, failOn)) ? ExitCode.Findings : ExitCode.Ok;
}
