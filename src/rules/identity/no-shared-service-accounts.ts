import { serviceAccountOf } from '../../core/workload.js';
import type { Inventory } from '../../core/inventory.js';
import type { Workload } from '../../core/workload.js';
import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';

/** How many other workloads a message names before "and N more". */
const MAX_NAMED = 3;

interface LogicalWorkload {
  /** `Kind/namespace/name` of the top-level controller the workload belongs to. */
  readonly key: string;
  /** `Kind/name`, for messages. */
  readonly label: string;
}

function controllerOf(workload: Workload): { readonly kind: string; readonly name: string } | undefined {
  const owners = workload.object.metadata?.ownerReferences;
  if (!Array.isArray(owners)) return undefined;
  for (const owner of owners as unknown[]) {
    if (owner === null || typeof owner !== 'object') continue;
    const { kind, name, controller } = owner as { kind?: unknown; name?: unknown; controller?: unknown };
    if (controller === true && typeof kind === 'string' && kind !== '' && typeof name === 'string' && name !== '') return { kind, name };
  }
  return undefined;
}

/**
 * The controller a workload belongs to, so that replicas of one app are one workload: the
 * inventory already folds objects whose controller it holds, but a dump of Pods without their
 * ReplicaSets (or Jobs) still lists each replica. A ReplicaSet is named `<deployment>-<pod-template-hash>`
 * and a CronJob's Job `<cronjob>-<scheduled minute>`, which leads back to the owner.
 */
function logicalWorkload(workload: Workload, inventory: Inventory): LogicalWorkload {
  const ns = workload.namespace;
  const owner = controllerOf(workload);
  if (owner === undefined) return { key: `${workload.object.kind}/${ns}/${workload.ref.name}`, label: `${workload.object.kind}/${workload.ref.name}` };
  if (owner.kind === 'ReplicaSet') {
    const hash = workload.podMeta.labels?.['pod-template-hash'];
    if (typeof hash === 'string' && hash !== '' && owner.name.endsWith(`-${hash}`)) {
      const deployment = owner.name.slice(0, -(hash.length + 1));
      const label = inventory.find('Deployment', ns, deployment) ? `Deployment/${deployment}` : `ReplicaSet/${owner.name}`;
      return { key: `Deployment/${ns}/${deployment}`, label };
    }
  }
  if (owner.kind === 'Job') {
    const cronJob = /^(.+)-\d+$/.exec(owner.name)?.[1];
    if (cronJob !== undefined && inventory.find('CronJob', ns, cronJob)) return { key: `CronJob/${ns}/${cronJob}`, label: `CronJob/${cronJob}` };
  }
  return { key: `${owner.kind}/${ns}/${owner.name}`, label: `${owner.kind}/${owner.name}` };
}

/** By `namespace/serviceAccount`: the distinct logical workloads that run as it (key → label). */
const usersCache = new WeakMap<Inventory, Map<string, Map<string, string>>>();

function serviceAccountUsers(inventory: Inventory): Map<string, Map<string, string>> {
  const cached = usersCache.get(inventory);
  if (cached !== undefined) return cached;
  const users = new Map<string, Map<string, string>>();
  for (const workload of inventory.workloads) {
    const serviceAccount = serviceAccountOf(workload);
    if (serviceAccount.name === 'default') continue;
    const { key, label } = logicalWorkload(workload, inventory);
    const saKey = `${workload.namespace}/${serviceAccount.name}`;
    let byWorkload = users.get(saKey);
    if (byWorkload === undefined) {
      byWorkload = new Map();
      users.set(saKey, byWorkload);
    }
    if (!byWorkload.has(key)) byWorkload.set(key, label);
  }
  usersCache.set(inventory, users);
  return users;
}

type MessageId = 'sharedServiceAccount';

export default defineRule({
  id: 'no-shared-service-accounts',
  meta: {
    area: 'identity',
    severity: 'low',
    docs: { description: 'Disallow one ServiceAccount shared by several workloads', controls: ['eks-bp:iam', 'eks-bp:multi-tenancy'] },
    evidence: ['manifests', 'cluster'],
    // Other workloads than the one judged: the admission webhook runs it only with a cluster view.
    reads: ['workload'],
    messages: {
      sharedServiceAccount: 'ServiceAccount "{{serviceAccount}}" is also used by {{others}}: each of these workloads holds every RBAC permission and IAM role granted for the others.',
    },
    rationale: 'A ServiceAccount is the identity a pod presents to the Kubernetes API and, through IRSA or EKS Pod Identity, to AWS. When several workloads share one, each needs only part of what it is granted but holds all of it, a compromise of the weakest spreads to the rest, and audit logs cannot tell which workload made a call.',
    remediation: 'Give each workload its own ServiceAccount, bind to it only the roles (and IAM role) that workload needs, and set serviceAccountName accordingly.',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload, inventory): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      const serviceAccount = serviceAccountOf(workload);
      if (serviceAccount.name === 'default') return out;
      const users = serviceAccountUsers(inventory).get(`${workload.namespace}/${serviceAccount.name}`);
      if (users === undefined || users.size < 2) return out;
      const own = logicalWorkload(workload, inventory).key;
      const others = [...users].filter(([key]) => key !== own).map(([, label]) => label).sort();
      if (others.length === 0) return out;
      const named = others.slice(0, MAX_NAMED).join(', ');
      const rest = others.length - MAX_NAMED;
      out.push({
        messageId: 'sharedServiceAccount',
        path: [...workload.podSpecPath, serviceAccount.field ?? 'serviceAccountName'],
        data: { serviceAccount: serviceAccount.name, others: rest > 0 ? `${named} and ${rest} more` : named, count: others.length },
      });
      return out;
    },
  }),
});
