/**
 * The shape every "this role grants something risky" rule shares. A Role or ClusterRole is judged
 * on the rules in effect (aggregation included) that the platform did not ship; a built-in role's
 * shipped rules are judged where a user hands them out, on the binding. Pure functions over the
 * inventory's RBAC policy (`src/rbac/`).
 */
import type { Report, Severity } from '../../core/finding.js';
import { SCOPED_SEVERITY, isPrivilegedScope, type ScopedWeakness } from '../../core/shared-severity.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { describeBinding, describeGrants, describeRole, describeSubjects } from '../../rbac/describe.js';
import { RbacPolicy, isRbacObject, type BindingView, type EffectiveRule, type RoleView, type SubjectEntry } from '../../rbac/policy.js';
import type { PermissionDef } from '../../rbac/risk-catalogue.js';
import { allowedVerbs, ruleKey, type PolicyRule } from '../../rbac/policy-rule.js';
import type { Handlers } from '../define-rule.js';

/**
 * What a policy rule grants that a lint rule is about, as short phrases (`get`, `impersonate on
 * users`); empty when nothing. `scope` is `namespace` for a Role or a RoleBinding, whose grants
 * never reach cluster-scoped resources (nodes, ClusterRoles, users), and `cluster` otherwise.
 */
export type PermissionCheck = (rule: PolicyRule, scope: 'namespace' | 'cluster') => readonly string[];

/**
 * The check for permissions the risk catalogue defines (`POD_CREATION`, `TOKEN_REQUEST`, ...),
 * matched as the authorizer matches them: `create on pods`, `create, update and patch on
 * deployments and daemonsets`, `update on deployments (named web)`. Cluster-scoped resources are
 * never granted in a namespace; a request that carries no object name (`create` or
 * `deletecollection` of a resource itself) is never allowed by a rule with `resourceNames`.
 */
export function definedPermission(defs: readonly PermissionDef[]): PermissionCheck {
  return (rule, scope) => {
    const out: string[] = [];
    const names = rule.resourceNames.length > 0 ? ` (named ${rule.resourceNames.join(', ')})` : '';
    for (const def of defs) {
      if (def.clusterScoped && scope === 'namespace') continue;
      for (const combined of def.resources) {
        const slash = combined.indexOf('/');
        const resource = slash === -1 ? combined : combined.slice(0, slash);
        const subresource = slash === -1 ? undefined : combined.slice(slash + 1);
        const verbs = allowedVerbs(rule, def.verbs, { apiGroup: def.apiGroup, resource, ...(subresource !== undefined ? { subresource } : {}), names: 'some' })
          .filter((verb) => rule.resourceNames.length === 0 || subresource !== undefined || (verb !== 'create' && verb !== 'deletecollection'));
        if (verbs.length > 0) out.push(`${joinPhrases(verbs)} on ${combined}${names}`);
      }
    }
    return out;
  };
}

const PHRASE = /^(.+) on (\S+)((?: \(named [^)]*\))?)$/;

/**
 * `definedPermission`'s phrases (one per resource, maybe from several rules) in words: those with
 * the same verbs and names share one phrase, resources in order (`create, update and patch on
 * deployments and jobs`); anything else is kept as it is.
 */
export function summarizeGrants(phrases: readonly string[]): string {
  const groups = new Map<string, { verbs: string; names: string; resources: string[] }>();
  const out: (string | { verbs: string; names: string; resources: string[] })[] = [];
  for (const phrase of new Set(phrases)) {
    const match = PHRASE.exec(phrase);
    if (match === null) {
      out.push(phrase);
      continue;
    }
    const [, verbs = '', resource = '', names = ''] = match;
    const key = `${verbs}|${names}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { verbs, names, resources: [] };
      groups.set(key, group);
      out.push(group);
    }
    group.resources.push(resource);
  }
  return joinPhrases(out.map((item) => (typeof item === 'string' ? item : `${item.verbs} on ${joinPhrases(item.resources)}${item.names}`)));
}

export interface RoleGrant {
  readonly role: RoleView;
  readonly rule: EffectiveRule;
  /** The phrases the check returned. */
  readonly grants: readonly string[];
  /** ` (aggregated from ClusterRole x)`, or empty for a rule the role states itself. */
  readonly from: string;
  /** Who holds the role, in words (`granted to Group dev via ...`). */
  readonly grantees: string;
  /** Some ClusterRoleBinding hands the role out (directly or through an aggregating ClusterRole). */
  readonly clusterWide: boolean;
  /**
   * The role reaches a privileged scope (`isPrivilegedScope`): it is a Role in kube-system, or a
   * ClusterRole some binding hands out cluster-wide or in kube-system. The rules that grade by
   * scope (`SCOPED_SEVERITY`) read it, as `rbac risky` reads the scope of each grant.
   */
  readonly privileged: boolean;
}

/**
 * Whether an aggregated rule is reported on the ClusterRole of the input that states it (as a
 * rule of the user's, not a shipped one). That report names everyone who holds it through
 * aggregation, so the aggregating roles (`view`, `edit`, `admin`, ...) do not repeat it; a rule
 * a custom ClusterRole aggregates from a built-in one is reported on the aggregating role.
 */
function judgedWhereStated(policy: RbacPolicy, rule: EffectiveRule): boolean {
  if (rule.from === undefined) return false;
  const origin = policy.clusterRole(rule.from);
  if (origin?.resource === undefined) return false;
  const key = ruleKey(rule.rule);
  return origin.rules.some((r) => r.from === undefined && !r.shipped && ruleKey(r.rule) === key);
}

/**
 * The rules of a Role or ClusterRole, in effect and not as shipped, that `check` flags. A rule
 * gained by aggregation from a ClusterRole of the input is reported there, not here.
 */
export function* roleGrants(resource: KubeResource, inventory: Inventory, check: PermissionCheck): Generator<RoleGrant> {
  const policy = RbacPolicy.of(inventory);
  const role = policy.roleOf(resource);
  if (role === undefined) return;
  for (const rule of role.rules) {
    if (rule.shipped || judgedWhereStated(policy, rule)) continue;
    const grants = check(rule.rule, role.kind === 'Role' ? 'namespace' : 'cluster');
    if (grants.length === 0) continue;
    yield { role, rule, grants, from: rule.from === undefined ? '' : ` (aggregated from ClusterRole ${rule.from})`, ...holdersOf(policy, role) };
  }
}

/** Where a binding's grants take effect: its namespace, or undefined for cluster-wide. */
export function scopeOf(binding: BindingView): string | undefined {
  return binding.kind === 'ClusterRoleBinding' ? undefined : (binding.namespace ?? 'default');
}

type Holders = Pick<RoleGrant, 'grantees' | 'clusterWide' | 'privileged'>;

// Several rules describe the holders of the same role: do it once per role (views are per inventory).
const holdersCache = new WeakMap<RoleView, Holders>();

function holdersOf(policy: RbacPolicy, role: RoleView): Holders {
  let holders = holdersCache.get(role);
  if (holders === undefined) {
    const list = policy.grantsOf(role);
    holders = {
      grantees: describeGrants(list),
      clusterWide: list.some((g) => g.binding.kind === 'ClusterRoleBinding'),
      // A Role reaches its own namespace only, bound or not.
      privileged: role.kind === 'Role' ? isPrivilegedScope(role.namespace ?? 'default') : list.some((g) => isPrivilegedScope(scopeOf(g.binding))),
    };
    holdersCache.set(role, holders);
  }
  return holders;
}

export interface BuiltinBindingGrant {
  readonly binding: BindingView;
  readonly role: RoleView;
  /** The subjects a user put there (not Kubernetes' or EKS's own). */
  readonly subjects: readonly SubjectEntry[];
  readonly grants: readonly string[];
  readonly clusterWide: boolean;
  /** The binding is a ClusterRoleBinding, or a RoleBinding in kube-system (`isPrivilegedScope`). */
  readonly privileged: boolean;
  /** Message data: `binding`, `subjects`, `role`, `scope`. */
  readonly data: { readonly binding: string; readonly subjects: string; readonly role: string; readonly scope: string };
}

/**
 * A user's binding of a built-in role whose shipped rules `check` flags (the role itself is not
 * reported for them: Kubernetes or EKS ships it so). Undefined when there is nothing to report.
 */
export function builtinBindingGrant(resource: KubeResource, inventory: Inventory, check: PermissionCheck): BuiltinBindingGrant | undefined {
  const binding = RbacPolicy.of(inventory).bindingOf(resource);
  const role = binding?.role;
  if (binding === undefined || role?.builtin === undefined) return undefined;
  // Members of system:masters hold everything already; naming them adds nothing to report.
  const subjects = binding.subjects.filter((s) => !s.shipped && !(s.kind === 'Group' && s.name === 'system:masters'));
  if (subjects.length === 0) return undefined;
  const scope = binding.kind === 'RoleBinding' ? 'namespace' : 'cluster';
  const grants = [...new Set(role.rules.filter((r) => r.shipped).flatMap((r) => check(r.rule, scope)))];
  if (grants.length === 0) return undefined;
  const clusterWide = binding.kind === 'ClusterRoleBinding';
  return {
    binding, role, subjects, grants, clusterWide, privileged: isPrivilegedScope(scopeOf(binding)),
    data: {
      binding: describeBinding(binding),
      subjects: describeSubjects(subjects),
      role: `built-in ${describeRole(role)}`,
      scope: clusterWide ? 'in every namespace' : `in namespace ${binding.namespace ?? 'default'}`,
    },
  };
}

/**
 * The severity of a finding of a weakness graded by scope (`SCOPED_SEVERITY`, shared with `rbac
 * risky`): the privileged one where the grant reaches a privileged scope; elsewhere none, so the
 * rule's severity — its default, or the one the configuration sets — applies.
 */
export function scopedReport(weakness: ScopedWeakness, privileged: boolean): { readonly severity?: Severity } {
  return privileged ? { severity: SCOPED_SEVERITY[weakness].privileged } : {};
}

/** Phrases joined for messages: `get, list and watch`. */
export function joinPhrases(phrases: readonly string[]): string {
  if (phrases.length <= 1) return phrases.join('');
  return `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1] ?? ''}`;
}

function hasAny(inventory: Inventory, kinds: readonly string[]): boolean {
  return kinds.some((kind) => inventory.ofKind(kind).some(isRbacObject));
}

/** For rules that judge roles and their bindings: nothing to judge without RBAC objects. */
export function rbacNotEvaluated(inventory: Inventory): string | undefined {
  return hasAny(inventory, ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'])
    ? undefined
    : 'no RBAC objects (Roles, ClusterRoles, RoleBindings or ClusterRoleBindings) in the input';
}

/** For rules that judge the rules of roles only. */
export function rolesNotEvaluated(inventory: Inventory): string | undefined {
  return hasAny(inventory, ['Role', 'ClusterRole']) ? undefined : 'no Roles or ClusterRoles in the input';
}

/** For rules that judge bindings only. */
export function bindingsNotEvaluated(inventory: Inventory): string | undefined {
  return hasAny(inventory, ['RoleBinding', 'ClusterRoleBinding']) ? undefined : 'no RoleBindings or ClusterRoleBindings in the input';
}

type Judge<M extends string> = (resource: KubeResource, inventory: Inventory) => Iterable<Report<M>>;

/**
 * Handlers for permission rules: every Role and ClusterRole is judged for what it grants, every
 * binding for whom it hands such a role to.
 */
export function roleAndBindingHandlers<M extends string>(judgeRole: Judge<M>, judgeBinding: Judge<M>): Handlers<M> {
  return { Role: judgeRole, ClusterRole: judgeRole, RoleBinding: judgeBinding, ClusterRoleBinding: judgeBinding };
}

/**
 * Handlers for a rule that reports one permission: each Role or ClusterRole rule that grants it
 * (message `onRole`, data `grants`, `from`, `grantees`), and each user's binding of a built-in
 * role whose shipped rules grant it (message `onBinding`, data `binding`, `subjects`, `role`,
 * `scope`, `grants`).
 */
export function permissionHandlers<M extends string>(check: PermissionCheck, onRole: M, onBinding: M): Handlers<M> {
  function* judgeRole(resource: KubeResource, inventory: Inventory): Generator<Report<M>> {
    for (const found of roleGrants(resource, inventory, check)) {
      yield { messageId: onRole, path: found.rule.path, data: { grants: summarizeGrants(found.grants), from: found.from, grantees: found.grantees } };
    }
  }
  function* judgeBinding(resource: KubeResource, inventory: Inventory): Generator<Report<M>> {
    const found = builtinBindingGrant(resource, inventory, check);
    if (found !== undefined) yield { messageId: onBinding, path: ['roleRef'], data: { ...found.data, grants: summarizeGrants(found.grants) } };
  }
  return roleAndBindingHandlers(judgeRole, judgeBinding);
}
