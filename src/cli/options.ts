/** Option parsers the commands share. Light (no commander, no I/O), so registering commands stays fast. */
import { checkClusterName } from '../core/eks-names.js';

/** Repeatable list options: `--rule a --rule b` and `--rule a,b` both work. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
}

/** Repeatable options whose values may hold commas (`-o json=a,b.json`). */
export function repeat(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * `--cluster-name NAME`: checked as an EKS cluster name when parsed, the same way by every command
 * (src/core/eks-names.ts), before it reaches a log group, a query or a printed command.
 */
export function clusterNameArg(value: string): string {
  return checkClusterName('--cluster-name', value);
}

/** `--cluster-name`, repeatable or comma-separated, each name checked. */
export function clusterNameList(value: string, previous: string[] | undefined): string[] {
  return collect(value, previous).map(clusterNameArg);
}

/**
 * `-v, --verbose` as every command printing a table declares it (`.option(...verboseOption(adds))`):
 * the same flags and the same opening words everywhere; `adds` says what that command's table then
 * shows in full instead of counting or cutting short (the JSON report always has it all); `when`
 * narrows it (`with --run`).
 */
export function verboseOption(adds: string, when?: string): readonly [flags: string, description: string] {
  return ['-v, --verbose', `the table in full${when !== undefined ? ` (${when})` : ''}: ${adds}`];
}
