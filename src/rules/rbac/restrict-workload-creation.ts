import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { SCOPED_SEVERITY, isPrivilegedScope } from '../../core/shared-severity.js';
import { describeBinding, describeSubject } from '../../rbac/describe.js';
import { RbacPolicy, type BindingView, type SubjectEntry } from '../../rbac/policy.js';
import { POD_CREATION } from '../../rbac/risk-catalogue.js';
import { defineRule } from '../define-rule.js';
import { builtinBindingGrant, definedPermission, summarizeGrants, rbacNotEvaluated, roleAndBindingHandlers, roleGrants, scopeOf, scopedReport } from '../shared/rbac-permissions.js';

export type MessageId = 'workloadCreation' | 'workloadCreationViaBinding';

export interface Options {
  /** `escalating`: cluster-wide, in kube-system, or to ServiceAccounts; `all`: every grant, as CIS 4.1.4 reads. */
  readonly scope: 'escalating' | 'all';
  /** ServiceAccounts that legitimately create workloads (GitOps controllers): `namespace/name` or `namespace/*`. */
  readonly allowedServiceAccounts: readonly string[];
}

const defaultOptions: Options = { scope: 'escalating', allowedServiceAccounts: [] };

/** The risk catalogue's pod-create (`eksguard rbac risky` judges the same permission). */
export const podCreation = definedPermission(POD_CREATION);

/** Members of system:masters hold everything already; naming them adds nothing. */
const isMasters = (s: SubjectEntry) => s.kind === 'Group' && s.name === 'system:masters';

/**
 * Why a subject of a binding makes workload creation an escalation, or undefined where it is the
 * tenant model (a team creating workloads in its own namespace).
 */
function escalation(binding: BindingView, subject: SubjectEntry, options: Options): string | undefined {
  if (subject.shipped || isMasters(subject)) return undefined;
  if (subject.kind === 'ServiceAccount' && isAllowed(subject, options.allowedServiceAccounts)) return undefined;
  if (binding.kind === 'ClusterRoleBinding') return 'cluster-wide';
  if (isPrivilegedScope(binding.namespace ?? 'default')) return `in ${binding.namespace ?? 'default'}`;
  if (subject.kind === 'ServiceAccount') return 'to a ServiceAccount';
  return options.scope === 'all' ? `in namespace ${binding.namespace ?? 'default'}` : undefined;
}

function isAllowed(subject: SubjectEntry, allowed: readonly string[]): boolean {
  const namespace = subject.namespace ?? '';
  return allowed.some((entry) => entry === `${namespace}/${subject.name}` || entry === `${namespace}/*`);
}

interface Holder { readonly subject: SubjectEntry; readonly binding: BindingView; readonly why: string }

function describeHolders(holders: readonly Holder[], limit = 3): string {
  const shown = holders.slice(0, limit).map((h) => `${describeSubject(h.subject)} via ${describeBinding(h.binding)} (${h.why})`);
  return `${shown.join('; ')}${holders.length > limit ? `; and ${holders.length - limit} more` : ''}`;
}

/**
 * Cluster-wide and kube-system grants reach the control plane's ServiceAccounts; a ServiceAccount
 * elsewhere reaches its neighbours (and `scope: all` counts every grant): graded as `rbac risky`
 * grades pod-create.
 */
function severityOf(holders: readonly Holder[]) {
  return scopedReport('workloadCreation', holders.some((h) => isPrivilegedScope(scopeOf(h.binding))));
}

export default defineRule({
  id: 'restrict-workload-creation',
  meta: {
    area: 'rbac',
    severity: SCOPED_SEVERITY.workloadCreation.namespace,
    docs: { description: 'Restrict creating pods and pod controllers where it escalates', controls: ['eks-bp:iam', 'cis-eks:4.1.4'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      workloadCreation: 'Rule allows {{grants}}{{from}}: whoever creates pods chooses the ServiceAccount they run as (and so its token, bindings and IAM role) and, where admission allows, mounts the node; held where that escalates: {{holders}}.',
      workloadCreationViaBinding: '{{binding}} gives {{subjects}} {{grants}} {{scope}} through {{role}}, where that escalates ({{why}}): they can run pods as any ServiceAccount there.',
    },
    rationale: 'Creating a pod, directly or through a Deployment, DaemonSet, StatefulSet, ReplicaSet, Job, CronJob or ReplicationController, means choosing its ServiceAccount: the creator can run a pod as any ServiceAccount of the namespace and read its token, and mount host paths wherever admission does not stop it. Cluster-wide, or in kube-system, that reaches the control plane\'s controllers and the node agents. Held by a ServiceAccount, it lets a compromised pod start more pods as its neighbours. A team deploying to its own namespace is the tenant model, and is not reported unless scope is all (CIS EKS 4.1.4 read literally).',
    remediation: 'Grant pod and workload creation through RoleBindings in the namespaces a team owns, to users and groups; keep it out of ClusterRoleBindings and kube-system. ServiceAccounts should not create workloads, except the deployment controller of a GitOps tool (Argo CD, Flux): list those in the allowedServiceAccounts option.',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        scope: { type: 'string', enum: ['escalating', 'all'], description: 'escalating (default): only grants that are cluster-wide, in kube-system or to ServiceAccounts; all: every grant of pod or workload creation, as CIS EKS 4.1.4 reads.' },
        allowedServiceAccounts: { type: 'array', items: { type: 'string', pattern: '^[^/]+/[^/]+$' }, description: 'ServiceAccounts that may create workloads (GitOps controllers), as namespace/name or namespace/*.' },
      },
    },
  },
  defaultOptions,
  notEvaluated: rbacNotEvaluated,
  create(options) {
    function* judgeRole(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
      const policy = RbacPolicy.of(inventory);
      for (const found of roleGrants(resource, inventory, podCreation)) {
        const holders: Holder[] = [];
        for (const { binding } of policy.grantsOf(found.role)) {
          for (const subject of binding.subjects) {
            const why = escalation(binding, subject, options);
            if (why !== undefined) holders.push({ subject, binding, why });
          }
        }
        // CIS read literally: the rule itself is the finding, bound or not.
        if (holders.length === 0 && options.scope !== 'all') continue;
        yield {
          messageId: 'workloadCreation', path: found.rule.path, ...severityOf(holders),
          data: { grants: summarizeGrants(found.grants), from: found.from, holders: holders.length > 0 ? describeHolders(holders) : found.grantees },
        };
      }
    }
    function* judgeBinding(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
      const found = builtinBindingGrant(resource, inventory, podCreation);
      if (found === undefined) return;
      const holders = found.subjects.flatMap((subject) => {
        const why = escalation(found.binding, subject, options);
        return why === undefined ? [] : [{ subject, binding: found.binding, why }];
      });
      if (holders.length === 0) return;
      yield {
        messageId: 'workloadCreationViaBinding', path: ['roleRef'], ...severityOf(holders),
        data: { ...found.data, subjects: holders.map((h) => describeSubject(h.subject)).join(', '), grants: summarizeGrants(found.grants), why: [...new Set(holders.map((h) => h.why))].join(', ') },
      };
    }
    return roleAndBindingHandlers(judgeRole, judgeBinding);
  },
});
