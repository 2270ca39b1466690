import { Command, CommanderError, Option } from 'commander';
import { formatError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { ExitCode, type Io } from './io.js';

/** Repeatable list options: `--rule a --rule b` and `--rule a,b` both work. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
}

/**
 * The CLI as a function: parses arguments, calls the library, prints, returns the exit code.
 * Command modules are imported only when their command runs, so `--version` starts fast.
 */
export async function main(argv: readonly string[], io: Io): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Ok;
  let debug = false;
  const program = new Command('eksguard')
    .description('Audit Amazon EKS clusters and Kubernetes manifests against the EKS Best Practices Guide for Security.')
    .version(VERSION, '-V, --version')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError('(eksguard --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  program
    .command('scan')
    .description('scan Kubernetes manifests: files, directories (recursive), or - for standard input')
    .argument('[paths...]', 'files, directories, or - for stdin')
    .addOption(new Option('-o, --output <format>', 'report format').choices(['table', 'json']).default('table'))
    .option('--output-file <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above: critical|high|medium|low|none (default: high, or failOn in eksguard.yaml)')
    .option('--config <file>', 'configuration file (default: ./eksguard.yaml when present)')
    .option('--rule <id>', 'run only this rule (repeatable, or comma-separated)', collect)
    .option('--exclude-namespace <ns>', 'list findings in this namespace as exempted (repeatable, or comma-separated)', collect)
    .option('--allow-gaps', 'exit 0/1 even when some input could not be read (gaps are still reported)')
    .option('--color', 'force coloured output')
    .option('--no-color', 'disable coloured output')
    .action(async (paths: string[], opts: {
      output: 'table' | 'json'; outputFile?: string; failOn?: string; config?: string; rule?: string[];
      excludeNamespace?: string[]; allowGaps?: boolean; color?: boolean;
    }) => {
      const { runScan, parseFailOn } = await import('./commands/scan.js');
      exitCode = await runScan({
        paths,
        output: opts.output,
        ...(opts.outputFile !== undefined ? { outputFile: opts.outputFile } : {}),
        ...(opts.failOn !== undefined ? { failOn: parseFailOn(opts.failOn) } : {}),
        ...(opts.config !== undefined ? { config: opts.config } : {}),
        rules: opts.rule ?? [],
        excludeNamespaces: opts.excludeNamespace ?? [],
        allowGaps: opts.allowGaps === true,
        ...(argv.includes('--color') || argv.includes('--no-color') ? { color: opts.color !== false } : {}),
      }, io);
    });

  program
    .command('rules')
    .description('list the rules, or explain one')
    .argument('[id]', 'a rule id')
    .addOption(new Option('-o, --output <format>', 'format').choices(['table', 'json']).default('table'))
    .action(async (id: string | undefined, opts: { output: 'table' | 'json' }) => {
      const { runRules } = await import('./commands/rules.js');
      exitCode = runRules(id, opts.output, io);
    });

  try {
    debug = argv.includes('--debug');
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end in a CommanderError too, with exit code 0.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Fatal;
    }
    io.stderr.write(`${formatError(error, debug)}\n`);
    return ExitCode.Fatal;
  }
}

