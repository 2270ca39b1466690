/**
 * `eksguard generate ...`: configuration that fixes or monitors what eksguard checks, printed for
 * review and never applied. Each generator registers itself on the `generate` group; what runs
 * it is loaded only when it runs.
 */
import { Option, type Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { ExitCode, type Io } from '../io.js';
import { collectList, withSourceOptions, type CommandContext, type SourceFlags } from '../source-options.js';
import { clusterNameArg } from '../options.js';
import { withPlainOutput } from '../report-output.js';

/** The `generate` group: created once; other modules (webhook certificates, ...) add their generators to it. */
export function generateGroup(program: Command): Command {
  return program.commands.find((c) => c.name() === 'generate')
    ?? program.command('generate').description('generate configuration that fixes or monitors what eksguard checks (printed, never applied)');
}

async function writeOutput(io: Io, text: string, outputFile: string | undefined): Promise<void> {
  if (outputFile === undefined) {
    io.stdout.write(text);
    return;
  }
  const file = resolve(io.cwd, outputFile);
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  } catch (error) {
    throw new UsageError(`cannot write ${outputFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'Check that the directory is writable.');
  }
}

function count(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} ${value}: expected a whole number`);
  return Number(value);
}

export function registerGenerate(program: Command, { io, setExitCode }: CommandContext): Command {
  const generate = generateGroup(program);

  generate
    .command('tenant')
    .description('the soft multi-tenancy kit for one namespace: Pod Security labels, quota, limits, default-deny policies, a tenant-admin Role and its binding')
    .argument('<name>', 'the tenant\'s namespace')
    .option('--admin-group <group>', 'bind the tenant-admin Role to this group')
    .option('--admin-role-arn <arn>', 'give this IAM role an EKS access entry (AWS CLI commands, or CloudFormation): in --admin-group when given, else with AmazonEKSAdminPolicy scoped to the namespace')
    .option('--cluster-name <name>', 'the EKS cluster (needed with --admin-role-arn; names the node group with --node-pool)', clusterNameArg)
    .addOption(new Option('--access-entry-format <format>', 'how to print the access entry').choices(['cli', 'cloudformation']).default('cli'))
    .addOption(new Option('--pss <level>', 'the Pod Security level to enforce').choices(['restricted', 'baseline']).default('restricted'))
    .option('--cpu <quantity>', 'CPU the namespace may request and use (quota)', '4')
    .option('--memory <quantity>', 'memory the namespace may request and use (quota)', '8Gi')
    .option('--pods <n>', 'pods at most', '50')
    .option('--services <n>', 'Services at most', '10')
    .option('--load-balancers <n>', 'LoadBalancer Services at most', '1')
    .option('--pvcs <n>', 'PersistentVolumeClaims at most', '10')
    .option('--storage <quantity>', 'storage all claims may request', '100Gi')
    .option('--configmaps <n>', 'ConfigMaps at most', '50')
    .option('--secrets <n>', 'Secrets at most', '50')
    .option('--max-container-cpu <quantity>', 'CPU limit one container may set at most (LimitRange)', '2')
    .option('--max-container-memory <quantity>', 'memory limit one container may set at most (LimitRange)', '4Gi')
    .option('--node-pool <name>', 'dedicated nodes: the node label and taint, and the pod spec fields that select and tolerate them')
    .option('--allow-from <namespace>', 'let pods of this namespace connect to the tenant\'s pods (repeatable, or comma-separated)', collectList)
    .addOption(new Option('-o, --output <format>', 'format').choices(['yaml', 'json']).default('yaml'))
    .option('--output-file <file>', 'write to this file instead of stdout')
    .addHelpText('after', `
The kit passes eksguard's own rules (the tenant admin's access to its own Secrets is annotated as
an exemption, with the reason) and Pod Security at the level it sets. See docs/generate.md.

Examples:
  eksguard generate tenant team-a --admin-group team-a-admins > team-a.yaml
  eksguard generate tenant team-a --admin-group team-a-admins --admin-role-arn arn:aws:iam::111122223333:role/team-a --cluster-name prod
  eksguard generate tenant team-b --pss baseline --cpu 8 --memory 16Gi --node-pool team-b --allow-from ingress-nginx`)
    .action(async (name: string, opts: {
      adminGroup?: string; adminRoleArn?: string; clusterName?: string; accessEntryFormat: 'cli' | 'cloudformation'; pss: 'restricted' | 'baseline';
      cpu: string; memory: string; pods: string; services: string; loadBalancers: string; pvcs: string; storage: string; configmaps: string; secrets: string;
      maxContainerCpu: string; maxContainerMemory: string; nodePool?: string; allowFrom?: string[]; output: 'yaml' | 'json'; outputFile?: string;
    }) => {
      const { tenantKit } = await import('../../generate/tenant.js');
      const { renderTenantJson, renderTenantYaml } = await import('../../generate/render-tenant.js');
      const kit = tenantKit({
        name,
        pss: opts.pss,
        quota: {
          cpu: opts.cpu, memory: opts.memory, storage: opts.storage,
          pods: count('--pods', opts.pods, 50), services: count('--services', opts.services, 10), loadBalancers: count('--load-balancers', opts.loadBalancers, 1),
          persistentVolumeClaims: count('--pvcs', opts.pvcs, 10), configMaps: count('--configmaps', opts.configmaps, 50), secrets: count('--secrets', opts.secrets, 50),
        },
        maxContainerCpu: opts.maxContainerCpu,
        maxContainerMemory: opts.maxContainerMemory,
        ...(opts.adminGroup !== undefined ? { adminGroup: opts.adminGroup } : {}),
        ...(opts.adminRoleArn !== undefined ? { adminRoleArn: opts.adminRoleArn } : {}),
        ...(opts.clusterName !== undefined ? { clusterName: opts.clusterName } : {}),
        ...(opts.nodePool !== undefined ? { nodePool: opts.nodePool } : {}),
        allowFrom: opts.allowFrom ?? [],
      });
      if (opts.adminGroup === undefined && opts.adminRoleArn === undefined) io.stderr.write('eksguard: no --admin-group or --admin-role-arn: the tenant-admin Role is not bound to anyone\n');
      if (opts.adminGroup === undefined && opts.adminRoleArn !== undefined) io.stderr.write('eksguard: --admin-role-arn without --admin-group: the access entry gets AmazonEKSAdminPolicy (it also reads Secrets and impersonates ServiceAccounts); add --admin-group for the tenant-admin Role alone\n');
      await writeOutput(io, opts.output === 'json' ? renderTenantJson(kit) : renderTenantYaml(kit, name, opts.accessEntryFormat), opts.outputFile);
      setExitCode(ExitCode.Ok);
    });

  withSourceOptions(generate
    .command('network-policies')
    .description('default-deny and DNS egress policies for every namespace that runs workloads without a default deny, and per-workload ingress policies from their Services (a starting point)')
    .argument('[paths...]', 'files, directories, or - for stdin')
    .addOption(new Option('-o, --output <format>', 'format').choices(['yaml', 'json']).default('yaml'))
    .option('--output-file <file>', 'write to this file instead of stdout'))
    .addHelpText('after', `
Input: workloads, Services, Namespaces and the NetworkPolicies already there (and Calico or Cilium
policies), from files, --cluster or --snapshot. See docs/generate.md.

Examples:
  kubectl get ns,deploy,sts,ds,cronjob,svc,netpol -A -o yaml | eksguard generate network-policies - > policies.yaml
  eksguard generate network-policies --cluster -n shop`)
    .action(async (paths: string[], opts: SourceFlags & { output: 'yaml' | 'json'; outputFile?: string }) => {
      const { runNetworkPolicies } = await import('./generate-run.js');
      setExitCode(await runNetworkPolicies(paths, opts, io, (text) => writeOutput(io, text, opts.outputFile)));
    });

  generate
    .command('trust-policy')
    .description('the IRSA trust policy of a role for exactly one ServiceAccount, and the EKS Pod Identity alternative')
    .requiredOption('--service-account <ns:name>', 'the ServiceAccount (NAMESPACE:NAME)')
    .requiredOption('--cluster-name <name>', 'the EKS cluster', clusterNameArg)
    .option('--aws-dump <dir>', 'read the cluster\'s OIDC issuer and account from AWS CLI output (describe-cluster)')
    .option('--aws', 'read the cluster\'s OIDC issuer and account live (one eks:DescribeCluster)')
    .option('--region <region>', 'with --aws: the AWS region (default: $AWS_REGION, then $AWS_DEFAULT_REGION)')
    .option('--profile <name>', 'with --aws: the AWS shared-config profile')
    .option('--role-arn <arn>', 'with --aws: assume this IAM role first')
    .option('--oidc-issuer <url>', 'the cluster\'s OIDC issuer URL (aws eks describe-cluster --query cluster.identity.oidc.issuer)')
    .option('--account <id>', 'with --oidc-issuer: the AWS account of the cluster')
    .option('--role-name <name>', 'the IAM role to create (default: CLUSTER-NAMESPACE-SERVICEACCOUNT)')
    .addOption(new Option('-o, --output <format>', 'format').choices(['text', 'json']).default('text'))
    .option('--output-file <file>', 'write to this file instead of stdout')
    .addHelpText('after', `
Examples:
  eksguard generate trust-policy --service-account shop:checkout --cluster-name prod --aws-dump aws-evidence/
  eksguard generate trust-policy --service-account shop:checkout --cluster-name prod --aws --region eu-west-1
  eksguard generate trust-policy --service-account shop:checkout --cluster-name prod \\
    --oidc-issuer https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE --account 111122223333`)
    .action(async (opts: {
      serviceAccount: string; clusterName: string; awsDump?: string; aws?: boolean; region?: string; profile?: string; roleArn?: string;
      oidcIssuer?: string; account?: string; roleName?: string; output: 'text' | 'json'; outputFile?: string;
    }) => {
      const { runTrustPolicy } = await import('./generate-run.js');
      setExitCode(await runTrustPolicy(opts, io, (text) => writeOutput(io, text, opts.outputFile)));
    });

  generate
    .command('cloudwatch-alarms')
    .description('a CloudWatch metric filter and alarm on 401/403 responses in the EKS audit log (CloudFormation or Terraform)')
    .option('--cluster-name <name>', 'the EKS cluster (its log group is /aws/eks/NAME/cluster)', clusterNameArg)
    .option('--cluster <name>', 'deprecated: use --cluster-name', clusterNameArg)
    .addOption(new Option('--format <format>', 'template format').choices(['cloudformation', 'terraform']).default('cloudformation'))
    .option('--threshold <n>', 'denied requests per period that raise the alarm', '5')
    .option('--period <seconds>', 'alarm period in seconds (a multiple of 60)', '300')
    .option('--alarm-topic <arn>', 'SNS topic ARN to notify')
    .option('--output-file <file>', 'write the template to this file instead of stdout')
    .addHelpText('after', `
Examples:
  eksguard generate cloudwatch-alarms --cluster-name prod > eks-auth-alarm.yaml
  aws cloudformation deploy --template-file eks-auth-alarm.yaml --stack-name prod-eks-auth-alarm
  eksguard generate cloudwatch-alarms --cluster-name prod --format terraform > eks_auth_alarm.tf`)
    .action(async (opts: { clusterName?: string; cluster?: string; format: 'cloudformation' | 'terraform'; threshold: string; period: string; alarmTopic?: string; outputFile?: string }) => {
      const { runCloudwatchAlarms } = await import('./audit.js');
      const { UsageError } = await import('../../core/errors.js');
      // `--cluster` means the live cluster of the kubeconfig everywhere else: the name is --cluster-name.
      if (opts.cluster !== undefined) io.stderr.write('eksguard: --cluster NAME is deprecated in generate cloudwatch-alarms: use --cluster-name NAME\n');
      const cluster = opts.clusterName ?? opts.cluster;
      if (cluster === undefined) throw new UsageError('generate cloudwatch-alarms needs --cluster-name NAME');
      setExitCode(await runCloudwatchAlarms({
        cluster,
        format: opts.format,
        threshold: opts.threshold,
        period: opts.period,
        ...(opts.alarmTopic !== undefined ? { alarmTopic: opts.alarmTopic } : {}),
        ...(opts.outputFile !== undefined ? { outputFile: opts.outputFile } : {}),
      }, io));
    });
  // Generators print YAML, JSON and commands to paste: never coloured, but they take the flags every command takes.
  for (const command of generate.commands) withPlainOutput(command);
  return generate;
}
