/**
 * Which subjects may make a request, decided as the Kubernetes authorizers decide it
 * (`VisitRulesFor`): every ClusterRoleBinding, plus the RoleBindings of the request's namespace —
 * or of every namespace when the question is "anywhere" — and non-resource URLs through
 * ClusterRoleBindings only; `system:masters`, which the authorizer allows before RBAC is asked;
 * and, on EKS, the IAM principals mapped through aws-auth or access entries, with the access
 * policies EKS's own authorizer evaluates. Pure.
 */
import type { Inventory } from '../core/inventory.js';
import { SHIPPED_CLUSTER_ROLE_BINDINGS, SHIPPED_ROLE_BINDINGS } from './bootstrap-policy.js';
import { accessPolicyRules, scopeCoversNamespace } from './access-policies.js';
import { AccessIndex, type IndexedBinding } from './access-index.js';
import { accountMappedPrincipal, usernameMatches, type IamCoverage, type IamIdentity, type IamKind } from './iam-identities.js';
import { SYSTEM_MASTERS, implicitGroupMembers } from './identity.js';
import type { BindingView, EffectiveRule, RbacPolicy, RoleView, SubjectEntry } from './policy.js';
import { clusterVersion, sessionRequests } from './pod-sessions.js';
import { ruleAllows, type PolicyRule, type Request } from './policy-rule.js';
import { resolveQuery, type ResolvedQuery, type WhoCanQuery } from './query.js';
import { throughVia, type Via } from './via.js';

export interface Permission {
  readonly binding: BindingView;
  readonly subject: SubjectEntry;
  /** The rules of the bound role that allow the request. */
  readonly rules: readonly EffectiveRule[];
}

/**
 * The RBAC objects' part of the answer, binding by binding: `namespace` is the request's (omit it
 * for cluster-scoped resources and non-resource URLs). Groups are not expanded; `system:masters`
 * and IAM principals are added by `whoCanAnswer`.
 */
export function whoCan(policy: RbacPolicy, request: Request, namespace?: string): readonly Permission[] {
  const out: Permission[] = [];
  for (const binding of policy.bindings) {
    if (binding.kind === 'RoleBinding' && ('nonResourceURL' in request || namespace === undefined || binding.namespace !== namespace)) continue;
    const rules = binding.role?.rules.filter((r) => ruleAllows(r.rule, request)) ?? [];
    if (rules.length === 0) continue;
    for (const subject of binding.subjects) out.push({ binding, subject, rules });
  }
  return out;
}

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount' | IamKind;

export interface WhoCanSubject {
  readonly kind: SubjectKind;
  /** The username, group name, ServiceAccount name, or IAM ARN. */
  readonly name: string;
  /** ServiceAccounts only. */
  readonly namespace: string | undefined;
  /** Every path that grants the request. */
  readonly via: readonly Via[];
  /** Where the grants apply: cluster-wide (a ClusterRoleBinding, a cluster-scoped access policy) and/or these namespaces. */
  readonly scope: { readonly clusterWide: boolean; readonly namespaces: readonly string[] };
  /** For groups authentication fills (`system:authenticated`, ...): who is in them. */
  readonly members: string | undefined;
}

export interface DanglingBinding {
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  readonly name: string;
  readonly namespace: string | undefined;
  readonly roleRef: string;
  readonly subjects: readonly string[];
  readonly source: string | undefined;
}

export interface WhoCanAnswer {
  readonly query: ResolvedQuery;
  readonly subjects: readonly WhoCanSubject[];
  /** Bindings in the question's scope whose role is missing: they grant nothing (until someone creates the role). */
  readonly dangling: readonly DanglingBinding[];
  /** Which identity sources the answer covers. */
  readonly coverage: IamCoverage;
  /** Interpretations of the question, and what the answer could not cover. */
  readonly notes: readonly string[];
}

const KIND_ORDER: Readonly<Record<SubjectKind, number>> = { User: 1, Group: 2, ServiceAccount: 3, IAMRole: 4, IAMUser: 5 };

interface Draft {
  readonly kind: SubjectKind;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly via: Via[];
}

/** The same key `subjectKey` gives Kubernetes subjects, so precomputed keys and these meet. */
function draftKey(kind: SubjectKind, name: string, namespace: string | undefined): string {
  return `${kind}|${namespace ?? ''}|${name}`;
}

/** The bindings whose grants can apply to the question, each with the namespace it applies in. */
function candidateBindings(index: AccessIndex, query: ResolvedQuery): readonly IndexedBinding[] {
  switch (query.scope.type) {
    case 'cluster': return index.clusterBindings;
    case 'namespace': return index.bindingsFor(query.scope.namespace);
    default: return index.allBindings;
  }
}

export function whoCanAnswer(inventory: Inventory, question: WhoCanQuery | ResolvedQuery): WhoCanAnswer {
  const index = AccessIndex.of(inventory);
  const query = 'request' in question ? question : resolveQuery(question, index.customResources);
  const { request } = query;
  // On Kubernetes <= 1.34 a WebSocket exec is authorised as get: "who can create pods/exec" includes those.
  const sessions = sessionRequests(request, clusterVersion(inventory));
  const allowsRequest = (rule: PolicyRule) => sessions.requests.some((r) => ruleAllows(rule, r));
  const drafts = new Map<string, Draft>();
  const addKeyed = (key: string, kind: SubjectKind, name: string, namespace: string | undefined, via: Via) => {
    let draft = drafts.get(key);
    if (draft === undefined) {
      draft = { kind, name, namespace, via: [] };
      drafts.set(key, draft);
    }
    draft.via.push(via);
  };
  const add = (kind: SubjectKind, name: string, namespace: string | undefined, via: Via) => addKeyed(draftKey(kind, name, namespace), kind, name, namespace, via);

  // system:masters first: the authorizer allows its members everything before RBAC is consulted.
  const mastersVia: Via = { kind: 'system:masters', name: SYSTEM_MASTERS, namespace: undefined, role: undefined, mapping: undefined, as: undefined, source: undefined };
  add('Group', SYSTEM_MASTERS, undefined, mastersVia);

  // Each role is judged once per question, however many bindings name it.
  const allows = new Map<RoleView, boolean>();
  const roleAllows = (role: RoleView): boolean => {
    let allowed = allows.get(role);
    if (allowed === undefined) {
      allowed = role.rules.some((r) => allowsRequest(r.rule));
      allows.set(role, allowed);
    }
    return allowed;
  };

  const dangling: DanglingBinding[] = [];
  for (const { binding, via, subjects } of candidateBindings(index, query)) {
    if (binding.role === undefined) {
      if (binding.roleRef !== undefined && !isBootstrapBinding(binding)) {
        dangling.push({
          kind: binding.kind, name: binding.name, namespace: binding.namespace, roleRef: `${binding.roleRef.kind}/${binding.roleRef.name}`,
          subjects: binding.subjects.map((s) => (s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace ?? ''}/${s.name}` : `${s.kind} ${s.name}`)),
          source: via.source,
        });
      }
      continue;
    }
    if (!roleAllows(binding.role)) continue;
    for (const { subject, key } of subjects) addKeyed(key, subject.kind, subject.name, subject.kind === 'ServiceAccount' ? subject.namespace : undefined, via);
  }

  const notes = [...query.notes];
  if (sessions.note !== undefined) notes.push(sessions.note);
  addIamPrincipals(index, query, drafts, add, notes, allowsRequest);

  const subjects = [...drafts.values()]
    .map((d): WhoCanSubject => ({
      kind: d.kind, name: d.name, namespace: d.namespace, via: dedupe(d.via),
      scope: scopeOf(d.via), members: d.kind === 'Group' ? implicitGroupMembers(d.name) : undefined,
    }))
    .sort(compareSubjects);
  notes.push(...coverageNotes(index.iam.coverage));
  return { query, subjects, dangling, coverage: index.iam.coverage, notes };
}

/**
 * A bootstrap binding with its shipped roleRef: its role exists in every cluster even when the
 * input (or eksguard's table of built-in roles, which omits roles no rule needs) lacks it.
 */
export function isBootstrapBinding(binding: BindingView): boolean {
  const table = binding.kind === 'ClusterRoleBinding' ? SHIPPED_CLUSTER_ROLE_BINDINGS : SHIPPED_ROLE_BINDINGS;
  const key = binding.kind === 'ClusterRoleBinding' ? binding.name : `${binding.namespace ?? ''}/${binding.name}`;
  const shipped = Object.hasOwn(table, key) ? table[key] : undefined;
  return shipped !== undefined && binding.roleRef !== undefined && shipped.roleRef.kind === binding.roleRef.kind && shipped.roleRef.name === binding.roleRef.name;
}

function addIamPrincipals(
  index: AccessIndex,
  query: ResolvedQuery,
  drafts: ReadonlyMap<string, Draft>,
  add: (kind: SubjectKind, name: string, namespace: string | undefined, via: Via) => void,
  notes: string[],
  allowsRequest: (rule: PolicyRule) => boolean,
): void {
  // Snapshot the Kubernetes answer: IAM principals inherit from it, never from each other.
  const kube = [...drafts.values()].filter((d) => d.kind === 'User' || d.kind === 'Group').map((d) => ({ ...d, via: [...d.via] }));
  const users = kube.filter((d) => d.kind === 'User');
  const usersByName = new Map(users.map((u) => [u.name, [u]]));
  const groups = new Map(kube.filter((d) => d.kind === 'Group').map((d) => [d.name, d]));
  const unknownPolicies = new Set<string>();
  const explicit = index.iam.identities.filter((i) => i.ineffective === undefined);

  for (const identity of explicit) {
    const origin = identity.origin;
    for (const group of new Set(identity.groups)) {
      const granted = groups.get(group);
      for (const via of granted?.via ?? []) add(identity.kind, identity.arn, undefined, throughVia(via, identity.mapping, `Group ${group}`, origin));
    }
    const { exact, prefix } = identity.username;
    const matching = exact !== undefined
      ? usersByName.get(exact) ?? []
      : users.filter((user) => user.name.startsWith(prefix) && usernameMatches(identity.username, user.name));
    for (const user of matching) {
      const as = exact !== undefined ? `User ${user.name}` : `User ${user.name} (username template ${identity.username.template})`;
      for (const via of user.via) add(identity.kind, identity.arn, undefined, throughVia(via, identity.mapping, as, origin));
    }
    for (const association of identity.accessPolicies) {
      const rules = accessPolicyRules(association.policyName);
      if (rules === undefined) {
        unknownPolicies.add(association.policyName);
        continue;
      }
      if (!rules.some(allowsRequest)) continue;
      for (const namespace of policyNamespaces(association.scope, query)) {
        add(identity.kind, identity.arn, undefined, {
          kind: 'AccessPolicy', name: association.policyName, namespace, role: undefined, mapping: identity.mapping, as: undefined, source: origin,
        });
      }
    }
  }

  // aws-auth mapAccounts: a User named by an IAM ARN of a mapped account is that principal.
  for (const user of users) {
    const principal = accountMappedPrincipal(user.name, index.iam.accounts);
    if (principal === undefined || explicit.some((i) => i.arn === user.name)) continue;
    for (const via of user.via) add(principal.kind, user.name, undefined, throughVia(via, `${principal.account.mapping} (${principal.account.account})`, `User ${user.name}`));
  }
  for (const name of [...unknownPolicies].sort()) notes.push(`access policy ${name} is not one eksguard knows the rules of: its grants are not in this answer`);
}

/** The namespaces (undefined: cluster-wide) an access-policy association grants the question in. */
function policyNamespaces(scope: IamIdentity['accessPolicies'][number]['scope'], query: ResolvedQuery): readonly (string | undefined)[] {
  if (scope.type === 'cluster') return [undefined];
  switch (query.scope.type) {
    case 'cluster': return [];
    case 'namespace': return scopeCoversNamespace(scope, query.scope.namespace) ? [query.scope.namespace] : [];
    default: return scope.namespaces;
  }
}

/**
 * Each binding has one `Via` object (a subject listed twice in it repeats that object), and each
 * IAM path is built once per mapping and group: duplicates are the same object.
 */
function dedupe(vias: readonly Via[]): readonly Via[] {
  return vias.length < 2 ? vias : [...new Set(vias)];
}

function scopeOf(vias: readonly Via[]): WhoCanSubject['scope'] {
  const namespaces = new Set<string>();
  let clusterWide = false;
  for (const via of vias) {
    if (via.namespace === undefined) clusterWide = true;
    else namespaces.add(via.namespace);
  }
  return { clusterWide, namespaces: [...namespaces].sort() };
}

/** Code-unit order, not the locale's: the same output on every machine, and fast on thousands of subjects. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareSubjects(a: WhoCanSubject, b: WhoCanSubject): number {
  const masters = (s: WhoCanSubject) => (s.kind === 'Group' && s.name === SYSTEM_MASTERS ? 0 : 1);
  return masters(a) - masters(b)
    || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]
    || compareText(a.namespace ?? '', b.namespace ?? '')
    || compareText(a.name, b.name);
}

/** What an answer does not cover, in words: the identity sources the input lacks. */
export function coverageNotes(coverage: IamCoverage): string[] {
  const notes: string[] = [];
  if (coverage.awsAuth === 'absent' && coverage.accessEntries !== 'present') {
    notes.push('no aws-auth ConfigMap and no EKS access entries in the input: IAM principals are not in this answer');
  } else if (coverage.accessEntries === 'not-collected') {
    notes.push('RBAC and aws-auth only: EKS access entries and access policies are not in the input (add --aws-dump with describe-access-entry and list-associated-access-policies output)');
  }
  if (coverage.awsAuth === 'ignored') notes.push('the cluster authenticates with access entries only (mode API): aws-auth mappings are ignored');
  return [...notes, ...coverage.notes];
}
