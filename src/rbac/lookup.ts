/**
 * Every role a subject holds, where, and through which binding — rbac-lookup's question, answered
 * with what rbac-lookup leaves out: the groups authentication puts a user or ServiceAccount in,
 * roles that do not exist (dangling bindings), and IAM principals, through their aws-auth
 * mappings (username and groups), access entries and access policies.
 *
 * Matching follows rbac-lookup: the query is a substring of the subject's name (a ServiceAccount
 * is named `namespace:name`), optionally narrowed by kind. An IAM ARN names one principal (a
 * session ARN is read as its role, as EKS reads it). Pure.
 */
import { namespaceOf, type Inventory } from '../core/inventory.js';
import { serviceAccountOf } from '../core/workload.js';
import { ACCESS_POLICY_EQUIVALENTS, accessPolicyRules } from './access-policies.js';
import { AccessIndex, subjectKey, type SubjectBinding } from './access-index.js';
import { isEksName, type Subject } from './bootstrap-policy.js';
import { iamKindOfArn, sameArn, usernameMatches, type IamCoverage, type IamIdentity } from './iam-identities.js';
import { SYSTEM_MASTERS, implicitGroupMembers, implicitGroups, parseServiceAccountUsername } from './identity.js';
import type { SubjectKind } from './who-can.js';
import { coverageNotes } from './who-can.js';
import { sourceOf } from './via.js';

export type LookupKind = 'user' | 'group' | 'serviceaccount' | 'iamrole' | 'iamuser';

export interface LookupQuery {
  /** A substring of subject names (`ns:name` for ServiceAccounts), `system:serviceaccount:ns:name`, or an IAM ARN; empty matches every subject. */
  readonly subject: string;
  readonly kind?: LookupKind;
  /** Match the whole name instead of a substring. */
  readonly exact?: boolean;
}

export interface LookupSubject {
  readonly kind: SubjectKind;
  readonly name: string;
  readonly namespace: string | undefined;
  /** IAM principals mapped to this user or group (`IAMRole arn via aws-auth mapRoles[0]`). */
  readonly mappedFrom: readonly string[];
  /** Notes on an IAM principal's mapping (ignored by EKS, a path in its ARN, ...). */
  readonly notes: readonly string[];
}

export interface LookupRow {
  readonly subject: { readonly kind: SubjectKind; readonly name: string; readonly namespace: string | undefined };
  /** `cluster-wide` or the namespace the grant applies in. */
  readonly scope: string;
  readonly role: { readonly kind: 'ClusterRole' | 'Role' | 'AccessPolicy' | 'system:masters'; readonly name: string; readonly missing: boolean };
  readonly source: { readonly kind: 'ClusterRoleBinding' | 'RoleBinding' | 'access entry' | 'aws-auth'; readonly name: string; readonly namespace: string | undefined; readonly location: string | undefined };
  /** How the subject reaches the binding when the binding does not name it: `Group system:serviceaccounts (implicit)`, `aws-auth mapRoles[0] as Group devs`. */
  readonly through: string | undefined;
}

export interface LookupAnswer {
  readonly query: LookupQuery;
  readonly subjects: readonly LookupSubject[];
  readonly rows: readonly LookupRow[];
  readonly coverage: IamCoverage;
  readonly notes: readonly string[];
}

const KIND_OF: Readonly<Record<LookupKind, SubjectKind>> = { user: 'User', group: 'Group', serviceaccount: 'ServiceAccount', iamrole: 'IAMRole', iamuser: 'IAMUser' };

/** The name rbac-lookup keys a subject by: `namespace:name` for ServiceAccounts. */
function keyName(subject: Subject): string {
  return subject.kind === 'ServiceAccount' ? `${subject.namespace ?? ''}:${subject.name}` : subject.name;
}

function rowsOfBindings(subject: LookupRow['subject'], found: readonly SubjectBinding[], through: string | undefined): LookupRow[] {
  return found.map(({ binding }) => ({
    subject,
    scope: binding.kind === 'RoleBinding' ? (binding.namespace ?? 'default') : 'cluster-wide',
    role: { kind: binding.roleRef?.kind ?? 'ClusterRole', name: binding.roleRef?.name ?? '(invalid roleRef)', missing: binding.role === undefined },
    source: { kind: binding.kind, name: binding.name, namespace: binding.namespace, location: sourceOf(binding.resource.origin) },
    through,
  }));
}

/** Rows the groups authentication adds bring: bindings of those groups that the platform did not ship (every identity has those). */
function implicitRows(index: AccessIndex, subject: LookupRow['subject'], groups: readonly string[], prefix = ''): LookupRow[] {
  return groups.flatMap((group) => rowsOfBindings(
    subject,
    // EKS's own bindings of these groups (eks:podsecuritypolicy:authenticated) are the platform's too.
    index.bindingsOf({ kind: 'Group', name: group }).filter((b) => !b.subject.shipped && !isEksName(b.binding.name)),
    `${prefix}Group ${group} (implicit: ${implicitGroupMembers(group) ?? 'added by authentication'})`,
  ));
}

function iamRows(index: AccessIndex, identity: IamIdentity): LookupRow[] {
  const subject = { kind: identity.kind, name: identity.arn, namespace: undefined };
  const rows: LookupRow[] = [];
  const source = { kind: identity.source === 'aws-auth' ? 'aws-auth' as const : 'access entry' as const, name: identity.mapping, namespace: undefined, location: identity.origin };
  for (const group of identity.groups) {
    if (group === SYSTEM_MASTERS) {
      rows.push({ subject, scope: 'cluster-wide', role: { kind: 'system:masters', name: SYSTEM_MASTERS, missing: false }, source, through: `${identity.mapping} as Group ${SYSTEM_MASTERS} (bypasses RBAC)` });
      continue;
    }
    rows.push(...rowsOfBindings(subject, index.bindingsOf({ kind: 'Group', name: group }), `${identity.mapping} as Group ${group}`));
  }
  // The username: exact, or every User subject a template can become.
  const users = index.subjects.filter((s) => s.kind === 'User' && usernameMatches(identity.username, s.name));
  for (const user of users) {
    const as = identity.username.exact !== undefined ? `User ${user.name}` : `User ${user.name} (username template ${identity.username.template})`;
    rows.push(...rowsOfBindings(subject, index.bindingsOf(user), `${identity.mapping} as ${as}`));
  }
  for (const association of identity.accessPolicies) {
    const scopes = association.scope.type === 'cluster' ? ['cluster-wide'] : association.scope.namespaces;
    const known = accessPolicyRules(association.policyName) !== undefined;
    for (const scope of scopes) {
      rows.push({
        subject, scope, role: { kind: 'AccessPolicy', name: association.policyName, missing: !known },
        source: { ...source, name: 'access entry' },
        through: ACCESS_POLICY_EQUIVALENTS[association.policyName] !== undefined ? `≈ ${ACCESS_POLICY_EQUIVALENTS[association.policyName] ?? ''}` : undefined,
      });
    }
  }
  rows.push(...implicitRows(index, subject, ['system:authenticated'], `${identity.mapping} → `));
  return rows;
}

function matchesText(name: string, query: LookupQuery): boolean {
  if (query.subject === '') return true;
  return query.exact === true ? name === query.subject : name.includes(query.subject);
}

export function lookup(inventory: Inventory, query: LookupQuery): LookupAnswer {
  const index = AccessIndex.of(inventory);
  const wanted = query.kind === undefined ? undefined : KIND_OF[query.kind];
  const subjects: LookupSubject[] = [];
  const rows: LookupRow[] = [];
  const notes: string[] = [];
  const iamByArn = query.subject.startsWith('arn:');

  const mappedFrom = (subject: Subject): string[] => index.iam.identities
    .filter((i) => i.ineffective === undefined && (subject.kind === 'Group' ? i.groups.includes(subject.name) : subject.kind === 'User' && usernameMatches(i.username, subject.name)))
    .map((i) => `${i.kind} ${i.arn} via ${i.mapping}`);

  if (!iamByArn) {
    // A ServiceAccount's username names it exactly.
    const sa = parseServiceAccountUsername(query.subject);
    const candidates: Subject[] = [...index.subjects];
    const known = new Set(candidates.map(subjectKey));
    const addCandidate = (subject: Subject) => {
      const key = subjectKey(subject);
      if (known.has(key)) return;
      known.add(key);
      candidates.push(subject);
    };
    // ServiceAccounts the input declares or runs pods as hold what their implicit groups hold, bound or not.
    for (const resource of inventory.ofKind('ServiceAccount')) {
      if (resource.object.apiVersion === 'v1') addCandidate({ kind: 'ServiceAccount', name: resource.ref.name, namespace: namespaceOf(resource) ?? 'default' });
    }
    for (const workload of inventory.workloads) addCandidate({ kind: 'ServiceAccount', name: serviceAccountOf(workload).name, namespace: workload.namespace });
    // Users that only an IAM mapping names (no binding does) are subjects too: their groups may grant.
    for (const identity of index.iam.identities) {
      const name = identity.username.exact;
      if (name !== undefined && name !== '') addCandidate({ kind: 'User', name });
    }
    const matched = candidates.filter((s) => (wanted === undefined || wanted === s.kind)
      && (sa !== undefined ? s.kind === 'ServiceAccount' && s.namespace === sa.namespace && s.name === sa.name : matchesText(keyName(s), query)));
    if (sa !== undefined && matched.length === 0 && (wanted === undefined || wanted === 'ServiceAccount')) matched.push({ kind: 'ServiceAccount', ...sa });
    for (const s of matched) {
      const subject = { kind: s.kind, name: s.name, namespace: s.kind === 'ServiceAccount' ? s.namespace : undefined };
      subjects.push({ ...subject, mappedFrom: mappedFrom(s), notes: [] });
      rows.push(...rowsOfBindings(subject, index.bindingsOf(s), undefined));
      if (s.kind !== 'Group') rows.push(...implicitRows(index, subject, implicitGroups(s)));
    }
  }

  // IAM principals: by ARN, or by a substring of it.
  if (wanted === undefined || wanted === 'IAMRole' || wanted === 'IAMUser') {
    const identities = index.iam.identities.filter((i) => (wanted === undefined || wanted === i.kind)
      && (iamByArn ? sameArn(i.arn, query.subject) : query.subject !== '' && matchesText(i.arn, query)));
    for (const identity of identities) {
      const idNotes = [...identity.notes, ...(identity.ineffective !== undefined ? [`EKS ignores this mapping: ${identity.ineffective}`] : [])];
      subjects.push({ kind: identity.kind, name: identity.arn, namespace: undefined, mappedFrom: [], notes: [`${identity.mapping}${identity.username.template !== '' ? `: username ${identity.username.template}` : ''}${identity.groups.length > 0 ? `, groups ${identity.groups.join(', ')}` : ''}`, ...idNotes] });
      if (identity.ineffective === undefined) rows.push(...iamRows(index, identity));
    }
    if (iamByArn && identities.length === 0) {
      const account = index.iam.accounts.find((a) => a.ineffective === undefined && query.subject.split(':')[4] === a.account);
      const kind = iamKindOfArn(query.subject);
      if (account !== undefined && kind !== undefined) {
        // mapAccounts: the principal's username is its canonical ARN, without groups.
        const subject = { kind, name: query.subject, namespace: undefined };
        subjects.push({ kind, name: query.subject, namespace: undefined, mappedFrom: [], notes: [`aws-auth mapAccounts maps account ${account.account}: the username is the principal's ARN, without groups`] });
        rows.push(...rowsOfBindings(subject, index.bindingsOf({ kind: 'User', name: query.subject }), 'aws-auth mapAccounts as its ARN'));
        rows.push(...implicitRows(index, subject, ['system:authenticated'], 'aws-auth mapAccounts → '));
      } else {
        notes.push(`no aws-auth mapping${index.iam.coverage.accessEntries === 'present' ? ' or access entry' : ''} maps ${query.subject}: it cannot authenticate to the cluster${index.iam.coverage.accessEntries === 'present' ? '' : ' through aws-auth'}`);
      }
    }
  }

  rows.sort(compareRows);
  notes.push(...coverageNotes(index.iam.coverage));
  return { query, subjects, rows: dedupeRows(rows), coverage: index.iam.coverage, notes };
}

function subjectLabel(row: LookupRow): string {
  return `${row.subject.kind}|${row.subject.namespace ?? ''}:${row.subject.name}`;
}

function compareRows(a: LookupRow, b: LookupRow): number {
  const scopeRank = (r: LookupRow) => (r.scope === 'cluster-wide' ? 0 : 1);
  return subjectLabel(a).localeCompare(subjectLabel(b))
    || scopeRank(a) - scopeRank(b)
    || a.scope.localeCompare(b.scope)
    || `${a.role.kind}/${a.role.name}`.localeCompare(`${b.role.kind}/${b.role.name}`)
    || a.source.name.localeCompare(b.source.name)
    || (a.through ?? '').localeCompare(b.through ?? '');
}

function dedupeRows(rows: readonly LookupRow[]): LookupRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = JSON.stringify([subjectLabel(r), r.scope, r.role, r.source.kind, r.source.name, r.source.namespace, r.through]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
