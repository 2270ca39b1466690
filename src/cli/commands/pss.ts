import { UsageError } from '../../core/errors.js';
import { PSS_LATEST_MINOR } from '../../core/pod-security-standards.js';
import { adviseInventory } from '../../pss/advise.js';
import { checkInventory } from '../../pss/check-inventory.js';
import { parseVersion, type PssLevel, type PssVersion } from '../../pss/levels.js';
import { renderAdviseJson, renderAdviseTable, renderAdviseYaml } from '../../pss/render-advise.js';
import { renderCheckJson, renderCheckTable } from '../../pss/render-check.js';
import { ExitCode, type Io } from '../io.js';
import { atLeast, type Severity } from '../../core/finding.js';
import { WORKLOAD_KINDS } from '../../core/workload.js';
import type { CheckId } from '../../pss/check-types.js';
import { adviseCatalogue, checkCatalogue } from '../../pss/render-catalogue.js';
import { pssCheckSeverity } from '../../pss/severity.js';
import { renderCatalogueJunit, renderCatalogueMarkdown, renderCatalogueSarif, type CatalogueRow } from '../../report/catalogue.js';
import type { AnyRule } from '../../rules/define-rule.js';
import { builtinRules } from '../../rules/index.js';
import { VERSION } from '../../version.js';
import { readSourcesInventory, reportGaps, type SourceArgs } from '../inventory-sources.js';
import { REPORT_FORMATS, inputFiles, parseReportTargets, prepareReportTargets, writeReportTargets } from '../report-output.js';

interface PssSourceArgs extends SourceArgs {
  readonly version?: string;
  readonly allowGaps: boolean;
  readonly color?: boolean;
  /** `-o FORMAT[=FILE]` as given (none: table). */
  readonly output: readonly string[];
  readonly outputFile?: string;
  readonly failOn?: Severity | 'none';
}

export interface PssCheckArgs extends PssSourceArgs {
  readonly level?: Exclude<PssLevel, 'privileged'>;
}

export type PssAdviseArgs = PssSourceArgs;

export function parseVersionOption(value: string | undefined): PssVersion | undefined {
  if (value === undefined) return undefined;
  const version = parseVersion(value);
  if (version === undefined) throw new UsageError(`--version ${value}: expected latest or v1.<minor> (v1.0 to v1.${PSS_LATEST_MINOR}; newer versions are judged as v1.${PSS_LATEST_MINOR}, as Pod Security Admission does)`);
  return version;
}

/** What a live collection reads: pods, their controllers and the Namespaces whose labels set the policy. */
const PSS_KINDS = ['Namespace', 'Pod', ...WORKLOAD_KINDS];

function hint(command: string): string {
  return `Give --cluster (the live cluster, read-only), --snapshot FILE, or files, directories, or - to read standard input (kubectl get pods,deploy,ds,sts,cronjob,ns -A -o yaml | eksguard pss ${command} -).`;
}

/** Each check's severity, from the rule catalogue (src/pss/severity.ts). */
function severityOf(id: CheckId): Severity {
  return pssCheckSeverity(id, defaultRulesCatalogue());
}

function defaultRulesCatalogue(): readonly AnyRule[] {
  return Object.values(builtinRules) as AnyRule[];
}

function failed(rows: readonly CatalogueRow[], failOn: Severity | 'none'): boolean {
  return failOn !== 'none' && rows.some((r) => r.failed && atLeast(r.severity, failOn));
}

/** Exit 2 for gaps (unless accepted), 1 when a violation is at or above --fail-on (default: any), else 0. */
export async function runPssCheck(args: PssCheckArgs, io: Io): Promise<ExitCode> {
  const version = parseVersionOption(args.version);
  const targets = parseReportTargets(args.output, args.outputFile, REPORT_FORMATS.pssCheck, 'table');
  await prepareReportTargets(targets, io, inputFiles(io, args.paths, [args.live?.snapshot]));
  const { inventory, gaps } = await readSourcesInventory(args, io, { kinds: PSS_KINDS, hint: hint('check') });
  const report = checkInventory(inventory, { ...(args.level !== undefined ? { level: args.level } : {}), ...(version !== undefined ? { version } : {}) });
  const catalogue = checkCatalogue(report, gaps, severityOf);
  await writeReportTargets(targets, io, args.color, (format, style) => {
    switch (format) {
      case 'json': return renderCheckJson(report, gaps);
      case 'sarif': return renderCatalogueSarif(catalogue, VERSION, 'pss/');
      case 'junit': return renderCatalogueJunit(catalogue);
      case 'markdown': return renderCatalogueMarkdown(catalogue);
      case 'table': return renderCheckTable(report, gaps, style);
    }
  });
  reportGaps(gaps, io);
  if (gaps.length > 0 && !args.allowGaps) return ExitCode.Fatal;
  return failed(catalogue.rows, args.failOn ?? 'info') ? ExitCode.Findings : ExitCode.Ok;
}

/** Exit 2 for gaps (unless accepted); 1 only with --fail-on, when what blocks the next level is at or above it: advice is no verdict by default. */
export async function runPssAdvise(args: PssAdviseArgs, io: Io): Promise<ExitCode> {
  const version = parseVersionOption(args.version);
  const targets = parseReportTargets(args.output, args.outputFile, REPORT_FORMATS.pssAdvise, 'table');
  await prepareReportTargets(targets, io, inputFiles(io, args.paths, [args.live?.snapshot]));
  const { inventory, gaps } = await readSourcesInventory(args, io, { kinds: PSS_KINDS, hint: hint('advise') });
  const report = adviseInventory(inventory, version !== undefined ? { version } : {});
  const catalogue = adviseCatalogue(report, gaps, severityOf);
  await writeReportTargets(targets, io, args.color, (format, style) => {
    switch (format) {
      case 'json': return renderAdviseJson(report, gaps);
      case 'yaml': return renderAdviseYaml(report, gaps);
      case 'sarif': return renderCatalogueSarif(catalogue, VERSION, 'pss/');
      case 'junit': return renderCatalogueJunit(catalogue);
      case 'markdown': return renderCatalogueMarkdown(catalogue);
      case 'table': return renderAdviseTable(report, gaps, style);
    }
  });
  reportGaps(gaps, io);
  if (gaps.length > 0 && !args.allowGaps) return ExitCode.Fatal;
  return failed(catalogue.rows, args.failOn ?? 'none') ? ExitCode.Findings : ExitCode.Ok;
}
