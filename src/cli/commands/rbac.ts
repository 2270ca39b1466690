/**
 * `eksguard rbac who-can | lookup | risky`: read the sources as `scan` reads them (files,
 * directories, `-`, `--aws-dump`, `--cluster`, `--snapshot`), ask the RBAC library, print. Exit codes: 2 for usage errors and
 * for gaps (unless `--allow-gaps`); `risky` exits 1 when a risk is at or above `--fail-on`.
 */
import { UsageError } from '../../core/errors.js';
import { atLeast, type Severity } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { Gap } from '../../core/resource.js';
import { WORKLOAD_KINDS } from '../../core/workload.js';
import { lookup, type LookupKind } from '../../rbac/lookup.js';
import { renderLookupJson, renderLookupTable, renderRiskyJson, renderRiskySarif, renderRiskyTable, renderWhoCanJson, renderWhoCanTable, riskyCatalogue } from '../../rbac/render.js';
import { riskyPermissions } from '../../rbac/risky.js';
import { htmlFromRisky } from '../../report/html/adapters.js';
import { renderHtml } from '../../report/html/page.js';
import { whoCanAnswer } from '../../rbac/who-can.js';
import { VERSION } from '../../version.js';
import { ExitCode, terminalWidth, wantsColor, type Io } from '../io.js';
import { readSourcesInventory, reportGaps } from '../inventory-sources.js';
import type { LiveSourceFlags } from '../live-sources.js';
import { REPORT_FORMATS, inputFiles, parseReportTargets, prepareReportTargets, writeReportTargets } from '../report-output.js';
import { renderCatalogueJunit, renderCatalogueMarkdown } from '../../report/catalogue.js';

export interface RbacSourceArgs {
  readonly paths: readonly string[];
  readonly awsDump?: string;
  readonly clusterName?: string;
  /** `--cluster` (with --context, --kubeconfig), `--snapshot`, `--quiet`: the whole cluster is read (RBAC spans namespaces). */
  readonly live?: LiveSourceFlags;
  readonly allowGaps: boolean;
  readonly color?: boolean;
}

/**
 * What each command reads from a live cluster: RBAC objects and aws-auth for who-can; the
 * ServiceAccounts too for lookup; and for risky, what pods run as and which legacy token Secrets
 * exist (metadata only), for escalation paths.
 */
const LIVE_KINDS = {
  'who-can': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ConfigMap'],
  lookup: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ConfigMap', 'ServiceAccount'],
  risky: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ConfigMap', 'ServiceAccount', 'Secret', 'Namespace', ...WORKLOAD_KINDS],
} as const satisfies Record<string, readonly string[]>;

export interface WhoCanArgs extends RbacSourceArgs {
  readonly verb: string;
  readonly resource?: string;
  readonly nonResourceUrl?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly output: 'table' | 'json';
}

export interface LookupArgs extends RbacSourceArgs {
  readonly subject: string;
  readonly kind?: string;
  readonly exact: boolean;
  readonly output: 'table' | 'json';
}

export interface RiskyArgs extends RbacSourceArgs {
  /** `-o FORMAT[=FILE]` as given (none: table). */
  readonly output: readonly string[];
  readonly outputFile?: string;
  readonly failOn?: Severity | 'none';
  /** `-v`: every binding a risk comes through, and the docs link. */
  readonly verbose?: boolean;
}

const DUMP_HINT = 'Give --cluster (the live cluster, read-only), --snapshot FILE, or files, directories, or - for standard input: kubectl get clusterroles,clusterrolebindings,roles,rolebindings,serviceaccounts -A -o yaml > rbac.yaml; kubectl get configmap aws-auth -n kube-system -o yaml >> rbac.yaml (see docs/rbac.md); and --aws-dump DIR for EKS access entries.';

/** The inventory of the sources, as `scan` builds it; every unreadable input is a gap. */
function readInventory(args: RbacSourceArgs, io: Io, command: keyof typeof LIVE_KINDS): Promise<{ inventory: Inventory; gaps: Gap[] }> {
  return readSourcesInventory(args, io, { kinds: LIVE_KINDS[command], hint: DUMP_HINT });
}

export async function runWhoCan(args: WhoCanArgs, io: Io): Promise<ExitCode> {
  const { inventory, gaps } = await readInventory(args, io, 'who-can');
  const answer = whoCanAnswer(inventory, {
    verb: args.verb,
    ...(args.resource !== undefined ? { resource: args.resource } : {}),
    ...(args.nonResourceUrl !== undefined ? { nonResourceURL: args.nonResourceUrl } : {}),
    ...(args.namespace !== undefined ? { namespace: args.namespace } : {}),
    ...(args.name !== undefined ? { name: args.name } : {}),
  });
  io.stdout.write(args.output === 'json' ? renderWhoCanJson(answer, gaps) : renderWhoCanTable(answer, gaps, { color: wantsColor(io, args.color), width: terminalWidth(io) }));
  reportGaps(gaps, io);
  return gaps.length > 0 && !args.allowGaps ? ExitCode.Fatal : ExitCode.Ok;
}

const LOOKUP_KINDS: readonly LookupKind[] = ['user', 'group', 'serviceaccount', 'iamrole', 'iamuser'];

export function parseLookupKind(value: string | undefined): LookupKind | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if ((LOOKUP_KINDS as readonly string[]).includes(lower)) return lower as LookupKind;
  throw new UsageError(`--kind ${value}: expected one of ${LOOKUP_KINDS.join(', ')}`);
}

export async function runLookup(args: LookupArgs, io: Io): Promise<ExitCode> {
  const kind = parseLookupKind(args.kind);
  const { inventory, gaps } = await readInventory(args, io, 'lookup');
  const answer = lookup(inventory, { subject: args.subject, ...(kind !== undefined ? { kind } : {}), exact: args.exact });
  io.stdout.write(args.output === 'json' ? renderLookupJson(answer, gaps) : renderLookupTable(answer, gaps, { color: wantsColor(io, args.color), width: terminalWidth(io) }));
  reportGaps(gaps, io);
  return gaps.length > 0 && !args.allowGaps ? ExitCode.Fatal : ExitCode.Ok;
}

export async function runRisky(args: RiskyArgs, io: Io): Promise<ExitCode> {
  const targets = parseReportTargets(args.output, args.outputFile, REPORT_FORMATS.rbacRisky, 'table');
  await prepareReportTargets(targets, io, inputFiles(io, args.paths, [args.live?.snapshot]));
  const { inventory, gaps } = await readInventory(args, io, 'risky');
  const report = riskyPermissions(inventory);
  await writeReportTargets(targets, io, args.color, (format, style) => {
    switch (format) {
      case 'json': return renderRiskyJson(report, gaps);
      case 'sarif': return renderRiskySarif(report, VERSION);
      case 'junit': return renderCatalogueJunit(riskyCatalogue(report, gaps));
      case 'markdown': return renderCatalogueMarkdown(riskyCatalogue(report, gaps));
      case 'html': return renderHtml(htmlFromRisky(report, gaps, { version: VERSION, generatedAt: new Date().toISOString(), sources: args.paths.map((path) => ({ path })) }));
      case 'table': return renderRiskyTable(report, gaps, { ...style, verbose: args.verbose === true });
    }
  });
  reportGaps(gaps, io);
  if (gaps.length > 0 && !args.allowGaps) return ExitCode.Fatal;
  const failOn = args.failOn ?? 'high';
  if (failOn === 'none') return ExitCode.Ok;
  return report.risks.some((r) => atLeast(r.severity, failOn)) ? ExitCode.Findings : ExitCode.Ok;
}
