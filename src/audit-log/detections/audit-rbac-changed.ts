import { toPolicyRule, type PolicyRule } from '../../rbac/policy-rule.js';
import { asRecord, isFinalStage, succeeded, type AuditEvent } from '../event.js';
import { actorLabel, bodyMeta, defineDetection, EKS_COMPONENTS, ignoredActor, IGNORE_USERS_SCHEMA, isMutation, listFact, objectResource, plural, timeRange } from '../detection.js';

export interface RbacChangedOptions {
  readonly ignoreUsers: readonly string[];
}

export const RBAC_RESOURCES = new Set(['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']);

export const PAST_TENSE: Readonly<Record<string, string>> = {
  create: 'created', update: 'updated', patch: 'patched', delete: 'deleted', deletecollection: 'deleted (as a collection)',
};

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
const ESCALATION_VERBS = new Set(['escalate', 'bind', 'impersonate']);

function rulesOfBody(body: unknown): PolicyRule[] {
  const rules = asRecord(body)?.rules;
  return Array.isArray(rules) ? (rules as unknown[]).flatMap((r) => toPolicyRule(r) ?? []) : [];
}

/** What a role body grants that matters, as Falco's role rules look at it (and a little more). */
export function roleRisks(body: unknown): { readonly risks: string[]; readonly elevated: boolean } {
  const rules = rulesOfBody(body);
  const risks: string[] = [];
  let elevated = false;
  if (rules.some((r) => r.verbs.includes('*') || r.resources.includes('*'))) {
    risks.push('wildcard verbs or resources');
    elevated = true;
  }
  if (rules.some((r) => r.resources.some((res) => res === 'pods/exec' || res === 'pods/attach' || res === '*/exec'))) {
    risks.push('exec into pods');
    elevated = true;
  }
  const escalation = [...new Set(rules.flatMap((r) => r.verbs.filter((v) => ESCALATION_VERBS.has(v))))];
  if (escalation.length > 0) {
    risks.push(`the ${escalation.sort().join('/')} verbs`);
    elevated = true;
  }
  if (rules.some((r) => r.resources.includes('secrets') && r.verbs.some((v) => v === 'get' || v === 'list' || v === 'watch'))) {
    risks.push('reading secrets');
    elevated = true;
  }
  if (rules.some((r) => r.verbs.some((v) => WRITE_VERBS.has(v)))) risks.push('write access');
  return { risks, elevated };
}

function bindingSummary(body: unknown): string | undefined {
  const record = asRecord(body);
  const roleRef = asRecord(record?.roleRef);
  if (roleRef === undefined) return undefined;
  const subjects = Array.isArray(record?.subjects) ? (record.subjects as unknown[]).flatMap((s) => {
    const subject = asRecord(s);
    if (subject === undefined) return [];
    const ns = typeof subject.namespace === 'string' && subject.namespace !== '' ? `${subject.namespace}/` : '';
    return [`${String(subject.kind ?? '?')} ${ns}${String(subject.name ?? '?')}`];
  }) : [];
  return `binds ${String(roleRef.kind ?? 'role')} ${String(roleRef.name ?? '?')} to ${subjects.length > 0 ? subjects.slice(0, 4).join(', ') + (subjects.length > 4 ? ` and ${subjects.length - 4} more` : '') : 'no subjects'}`;
}

export function isRbacChange(event: AuditEvent): boolean {
  const ref = event.objectRef;
  return ref !== undefined && ref.apiGroup === 'rbac.authorization.k8s.io' && RBAC_RESOURCES.has(ref.resource) && ref.subresource === ''
    && isMutation(event.verb) && isFinalStage(event) && succeeded(event);
}

export default defineDetection<RbacChangedOptions>({
  id: 'audit-rbac-changed',
  meta: {
    title: 'Report changes to Roles, ClusterRoles and their bindings',
    severity: 'medium',
    rationale: 'RBAC objects decide who can do what; a new binding or a widened role is how access is granted, persisted and escalated. Changes that grant wildcards, exec, secrets, or the escalate/bind/impersonate verbs, and changes to built-in system: roles, are medium; other changes are low.',
    remediation: 'Check each change against your change records. Manage RBAC through GitOps so out-of-band changes stand out, and restrict who holds create/update on RBAC objects and the bind/escalate verbs (scan rule no-rbac-escalation-verbs).',
    controls: ['eks-bp:iam', 'eks-bp:detective-controls'],
    falco: [
      'System ClusterRole Modified/Deleted', 'ClusterRole With Wildcard Created', 'ClusterRole With Write Privileges Created',
      'ClusterRole With Pod Exec Created', 'K8s Role/Clusterrole Created', 'K8s Role/Clusterrole Deleted',
      'K8s Role/Clusterrolebinding Created', 'K8s Role/Clusterrolebinding Deleted',
    ],
  },
  // The API server reconciles the built-in roles at start-up, and the aggregation controller rewrites aggregated ClusterRoles.
  // EKS's components apply the RBAC of the add-ons and features EKS manages (the addon manager
  // server-side-applies system:coredns, aws-node and their bindings on every add-on reconcile).
  cloudWatchFilter: '$.objectRef.apiGroup = "rbac.authorization.k8s.io"',
  defaultOptions: { ignoreUsers: ['system:apiserver', 'system:serviceaccount:kube-system:clusterrole-aggregation-controller', EKS_COMPONENTS] },
  schema: { type: 'object', additionalProperties: false, properties: { ignoreUsers: IGNORE_USERS_SCHEMA } },
  create(options) {
    return {
      resources: [...RBAC_RESOURCES],
      prefilter: (probe) => probe.refHas('rbac.authorization.k8s.io'),
      match(event) {
        if (!isRbacChange(event)) return undefined;
        if (ignoredActor(options.ignoreUsers, event)) return undefined;
        const user = actorLabel(event);
        const resource = objectResource(event);
        const isRole = event.objectRef?.resource === 'roles' || event.objectRef?.resource === 'clusterroles';
        const body = event.requestObject ?? event.responseObject;
        const { risks, elevated } = isRole && event.verb !== 'delete' ? roleRisks(body) : { risks: [], elevated: false };
        const system = resource.name.startsWith('system:');
        const binding = isRole ? undefined : bindingSummary(body);
        return {
          key: `${resource.kind}\u0000${resource.namespace ?? ''}\u0000${resource.name}\u0000${user}`,
          resource,
          ...(elevated || system ? {} : { severity: 'low' as const }),
          ...bodyMeta(event),
          facts: {
            user,
            change: PAST_TENSE[event.verb] ?? event.verb,
            ...(risks.length > 0 ? { risks: risks.join(', ') } : {}),
            ...(binding !== undefined ? { binding } : {}),
            ...(system ? { system: 'built-in' } : {}),
          },
        };
      },
      describe(group) {
        const r = group.resource;
        const name = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
        const times = group.count > 1 ? ` (${plural(group.count, 'change')})` : '';
        const extras = [
          group.facts.system ? 'a built-in system: object' : '',
          group.facts.risks ? `grants ${listFact(group.facts.risks, 1)}` : '',
          group.facts.binding ? listFact(group.facts.binding, 1) : '',
        ].filter((e) => e !== '');
        return { message: `${name} ${listFact(group.facts.change)} by ${listFact(group.facts.user)}${times} ${timeRange(group)}${extras.length > 0 ? `: ${extras.join('; ')}` : ''}` };
      },
    };
  },
});
