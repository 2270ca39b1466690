/**
 * The report grammar every reporting command shares: `-o FORMAT[=FILE]` (repeatable),
 * `--output-file FILE`, `--fail-on SEVERITY`, `--color/--no-color`. Each command declares the
 * formats it writes once; the help text, the parser and the error messages are made from that
 * list, so what help says is what is accepted. Light to import: commands register at start-up.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { didYouMean } from '../core/did-you-mean.js';
import { UsageError } from '../core/errors.js';
import { SEVERITIES, type Severity } from '../core/finding.js';
import { terminalWidth, wantsColor, type Io } from './io.js';
import { repeat } from './options.js';
import { prepareOutputFile, writeOutputFile } from './output-file.js';

/** `--fail-on` values, worst first, and `none`: help and the parser both read this list. */
export const FAIL_ON_VALUES: readonly (Severity | 'none')[] = [...SEVERITIES, 'none'];

/**
 * The formats each reporting command writes, in the order help lists them. Commands, their help
 * and their errors all read these lists (test/cli/help-grammar.test.ts checks they agree).
 */
export const REPORT_FORMATS = {
  scan: ['table', 'json', 'sarif', 'junit', 'markdown', 'html', 'ocsf', 'asff'],
  auditAnalyze: ['table', 'json', 'sarif', 'junit', 'markdown', 'html', 'ocsf'],
  rbacRisky: ['table', 'json', 'sarif', 'junit', 'markdown', 'html'],
  pssCheck: ['table', 'json', 'sarif', 'junit', 'markdown'],
  pssAdvise: ['table', 'json', 'yaml', 'sarif', 'junit', 'markdown'],
} as const;

/** One report to write: to `file`, or to standard output when it has none. */
export interface ReportTarget<F extends string = string> {
  readonly format: F;
  readonly file?: string;
}

const quote = (name: string): string => `"${name}"`;

export function parseFailOn(value: string): Severity | 'none' {
  if ((FAIL_ON_VALUES as readonly string[]).includes(value)) return value as Severity | 'none';
  throw new UsageError(`--fail-on ${value}: expected one of ${FAIL_ON_VALUES.join(', ')}${didYouMean(value, FAIL_ON_VALUES, quote)}`);
}

/** The help of `--fail-on`; `what` is what is counted (`a finding`, `a risk`, `a pod spec is denied`...). */
export function failOnHelp(what: string, fallback: string): string {
  return `exit 1 when ${what} at or above: ${FAIL_ON_VALUES.join('|')} (default: ${fallback})`;
}

function parseFormat<F extends string>(value: string, spec: string, formats: readonly F[]): F {
  if ((formats as readonly string[]).includes(value)) return value as F;
  throw new UsageError(`-o ${spec}: unknown format "${value}"; expected one of ${formats.join(', ')}${didYouMean(value, formats, quote)}`, 'Write -o FORMAT, or -o FORMAT=FILE to write that report to a file.');
}

/**
 * `-o FORMAT[=FILE]`, repeatable, plus `--output-file FILE` for the one format given without a file
 * (the single-format form `-o json --output-file report.json`). `-` as FILE is standard output, as
 * for inputs. At most one report goes to stdout, and no two to the same file.
 */
export function parseReportTargets<F extends string>(specs: readonly string[], outputFile: string | undefined, formats: readonly F[], fallback: F): ReportTarget<F>[] {
  const targets: ReportTarget<F>[] = (specs.length === 0 ? [fallback] : specs).map((spec) => {
    const eq = spec.indexOf('=');
    if (eq === -1) return { format: parseFormat(spec, spec, formats) };
    const file = spec.slice(eq + 1);
    if (file === '') throw new UsageError(`-o ${spec}: no file after "="`);
    const format = parseFormat(spec.slice(0, eq), spec, formats);
    return file === '-' ? { format } : { format, file };
  });
  const toStdout = targets.filter((t) => t.file === undefined);
  if (outputFile !== undefined && outputFile !== '-') {
    const only = toStdout[0];
    if (toStdout.length !== 1 || only === undefined) {
      throw new UsageError(
        toStdout.length === 0 ? '--output-file: every -o already names its file' : `--output-file: ${toStdout.length} formats have no file (${toStdout.map((t) => t.format).join(', ')}); it can take only one`,
        `Name each file in its -o: -o ${formats[0] ?? 'table'} -o ${formats[1] ?? 'json'}=FILE`,
      );
    }
    targets[targets.indexOf(only)] = { format: only.format, file: outputFile };
  } else if (toStdout.length > 1) {
    throw new UsageError(`only one report can go to standard output, but ${toStdout.map((t) => `-o ${t.format}`).join(' and ')} have no file`, `Name a file for the others: -o ${toStdout[1]?.format ?? 'json'}=FILE`);
  }
  const files = new Set<string>();
  for (const t of targets) {
    if (t.file === undefined) continue;
    if (files.has(t.file)) throw new UsageError(`two reports would be written to ${t.file}`);
    files.add(t.file);
  }
  return targets;
}

/** The help of `-o`, made from the formats the command accepts. */
export function outputHelp(formats: readonly string[], fallback: string, notes = ''): string {
  return `report format: ${formats.join('|')}${notes}; FORMAT=FILE writes it to FILE (repeatable; default: ${fallback})`;
}

export interface ReportOptionSpec {
  readonly formats: readonly string[];
  /** The format without `-o` (table). */
  readonly fallback: string;
  /** Words after the format list in `-o`'s help (`, yaml: Namespace manifests`). */
  readonly notes?: string;
  /** `--fail-on`'s help, when the command has a verdict. */
  readonly failOn?: { readonly what: string; readonly fallback: string };
}

/** Adds `-o`, `--output-file` and `--fail-on` (with a verdict) to a command. */
export function withOutputOptions(command: Command, spec: ReportOptionSpec): Command {
  command
    .option('-o, --output <format[=file]>', outputHelp(spec.formats, spec.fallback, spec.notes), repeat)
    .option('--output-file <file>', 'write the one report given without =FILE to this file instead of stdout');
  if (spec.failOn !== undefined) command.option('--fail-on <severity>', failOnHelp(spec.failOn.what, spec.failOn.fallback));
  return command;
}

/** `withOutputOptions` and `--color/--no-color`. */
export function withReportOptions(command: Command, spec: ReportOptionSpec): Command {
  return withColorOptions(withOutputOptions(command, spec));
}

export function withColorOptions(command: Command): Command {
  return command
    .option('--color', 'force coloured output')
    .option('--no-color', 'disable coloured output');
}

/**
 * `--color/--no-color` on commands whose output is never coloured (YAML, JSON, scripts): accepted,
 * so that a script can pass the same flags to every eksguard command.
 */
export function withPlainOutput(command: Command): Command {
  return command
    .option('--color', 'accepted for a uniform command line; this output is never coloured')
    .option('--no-color', 'accepted for a uniform command line; this output is never coloured');
}

/** `{ color }` when `--color` or `--no-color` was given (commander cannot tell "not given" from the default). */
export function colorChoice(argv: readonly string[], opts: { color?: boolean }): { color?: boolean } {
  return argv.includes('--color') || argv.includes('--no-color') ? { color: opts.color !== false } : {};
}

/** The files a run reads, absolute (`-` kept): a report must not be written over one of them. */
export function inputFiles(io: Io, paths: readonly string[], more: readonly (string | undefined)[] = []): string[] {
  return [...paths, ...more.filter((p): p is string => p !== undefined)].map((path) => (path === '-' ? path : resolve(io.cwd, path)));
}

/** Checks every report file before the work starts: a bad path, or an input, fails at once in one line. */
export async function prepareReportTargets(targets: readonly ReportTarget[], io: Io, inputs: readonly string[]): Promise<void> {
  for (const t of targets) if (t.file !== undefined) await prepareOutputFile(resolve(io.cwd, t.file), undefined, inputs);
}

/** How a table is drawn: colour and width for the terminal, plain at 100 columns for a file. */
export interface TextStyle {
  readonly color: boolean;
  readonly width: number;
}

/** Renders and writes each report: to its file, or to standard output. */
export async function writeReportTargets<F extends string>(targets: readonly ReportTarget<F>[], io: Io, color: boolean | undefined, render: (format: F, style: TextStyle) => string): Promise<void> {
  for (const t of targets) {
    const style = t.file === undefined ? { color: wantsColor(io, color), width: terminalWidth(io) } : { color: false, width: 100 };
    const text = render(t.format, style);
    if (t.file !== undefined) await writeOutputFile(resolve(io.cwd, t.file), text);
    else io.stdout.write(text);
  }
}
