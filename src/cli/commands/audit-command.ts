/**
 * `eksguard audit analyze|rbac|queries`: options and help. Registering loads only commander; the
 * command's code (and the AWS SDK, for --cloudwatch) is imported when the command runs.
 */
import type { Command } from 'commander';
import type { ExitCode, Io } from '../io.js';
import { clusterNameArg, clusterNameList, collect, repeat, verboseOption } from '../options.js';
import { REPORT_FORMATS, failOnHelp, outputHelp, parseFailOn } from '../report-output.js';

interface CloudWatchFlags {
  cloudwatch?: boolean;
  clusterName?: string[];
  cluster?: string;
  logGroup?: string;
  region?: string;
  profile?: string;
  roleArn?: string;
  since?: string;
  until?: string;
}

function withCloudWatch(command: Command, what: string): Command {
  return command
    .option('--cloudwatch', `${what} from CloudWatch Logs directly (the EKS audit log group; needs deploy/iam-policy-audit-logs.json)`)
    .option('--cluster-name <name>', 'with --cloudwatch: the EKS cluster (log group /aws/eks/NAME/cluster)', clusterNameList)
    .option('--log-group <group>', 'with --cloudwatch: the log group, when it is not /aws/eks/NAME/cluster')
    .option('--region <region>', 'the AWS region (default: $AWS_REGION, then $AWS_DEFAULT_REGION)')
    .option('--profile <name>', 'the AWS shared-config profile')
    .option('--role-arn <arn>', 'assume this IAM role first')
    .option('--since <when>', 'start of the window: a duration before now (30m, 24h, 7d) or an ISO time')
    .option('--until <when>', 'end of the window (default: now)');
}

/** `--cloudwatch` and its flags as the command modules take them; flags without it are a usage error. */
async function cloudWatchArgs(opts: CloudWatchFlags, required: boolean) {
  const { UsageError } = await import('../../core/errors.js');
  const given = opts.clusterName !== undefined || opts.logGroup !== undefined || opts.since !== undefined || opts.until !== undefined
    || opts.region !== undefined || opts.profile !== undefined || opts.roleArn !== undefined;
  if (opts.cloudwatch !== true && !required) {
    if (given) throw new UsageError('--cluster-name, --log-group, --since, --until, --region, --profile and --role-arn go with --cloudwatch', 'Add --cloudwatch to read the audit log from CloudWatch Logs.');
    return undefined;
  }
  return {
    clusterNames: opts.clusterName ?? [],
    ...(opts.logGroup !== undefined ? { logGroup: opts.logGroup } : {}),
    ...(opts.region !== undefined ? { region: opts.region } : {}),
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    ...(opts.roleArn !== undefined ? { roleArn: opts.roleArn } : {}),
    ...(opts.since !== undefined ? { since: opts.since } : {}),
    ...(opts.until !== undefined ? { until: opts.until } : {}),
  };
}

/** What `-v` shows in full in the audit tables (docs/audit-logs.md). */
const VERBOSE_ADDS = 'the docs link of each finding, every event, window and Logs Insights row of its evidence (not only the first), each exempted finding and detection not evaluated instead of counts, every bucket of the timeline';

export function registerAuditCommands(program: Command, io: Io, argv: readonly string[], done: (code: ExitCode) => void): void {
  const color = (opts: { color?: boolean }) => (argv.includes('--color') || argv.includes('--no-color') ? { color: opts.color !== false } : {});
  const audit = program
    .command('audit')
    .description('Kubernetes audit logs: detections, least-privilege RBAC from what subjects did, CloudWatch Logs Insights queries');

  withCloudWatch(audit
    .command('analyze')
    .description('run the audit-log detections (audit-*) over audit logs: files (JSON lines, CloudWatch exports, EventList, gzip) or CloudWatch Logs')
    .argument('[logs...]', 'log files, directories, or - for stdin'), 'read the events')
    .option('--checkpoint <file>', 'with --cloudwatch: start where the run that wrote FILE stopped, and record where this one stops (scheduled runs)')
    .option('-o, --output <format[=file]>', outputHelp(REPORT_FORMATS.auditAnalyze, 'table'), repeat)
    .option('--output-file <file>', 'write the one report given without =FILE to this file instead of stdout')
    .option('--fail-on <severity>', failOnHelp('a finding is', 'high, or failOn in eksguard.yaml'))
    .option('--config <file>', 'configuration file (default: ./eksguard.yaml when present; see the audit: section)')
    .option('--detection <id>', 'run only this detection (repeatable, or comma-separated)', collect)
    .option('--allow-gaps', 'exit 0/1 even when some lines could not be read (they are still reported)')
    .option(...verboseOption(VERBOSE_ADDS))
    .option('--color', 'force coloured output')
    .option('--no-color', 'disable coloured output')
    .addHelpText('after', `
Input: Kubernetes audit events (audit.k8s.io/v1 or v1beta1) one per line, as the API server's
--audit-log-path writes them; CloudWatch Logs exports (aws logs filter-log-events / get-log-events
output, or one record per line with a "message" field); an EventList; gzip-compressed files.
Or, with --cloudwatch, the EKS audit streams (kube-apiserver-audit-*) of the cluster's log group,
read page by page with FilterLogEvents (only the events the detections can match, where they allow
a filter pattern). Unreadable lines are reported with their line number (exit 2 unless --allow-gaps).

Examples:
  eksguard audit analyze /var/log/kubernetes/audit.log
  eksguard audit analyze --cloudwatch --cluster-name prod --since 24h
  eksguard audit analyze --cloudwatch --cluster-name prod --since 7d --checkpoint prod.checkpoint -o json=audit.json
  zcat audit-*.log.gz | eksguard audit analyze - --detection audit-pod-exec,audit-secret-access`)
    .action(async (paths: string[], opts: CloudWatchFlags & { output?: string[]; outputFile?: string; failOn?: string; config?: string; detection?: string[]; allowGaps?: boolean; color?: boolean; checkpoint?: string; verbose?: boolean }) => {
      // A large log's second thread starts now, while the command's modules and the configuration load.
      if (opts.cloudwatch !== true) (await import('../../audit-log/sources/files/range-worker.js')).prestartRangeWorker(paths, io.cwd);
      const { runAuditAnalyze } = await import('./audit.js');
      const cloudWatch = await cloudWatchArgs(opts, false);
      done(await runAuditAnalyze({
        paths,
        output: opts.output ?? [],
        ...(opts.outputFile !== undefined ? { outputFile: opts.outputFile } : {}),
        ...(opts.failOn !== undefined ? { failOn: parseFailOn(opts.failOn) } : {}),
        ...(opts.config !== undefined ? { config: opts.config } : {}),
        detections: opts.detection ?? [],
        allowGaps: opts.allowGaps === true,
        ...color(opts),
        ...(cloudWatch !== undefined ? { cloudWatch } : {}),
        ...(opts.checkpoint !== undefined ? { checkpoint: opts.checkpoint } : {}),
        verbose: opts.verbose === true,
      }, io));
    });

  withCloudWatch(audit
    .command('rbac')
    .description("generate a Role/ClusterRole and bindings granting exactly what a user or ServiceAccount was seen doing (audit2rbac's semantics)")
    .argument('[logs...]', 'log files, directories, or - for stdin'), "read the subject's events")
    .option('--user <name>', 'the user (as authenticated, or impersonated) to generate for')
    .option('--serviceaccount <namespace:name>', 'the ServiceAccount to generate for')
    .option('-n, --namespace <ns>', 'only requests on objects in this namespace')
    .option('--name <template>', 'name of the generated objects; ${user} is the username (default: eksguard:${user})')
    .option('--generate-labels <key=value>', 'labels of the generated objects (repeatable; default: eksguard.io/generated=true, eksguard.io/user=${user})', repeat)
    .option('--generate-annotations <key=value>', 'annotations of the generated objects (repeatable)', repeat)
    .option('--no-expand-multi-namespace', 'keep requests seen in several namespaces namespaced (one Role each) instead of a ClusterRole')
    .option('--no-expand-multi-name', 'keep resourceNames for requests seen on several names')
    .option('--output-file <file>', 'write the YAML to this file instead of stdout')
    .option('--allow-gaps', 'exit 0 even when some lines could not be read (they are still reported)')
    .addHelpText('after', `
Denied requests count too: they are what the subject still needs. Discovery (get /api, /apis,
/version, /healthz) is allowed to every user already and is left out.

Examples:
  eksguard audit rbac audit.log --user alice > alice-rbac.yaml && kubectl apply -f alice-rbac.yaml
  eksguard audit rbac audit.log.gz --serviceaccount ci:deployer --namespace ci
  eksguard audit rbac --cloudwatch --cluster-name prod --since 7d --serviceaccount ci:deployer`)
    .action(async (paths: string[], opts: CloudWatchFlags & {
      user?: string; serviceaccount?: string; namespace?: string; name?: string; generateLabels?: string[]; generateAnnotations?: string[];
      expandMultiNamespace: boolean; expandMultiName: boolean; outputFile?: string; allowGaps?: boolean;
    }) => {
      if (opts.cloudwatch !== true) (await import('../../audit-log/sources/files/range-worker.js')).prestartRangeWorker(paths, io.cwd);
      const { runAuditRbac } = await import('./audit.js');
      const cloudWatch = await cloudWatchArgs(opts, false);
      done(await runAuditRbac({
        paths,
        ...(opts.user !== undefined ? { user: opts.user } : {}),
        ...(opts.serviceaccount !== undefined ? { serviceAccount: opts.serviceaccount } : {}),
        ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        labels: opts.generateLabels ?? [],
        annotations: opts.generateAnnotations ?? [],
        expandMultiNamespace: opts.expandMultiNamespace,
        expandMultiName: opts.expandMultiName,
        ...(opts.outputFile !== undefined ? { outputFile: opts.outputFile } : {}),
        allowGaps: opts.allowGaps === true,
        ...(cloudWatch !== undefined ? { cloudWatch } : {}),
      }, io));
    });

  audit
    .command('queries')
    .description('the CloudWatch Logs Insights query of each detection: printed, or run where EKS keeps the audit log (--run)')
    .option('--detection <id>', 'only this detection (repeatable, or comma-separated)', collect)
    .option('--run', 'start the queries in Logs Insights (StartQuery) and report their results as findings: the fleet path, nothing is downloaded')
    .option('--cluster-name <name>', 'the EKS cluster (log group /aws/eks/NAME/cluster); with --run repeatable', clusterNameList)
    .option('--cluster <name>', 'deprecated: use --cluster-name', clusterNameArg)
    .option('--all-clusters', "with --run: every EKS cluster of the region whose audit log group exists")
    .option('--region <region>', 'with --run: the AWS region (default: $AWS_REGION, then $AWS_DEFAULT_REGION)')
    .option('--profile <name>', 'with --run: the AWS shared-config profile')
    .option('--role-arn <arn>', 'with --run: assume this IAM role first')
    .option('--since <when>', 'with --run: start of the window (30m, 24h, 7d, or an ISO time)')
    .option('--until <when>', 'with --run: end of the window (default: now)')
    .option('--concurrency <n>', 'with --run: queries running at once (default 10; Logs Insights allows 30 per account and region)')
    .option('--config <file>', 'configuration file: the queries follow its audit: options (clusterCidrs, ignoreUsers, ...)')
    .option('-o, --output <format[=file]>', `printed: text|json; with --run: ${REPORT_FORMATS.auditAnalyze.join('|')}, FORMAT=FILE (repeatable)`, repeat)
    .option('--output-file <file>', 'with --run: write the one report given without =FILE to this file')
    .option('--fail-on <severity>', `with --run: ${failOnHelp('a finding is', 'high')}`)
    .option('--allow-gaps', 'with --run: exit 0/1 even when a query failed (it is still reported)')
    .option(...verboseOption(VERBOSE_ADDS, 'with --run'))
    .option('--color', 'force coloured output')
    .option('--no-color', 'disable coloured output')
    .addHelpText('after', `
Examples:
  eksguard audit queries --cluster-name prod                          # print them, to paste into the console
  eksguard audit queries --run --cluster-name prod --cluster-name stage --since 24h
  eksguard audit queries --run --all-clusters --region eu-west-1 --since 7d -o json=fleet-audit.json`)
    .action(async (opts: CloudWatchFlags & { detection?: string[]; run?: boolean; allClusters?: boolean; concurrency?: string; config?: string; output?: string[]; outputFile?: string; failOn?: string; allowGaps?: boolean; color?: boolean; verbose?: boolean }) => {
      const { runAuditQueries } = await import('./audit.js');
      const { UsageError } = await import('../../core/errors.js');
      const failOn = opts.failOn !== undefined ? parseFailOn(opts.failOn) : undefined; // checked with or without --run
      if (opts.cluster !== undefined) io.stderr.write('eksguard: --cluster NAME is deprecated in audit queries: use --cluster-name NAME (--cluster means the live cluster of the kubeconfig)\n');
      const names = [...(opts.clusterName ?? []), ...(opts.cluster !== undefined ? [opts.cluster] : [])];
      if (opts.run !== true && (opts.allClusters === true || opts.since !== undefined || opts.region !== undefined || opts.concurrency !== undefined || opts.verbose === true)) {
        throw new UsageError('--all-clusters, --since, --region, --concurrency and -v go with --run');
      }
      if (opts.run !== true && names.length > 1) throw new UsageError('printed queries name one log group: give one --cluster-name (or --run for several)');
      const concurrency = opts.concurrency !== undefined ? Number(opts.concurrency) : undefined;
      if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 30)) throw new UsageError(`--concurrency ${opts.concurrency ?? ''}: expected a whole number from 1 to 30`);
      const cloudWatch = opts.run === true ? await cloudWatchArgs({ ...opts, clusterName: names }, true) : undefined;
      done(await runAuditQueries({
        detections: opts.detection ?? [],
        ...(opts.run !== true && names[0] !== undefined ? { cluster: names[0] } : {}),
        ...(opts.config !== undefined ? { config: opts.config } : {}),
        output: opts.output ?? [],
        ...(opts.outputFile !== undefined ? { outputFile: opts.outputFile } : {}),
        ...(cloudWatch !== undefined ? {
          run: {
            ...cloudWatch,
            allClusters: opts.allClusters === true,
            ...(concurrency !== undefined ? { concurrency } : {}),
            ...(failOn !== undefined ? { failOn } : {}),
            allowGaps: opts.allowGaps === true,
            ...color(opts),
            verbose: opts.verbose === true,
          },
        } : {}),
      }, io));
    });
}
