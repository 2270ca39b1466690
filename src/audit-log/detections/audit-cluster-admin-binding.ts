import { asRecord, isFinalStage, succeeded } from '../event.js';
import { actorLabel, bodyMeta, defineDetection, EKS_COMPONENTS, ignoredActor, IGNORE_USERS_SCHEMA, listFact, objectResource, plural, timeRange } from '../detection.js';
import { PAST_TENSE } from './audit-rbac-changed.js';

export interface ClusterAdminBindingOptions {
  readonly roles: readonly string[];
  readonly ignoreUsers: readonly string[];
}

function subjectsOf(body: unknown): string[] {
  const subjects = asRecord(body)?.subjects;
  if (!Array.isArray(subjects)) return [];
  return (subjects as unknown[]).flatMap((s) => {
    const subject = asRecord(s);
    if (subject === undefined) return [];
    const ns = typeof subject.namespace === 'string' && subject.namespace !== '' ? `${subject.namespace}/` : '';
    return [`${String(subject.kind ?? '?')} ${ns}${String(subject.name ?? '?')}`];
  });
}

export default defineDetection<ClusterAdminBindingOptions>({
  id: 'audit-cluster-admin-binding',
  meta: {
    title: 'Report bindings created or changed to grant cluster-admin',
    severity: 'high',
    rationale: 'cluster-admin allows every verb on every resource. A new binding to it (a ClusterRoleBinding, or a RoleBinding that grants it in one namespace) is the most direct escalation there is, and attackers use it to persist.',
    remediation: 'Confirm the binding was intended; otherwise delete it and revoke what the subject did meanwhile. Grant narrower roles (eksguard audit rbac generates one from what the subject really does).',
    controls: ['eks-bp:iam'],
    falco: ['Attach to cluster-admin Role'],
  },
  // The API server creates the bootstrap binding cluster-admin (to system:masters) when a cluster is
  // created, and EKS binds cluster-admin to its own addon manager (eks:addon-cluster-admin).
  cloudWatchFilter: '$.objectRef.resource = "clusterrolebindings" || $.objectRef.resource = "rolebindings"',
  defaultOptions: { roles: ['cluster-admin'], ignoreUsers: ['system:apiserver', EKS_COMPONENTS] },
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      roles: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'ClusterRoles as powerful as cluster-admin (say, your own admin roles).' },
      ignoreUsers: IGNORE_USERS_SCHEMA,
    },
  },
  create(options) {
    return {
      resources: ['rolebindings', 'clusterrolebindings'],
      prefilter: () => true,
      match(event) {
        const ref = event.objectRef;
        if (ref === undefined || ref.apiGroup !== 'rbac.authorization.k8s.io' || (ref.resource !== 'clusterrolebindings' && ref.resource !== 'rolebindings')) return undefined;
        if (!['create', 'update', 'patch'].includes(event.verb) || ref.subresource !== '' || !isFinalStage(event) || !succeeded(event)) return undefined;
        // A patch carries only what changed: the stored object in the response says what the binding grants now.
        const body = asRecord(event.responseObject)?.roleRef !== undefined ? event.responseObject : event.requestObject;
        const roleRef = asRecord(asRecord(body)?.roleRef);
        if (roleRef?.kind !== 'ClusterRole' || typeof roleRef.name !== 'string' || !options.roles.includes(roleRef.name)) return undefined;
        if (ignoredActor(options.ignoreUsers, event)) return undefined;
        const resource = objectResource(event);
        const user = actorLabel(event);
        return {
          key: `${resource.kind}\u0000${resource.namespace ?? ''}\u0000${resource.name}`,
          resource,
          ...bodyMeta(event),
          facts: { user, role: roleRef.name, change: PAST_TENSE[event.verb] ?? event.verb, subjects: subjectsOf(body).join(', ') || 'no subjects' },
        };
      },
      describe(group) {
        const r = group.resource;
        const scope = r.kind === 'RoleBinding' ? ` in namespace ${r.namespace ?? ''}` : '';
        const times = group.count > 1 ? ` (${plural(group.count, 'change')})` : '';
        return {
          message: `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} grants ${listFact(group.facts.role)}${scope} to ${listFact(group.facts.subjects, 1)}; ${listFact(group.facts.change)} by ${listFact(group.facts.user)}${times} ${timeRange(group)}`,
        };
      },
    };
  },
});
