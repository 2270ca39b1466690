/**
 * Options commander modules share, kept free of heavy imports: command modules register their
 * commands at start-up, and load what runs them only when they run.
 */
import type { Command } from 'commander';
import type { ExitCode, Io } from './io.js';
import { CONTEXT_OPTION, KUBECONFIG_OPTION, clusterNameArg } from './options.js';

/** What a command module's `register` receives from `main`. */
export interface CommandContext {
  readonly argv: readonly string[];
  readonly io: Io;
  setExitCode(code: ExitCode): void;
}

/** Repeatable list options: `--x a --x b` and `--x a,b` both work. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
}

/** The Kubernetes sources beside paths: `--cluster` (with --context, --kubeconfig, -n), `--snapshot`, `--aws-dump`. */
export function withSourceOptions(command: Command): Command {
  return command
    .option('--cluster', 'read the live cluster of a kubeconfig context: read-only (see docs/cluster.md)')
    .option(...CONTEXT_OPTION)
    .option(...KUBECONFIG_OPTION)
    .option('-n, --namespace <ns>', 'with --cluster: namespaced objects of this namespace only (repeatable, or comma-separated)', collectList)
    .option('--snapshot <file>', 'read an inventory saved by eksguard snapshot')
    .option('--aws-dump <dir>', 'AWS evidence offline (see docs/aws-evidence.md)')
    .option('--cluster-name <name>', 'with --aws-dump: only this EKS cluster', clusterNameArg)
    .option('-q, --quiet', 'no progress line on standard error')
    .option('--allow-gaps', 'exit as if complete even when some input could not be read (gaps are still reported)');
}

export interface SourceFlags {
  cluster?: boolean; context?: string; kubeconfig?: string; namespace?: string[]; snapshot?: string; awsDump?: string; clusterName?: string; quiet?: boolean; allowGaps?: boolean;
}
