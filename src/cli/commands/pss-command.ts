/**
 * `eksguard pss check|advise`: options and help. Registering loads only commander; what runs the
 * commands is imported when they run.
 */
import { Option, type Command } from 'commander';
import type { CommandContext } from '../source-options.js';
import { collectList } from '../source-options.js';
import { CONTEXT_OPTION, KUBECONFIG_OPTION, requestTimeoutOption, timeoutOption } from '../options.js';
import { REPORT_FORMATS, colorChoice, parseFailOn, withReportOptions } from '../report-output.js';

interface PssFlags {
  version?: string; output?: string[]; outputFile?: string; failOn?: string; allowGaps?: boolean; color?: boolean;
  cluster?: boolean; context?: string; kubeconfig?: string; namespace?: string[]; snapshot?: string; quiet?: boolean; timeout?: string; requestTimeout?: string;
}

/** Where the pod specs come from besides paths: the live cluster (read-only) or a snapshot. */
function withPssSources(command: Command): Command {
  return command
    .option('--cluster', 'read the live cluster of a kubeconfig context: read-only, the Namespaces, Pods and pod controllers (see docs/cluster.md)')
    .option(...CONTEXT_OPTION)
    .option(...KUBECONFIG_OPTION)
    .option('-n, --namespace <ns>', 'with --cluster: this namespace only (repeatable, or comma-separated)', collectList)
    .option('--snapshot <file>', 'read an inventory saved by eksguard snapshot')
    .option(...timeoutOption())
    .option(...requestTimeoutOption())
    .option('-q, --quiet', 'no progress line on standard error');
}

async function sourceArgs(paths: string[], opts: PssFlags, argv: readonly string[]) {
  const { liveSourceFlags } = await import('../live-sources.js');
  return {
    paths,
    ...(opts.version !== undefined ? { version: opts.version } : {}),
    output: opts.output ?? [],
    ...(opts.outputFile !== undefined ? { outputFile: opts.outputFile } : {}),
    ...(opts.failOn !== undefined ? { failOn: parseFailOn(opts.failOn) } : {}),
    live: liveSourceFlags(opts),
    allowGaps: opts.allowGaps === true,
    ...colorChoice(argv, opts),
  };
}

export function registerPss(program: Command, { argv, io, setExitCode }: CommandContext): void {
  // `pss ... --version v1.N` is a policy version, not eksguard's own: for pss commands, global options
  // (--debug, -V) go before `pss`, so commander leaves the subcommand's --version to the subcommand.
  if (argv.find((arg) => !arg.startsWith('-')) === 'pss') program.enablePositionalOptions();
  const pss = program
    .command('pss')
    .description('Pod Security Standards: judge pod specs as Pod Security Admission does, and advise namespace labels');

  withReportOptions(withPssSources(pss
    .command('check')
    .description("judge every pod spec (Pods and controllers' templates) at a level, or at its namespace's enforce labels")
    .argument('[paths...]', 'files, directories, or - for stdin')
    .addOption(new Option('--level <level>', "judge every pod spec at this level (default: each namespace's enforce label; PSA's default privileged when the Namespace is not in the input)").choices(['baseline', 'restricted']))
    .option('--version <version>', 'policy version: latest or v1.N (default: latest, or the namespace\'s enforce-version)')), {
    formats: REPORT_FORMATS.pssCheck, fallback: 'table',
    failOn: { what: 'a violation of a denied pod spec is', fallback: 'info: any denied pod spec' },
  })
    .option('--allow-gaps', 'exit 0/1 even when some input could not be read (gaps are still reported)')
    .option('--debug', 'print stack traces of errors')
    .addHelpText('after', `
A violation is as severe as the eksguard rule that checks the same field (see eksguard rules);
checks no rule covers are high at baseline, medium at restricted.
Exit codes: 0 every pod spec allowed (or none at or above --fail-on), 1 some denied, 2 usage error or unreadable input.

Examples:
  eksguard pss check k8s/ --level restricted                 what PSA restricted:latest would reject
  kubectl get ns,pods,deploy,ds,sts,cronjob -A -o yaml | eksguard pss check -     each namespace at its own labels
  eksguard pss check --cluster --level baseline              the live cluster of the current context
  eksguard pss check k8s/ --level baseline --version v1.29 -o json -o sarif=pss.sarif`)
    .action(async (paths: string[], opts: PssFlags & { level?: 'baseline' | 'restricted' }) => {
      const { runPssCheck } = await import('./pss.js');
      setExitCode(await runPssCheck({ ...(await sourceArgs(paths, opts, argv)), ...(opts.level !== undefined ? { level: opts.level } : {}) }, io));
    });

  withReportOptions(withPssSources(pss
    .command('advise')
    .description("the strictest level each namespace's workloads satisfy, what blocks the next one, and the labels to set")
    .argument('[paths...]', 'files, directories, or - for stdin')
    .option('--version <version>', 'policy version to judge at and to pin in the labels: latest or v1.N (default: latest)')), {
    formats: REPORT_FORMATS.pssAdvise, fallback: 'table', notes: ' (yaml: Namespace manifests with the labels, to apply; sarif, junit, markdown: what blocks the next level)',
    failOn: { what: 'a violation blocking the next level is', fallback: 'none: advice is no verdict' },
  })
    .option('--allow-gaps', 'exit 0 even when some input could not be read (gaps are still reported)')
    .option('--debug', 'print stack traces of errors')
    .addHelpText('after', `
Enforce is set to the strictest level every current workload passes; warn and audit one level
stricter, so what blocks tightening keeps showing. On clusters older than Kubernetes 1.37, give
--version v1.<cluster minor>: there, latest means that version's policy.

Examples:
  kubectl get ns,pods,deploy,ds,sts,cronjob -A -o yaml | eksguard pss advise -
  eksguard pss advise --cluster -o yaml=pss-labels.yaml      Namespace manifests to apply server-side
  eksguard pss advise dump.yaml -o yaml > pss-labels.yaml`)
    .action(async (paths: string[], opts: PssFlags) => {
      const { runPssAdvise } = await import('./pss.js');
      setExitCode(await runPssAdvise(await sourceArgs(paths, opts, argv), io));
    });
}
