import { resolve } from 'node:path';
import { SEVERITIES, atLeast, type Severity } from '../../core/finding.js';
import { UsageError } from '../../core/errors.js';
import { renderJson } from '../../report/json.js';
import { renderJunit } from '../../report/junit.js';
import { renderMarkdown } from '../../report/markdown.js';
import { renderSarif } from '../../report/sarif.js';
import { renderTable } from '../../report/table.js';
import { loadConfig, scanManifests, type AwsSourceOptions, type ScanResult } from '../../scan.js';
import { VERSION } from '../../version.js';
import { ExitCode, terminalWidth, wantsColor, type Io } from '../io.js';
import { liveSources, type LiveSourceFlags, type LiveSources } from '../live-sources.js';
import { prepareOutputFile, writeOutputFile } from '../output-file.js';

export const OUTPUT_FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown'] as const;
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
}

/** `--aws` flags checked, the region resolved from the environment when not given; the run's deadlines are the cluster's when given. */
export function awsSource(args: Pick<ScanArgs, 'aws' | 'awsDump'>, io: Io, live?: Pick<LiveSources, 'requestTimeoutMs' | 'signal'>): AwsSourceOptions | undefined {
  const aws = args.aws;
  if (aws === undefined) return undefined;
  if (!aws.enabled) throw new UsageError('--region, --profile and --role-arn go with --aws', 'Add --aws to read AWS evidence live.');
  if (args.awsDump !== undefined) throw new UsageError('--aws and --aws-dump read the same evidence: give one', 'Use --aws-dump DIR for AWS CLI output files, --aws to read live.');
  const region = aws.region ?? (io.env.AWS_REGION || undefined) ?? (io.env.AWS_DEFAULT_REGION || undefined);
  if (region === undefined) throw new UsageError('--aws needs a region', 'Give --region REGION, or set AWS_REGION.');
  return {
    region, env: io.env, ...(aws.profile !== undefined ? { profile: aws.profile } : {}), ...(aws.roleArn !== undefined ? { roleArn: aws.roleArn } : {}),
    ...(live?.signal !== undefined ? { signal: live.signal } : {}), ...(live?.requestTimeoutMs !== undefined ? { requestTimeoutMs: live.requestTimeoutMs } : {}),
  };
}

function parseFormat(value: string, spec: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new UsageError(`-o ${spec}: unknown format "${value}"; expected one of ${OUTPUT_FORMATS.join(', ')}`, 'Write -o FORMAT, or -o FORMAT=FILE to write that report to a file.');
}

/**
 * `-o FORMAT[=FILE]`, repeatable, plus `--output-file FILE` for the one format given without a file
 * (the single-format form `-o json --output-file report.json`). `-` as FILE is standard output, as
 * for inputs. At most one report goes to stdout, and no two to the same file.
 */
export function parseOutputs(specs: readonly string[], outputFile?: string): OutputTarget[] {
  const targets: OutputTarget[] = (specs.length === 0 ? ['table'] : specs).map((spec) => {
    const eq = spec.indexOf('=');
    if (eq === -1) return { format: parseFormat(spec, spec) };
    const file = spec.slice(eq + 1);
    if (file === '') throw new UsageError(`-o ${spec}: no file after "="`);
    return file === '-' ? { format: parseFormat(spec.slice(0, eq), spec) } : { format: parseFormat(spec.slice(0, eq), spec), file };
  });
  const toStdout = targets.filter((t) => t.file === undefined);
  if (outputFile !== undefined && outputFile !== '-') {
    const only = toStdout[0];
    if (toStdout.length !== 1 || only === undefined) {
      throw new UsageError(
        toStdout.length === 0 ? '--output-file: every -o already names its file' : `--output-file: ${toStdout.length} formats have no file (${toStdout.map((t) => t.format).join(', ')}); it can take only one`,
        'Name each file in its -o: -o table -o sarif=eksguard.sarif -o junit=eksguard.xml',
      );
    }
    targets[targets.indexOf(only)] = { format: only.format, file: outputFile };
  } else if (toStdout.length > 1) {
    throw new UsageError(`only one report can go to standard output, but ${toStdout.map((t) => `-o ${t.format}`).join(' and ')} have no file`, `Name a file for the others: -o ${toStdout[1]?.format ?? 'sarif'}=FILE`);
  }
  const files = new Set<string>();
  for (const t of targets) {
    if (t.file === undefined) continue;
    if (files.has(t.file)) throw new UsageError(`two reports would be written to ${t.file}`);
    files.add(t.file);
  }
  return targets;
}

function render(format: OutputFormat, result: ScanResult, cwd: string, color: boolean, width: number): string {
  const context = { version: VERSION, sources: result.sources, rules: result.rules, cwd };
  switch (format) {
    case 'json': return renderJson(result, context);
    case 'sarif': return renderSarif(result, context);
    case 'junit': return renderJunit(result);
    case 'markdown': return renderMarkdown(result, context);
    case 'table': return renderTable(result, context, { color, width });
  }
}

export function parseFailOn(value: string): Severity | 'none' {
  if (value === 'none' || (SEVERITIES as readonly string[]).includes(value)) return value as Severity | 'none';
  throw new UsageError(`--fail-on ${value}: expected one of ${[...SEVERITIES, 'none'].join(', ')}`);
}

export async function runScan(args: ScanArgs, io: Io): Promise<ExitCode> {
  const live = liveSources(args.live, io);
  const aws = awsSource(args, io, live);
  if (args.paths.length === 0 && args.awsDump === undefined && aws === undefined && !live.any) throw new UsageError('nothing to scan', 'Give files, directories, or - to read standard input (helm template . | eksguard scan -), --cluster, --snapshot FILE, --aws-dump DIR, or --aws.');
  if (args.clusterName !== undefined && args.awsDump === undefined && aws === undefined) throw new UsageError('--cluster-name needs AWS evidence', 'Give --aws-dump DIR or --aws as well.');
  const outputs = parseOutputs(args.output, args.outputFile);
  for (const output of outputs) if (output.file !== undefined) await prepareOutputFile(resolve(io.cwd, output.file));
  const { config, file } = await loadConfig(args.config, io.cwd);
  const result = await scanManifests({
    paths: args.paths,
    stdin: io.stdin,
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
  live.finish(result.cluster);
  for (const output of outputs) {
    const color = output.file === undefined && wantsColor(io, args.color);
    const report = render(output.format, result, io.cwd, color, output.file === undefined ? terminalWidth(io) : 100);
    if (output.file !== undefined) await writeOutputFile(resolve(io.cwd, output.file), report);
    else io.stdout.write(report);
  }

  for (const gap of result.gaps) io.stderr.write(`eksguard: ${gap.source}${gap.line !== undefined ? `:${gap.line}` : ''}: ${gap.message}\n`);
  // A run that judged nothing has not passed: the report says why per rule (notEvaluated), the exit code says it is no verdict.
  const nothingEvaluated = result.rules.length > 0 && result.notEvaluated.length === result.rules.length;
  if (nothingEvaluated) io.stderr.write(`eksguard: ${result.rules.length === 1 ? 'the selected rule could not' : `none of the ${result.rules.length} selected rules could`} be evaluated on this input (the report's "not evaluated" says why)\n`);
  if ((result.gaps.length > 0 || nothingEvaluated) && !args.allowGaps) return ExitCode.Fatal;
  const failOn = args.failOn ?? config.failOn ?? 'high';
  if (failOn === 'none') return ExitCode.Ok;
  return result.findings.some((f) => atLeast(f.severity, failOn)) ? ExitCode.Findings : ExitCode.Ok;
}
