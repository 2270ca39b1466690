import { UsageError } from '../../core/errors.js';
import type { Inventory } from '../../core/inventory.js';
import { PSS_LATEST_MINOR } from '../../core/pod-security-standards.js';
import type { Gap } from '../../core/resource.js';
import { adviseInventory } from '../../pss/advise.js';
import { checkInventory } from '../../pss/check-inventory.js';
import { parseVersion, type PssLevel, type PssVersion } from '../../pss/levels.js';
import { renderAdviseJson, renderAdviseTable, renderAdviseYaml } from '../../pss/render-advise.js';
import { renderCheckJson, renderCheckTable } from '../../pss/render-check.js';
import { readInventory as readSources } from '../../scan.js';
import { defaultRules } from '../default-rules.js';
import { ExitCode, wantsColor, type Io } from '../io.js';
import { gapLine } from '../../core/gap-text.js';

interface SourceArgs {
  readonly paths: readonly string[];
  readonly version?: string;
  readonly allowGaps: boolean;
  readonly color?: boolean;
}

export interface PssCheckArgs extends SourceArgs {
  readonly level?: Exclude<PssLevel, 'privileged'>;
  readonly output: 'table' | 'json';
}

export interface PssAdviseArgs extends SourceArgs {
  readonly output: 'table' | 'json' | 'yaml';
}

export function parseVersionOption(value: string | undefined): PssVersion | undefined {
  if (value === undefined) return undefined;
  const version = parseVersion(value);
  if (version === undefined) throw new UsageError(`--version ${value}: expected latest or v1.<minor> (v1.0 to v1.${PSS_LATEST_MINOR}; newer versions are judged as v1.${PSS_LATEST_MINOR}, as Pod Security Admission does)`);
  return version;
}

/** Reads the sources with `scan`'s reader: every unreadable input is a gap, and no input at all an error. */
async function readInventory(paths: readonly string[], io: Io, command: string): Promise<{ inventory: Inventory; gaps: Gap[] }> {
  if (paths.length === 0) throw new UsageError(`nothing to ${command}`, `Give files, directories, or - to read standard input (kubectl get pods,deploy,ds,sts,cronjob,ns -A -o yaml | eksguard pss ${command} -).`);
  const { inventory } = await readSources({ paths, stdin: io.stdin, cwd: io.cwd }, defaultRules());
  return { inventory, gaps: [...inventory.gaps, ...inventory.derivedGaps] };
}

function reportGaps(gaps: readonly Gap[], io: Io): void {
  for (const gap of gaps) io.stderr.write(gapLine(gap));
}

/** Exit 2 for gaps (unless accepted), 1 when a pod spec is denied, else 0. */
export async function runPssCheck(args: PssCheckArgs, io: Io): Promise<ExitCode> {
  const version = parseVersionOption(args.version);
  const { inventory, gaps } = await readInventory(args.paths, io, 'check');
  const report = checkInventory(inventory, { ...(args.level !== undefined ? { level: args.level } : {}), ...(version !== undefined ? { version } : {}) });
  io.stdout.write(args.output === 'json' ? renderCheckJson(report, gaps) : renderCheckTable(report, gaps, { color: wantsColor(io, args.color) }));
  reportGaps(gaps, io);
  if (gaps.length > 0 && !args.allowGaps) return ExitCode.Fatal;
  return report.results.some((r) => !r.result.allowed) ? ExitCode.Findings : ExitCode.Ok;
}

/** Exit 2 for gaps (unless accepted), else 0: advice is not a verdict. */
export async function runPssAdvise(args: PssAdviseArgs, io: Io): Promise<ExitCode> {
  const version = parseVersionOption(args.version);
  const { inventory, gaps } = await readInventory(args.paths, io, 'advise');
  const report = adviseInventory(inventory, version !== undefined ? { version } : {});
  const text = args.output === 'json'
    ? renderAdviseJson(report, gaps)
    : args.output === 'yaml' ? renderAdviseYaml(report, gaps) : renderAdviseTable(report, gaps, { color: wantsColor(io, args.color) });
  io.stdout.write(text);
  reportGaps(gaps, io);
  return gaps.length > 0 && !args.allowGaps ? ExitCode.Fatal : ExitCode.Ok;
}
