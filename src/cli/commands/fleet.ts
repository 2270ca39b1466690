/**
 * `scan --aws` across a fleet (docs/fleet.md): regions (`--regions`, `--all-regions`), accounts
 * (`--org-role` with `--accounts` or `--all-accounts`), each cluster's Kubernetes side with an EKS
 * token minted in-process (`--with-kubernetes`), `--concurrency` clusters at a time. One report per
 * cluster for each `-o FORMAT=FILE` whose file names `{cluster}` (and `{account}`, `{region}`), and
 * the fleet summary (table or JSON) for the others. The options are registered in fleet-options.ts;
 * `scan` hands its run here when one of them is given.
 */
import { resolve } from 'node:path';
import { atLeast, SEVERITIES } from '../../core/finding.js';
import { UsageError } from '../../core/errors.js';
import { checkClusterName } from '../../core/eks-names.js';
import { gapLine } from '../../core/gap-text.js';
import type { AsffContext } from '../../report/asff.js';
import type { ScanResult } from '../../scan.js';
import { VERSION } from '../../version.js';
import { ExitCode, terminalWidth, wantsColor, type Io } from '../io.js';
import { liveSourceFlags } from '../live-sources.js';
import { prepareOutputFile, writeOutputFile } from '../output-file.js';
import { parseFailOn, parseOutputs, type OutputTarget } from './scan.js';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY, type FleetScanInput } from './fleet-options.js';

function list(value: string): string[] {
  return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

interface FleetOutputs {
  /** Written once per cluster (a file naming a placeholder). */
  readonly perCluster: readonly OutputTarget[];
  /** The fleet summary: table or JSON, to standard output or a file. */
  readonly summary: readonly OutputTarget[];
}

function fleetOutputs(specs: readonly string[], hasPlaceholder: (file: string) => boolean): FleetOutputs {
  const targets = parseOutputs(specs);
  const perCluster = targets.filter((t) => t.file !== undefined && hasPlaceholder(t.file));
  const summary = targets.filter((t) => !perCluster.includes(t));
  for (const t of perCluster) {
    if (!t.file?.includes('{cluster}')) throw new UsageError(`-o ${t.format}=${t.file ?? ''}: a report per cluster needs {cluster} in its file name`, 'Write e.g. -o json=reports/{account}/{region}/{cluster}.json');
  }
  for (const t of summary) {
    if (t.format !== 'table' && t.format !== 'json') {
      throw new UsageError(`-o ${t.format}${t.file !== undefined ? `=${t.file}` : ''}: a fleet scan writes ${t.format} per cluster; name the file with {cluster}`, `Write -o ${t.format}=reports/{account}/{region}/{cluster}.${t.format}; the fleet summary is -o table or -o json.`);
    }
  }
  return { perCluster, summary: specs.length === 0 ? [{ format: 'table' }] : summary };
}

/** Options a fleet scan does not take: one line naming them. */
function refuseStrays(opts: FleetScanInput): void {
  const stray = [
    opts.paths.length > 0 ? 'files' : '', opts.cluster === true ? '--cluster' : '', opts.snapshot !== undefined ? '--snapshot' : '',
    opts.awsDump !== undefined ? '--aws-dump' : '', opts.baseline !== undefined ? '--baseline' : '', opts.outputFile !== undefined ? '--output-file' : '',
    opts.awsAccount !== undefined ? '--aws-account' : '', (opts.namespace ?? []).length > 0 ? '--namespace' : '',
    opts.context !== undefined ? '--context' : '', opts.kubeconfig !== undefined ? '--kubeconfig' : '',
  ].filter((s) => s !== '');
  if (stray.length > 0) throw new UsageError(`a fleet scan reads AWS and the clusters it finds: ${stray.join(', ')} ${stray.length === 1 ? 'does' : 'do'} not go with it`, 'Scan files, a kubeconfig context or a snapshot with a plain eksguard scan.');
}

export async function runFleetScan(opts: FleetScanInput, argv: readonly string[], io: Io): Promise<ExitCode> {
  if (opts.aws !== true) throw new UsageError('the fleet options (--regions, --all-regions, --org-role, --with-kubernetes, ...) go with --aws', 'Add --aws.');
  refuseStrays(opts);
  if (opts.regions !== undefined && opts.allRegions === true) throw new UsageError('give --regions or --all-regions, not both');
  if ((opts.accounts !== undefined || opts.allAccounts === true) && opts.orgRole === undefined) throw new UsageError('--accounts and --all-accounts go with --org-role ROLE', 'Name the role to assume in each account: --org-role eksguard-audit.');
  if (opts.accounts !== undefined && opts.allAccounts === true) throw new UsageError('give --accounts or --all-accounts, not both');
  if (opts.orgRole !== undefined && opts.accounts === undefined && opts.allAccounts !== true) throw new UsageError('--org-role needs --accounts LIST or --all-accounts');

  const { REGION_NAME, ROLE_NAME, checkAccounts, discoverFleet } = await import('../../fleet/discover.js');
  const { expandOutputFile, hasPlaceholder, placeholdersOf } = await import('../../fleet/output-names.js');
  if (opts.orgRole !== undefined && !ROLE_NAME.test(opts.orgRole)) throw new UsageError(`--org-role ${JSON.stringify(opts.orgRole)}: not an IAM role name (letters, digits and +=,.@_-, at most 64; no path)`);
  const regions = opts.regions !== undefined ? list(opts.regions) : [];
  for (const region of regions) if (!REGION_NAME.test(region)) throw new UsageError(`--regions: ${JSON.stringify(region)} is not an AWS region name`);
  if (opts.regions !== undefined && regions.length === 0) throw new UsageError('--regions: no region given');
  const accounts = opts.accounts !== undefined ? checkAccounts(list(opts.accounts)) : undefined;
  if (accounts !== undefined && accounts.length === 0) throw new UsageError('--accounts: no account given');
  const clusterNames = (opts.clusterName ?? []).map((name) => checkClusterName('--cluster-name', name));
  const concurrency = opts.concurrency !== undefined ? Number(opts.concurrency) : DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) throw new UsageError(`--concurrency ${opts.concurrency ?? ''}: expected a whole number from 1 to ${MAX_CONCURRENCY}`);
  const home = opts.region ?? (io.env.AWS_REGION || undefined) ?? (io.env.AWS_DEFAULT_REGION || undefined) ?? regions[0];
  if (home === undefined) throw new UsageError('a fleet scan needs a region', 'Give --regions a,b, or --region (or AWS_REGION) with --all-regions.');
  if (!REGION_NAME.test(home)) throw new UsageError(`--region ${JSON.stringify(home)}: not an AWS region name`);
  const flags = liveSourceFlags(opts);
  const failOnFlag = opts.failOn !== undefined ? parseFailOn(opts.failOn) : undefined;
  const colorFlag = argv.includes('--color') || argv.includes('--no-color') ? opts.color !== false : undefined;
  const outputs = fleetOutputs(opts.output ?? [], hasPlaceholder);
  for (const t of outputs.summary) if (t.file !== undefined) await prepareOutputFile(resolve(io.cwd, t.file));

  const { loadConfig } = await import('../../scan.js');
  const { config, file } = await loadConfig(opts.config, io.cwd);
  // Unknown rules and bad options are the same for every cluster: said once, before any AWS call.
  const [{ resolveRules }, { builtinRules }] = await Promise.all([import('../../engine/rule-set.js'), import('../../rules/index.js')]);
  resolveRules(builtinRules, { config, ...(file !== undefined ? { configFile: file } : {}), only: opts.rule ?? [] });
  const { requestLimits } = await import('../../collect/aws/bounds.js');
  const discovery = await discoverFleet({
    home, regions: regions.length > 0 ? regions : [home], allRegions: opts.allRegions === true,
    ...(opts.orgRole !== undefined ? { orgRole: opts.orgRole } : {}), ...(accounts !== undefined ? { accounts } : {}), allAccounts: opts.allAccounts === true,
    clusterNames, env: io.env, ...(opts.profile !== undefined ? { profile: opts.profile } : {}), ...(opts.roleArn !== undefined ? { roleArn: opts.roleArn } : {}),
    limits: requestLimits(flags.requestTimeoutMs !== undefined ? { requestTimeoutMs: flags.requestTimeoutMs } : {}),
  });

  // Two clusters must never share a report file: checked before any is scanned.
  const filesOf = (target: { access: { account: string }; region: string; cluster: string }) => outputs.perCluster.map((t) => ({
    format: t.format, file: expandOutputFile(t.file ?? '', { account: target.access.account, region: target.region, cluster: target.cluster }, io.cwd),
  }));
  const seen = new Map<string, string>();
  for (const target of discovery.targets) {
    for (const { file: path } of filesOf(target)) {
      const other = seen.get(path);
      const here = `${target.access.account}/${target.region}/${target.cluster}`;
      if (other !== undefined) {
        const missing = ['account', 'region', 'cluster'].filter((p) => !outputs.perCluster.some((t) => placeholdersOf(t.file ?? '').has(p as 'account')));
        throw new UsageError(`clusters ${other} and ${here} would write the same report ${path}`, `Add ${missing.map((m) => `{${m}}`).join(' and ') || '{account}/{region}'} to the file name.`);
      }
      seen.set(path, here);
    }
  }

  const { runFleet } = await import('../../fleet/run.js');
  const { render } = await import('./scan.js');
  const generatedAt = new Date().toISOString();
  const written = new Map<string, string[]>();
  const showProgress = opts.quiet !== true && io.stderr.isTTY === true && discovery.targets.length > 0;
  const rows = await runFleet({
    targets: discovery.targets, concurrency, withKubernetes: opts.withKubernetes === true,
    scan: {
      config, ...(file !== undefined ? { configFile: file } : {}), rules: opts.rule ?? [], excludeNamespaces: opts.excludeNamespace ?? [],
      recordChecks: outputs.perCluster.some((t) => t.format === 'junit'), cwd: io.cwd,
    },
    timeoutMs: flags.timeoutMs, ...(flags.requestTimeoutMs !== undefined ? { requestTimeoutMs: flags.requestTimeoutMs } : {}),
    onResult: async (target, result) => {
      const asff = asffOf(target, result, generatedAt);
      const files: string[] = [];
      for (const { format, file: path } of filesOf(target)) {
        await writeOutputFile(path, await render(format, result, io.cwd, false, { baseline: undefined, generatedAt, asff: () => asff, width: 100, verbose: opts.verbose === true }));
        files.push(path);
      }
      written.set(`${target.access.account}/${target.region}/${target.cluster}`, files);
      if (opts.securityHub !== true) return [];
      const { importToSecurityHub } = await import('./scan.js');
      return importToSecurityHub(result, asff, { env: target.access.env, profile: target.access.profile, roleArn: target.access.roleArn }, io);
    },
    onDone: (_row, done, total) => {
      if (showProgress) io.stderr.write(`\r\u001b[2Keksguard: ${done}/${total} clusters scanned`);
    },
  });
  if (showProgress) io.stderr.write('\r\u001b[2K');

  const { fleetReport, renderFleetJson, renderFleetTable } = await import('../../fleet/summary.js');
  const report = fleetReport(rows, discovery.gaps, { version: VERSION, generatedAt, reports: (row) => written.get(`${row.account}/${row.region}/${row.cluster}`) ?? [] });
  for (const t of outputs.summary) {
    const color = t.file === undefined && wantsColor(io, colorFlag);
    const text = t.format === 'json' ? renderFleetJson(report) : renderFleetTable(report, { width: t.file === undefined ? terminalWidth(io) : 100, color });
    if (t.file !== undefined) await writeOutputFile(resolve(io.cwd, t.file), text, { what: 'the fleet summary' });
    else io.stdout.write(text);
  }
  for (const gap of discovery.gaps) io.stderr.write(gapLine(gap));
  for (const row of rows) for (const gap of row.gaps) io.stderr.write(gapLine({ ...gap, source: `${row.account}/${row.region}/${row.cluster}: ${gap.source}` }));

  const gaps = report.gaps.length;
  if (gaps > 0 && opts.allowGaps !== true) return ExitCode.Fatal;
  const failOn = failOnFlag ?? config.failOn ?? 'high';
  if (failOn === 'none') return ExitCode.Ok;
  return rows.some((row) => SEVERITIES.some((s) => row.bySeverity[s] > 0 && atLeast(s, failOn))) ? ExitCode.Findings : ExitCode.Ok;
}

/** The ASFF context of one cluster: its account, region and ARN are known. */
function asffOf(target: { access: { account: string }; region: string; cluster: string }, result: ScanResult, generatedAt: string): AsffContext {
  const arn = result.inventory.aws?.clusters.find((c) => c.name === target.cluster)?.arn;
  return { version: VERSION, rules: result.rules, generatedAt, account: target.access.account, region: target.region, target: `eks:${target.cluster}`, ...(arn !== undefined ? { clusterArn: arn } : {}) };
}
