import { Command, CommanderError, Option } from 'commander';
import { AuditorError, formatError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { CONTEXT_OPTION, KUBECONFIG_OPTION, clusterNameArg, clusterNameList, collect, repeat, requestTimeoutOption, timeoutOption, verboseOption } from './options.js';
import { REPORT_FORMATS, colorChoice, failOnHelp, outputHelp, parseFailOn } from './report-output.js';
import { ExitCode, withTerminalHint, type Io } from './io.js';
import { isFleetScan, withFleetOptions, type FleetFlags } from './commands/fleet-options.js';
import { parserError } from './parser-errors.js';

/** The commands this file registers itself: a command line naming one of them loads no other command's module. */
const OWN_COMMANDS: ReadonlySet<string> = new Set(['scan', 'snapshot', 'rules', 'rbac']);

/**
 * The modules that register the other commands, loaded only when the command line may name one of
 * them or needs every command (help, completion, a mistyped name): a scan loads none of them, nor
 * commander's work of declaring their options. The command is the first word (the program's own
 * options take no value).
 */
async function commandModules(argv: readonly string[]) {
  const word = argv.find((arg) => !arg.startsWith('-'));
  if (word !== undefined && OWN_COMMANDS.has(word)) return undefined;
  const [pss, audit, generate, incident, webhook, fix, diff, completion] = await Promise.all([
    import('./commands/pss-command.js'), import('./commands/audit-command.js'), import('./commands/generate.js'), import('./commands/incident.js'),
    import('./commands/webhook.js'), import('./commands/fix.js'), import('./commands/diff-cli.js'), import('./commands/completion.js'),
  ]);
  return { ...pss, ...audit, ...generate, ...incident, ...webhook, ...fix, ...diff, ...completion };
}


/** The sources and output switches the rbac commands share (`--aws-dump`, `--cluster`, `--snapshot`, ...). */
function withRbacSources(command: Command, exitWithGaps: string): Command {
  return command
    .option('--aws-dump <dir>', 'AWS evidence offline (EKS access entries and access policies), see docs/aws-evidence.md')
    .option('--cluster-name <name>', 'with --aws-dump: the EKS cluster whose access entries count', clusterNameArg)
    .option('--cluster', 'read the live cluster of a kubeconfig context: read-only, the RBAC objects and aws-auth (see docs/cluster.md)')
    .option(...CONTEXT_OPTION)
    .option(...KUBECONFIG_OPTION)
    .option('--snapshot <file>', 'read an inventory saved by eksguard snapshot')
    .option(...timeoutOption())
    .option(...requestTimeoutOption())
    .option('-q, --quiet', 'no progress line on standard error')
    .option('--allow-gaps', `${exitWithGaps} even when some input could not be read (gaps are still reported)`)
    .option('--color', 'force coloured output')
    .option('--no-color', 'disable coloured output');
}

/**
 * The CLI as a function: parses arguments, calls the library, prints, returns the exit code.
 * Command modules are imported only when their command runs, so `--version` starts fast.
 */
export async function main(argv: readonly string[], processIo: Io): Promise<ExitCode> {
  const io = withTerminalHint(processIo);
  const commands = await commandModules(argv);
  let exitCode: ExitCode = ExitCode.Ok;
  let debug = false;
  const program = new Command('eksguard')
    .description('Audit Amazon EKS clusters and Kubernetes manifests against the EKS Best Practices Guide for Security.')
    .version(VERSION, '-V, --version')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError('(eksguard --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: (s, write) => write(parserError(s)) });

  withFleetOptions(program
    .command('scan')
    .description('scan manifests (files, directories, - for stdin), a live cluster (--cluster) and AWS evidence (--aws, --aws-dump)')
    .argument('[paths...]', 'files, directories, or - for stdin')
    // Repeatable, and not split on commas as --rule is: a file name may contain one.
    .option('-o, --output <format[=file]>', outputHelp(REPORT_FORMATS.scan, 'table'), repeat)
    .option('--output-file <file>', 'write the one report given without =FILE to this file instead of stdout')
    .option('--fail-on <severity>', failOnHelp('a finding is', 'high, or failOn in eksguard.yaml'))
    .option('--config <file>', 'configuration file (default: ./eksguard.yaml when present)')
    .option('--rule <id>', 'run only this rule (repeatable, or comma-separated)', collect)
    .option('--exclude-namespace <ns>', 'list findings in this namespace as exempted (repeatable, or comma-separated)', collect)
    .option('--allow-gaps', 'exit 0/1 even when some input could not be read (gaps are still reported)')
    .option('--aws-dump <dir>', 'AWS evidence offline: a directory of AWS CLI output files (--output json), see docs/aws-evidence.md')
    .option('--cluster-name <name>', 'with --aws-dump or --aws: audit only this EKS cluster (default: every cluster found); repeatable in a fleet scan', clusterNameList)
    .option('--aws', 'AWS evidence live: read-only AWS SDK calls with the default credential chain, see docs/aws-evidence.md')
    .option('--region <region>', 'with --aws: the AWS region (default: $AWS_REGION, then $AWS_DEFAULT_REGION)')
    .option('--profile <name>', 'with --aws: the AWS shared-config profile')
    .option('--role-arn <arn>', 'with --aws: assume this IAM role first (e.g. a read-only audit role, deploy/iam-policy.json)')
    .option('--cluster', 'read the live cluster of a kubeconfig context: read-only, only what the enabled rules need (see docs/cluster.md)')
    .option(...CONTEXT_OPTION)
    .option(...KUBECONFIG_OPTION)
    .option('-n, --namespace <ns>', 'with --cluster: namespaced objects of this namespace only (repeatable, or comma-separated)', collect)
    .option('--kubelet-config', 'with --cluster: also read each node\'s kubelet configuration (/configz through the API server); needs nodes/proxy, see docs/cluster.md')
    .option('--snapshot <file>', 'scan an inventory saved by eksguard snapshot instead of the live cluster')
    .option(...timeoutOption('--cluster or --aws'))
    .option(...requestTimeoutOption('--cluster or --aws'))
    .option('-q, --quiet', 'no progress line on standard error')
    .option(...verboseOption('the docs link of each finding, each exempted finding and rule not evaluated instead of counts'))
    .option('--color', 'force coloured output')
    .option('--no-color', 'disable coloured output')
    .option('--baseline <file>', 'a previous -o json report: its findings are marked baseline and do not fail the scan (docs/reports.md)')
    .option('--security-hub', 'import the findings into AWS Security Hub (ASFF) and resolve those of the last import now fixed; needs deploy/iam-policy-security-hub.json')
    .option('--aws-account <id>', 'with -o asff or --security-hub: the AWS account of the findings (default: from the AWS evidence)')
    .addHelpText('after', `
Output:
  Several reports in one run: give -o once per format. At most one goes to standard output;
  name a file for the others with FORMAT=FILE (directories are created as needed).
  --output-file FILE is the file of the one format given without =FILE.

Examples:
  eksguard scan k8s/                                          table on the terminal
  eksguard scan k8s/ -o table -o sarif=eksguard.sarif         table, and SARIF for GitHub code scanning
  eksguard scan k8s/ -o junit=reports/eksguard.xml -o markdown=comment.md
  helm template . | eksguard scan - -o json --output-file report.json
  eksguard scan --aws-dump aws-evidence/ --cluster-name prod  AWS side of one cluster, from AWS CLI output
  eksguard scan cluster-dump.yaml --aws-dump aws-evidence/    Kubernetes and AWS evidence together
  eksguard scan --aws --region eu-west-1 --cluster-name prod  AWS side of one cluster, read live (read-only)
  eksguard scan --cluster                                     the cluster of the current kubeconfig context
  eksguard scan --cluster --context prod -n shop -n payments  two namespaces of another context
  eksguard scan --snapshot prod-snapshot.json                 a snapshot saved by eksguard snapshot

Fleets (docs/fleet.md): --regions, --all-regions, --org-role with --accounts or --all-accounts,
--with-kubernetes, --concurrency, --cluster-name repeated, or an -o file naming {account}, {region}
or {cluster} scan every cluster found, one report per cluster, and print a fleet summary.
  eksguard scan --aws --region us-east-1 --all-regions --org-role eksguard-audit --all-accounts \\
    --with-kubernetes -o json=reports/{account}/{region}/{cluster}.json`))
    .action(async (paths: string[], opts: {
      output?: string[]; outputFile?: string; failOn?: string; config?: string; rule?: string[];
      excludeNamespace?: string[]; allowGaps?: boolean; color?: boolean; awsDump?: string; clusterName?: string[];
      cluster?: boolean; context?: string; kubeconfig?: string; namespace?: string[]; snapshot?: string; quiet?: boolean;
      aws?: boolean; region?: string; profile?: string; roleArn?: string; baseline?: string; securityHub?: boolean; awsAccount?: string; verbose?: boolean;
    } & FleetFlags) => {
      const { runScan, parseFailOn } = await import('./commands/scan.js');
      if (isFleetScan({ ...opts, paths })) {
        const { runFleetScan } = await import('./commands/fleet.js');
        exitCode = await runFleetScan({ ...opts, paths }, argv, io);
        return;
      }
      const { liveSourceFlags } = await import('./live-sources.js');
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
        ...(opts.awsDump !== undefined ? { awsDump: opts.awsDump } : {}),
        ...(opts.clusterName?.[0] !== undefined ? { clusterName: opts.clusterName[0] } : {}),
        ...(opts.aws === true || opts.region !== undefined || opts.profile !== undefined || opts.roleArn !== undefined
          ? { aws: { enabled: opts.aws === true, ...(opts.region !== undefined ? { region: opts.region } : {}), ...(opts.profile !== undefined ? { profile: opts.profile } : {}), ...(opts.roleArn !== undefined ? { roleArn: opts.roleArn } : {}) } }
          : {}),
        live: liveSourceFlags(opts),
        ...(opts.baseline !== undefined ? { baseline: opts.baseline } : {}),
        ...(opts.awsAccount !== undefined ? { awsAccount: opts.awsAccount } : {}),
        securityHub: opts.securityHub === true,
        verbose: opts.verbose === true,
      }, io);
    });

  program
    .command('snapshot')
    .description('save what a scan reads (manifests, the live cluster, AWS evidence) to one file, to scan later with scan --snapshot; Secrets are saved as metadata only')
    .argument('[paths...]', 'files, directories, or - for stdin')
    .requiredOption('--output-file <file>', 'the snapshot file to write (JSON)')
    .option('--cluster', 'read the live cluster of a kubeconfig context (read-only)')
    .option(...CONTEXT_OPTION)
    .option(...KUBECONFIG_OPTION)
    .option('-n, --namespace <ns>', 'with --cluster: namespaced objects of this namespace only (repeatable, or comma-separated)', collect)
    .option('--kubelet-config', 'with --cluster: also save each node\'s kubelet configuration (/configz through the API server); needs nodes/proxy, see docs/cluster.md')
    .option('--aws-dump <dir>', 'AWS evidence offline: a directory of AWS CLI output files (--output json)')
    .option('--cluster-name <name>', 'with --aws-dump: only this EKS cluster', clusterNameArg)
    .option('--rule <id>', 'read only what this rule needs (repeatable, or comma-separated; default: what every rule needs)', collect)
    .option('--allow-gaps', 'exit 0 even when some input could not be read (gaps are saved and reported)')
    .option(...timeoutOption())
    .option(...requestTimeoutOption())
    .option('-q, --quiet', 'no progress or summary line on standard error')
    .option('--color', 'accepted for a uniform command line; the snapshot and its summary line are never coloured')
    .option('--no-color', 'accepted for a uniform command line; the snapshot and its summary line are never coloured')
    .addHelpText('after', `
A snapshot holds the Kubernetes objects (with where each came from), the AWS evidence and the gaps
of the collection, so that a scan of it gives the findings a live scan would have given. Secrets
are saved as metadata only, even when read from files.

Examples:
  eksguard snapshot --cluster --output-file prod-snapshot.json
  eksguard scan --snapshot prod-snapshot.json -o sarif --output-file prod.sarif`)
    .action(async (paths: string[], opts: {
      outputFile: string; cluster?: boolean; context?: string; kubeconfig?: string; namespace?: string[];
      awsDump?: string; clusterName?: string; rule?: string[]; allowGaps?: boolean; quiet?: boolean;
    }) => {
      const { runSnapshot } = await import('./commands/snapshot.js');
      const { liveSourceFlags } = await import('./live-sources.js');
      exitCode = await runSnapshot({
        paths,
        outputFile: opts.outputFile,
        rules: opts.rule ?? [],
        live: liveSourceFlags(opts),
        ...(opts.awsDump !== undefined ? { awsDump: opts.awsDump } : {}),
        ...(opts.clusterName !== undefined ? { clusterName: opts.clusterName } : {}),
        allowGaps: opts.allowGaps === true,
      }, io);
    });

  program
    .command('rules')
    .description('list the rules, or explain one')
    .argument('[id]', 'a rule id')
    .addOption(new Option('-o, --output <format>', 'format').choices(['table', 'json']).default('table'))
    .option('--cis [id]', 'only rules mapped to the CIS Amazon EKS Benchmark (or to one recommendation, e.g. 4.1.4)')
    .option('--config <file>', 'the configuration whose rules are enabled (default: ./eksguard.yaml when present)')
    .option('--color', 'force coloured output')
    .option('--no-color', 'disable coloured output')
    .action(async (id: string | undefined, opts: { output: 'table' | 'json'; cis?: string | true; config?: string; color?: boolean }) => {
      const { runRules } = await import('./commands/rules.js');
      exitCode = await runRules({ ...(id !== undefined ? { id } : {}), output: opts.output, ...(opts.cis !== undefined ? { cis: opts.cis } : {}), ...(opts.config !== undefined ? { config: opts.config } : {}), ...colorChoice(argv, opts) }, io);
    });

  commands?.registerPss(program, { argv, io, setExitCode: (code) => { exitCode = code; } });

  const rbac = program
    .command('rbac')
    .description('RBAC and IAM access analysis: who can do what, what a subject holds, risky permissions and escalation paths');
  const sourceHelp = `
Sources: files, directories (recursive), or - for standard input, as for scan: a dump of the RBAC
objects (kubectl get clusterroles,clusterrolebindings,roles,rolebindings,serviceaccounts -A -o yaml),
with kube-system/aws-auth for IAM principals; --aws-dump DIR adds EKS access entries and access
policies (docs/aws-evidence.md). See docs/rbac.md.`;
  withRbacSources(rbac
    .command('who-can')
    .description('every subject (users, groups, ServiceAccounts, IAM principals) that may make a request, and through which bindings or mappings')
    .argument('<verb>', 'get, list, create, update, patch, delete, impersonate, bind, ... (* asks who holds every verb)')
    .argument('[resource]', 'pods, pods/exec, deployments.apps, secrets, nodes/proxy, a CRD plural.group, or a non-resource URL such as /metrics')
    .argument('[paths...]', 'files, directories, or - for stdin')
    .option('-n, --namespace <ns>', 'the namespace of the request (default: any namespace, with every RoleBinding counted where it applies)')
    .option('--name <name>', 'the object name, for rules narrowed by resourceNames')
    .option('--non-resource-url <url>', 'ask about a non-resource URL (/metrics, /logs/*) instead of a resource')
    .addOption(new Option('-o, --output <format>', 'report format').choices(['table', 'json']).default('table')), 'exit 0')
    .addHelpText('after', `${sourceHelp}

Examples:
  eksguard rbac who-can create pods/exec -n prod cluster-dump.yaml
  eksguard rbac who-can get secrets dump.yaml --aws-dump aws-evidence/ -o json
  eksguard rbac who-can get /metrics dump.yaml
  kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml | eksguard rbac who-can impersonate users -`)
    .action(async (verb: string, resource: string | undefined, paths: string[], opts: {
      namespace?: string; name?: string; nonResourceUrl?: string; output: 'table' | 'json'; awsDump?: string; clusterName?: string; allowGaps?: boolean; color?: boolean;
      cluster?: boolean; context?: string; kubeconfig?: string; snapshot?: string; quiet?: boolean;
    }) => {
      const { runWhoCan } = await import('./commands/rbac.js');
      const { liveSourceFlags } = await import('./live-sources.js');
      // With --non-resource-url, the second positional is already a source.
      const sources = opts.nonResourceUrl !== undefined && resource !== undefined ? [resource, ...paths] : paths;
      exitCode = await runWhoCan({
        verb,
        ...(opts.nonResourceUrl === undefined && resource !== undefined ? { resource } : {}),
        ...(opts.nonResourceUrl !== undefined ? { nonResourceUrl: opts.nonResourceUrl } : {}),
        ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        output: opts.output,
        paths: sources,
        ...(opts.awsDump !== undefined ? { awsDump: opts.awsDump } : {}),
        ...(opts.clusterName !== undefined ? { clusterName: opts.clusterName } : {}),
        live: liveSourceFlags({ ...opts, namespace: [] }),
        allowGaps: opts.allowGaps === true,
        ...(argv.includes('--color') || argv.includes('--no-color') ? { color: opts.color !== false } : {}),
      }, io);
    });
  withRbacSources(rbac
    .command('lookup')
    .description('every role a subject holds, where, and through which binding or IAM mapping (rbac-lookup, with IAM)')
    .argument('<subject>', 'a substring of user, group or ServiceAccount (namespace:name) names, system:serviceaccount:NS:NAME, or an IAM ARN; "" for all')
    .argument('[paths...]', 'files, directories, or - for stdin')
    .option('-k, --kind <kind>', 'only subjects of this kind: user, group, serviceaccount, iamrole, iamuser')
    .option('--exact', 'match the whole name instead of a substring')
    .addOption(new Option('-o, --output <format>', 'report format').choices(['table', 'json']).default('table')), 'exit 0')
    .addHelpText('after', `${sourceHelp}

Examples:
  eksguard rbac lookup circleci cluster-dump.yaml                 every subject whose name contains circleci
  eksguard rbac lookup ci:deployer cluster-dump.yaml              ServiceAccount ci/deployer, with its implicit groups
  eksguard rbac lookup arn:aws:iam::111122223333:role/sre dump.yaml --aws-dump aws-evidence/`)
    .action(async (subject: string, paths: string[], opts: {
      kind?: string; exact?: boolean; output: 'table' | 'json'; awsDump?: string; clusterName?: string; allowGaps?: boolean; color?: boolean;
      cluster?: boolean; context?: string; kubeconfig?: string; snapshot?: string; quiet?: boolean;
    }) => {
      const { runLookup } = await import('./commands/rbac.js');
      const { liveSourceFlags } = await import('./live-sources.js');
      exitCode = await runLookup({
        subject,
        ...(opts.kind !== undefined ? { kind: opts.kind } : {}),
        exact: opts.exact === true,
        output: opts.output,
        paths,
        ...(opts.awsDump !== undefined ? { awsDump: opts.awsDump } : {}),
        ...(opts.clusterName !== undefined ? { clusterName: opts.clusterName } : {}),
        live: liveSourceFlags({ ...opts, namespace: [] }),
        allowGaps: opts.allowGaps === true,
        ...(argv.includes('--color') || argv.includes('--no-color') ? { color: opts.color !== false } : {}),
      }, io);
    });
  withRbacSources(rbac
    .command('risky')
    .description('risky permissions (secrets, exec, impersonation, bind/escalate, tokens, nodes/proxy, CSRs, webhooks, aws-auth) and escalation paths')
    .argument('[paths...]', 'files, directories, or - for stdin')
    .option('-o, --output <format[=file]>', outputHelp(REPORT_FORMATS.rbacRisky, 'table'), repeat)
    .option('--output-file <file>', 'write the one report given without =FILE to this file instead of stdout')
    .option('--fail-on <severity>', failOnHelp('a risk is', 'high'))
    .option(...verboseOption('every binding or mapping of each risk (not only three), and the docs link')), 'exit 0/1')
    .addHelpText('after', `${sourceHelp}

What Kubernetes and EKS ship to their own identities is not reported (unless modified).

Examples:
  eksguard rbac risky cluster-dump.yaml
  eksguard rbac risky cluster-dump.yaml --aws-dump aws-evidence/ -o sarif --output-file rbac.sarif`)
    .action(async (paths: string[], opts: {
      output?: string[]; outputFile?: string; failOn?: string; awsDump?: string; clusterName?: string; allowGaps?: boolean; color?: boolean;
      cluster?: boolean; context?: string; kubeconfig?: string; snapshot?: string; quiet?: boolean; verbose?: boolean;
    }) => {
      const { runRisky } = await import('./commands/rbac.js');
      const { liveSourceFlags } = await import('./live-sources.js');
      exitCode = await runRisky({
        output: opts.output ?? [],
        ...(opts.outputFile !== undefined ? { outputFile: opts.outputFile } : {}),
        ...(opts.failOn !== undefined ? { failOn: parseFailOn(opts.failOn) } : {}),
        paths,
        ...(opts.awsDump !== undefined ? { awsDump: opts.awsDump } : {}),
        ...(opts.clusterName !== undefined ? { clusterName: opts.clusterName } : {}),
        live: liveSourceFlags({ ...opts, namespace: [] }),
        allowGaps: opts.allowGaps === true,
        ...(argv.includes('--color') || argv.includes('--no-color') ? { color: opts.color !== false } : {}),
        verbose: opts.verbose === true,
      }, io);
    });

  if (commands !== undefined) {
    commands.registerAuditCommands(program, io, argv, (code) => { exitCode = code; });

    const context = { argv, io, setExitCode: (code: ExitCode) => { exitCode = code; } };
    const generate = commands.registerGenerate(program, context);
    commands.registerWebhookCertsCommand(generate, io, context.setExitCode);
    commands.registerIncident(program, context);
    commands.registerWebhookCommand(program, io, context.setExitCode);

    commands.registerFixCommand(program, io, (code) => { exitCode = code; });
    commands.registerDiff(program, argv, io, (code) => { exitCode = code; });
    commands.registerCompletion(program, io, (code) => { exitCode = code; });
  }

  try {
    debug = argv.includes('--debug');
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end in a CommanderError too, with exit code 0.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Fatal;
    }
    // A stack is printed for a bug or with --debug: in the sources' terms when the bundle's maps are there.
    if (error instanceof Error && error.stack !== undefined && (debug || !(error instanceof AuditorError))) error.stack = (await import('./stack-trace.js')).sourceMappedStack(error.stack);
    io.stderr.write(`${formatError(error, debug)}\n`);
    return ExitCode.Fatal;
  }
}

