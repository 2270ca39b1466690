/** What the `incident` commands run: loaded only when one of them runs. */
import { UsageError } from '../../core/errors.js';
import { WORKLOAD_KINDS } from '../../core/workload.js';
import { validNamespace, validObjectName } from '../../generate/shell.js';
import { isolationPlan, renderIsolationScript, renderIsolationYaml } from '../../incident/isolate.js';
import { locate, type LocateQuery } from '../../incident/locate.js';
import { describeQuery, renderLocateJson, renderLocateTable } from '../../incident/render-locate.js';
import { ExitCode, wantsColor, type Io } from '../io.js';
import { readSourcesInventory, reportGaps } from '../inventory-sources.js';
import { liveSourceFlags } from '../live-sources.js';
import type { SourceFlags } from '../source-options.js';
import { parseNamespaced } from './incident.js';
import { terminalMessage, terminalText } from '../../core/terminal-text.js';

/** What a live read needs: pods and their owners, nodes, ServiceAccounts, RBAC and aws-auth (for the SA's RBAC), Services and policies (isolation). */
const KINDS = [
  'Node', 'Namespace', 'ServiceAccount', 'Service', 'ConfigMap', 'DaemonSet',
  'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding',
  'NetworkPolicy', 'GlobalNetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy',
  ...WORKLOAD_KINDS,
];
const HINT = 'Give --cluster (read-only), --snapshot FILE, or files, directories or - (kubectl get pods,deploy,rs,sts,ds,jobs,cronjobs,nodes,sa,svc,netpol,roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml); --aws-dump DIR adds Pod Identity associations and EC2 instances.';

function read(paths: readonly string[], opts: SourceFlags, io: Io) {
  return readSourcesInventory({
    paths,
    ...(opts.awsDump !== undefined ? { awsDump: opts.awsDump } : {}),
    ...(opts.clusterName !== undefined ? { clusterName: opts.clusterName } : {}),
    live: liveSourceFlags(opts),
  }, io, { kinds: KINDS, hint: HINT, keepReplicas: true });
}

export function parseQuery(opts: { image?: string; serviceAccount?: string; workload?: string; pod?: string }): LocateQuery {
  const given = [opts.image, opts.serviceAccount, opts.workload, opts.pod].filter((v) => v !== undefined).length;
  if (given !== 1) throw new UsageError('locate what? give exactly one of --image REF, --service-account NS:NAME, --workload KIND/NS/NAME, --pod NS/NAME');
  if (opts.image !== undefined) return { by: 'image', image: opts.image };
  if (opts.serviceAccount !== undefined) {
    const { namespace, name } = parseNamespaced('--service-account', opts.serviceAccount);
    return { by: 'service-account', namespace: validNamespace(namespace), name: validObjectName(name, 'ServiceAccount name') };
  }
  if (opts.workload !== undefined) {
    const match = /^([A-Za-z]+)\/([^/]+)\/([^/]+)$/.exec(opts.workload);
    if (match === null) throw new UsageError(`--workload ${JSON.stringify(opts.workload)}: expected KIND/NAMESPACE/NAME, e.g. Deployment/shop/web`);
    const kind = WORKLOAD_KINDS.find((k) => k.toLowerCase() === (match[1] ?? '').toLowerCase());
    if (kind === undefined) throw new UsageError(`--workload: unknown kind ${match[1] ?? ''}; expected one of ${WORKLOAD_KINDS.join(', ')}`);
    return { by: 'workload', kind, namespace: validNamespace(match[2] ?? ''), name: validObjectName(match[3] ?? '', `${kind} name`) };
  }
  const { namespace, name } = parseNamespaced('--pod', opts.pod ?? '');
  return { by: 'pod', namespace: validNamespace(namespace), name: validObjectName(name, 'pod name') };
}

export async function runLocate(paths: readonly string[], opts: SourceFlags & { image?: string; serviceAccount?: string; workload?: string; pod?: string; output: 'table' | 'json' }, io: Io, color: boolean | undefined): Promise<ExitCode> {
  const query = parseQuery(opts);
  const { inventory, gaps } = await read(paths, opts, io);
  const result = locate(inventory, query);
  io.stdout.write(opts.output === 'json' ? renderLocateJson(result, gaps) : renderLocateTable(result, gaps, { color: wantsColor(io, color) }));
  reportGaps(gaps, io);
  if (gaps.length > 0 && opts.allowGaps !== true) return ExitCode.Fatal;
  if (result.targets.length === 0) {
    io.stderr.write(`eksguard: nothing in the input matches ${terminalText(describeQuery(query))}\n`);
    return ExitCode.Findings;
  }
  return ExitCode.Ok;
}

export async function runIsolate(paths: readonly string[], opts: SourceFlags & { pod: string; incident?: string; output: 'yaml' | 'script' }, io: Io): Promise<ExitCode> {
  const { namespace, name } = parseNamespaced('--pod', opts.pod);
  const { inventory, gaps } = await read(paths, opts, io);
  reportGaps(gaps, io);
  const plan = isolationPlan(inventory, { namespace, pod: name, ...(opts.incident !== undefined ? { incident: opts.incident } : {}) });
  io.stdout.write(opts.output === 'script' ? renderIsolationScript(plan) : renderIsolationYaml(plan));
  for (const warning of plan.warnings) io.stderr.write(`eksguard: warning: ${terminalMessage(warning)}\n`);
  return gaps.length > 0 && opts.allowGaps !== true ? ExitCode.Fatal : ExitCode.Ok;
}
