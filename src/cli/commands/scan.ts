import { writeFile } from 'node:fs/promises';
import { SEVERITIES, atLeast, type Severity } from '../../core/finding.js';
import { UsageError } from '../../core/errors.js';
import { renderJson } from '../../report/json.js';
import { renderTable } from '../../report/table.js';
import { loadConfig, scanManifests } from '../../scan.js';
import { VERSION } from '../../version.js';
import { ExitCode, wantsColor, type Io } from '../io.js';

export const OUTPUT_FORMATS = ['table', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface ScanArgs {
  readonly paths: readonly string[];
  readonly output: OutputFormat;
  readonly outputFile?: string;
  readonly failOn?: Severity | 'none';
  readonly config?: string;
  readonly rules: readonly string[];
  readonly excludeNamespaces: readonly string[];
  readonly allowGaps: boolean;
  readonly color?: boolean;
}

export function parseFailOn(value: string): Severity | 'none' {
  if (value === 'none' || (SEVERITIES as readonly string[]).includes(value)) return value as Severity | 'none';
  throw new UsageError(`--fail-on ${value}: expected one of ${[...SEVERITIES, 'none'].join(', ')}`);
}

export async function runScan(args: ScanArgs, io: Io): Promise<ExitCode> {
  if (args.paths.length === 0) throw new UsageError('nothing to scan', 'Give files, directories, or - to read standard input (helm template . | eksguard scan -).');
  const { config, file } = await loadConfig(args.config, io.cwd);
  const result = await scanManifests({
    paths: args.paths,
    stdin: io.stdin,
    config,
    ...(file ? { configFile: file } : {}),
    rules: args.rules,
    excludeNamespaces: args.excludeNamespaces,
  });
  const context = { version: VERSION, sources: result.sources };
  const toFile = args.outputFile !== undefined;
  const report = args.output === 'json'
    ? renderJson(result, context)
    : renderTable(result, context, { color: !toFile && wantsColor(io, args.color) });
  if (toFile) await writeFile(args.outputFile as string, report);
  else io.stdout.write(report);

  for (const gap of result.gaps) io.stderr.write(`eksguard: ${gap.source}${gap.line !== undefined ? `:${gap.line}` : ''}: ${gap.message}\n`);
  if (result.gaps.length > 0 && !args.allowGaps) return ExitCode.Fatal;
  const failOn = args.failOn ?? config.failOn ?? 'high';
  if (failOn === 'none') return ExitCode.Ok;
  return result.findings.some((f) => atLeast(f.severity, failOn)) ? ExitCode.Findings : ExitCode.Ok;
}
