/**
 * `eksguard incident locate | isolate`: the guide's incident-response steps as look-ups and a
 * reviewable bundle of commands. Nothing is applied or run.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { withSourceOptions, type CommandContext, type SourceFlags } from '../source-options.js';

export function registerIncident(program: Command, { argv, io, setExitCode }: CommandContext): Command {
  const incident = program
    .command('incident')
    .description('incident response (EKS Best Practices Guide): find what a compromised image, ServiceAccount or workload touches; print the steps that isolate a pod');

  withSourceOptions(incident
    .command('locate')
    .description('the pods, owners, nodes (EC2 instances), ServiceAccount, IAM role and RBAC behind an image, a ServiceAccount, a workload or a pod')
    .argument('[paths...]', 'files, directories, or - for stdin')
    .option('--image <ref>', 'pods running this image: a repository (any tag), REPOSITORY:TAG, or a digest (@sha256:..., matched against imageID too)')
    .option('--service-account <ns:name>', 'pods running as this ServiceAccount')
    .option('--workload <kind/ns/name>', 'the pods of this workload (Deployment/shop/web)')
    .option('--pod <ns/name>', 'this pod')
    .addOption(new Option('-o, --output <format>', 'format').choices(['table', 'json']).default('table'))
    .option('--color', 'force coloured output')
    .option('--no-color', 'disable coloured output'))
    .addHelpText('after', `
Exit codes: 0 something matched, 1 nothing matched, 2 usage error or unreadable input.

Examples:
  eksguard incident locate --cluster --image nginx:1.25.3
  eksguard incident locate --cluster --image 111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:4f5c... --aws-dump aws-evidence/
  eksguard incident locate dump.yaml --service-account shop:checkout -o json
  eksguard incident locate --snapshot prod.json --workload Deployment/shop/web`)
    .action(async (paths: string[], opts: SourceFlags & { image?: string; serviceAccount?: string; workload?: string; pod?: string; output: 'table' | 'json'; color?: boolean }) => {
      const { runLocate } = await import('./incident-run.js');
      setExitCode(await runLocate(paths, opts, io, argv.includes('--color') || argv.includes('--no-color') ? opts.color !== false : undefined));
    });

  withSourceOptions(incident
    .command('isolate')
    .description('the isolation steps for one pod as a reviewable bundle: quarantine NetworkPolicy, labels, revoked IAM sessions, cordon, termination protection, evidence capture')
    .argument('[paths...]', 'files, directories, or - for stdin')
    .requiredOption('--pod <ns/name>', 'the pod to isolate')
    .option('--incident <id>', 'the incident id, used as the quarantine label value (default: ir-POD)')
    .addOption(new Option('-o, --output <format>', 'yaml: the quarantine NetworkPolicy, the steps as comments; script: a commented shell script').choices(['yaml', 'script']).default('yaml')))
    .addHelpText('after', `
Nothing is applied or run: review the output, then apply the policy or run the script yourself.
See docs/incident-response.md.

Examples:
  eksguard incident isolate --cluster --pod shop/web-5d8f-abcde --incident IR-1234 -o script > isolate.sh
  eksguard incident isolate --cluster --pod shop/web-5d8f-abcde --aws-dump aws-evidence/`)
    .action(async (paths: string[], opts: SourceFlags & { pod: string; incident?: string; output: 'yaml' | 'script' }) => {
      const { runIsolate } = await import('./incident-run.js');
      setExitCode(await runIsolate(paths, opts, io));
    });
  return incident;
}

/** `NS/NAME` (or `NS:NAME`). */
export function parseNamespaced(flag: string, value: string): { readonly namespace: string; readonly name: string } {
  const match = /^([^/:]+)[/:]([^/:]+)$/.exec(value);
  if (match === null) throw new UsageError(`${flag} ${JSON.stringify(value)}: expected NAMESPACE/NAME`);
  return { namespace: match[1] ?? '', name: match[2] ?? '' };
}
