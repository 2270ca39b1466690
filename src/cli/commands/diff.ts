/** `eksguard diff OLD.json NEW.json`: what changed between two `-o json` reports. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { compareFindings } from '../../baseline/compare.js';
import { parseReportFindings } from '../../baseline/report-findings.js';
import { renderDiffJson, renderDiffMarkdown, renderDiffTable } from '../../baseline/render-diff.js';
import { UsageError } from '../../core/errors.js';
import { atLeast, type Severity } from '../../core/finding.js';
import { VERSION } from '../../version.js';
import { ExitCode, wantsColor, type Io } from '../io.js';

export interface DiffArgs {
  readonly old: string;
  readonly new: string;
  readonly output: 'table' | 'markdown' | 'json';
  readonly outputFile?: string;
  readonly failOn?: Severity | 'none';
  readonly color?: boolean;
}

async function readReport(file: string, cwd: string) {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'Give two reports written by eksguard scan -o json.');
  }
  return parseReportFindings(text, file);
}

/** Exit 1 when a new finding is at or above --fail-on (default: high), as `scan --baseline` would. */
export async function runDiff(args: DiffArgs, io: Io): Promise<ExitCode> {
  const [before, after] = await Promise.all([readReport(args.old, io.cwd), readReport(args.new, io.cwd)]);
  const comparison = compareFindings(before.findings, after.findings);
  const files = { old: args.old, new: args.new };
  const toFile = args.outputFile !== undefined;
  const text = args.output === 'json'
    ? renderDiffJson(comparison, files, VERSION)
    : args.output === 'markdown' ? renderDiffMarkdown(comparison, VERSION) : renderDiffTable(comparison, files, !toFile && wantsColor(io, args.color));
  if (args.outputFile !== undefined) {
    const file = resolve(io.cwd, args.outputFile);
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
    } catch (error) {
      throw new UsageError(`cannot write ${args.outputFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'Check that the directory is writable.');
    }
  } else {
    io.stdout.write(text);
  }
  const failOn = args.failOn ?? 'high';
  if (failOn === 'none') return ExitCode.Ok;
  return comparison.new.some((f) => atLeast(f.severity, failOn)) ? ExitCode.Findings : ExitCode.Ok;
}

