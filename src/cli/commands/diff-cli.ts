/**
 * The `diff` command's options, registered from main.ts; the implementation (diff.ts) is imported
 * only when the command runs, so other commands start without it.
 */
import { Option, type Command } from 'commander';
import type { ExitCode, Io } from '../io.js';
import { failOnHelp, parseFailOn } from '../report-output.js';

/** Registers `diff` on the program; `setExit` receives its exit code. */
export function registerDiff(program: Command, argv: readonly string[], io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('diff')
    .description('new, fixed and unchanged findings between two -o json reports (fingerprints survive moved lines and renamed files)')
    .argument('<old>', 'the earlier report (eksguard scan -o json)')
    .argument('<new>', 'the later report')
    .addOption(new Option('-o, --output <format>', 'report format').choices(['table', 'markdown', 'json']).default('table'))
    .option('--output-file <file>', 'write the report to this file instead of stdout')
    .option('--fail-on <severity>', failOnHelp('a new finding is', 'high'))
    .option('--color', 'force coloured output')
    .option('--no-color', 'disable coloured output')
    .addHelpText('after', `
Examples:
  eksguard diff main.json pr.json                        what a change adds and fixes
  eksguard diff main.json pr.json -o markdown > comment.md   a pull-request comment`)
    .action(async (old: string, next: string, opts: { output: 'table' | 'markdown' | 'json'; outputFile?: string; failOn?: string; color?: boolean }) => {
      const { runDiff } = await import('./diff.js');
      setExit(await runDiff({
        old, new: next, output: opts.output,
        ...(opts.outputFile !== undefined ? { outputFile: opts.outputFile } : {}),
        ...(opts.failOn !== undefined ? { failOn: parseFailOn(opts.failOn) } : {}),
        ...(argv.includes('--color') || argv.includes('--no-color') ? { color: opts.color !== false } : {}),
      }, io));
    });
}
