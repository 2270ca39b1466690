/**
 * Risky permissions and escalation paths over an inventory: for every identity that users (not
 * the platform) granted something, the catalogue's hits (`risk-catalogue.ts`) in each scope it
 * holds grants in, and the paths through which it can act as a more powerful identity — "User dev
 * can create pods in ci → run a pod as ServiceAccount ci/deployer → which is cluster-admin".
 *
 * Identities: every User, Group and ServiceAccount a binding names (a ServiceAccount and a user
 * also hold what the groups authentication puts them in), the ServiceAccounts the input declares
 * or runs pods as, and the IAM principals EKS maps (aws-auth, access entries with their access
 * policies). What Kubernetes and EKS ship to their own identities is never reported, but it does
 * count as power: a user who can run pods as a built-in controller's ServiceAccount has its rights.
 * Pure.
 */
import { SHARED_SEVERITY } from '../core/shared-severity.js';
import type { Severity } from '../core/finding.js';
import type { Inventory } from '../core/inventory.js';
import { namespaceOf } from '../core/inventory.js';
import { serviceAccountOf } from '../core/workload.js';
import { accessPolicyRules, describeScope } from './access-policies.js';
import { AccessIndex, subjectKey } from './access-index.js';
import type { Subject } from './bootstrap-policy.js';
import { describeSubject } from './describe.js';
import { usernameMatches, type IamCoverage, type IamIdentity } from './iam-identities.js';
import { SYSTEM_MASTERS, implicitGroupMembers, implicitGroups } from './identity.js';
import { PermissionSet, type ScopedGrant } from './permission-set.js';
import { clusterVersion, sessionVerbs } from './pod-sessions.js';
import { RISKS, evaluate, powerOf, scopeWords, type Edge, type Hit, type RiskId } from './risk-catalogue.js';
import type { SubjectKind } from './who-can.js';
import { coverageNotes } from './who-can.js';
import { bindingVia, describeVia, throughVia, type Via } from './via.js';

export interface RiskSubject {
  readonly kind: SubjectKind;
  readonly name: string;
  readonly namespace: string | undefined;
}

export interface Risk {
  readonly id: RiskId;
  readonly severity: Severity;
  readonly title: string;
  readonly subject: RiskSubject;
  /** Undefined: cluster-wide. */
  readonly namespace: string | undefined;
  /** One sentence: the subject, what it can do, where, and — for paths — each step. */
  readonly message: string;
  /** The steps of an escalation path (one step for a direct permission). */
  readonly path: readonly string[];
  /** The grants behind the first step. */
  readonly via: readonly Via[];
  /** Who else stands behind the subject: IAM principals mapped to a user or group, the members of an implicit group. */
  readonly heldBy: readonly string[];
}

export interface RiskyReport {
  readonly risks: readonly Risk[];
  readonly coverage: IamCoverage;
  readonly notes: readonly string[];
}

export interface RiskyOptions {
  /** Longest escalation path searched, in hops from one identity to another (default 3). */
  readonly maxDepth?: number;
}

/** Paths reported per subject: the most powerful targets, by their shortest paths. */
const MAX_PATHS_PER_SUBJECT = 3;

/** Which permission a path starts with when several reach the same identity: the most telling first. */
const EDGE_PRIORITY: readonly RiskId[] = [
  'pod-create', 'token-request', 'token-secrets-create', 'cluster-admin', 'namespace-admin', 'bind-roles', 'escalate-roles',
  'impersonate', 'pod-exec', 'pod-ephemeral-containers', 'pod-modify', 'secrets-read', 'node-proxy',
];

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

interface Identity {
  readonly key: string;
  readonly subject: RiskSubject;
  /** What the identity is granted under its own name: what is reported on it. */
  readonly own: readonly ScopedGrant[];
  /** `own` plus what its implicit groups and mappings bring: its power as a target. */
  readonly full: readonly ScopedGrant[];
  readonly heldBy: readonly string[];
  /** Directly in system:masters (an IAM mapping). */
  readonly masters: Via | undefined;
  /**
   * An IAM mapping whose username is a template (`{{SessionName}}`): whoever assumes the role
   * picks the session name, so it can become every bound User the template can yield.
   */
  readonly template: { readonly mapping: string; readonly pattern: IamIdentity['username']; readonly users: readonly string[] } | undefined;
}

interface ScopedHit {
  readonly hit: Hit;
  readonly namespace: string | undefined;
}

interface Power {
  readonly level: number;
  /** `is cluster-admin: * on every resource cluster-wide (ClusterRoleBinding x → ClusterRole y)`. */
  readonly summary: string;
}

function describeIdentity(subject: RiskSubject): string {
  if (subject.kind === 'IAMRole') return `IAM role ${subject.name}`;
  if (subject.kind === 'IAMUser') return `IAM user ${subject.name}`;
  return describeSubject({ kind: subject.kind, name: subject.name, ...(subject.namespace !== undefined ? { namespace: subject.namespace } : {}) });
}

function iamKey(identity: IamIdentity): string {
  return `${identity.kind}||${identity.arn}|${identity.mapping}`;
}

/** Every ServiceAccount the input shows: declared, bound, or run as by a workload (namespace → names). */
function serviceAccountUniverse(inventory: Inventory, index: AccessIndex): Map<string, Set<string>> {
  const byNamespace = new Map<string, Set<string>>();
  const add = (namespace: string, name: string) => {
    let set = byNamespace.get(namespace);
    if (set === undefined) {
      set = new Set();
      byNamespace.set(namespace, set);
    }
    set.add(name);
  };
  for (const sa of inventory.ofKind('ServiceAccount')) if (sa.object.apiVersion === 'v1') add(namespaceOf(sa) ?? 'default', sa.ref.name);
  for (const subject of index.subjects) if (subject.kind === 'ServiceAccount' && subject.namespace !== undefined) add(subject.namespace, subject.name);
  for (const workload of inventory.workloads) add(workload.namespace, serviceAccountOf(workload).name);
  return byNamespace;
}

/** The ServiceAccounts pods run as with a token mounted (namespace → names → the workloads). */
function runningServiceAccounts(inventory: Inventory): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const workload of inventory.workloads) {
    if (workload.podSpec.automountServiceAccountToken === false) continue;
    const name = serviceAccountOf(workload).name;
    let names = out.get(workload.namespace);
    if (names === undefined) {
      names = new Map();
      out.set(workload.namespace, names);
    }
    if (!names.has(name)) names.set(name, `${workload.ref.kind} ${workload.namespace}/${workload.ref.name}`);
  }
  return out;
}

/** ServiceAccounts with a legacy token Secret in the input (namespace → name → Secret name). */
function tokenSecrets(inventory: Inventory): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const secret of inventory.ofKind('Secret')) {
    if (secret.object.type !== 'kubernetes.io/service-account-token') continue;
    const sa = secret.object.metadata?.annotations?.['kubernetes.io/service-account.name'];
    if (typeof sa !== 'string') continue;
    const ns = namespaceOf(secret) ?? 'default';
    let names = out.get(ns);
    if (names === undefined) {
      names = new Map();
      out.set(ns, names);
    }
    names.set(sa, secret.ref.name);
  }
  return out;
}

function bindingGrants(index: AccessIndex, subject: Subject, as?: string): ScopedGrant[] {
  const out: ScopedGrant[] = [];
  for (const { binding, subject: entry } of index.bindingsOf(subject)) {
    const role = binding.role;
    if (role === undefined) continue;
    const via = as === undefined ? bindingVia(binding) : throughVia(bindingVia(binding), undefined, as);
    const namespace = binding.kind === 'RoleBinding' ? (binding.namespace ?? 'default') : undefined;
    for (const rule of role.rules) out.push({ rule: rule.rule, via, namespace, shipped: entry.shipped && rule.shipped });
  }
  return out;
}

function buildIdentities(inventory: Inventory, index: AccessIndex): Map<string, Identity> {
  const identities = new Map<string, Identity>();
  const groupGrants = (group: string, as: string | undefined) => bindingGrants(index, { kind: 'Group', name: group }, as);
  const iamFor = (subject: Subject): string[] => index.iam.identities
    .filter((i) => i.ineffective === undefined && (subject.kind === 'Group' ? i.groups.includes(subject.name) : subject.kind === 'User' && usernameMatches(i.username, subject.name)))
    .map((i) => `${i.kind === 'IAMRole' ? 'IAM role' : 'IAM user'} ${i.arn} (${i.mapping})`);

  const addSubject = (subject: Subject) => {
    const key = subjectKey(subject);
    if (identities.has(key)) return;
    const own = bindingGrants(index, subject);
    const inherited = implicitGroups(subject).flatMap((g) => groupGrants(g, `Group ${g}`));
    const members = subject.kind === 'Group' ? implicitGroupMembers(subject.name) : undefined;
    identities.set(key, {
      key,
      subject: { kind: subject.kind, name: subject.name, namespace: subject.kind === 'ServiceAccount' ? subject.namespace : undefined },
      own, full: [...own, ...inherited],
      heldBy: [...(members !== undefined ? [members] : []), ...iamFor(subject)],
      masters: undefined,
      template: undefined,
    });
  };
  for (const subject of index.subjects) addSubject(subject);
  for (const [namespace, names] of serviceAccountUniverse(inventory, index)) for (const name of names) addSubject({ kind: 'ServiceAccount', name, namespace });

  for (const identity of index.iam.identities) {
    if (identity.ineffective !== undefined) continue;
    const own: ScopedGrant[] = [];
    for (const association of identity.accessPolicies) {
      const rules = accessPolicyRules(association.policyName) ?? [];
      const namespaces = association.scope.type === 'cluster' ? [undefined] : association.scope.namespaces;
      for (const namespace of namespaces) {
        const via: Via = { kind: 'AccessPolicy', name: association.policyName, namespace, role: undefined, mapping: identity.mapping, as: undefined, source: identity.origin };
        for (const rule of rules) own.push({ rule, via, namespace, shipped: false });
      }
    }
    const inherited: ScopedGrant[] = [];
    for (const group of [...identity.groups, 'system:authenticated']) {
      if (group === SYSTEM_MASTERS) continue;
      inherited.push(...groupGrants(group, `Group ${group}`).map((g) => ({ ...g, via: throughVia(g.via, identity.mapping, g.via.as) })));
    }
    if (identity.username.exact !== undefined && identity.username.exact !== '') {
      inherited.push(...bindingGrants(index, { kind: 'User', name: identity.username.exact }, `User ${identity.username.exact}`).map((g) => ({ ...g, via: throughVia(g.via, identity.mapping, g.via.as) })));
    }
    const masters: Via | undefined = identity.groups.includes(SYSTEM_MASTERS)
      ? { kind: 'system:masters', name: SYSTEM_MASTERS, namespace: undefined, role: undefined, mapping: identity.mapping, as: `Group ${SYSTEM_MASTERS}`, source: identity.origin }
      : undefined;
    const key = iamKey(identity);
    const users = identity.username.exact === undefined
      ? index.subjects.filter((s) => s.kind === 'User' && s.name.startsWith(identity.username.prefix) && usernameMatches(identity.username, s.name)).map((s) => s.name)
      : [];
    const template = users.length > 0 ? { mapping: identity.mapping, pattern: identity.username, users } : undefined;
    identities.set(key, { key, subject: { kind: identity.kind, name: identity.arn, namespace: undefined }, own, full: [...own, ...inherited], heldBy: [], masters, template });
  }
  return identities;
}

/** The hits of a set of grants in every scope they reach; a namespace repeats no hit already held cluster-wide. */
function hitsOf(grants: readonly ScopedGrant[], authenticationMode: string | undefined, sessionVerbs: readonly string[]): ScopedHit[] {
  const perms = new PermissionSet(grants);
  if (perms.isEmpty) return [];
  const out: ScopedHit[] = [];
  const cluster = evaluate({ namespace: undefined, perms: perms.clusterWide(), authenticationMode, sessionVerbs });
  for (const hit of cluster) out.push({ hit, namespace: undefined });
  const clusterIds = new Set(cluster.map((h) => h.id));
  for (const namespace of perms.namespaces()) {
    for (const hit of evaluate({ namespace, perms: perms.inNamespace(namespace), authenticationMode, sessionVerbs })) {
      if (clusterIds.has(hit.id)) continue;
      out.push({ hit, namespace });
    }
  }
  return out;
}

function viaText(grants: readonly ScopedGrant[]): string {
  const first = grants[0];
  if (first === undefined) return '';
  const more = new Set(grants.map((g) => describeVia(g.via))).size - 1;
  return ` (${describeVia(first.via)}${more > 0 ? ` and ${more} more` : ''})`;
}

export function riskyPermissions(inventory: Inventory, options: RiskyOptions = {}): RiskyReport {
  const index = AccessIndex.of(inventory);
  const mode = index.iam.coverage.authenticationMode;
  const execVerbs = sessionVerbs(clusterVersion(inventory));
  const identities = buildIdentities(inventory, index);
  const universe = serviceAccountUniverse(inventory, index);
  const running = runningServiceAccounts(inventory);
  const secrets = tokenSecrets(inventory);
  const maxDepth = options.maxDepth ?? 3;

  // Power and edges of every identity as a target, computed once, on demand.
  const fullHits = new Map<string, ScopedHit[]>();
  const fullHitsOf = (identity: Identity) => {
    let hits = fullHits.get(identity.key);
    if (hits === undefined) {
      hits = hitsOf(identity.full, mode, execVerbs);
      fullHits.set(identity.key, hits);
    }
    return hits;
  };
  const powers = new Map<string, Power>();
  const powerOfIdentity = (identity: Identity): Power => {
    let power = powers.get(identity.key);
    if (power === undefined) {
      power = { level: 0, summary: '' };
      if (identity.masters !== undefined) power = { level: 5, summary: `is in ${SYSTEM_MASTERS} (${describeVia(identity.masters)})` };
      for (const { hit, namespace } of fullHitsOf(identity)) {
        if (hit.severity === undefined) continue;
        const level = powerOf(hit.severity, hit.id);
        if (level > power.level) power = { level, summary: `${hit.phrase} ${scopeWords(namespace)}${viaText(hit.grants)}` };
      }
      powers.set(identity.key, power);
    }
    return power;
  };

  const saKey = (namespace: string, name: string) => subjectKey({ kind: 'ServiceAccount', name, namespace });
  /** Who an edge lets its holder act as, each with the words of the step. */
  const targetsOf = (edge: Edge): { readonly identity: Identity; readonly step: string }[] => {
    const out: { identity: Identity; step: string }[] = [];
    const push = (key: string, step: string) => {
      const identity = identities.get(key);
      if (identity !== undefined) out.push({ identity, step });
    };
    const t = edge.target;
    const namespaces = (ns: string | undefined, map: ReadonlyMap<string, unknown>) => (ns === undefined ? [...map.keys()] : [ns]);
    switch (t.type) {
      case 'serviceaccounts':
        for (const ns of namespaces(t.namespace, universe)) {
          for (const name of universe.get(ns) ?? []) if (t.names === 'all' || t.names.includes(name)) push(saKey(ns, name), `${edge.step} ServiceAccount ${ns}/${name}`);
        }
        break;
      case 'running-pods':
        for (const ns of namespaces(t.namespace, running)) {
          for (const [name, workload] of running.get(ns) ?? []) push(saKey(ns, name), `${edge.step} ServiceAccount ${ns}/${name} (${workload})`);
        }
        break;
      case 'token-secrets':
        for (const ns of namespaces(t.namespace, secrets)) {
          for (const [name, secret] of secrets.get(ns) ?? []) push(saKey(ns, name), `${edge.step} ServiceAccount ${ns}/${name} (Secret ${ns}/${secret})`);
        }
        break;
      case 'users':
      case 'groups':
        for (const identity of identities.values()) {
          const kind = t.type === 'users' ? 'User' : 'Group';
          if (identity.subject.kind === kind && (t.names === 'all' || t.names.includes(identity.subject.name))) push(identity.key, `${edge.step} ${kind} ${identity.subject.name}`);
        }
        break;
    }
    return out;
  };

  const risks: Risk[] = [];
  for (const identity of identities.values()) {
    const reportable = identity.own.some((g) => !g.shipped) || identity.masters !== undefined || identity.template !== undefined;
    if (!reportable) continue;
    const subject = identity.subject;
    const who = describeIdentity(subject);

    if (identity.masters !== undefined) {
      risks.push({
        id: 'system-masters', severity: SHARED_SEVERITY.systemMastersMapping, title: RISKS['system-masters'].title, subject, namespace: undefined,
        message: `${who} is mapped to ${SYSTEM_MASTERS} by ${identity.masters.mapping ?? 'a mapping'}: it bypasses RBAC, and no binding can limit it.`,
        path: [`${who} is in ${SYSTEM_MASTERS}`], via: [identity.masters], heldBy: identity.heldBy,
      });
    }
    const ownHits = hitsOf(identity.own, mode, execVerbs).filter((h) => h.hit.grants.some((g) => !g.shipped));
    let ownPower = identity.masters !== undefined ? 5 : 0;
    // Full control of a scope says everything about it: the other hits there are not repeated.
    const admin = new Set(ownHits.filter((h) => h.hit.id === 'cluster-admin' || h.hit.id === 'namespace-admin').map((h) => h.namespace ?? ''));
    for (const { hit, namespace } of ownHits) {
      if (hit.severity === undefined) continue;
      const subsumed = hit.id !== 'cluster-admin' && hit.id !== 'namespace-admin' && (admin.has('') || admin.has(namespace ?? ''));
      if (subsumed) {
        ownPower = Math.max(ownPower, powerOf(hit.severity, hit.id));
        continue;
      }
      ownPower = Math.max(ownPower, powerOf(hit.severity, hit.id));
      const grants = hit.grants.filter((g) => !g.shipped);
      risks.push({
        id: hit.id, severity: hit.severity, title: RISKS[hit.id].title, subject, namespace,
        message: `${who} ${hit.phrase} ${scopeWords(namespace)}${viaText(grants)}.`,
        path: [`${who} ${hit.phrase} ${scopeWords(namespace)}`], via: uniqueVias(grants), heldBy: identity.heldBy,
      });
    }
    // The identity's own power also counts what its groups bring: a path must lead higher than that.
    ownPower = Math.max(ownPower, powerOfIdentity(identity).level);

    // Escalation: breadth-first over who the identity can act as, to anyone more powerful.
    const templateEdges: Edge[] = identity.template === undefined ? [] : [{
      phrase: `is mapped by ${identity.template.mapping} to username ${identity.template.pattern.template}, whose session name whoever assumes it chooses`,
      step: 'can act as', target: { type: 'users', names: identity.template.users }, grants: [],
    }];
    const firstEdges = [...templateEdges, ...[...ownHits]
      .sort((a, b) => EDGE_PRIORITY.indexOf(a.hit.id) - EDGE_PRIORITY.indexOf(b.hit.id))
      .flatMap((h) => h.hit.edges.filter((e) => e.grants.some((g) => !g.shipped)))];
    if (firstEdges.length === 0) continue;
    interface Step { readonly identity: Identity; readonly steps: readonly string[]; readonly via: readonly Via[] }
    const seen = new Set<string>([identity.key]);
    let frontier: Step[] = [];
    for (const edge of firstEdges) {
      for (const { identity: target, step } of targetsOf(edge)) {
        if (seen.has(target.key)) continue;
        seen.add(target.key);
        frontier.push({ identity: target, steps: [`${who} ${edge.phrase}`, step], via: uniqueVias(edge.grants.filter((g) => !g.shipped)) });
      }
    }
    const found: { step: Step; power: Power }[] = [];
    for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
      const next: Step[] = [];
      for (const step of frontier) {
        const power = powerOfIdentity(step.identity);
        if (power.level > ownPower) {
          found.push({ step, power });
          continue;
        }
        if (depth === maxDepth) continue;
        for (const { hit } of fullHitsOf(step.identity)) {
          for (const edge of hit.edges) {
            for (const { identity: target, step: words } of targetsOf(edge)) {
              if (seen.has(target.key)) continue;
              seen.add(target.key);
              next.push({ identity: target, steps: [...step.steps, `which ${edge.phrase}`, words], via: step.via });
            }
          }
        }
      }
      frontier = next;
    }
    // The most powerful targets first, by the shortest path; a handful tells the story.
    found.sort((a, b) => b.power.level - a.power.level || a.step.steps.length - b.step.steps.length);
    for (const { step, power } of found.slice(0, MAX_PATHS_PER_SUBJECT)) {
      const severity: Severity = power.level >= 4 ? 'critical' : power.level === 3 ? 'high' : power.level === 2 ? 'medium' : 'low';
      const path = [...step.steps, `which ${power.summary}`];
      risks.push({
        id: 'escalation-path', severity, title: RISKS['escalation-path'].title, subject, namespace: undefined,
        message: `${path.join(' → ')}.`, path, via: step.via, heldBy: identity.heldBy,
      });
    }
  }

  risks.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]
    || describeIdentity(a.subject).localeCompare(describeIdentity(b.subject))
    || a.id.localeCompare(b.id)
    || (a.namespace ?? '').localeCompare(b.namespace ?? '')
    || a.message.localeCompare(b.message));
  const notes = coverageNotes(index.iam.coverage);
  for (const identity of index.iam.identities) {
    for (const association of identity.accessPolicies) {
      if (accessPolicyRules(association.policyName) === undefined) notes.push(`${identity.arn}: access policy ${association.policyName} (${describeScope(association.scope)}) is not one eksguard knows the rules of: not judged`);
    }
  }
  return { risks, coverage: index.iam.coverage, notes };
}

function uniqueVias(grants: readonly ScopedGrant[]): Via[] {
  const seen = new Set<string>();
  const out: Via[] = [];
  for (const { via } of grants) {
    const key = JSON.stringify(via);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(via);
  }
  return out;
}
