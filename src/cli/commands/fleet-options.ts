/**
 * The fleet options of `scan` (docs/fleet.md), and whether a run is a fleet scan. Kept apart from
 * the fleet run (fleet.ts), which loads the AWS SDK and the reporters: `eksguard --version` loads
 * this only.
 */
import type { Command } from 'commander';

/** Commander's values of the fleet options, beside scan's own. */
export interface FleetFlags {
  regions?: string;
  allRegions?: boolean;
  orgRole?: string;
  accounts?: string;
  allAccounts?: boolean;
  withKubernetes?: boolean;
  concurrency?: string;
}

/** What `scan` passes on: its own options, as commander parsed them. */
export interface FleetScanInput extends FleetFlags {
  paths: readonly string[];
  output?: string[];
  outputFile?: string;
  failOn?: string;
  config?: string;
  rule?: string[];
  excludeNamespace?: string[];
  allowGaps?: boolean;
  color?: boolean;
  verbose?: boolean;
  awsDump?: string;
  clusterName?: string[];
  aws?: boolean;
  region?: string;
  profile?: string;
  roleArn?: string;
  cluster?: boolean;
  context?: string;
  kubeconfig?: string;
  namespace?: string[];
  snapshot?: string;
  baseline?: string;
  awsAccount?: string;
  securityHub?: boolean;
  quiet?: boolean;
  timeout?: string;
  requestTimeout?: string;
}

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 32;

/** Adds the fleet options to `scan`. */
export function withFleetOptions(command: Command): Command {
  return command
    .option('--regions <list>', 'with --aws: scan the clusters of these regions (comma-separated); see docs/fleet.md')
    .option('--all-regions', 'with --aws: scan every region enabled for the account (ec2:DescribeRegions)')
    .option('--org-role <role>', 'with --aws: assume this IAM role (a name) in each account of --accounts or --all-accounts')
    .option('--accounts <list>', 'with --org-role: the accounts to scan (comma-separated 12-digit ids)')
    .option('--all-accounts', 'with --org-role: every ACTIVE account of the organization (organizations:ListAccounts)')
    .option('--with-kubernetes', 'with --aws: read each cluster\'s Kubernetes objects too, with an EKS token minted in-process (no kubeconfig)')
    .option('--concurrency <n>', `with a fleet scan: clusters scanned at once (default: ${DEFAULT_CONCURRENCY})`);
}

/** Whether the run is a fleet scan: a fleet option, more than one --cluster-name, or a report file naming a placeholder. */
export function isFleetScan(opts: FleetScanInput): boolean {
  return opts.regions !== undefined || opts.allRegions === true || opts.orgRole !== undefined || opts.accounts !== undefined || opts.allAccounts === true
    || opts.withKubernetes === true || opts.concurrency !== undefined || (opts.clusterName?.length ?? 0) > 1
    || (opts.output ?? []).some((o) => /\{(account|region|cluster)\}/.test(o));
}
