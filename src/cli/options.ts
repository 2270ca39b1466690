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

/** `--context`: which kubeconfig context `--cluster` reads (spread into `.option(...)`, like the others here). */
export const CONTEXT_OPTION = ['--context <name>', 'with --cluster: the kubeconfig context (default: its current-context)'] as const;
/** `--kubeconfig`: which kubeconfig `--cluster` reads. */
export const KUBECONFIG_OPTION = ['--kubeconfig <file>', 'with --cluster: the kubeconfig (default: $KUBECONFIG, then ~/.kube/config)'] as const;

/** `--timeout`: the deadline of the network reads of `via` (docs/limits.md). */
export function timeoutOption(via = '--cluster'): readonly [flags: string, description: string] {
  return ['--timeout <duration>', `with ${via}: end the network reads after this long; what is unread is a gap (e.g. 90s, 10m; default: 10m)`];
}

/** `--request-timeout`: how long one network read of `via` may wait (docs/limits.md). */
export function requestTimeoutOption(via = '--cluster'): readonly [flags: string, description: string] {
  return ['--request-timeout <duration>', `with ${via}: how long one request may wait for an answer (default: 30s; the whole request gets 4 times that)`];
}
