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
    // Repeatable, and not split on commas as --rule is: a file name may contain one.
    .option('-o, --output <format[=file]>', 'report format: table|json|sarif|junit|markdown; FORMAT=FILE writes it to FILE (repeatable; default: table)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--output-file <file>', 'write the one report given without =FILE to this file instead of stdout')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above: critical|high|medium|low|none (default: high, or failOn in eksguard.yaml)')
    .option('--config <file>', 'configuration file (default: ./eksguard.yaml when present)')
    .option('--rule <id>', 'run only this rule (repeatable, or comma-separated)', collect)
    .option('--exclude-namespace <ns>', 'list findings in this namespace as exempted (repeatable, or comma-separated)', collect)
    .option('--allow-gaps', 'exit 0/1 even when some input could not be read (gaps are still reported)')
    .option('--color', 'force coloured output')
    .option('--no-color', 'disable coloured output')
    .addHelpText('after', `
Output:
  Several reports in one run: give -o once per format. At most one goes to standard output;
  name a file for the others with FORMAT=FILE (directories are created as needed).
  --output-file FILE is the file of the one format given without =FILE.

Examples:
  eksguard scan k8s/                                          table on the terminal
  eksguard scan k8s/ -o table -o sarif=eksguard.sarif         table, and SARIF for GitHub code scanning
  eksguard scan k8s/ -o junit=reports/eksguard.xml -o markdown=comment.md
  helm template . | eksguard scan - -o json --output-file report.json`)
    .action(async (paths: string[], opts: {
      output?: string[]; outputFile?: string; failOn?: string; config?: string; rule?: string[];
      excludeNamespace?: string[]; allowGaps?: boolean; color?: boolean;
    }) => {
      const { runScan, parseFailOn } = await import('./commands/scan.js');
      exitCode = await runScan({
        paths,
        output: opts.output ?? [],
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

  // `pss ... --version v1.N` is a policy version, not eksguard's own: for pss commands, global options
  // (--debug, -V) go before `pss`, so commander leaves the subcommand's --version to the subcommand.
  if (argv.find((arg) => !arg.startsWith('-')) === 'pss') program.enablePositionalOptions();
  const pss = program
    .command('pss')
    .description('Pod Security Standards: judge pod specs as Pod Security Admission does, and advise namespace labels');
  pss
    .command('check')
    .description("judge every pod spec (Pods and controllers' templates) at a level, or at its namespace's enforce labels")
    .argument('[paths...]', 'files, directories, or - for stdin')
    .addOption(new Option('--level <level>', "judge every pod spec at this level (default: each namespace's enforce label; PSA's default privileged when the Namespace is not in the input)").choices(['baseline', 'restricted']))
    .option('--version <version>', 'policy version: latest or v1.N (default: latest, or the namespace\'s enforce-version)')
    .addOption(new Option('-o, --output <format>', 'report format').choices(['table', 'json']).default('table'))
    .option('--allow-gaps', 'exit 0/1 even when some input could not be read (gaps are still reported)')
    .option('--color', 'force coloured output')
    .option('--no-color', 'disable coloured output')
    .option('--debug', 'print stack traces of errors')
    .addHelpText('after', `
Exit codes: 0 every pod spec allowed, 1 some denied, 2 usage error or unreadable input.

Examples:
  eksguard pss check k8s/ --level restricted                 what PSA restricted:latest would reject
  kubectl get ns,pods,deploy,ds,sts,cronjob -A -o yaml | eksguard pss check -     each namespace at its own labels
  eksguard pss check k8s/ --level baseline --version v1.29 -o json`)
    .action(async (paths: string[], opts: { level?: 'baseline' | 'restricted'; version?: string; output: 'table' | 'json'; allowGaps?: boolean; color?: boolean }) => {
      const { runPssCheck } = await import('./commands/pss.js');
      exitCode = await runPssCheck({
        paths,
        ...(opts.level !== undefined ? { level: opts.level } : {}),
        ...(opts.version !== undefined ? { version: opts.version } : {}),
        output: opts.output,
        allowGaps: opts.allowGaps === true,
        ...(argv.includes('--color') || argv.includes('--no-color') ? { color: opts.color !== false } : {}),
      }, io);
    });
  pss
    .command('advise')
    .description("the strictest level each namespace's workloads satisfy, what blocks the next one, and the labels to set")
    .argument('[paths...]', 'files, directories, or - for stdin')
    .option('--version <version>', 'policy version to judge at and to pin in the labels: latest or v1.N (default: latest)')
    .addOption(new Option('-o, --output <format>', 'table, json, or yaml (Namespace manifests with the labels, to apply)').choices(['table', 'json', 'yaml']).default('table'))
    .option('--allow-gaps', 'exit 0 even when some input could not be read (gaps are still reported)')
    .option('--color', 'force coloured output')
    .option('--no-color', 'disable coloured output')
    .option('--debug', 'print stack traces of errors')
    .addHelpText('after', `
Enforce is set to the strictest level every current workload passes; warn and audit one level
stricter, so what blocks tightening keeps showing. On clusters older than Kubernetes 1.37, give
--version v1.<cluster minor>: there, latest means that version's policy.

Examples:
  kubectl get ns,pods,deploy,ds,sts,cronjob -A -o yaml | eksguard pss advise -
  eksguard pss advise dump.yaml -o yaml > pss-labels.yaml     Namespace manifests to apply server-side`)
    .action(async (paths: string[], opts: { version?: string; output: 'table' | 'json' | 'yaml'; allowGaps?: boolean; color?: boolean }) => {
      const { runPssAdvise } = await import('./commands/pss.js');
      exitCode = await runPssAdvise({
        paths,
        ...(opts.version !== undefined ? { version: opts.version } : {}),
        output: opts.output,
        allowGaps: opts.allowGaps === true,
        ...(argv.includes('--color') || argv.includes('--no-color') ? { color: opts.color !== false } : {}),
      }, io);
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

