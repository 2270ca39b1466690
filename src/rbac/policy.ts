/**
 * The RBAC policy of an inventory, resolved as the API server resolves it: roles by name (a
 * RoleBinding's Role in the binding's namespace, a ClusterRole cluster-wide), aggregated
 * ClusterRoles as the aggregation controller computes them, subjects with a ServiceAccount's
 * namespace defaulting to the RoleBinding's, and bindings whose role is missing granting nothing.
 * Built-in roles the input lacks are taken from the bootstrap policy, since every cluster has them.
 * Built once per inventory and cached; pure.
 */
import type { FieldPath } from '../core/finding.js';
import { namespaceOf, type Inventory } from '../core/inventory.js';
import type { KubeResource } from '../core/resource.js';
import { apiGroupOf } from '../core/workload.js';
import {
  SHIPPED_CLUSTER_ROLES, isAddonHolder, isEksName, isShippedSubject, shippedAddonClusterRole, shippedClusterRoleObject, shippedClusterRoleRules, shippedRoleObject,
  shippedRoleRules, type Subject,
} from './bootstrap-policy.js';
import { labelsOf, selectorMatches } from '../core/label-selector.js';
import { RBAC_GROUP, isCoveredBy, ruleKey, rulesOf, type PolicyRule } from './policy-rule.js';

export type { Subject } from './bootstrap-policy.js';

/** One rule in effect in a role, and where it is written. */
export interface EffectiveRule {
  readonly rule: PolicyRule;
  /**
   * `['rules', i]` of the role object, or — for a rule the role gains by aggregation and does not
   * store — the `aggregationRule.clusterRoleSelectors` entry that selects it.
   */
  readonly path: FieldPath;
  /** For a rule gained by aggregation: the ClusterRole that states it in its own `rules`. */
  readonly from?: string;
  /** Part of the role as Kubernetes or EKS ships it: not the user's doing. */
  readonly shipped: boolean;
}

export interface RoleView {
  readonly kind: 'Role' | 'ClusterRole';
  /** Roles only. */
  readonly namespace?: string;
  readonly name: string;
  /** The object in the input; absent for a built-in the input lacks (its shipped definition is used). */
  readonly resource?: KubeResource;
  /** A Kubernetes bootstrap role, or an EKS one (`eks:*`) that only EKS's own identities hold. */
  readonly builtin?: 'kubernetes' | 'eks';
  readonly aggregated: boolean;
  readonly rules: readonly EffectiveRule[];
}

export interface SubjectEntry extends Subject {
  /** Position in the binding's `subjects`. */
  readonly index: number;
  /** Put there by Kubernetes or EKS (see `isShippedSubject`). */
  readonly shipped: boolean;
}

export interface BindingView {
  readonly resource: KubeResource;
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  /** RoleBindings only. */
  readonly namespace?: string;
  readonly name: string;
  /** Undefined when malformed (the API would reject the binding). */
  readonly roleRef?: { readonly kind: 'Role' | 'ClusterRole'; readonly name: string };
  /** Undefined when the role does not exist: the binding grants nothing. */
  readonly role?: RoleView;
  /** The subjects that can match a request (malformed ones, and ServiceAccounts of a ClusterRoleBinding without a namespace, match nothing). */
  readonly subjects: readonly SubjectEntry[];
}

/** A binding that reaches a role, directly or through a ClusterRole that aggregates it. */
export interface Grant {
  readonly binding: BindingView;
  /** The aggregating ClusterRole the binding names, when it does not name the role itself. */
  readonly via?: RoleView;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function isRbacObject(resource: KubeResource): boolean {
  return apiGroupOf(resource.object.apiVersion) === RBAC_GROUP;
}

const SUBJECT_KINDS: ReadonlySet<string> = new Set(['User', 'Group', 'ServiceAccount']);

function selectorsOf(object: Readonly<Record<string, unknown>>): readonly unknown[] | undefined {
  const rule = object.aggregationRule;
  if (!isRecord(rule)) return undefined;
  return Array.isArray(rule.clusterRoleSelectors) ? (rule.clusterRoleSelectors as unknown[]) : [];
}

const cache = new WeakMap<Inventory, RbacPolicy>();

export class RbacPolicy {
  /** ClusterRoles by name: the input's (first of a name wins), then built-ins the input lacks. */
  private readonly clusterRoleObjects = new Map<string, { readonly object: Readonly<Record<string, unknown>>; readonly resource?: KubeResource }>();
  private readonly roleResources = new Map<string, KubeResource>();
  private readonly views = new Map<KubeResource | string, RoleView>();
  private readonly computing = new Set<string>();
  private bindingList: readonly BindingView[] | undefined;
  private readonly bindingViews = new Map<KubeResource, BindingView>();
  private aggregatorIndex: Map<string, string[]> | undefined;
  private grantIndex: Map<string, BindingView[]> | undefined;
  private allClusterRoleNames: readonly string[] | undefined;
  private readonly labelCache = new Map<string, Readonly<Record<string, string>>>();
  private readonly eksRolesHeldByOthers = new Set<string>();
  /** Add-on ClusterRoles (SHIPPED_ADDON_CLUSTER_ROLES) that some binding hands to a subject the add-on does not bind. */
  private readonly addonRolesHeldByOthers = new Set<string>();
  private readonly selections = new Map<string, readonly string[]>();

  private constructor(private readonly inventory: Inventory) {
    for (const resource of inventory.ofKind('ClusterRole')) {
      if (isRbacObject(resource) && !this.clusterRoleObjects.has(resource.ref.name)) this.clusterRoleObjects.set(resource.ref.name, { object: resource.object, resource });
    }
    for (const resource of inventory.ofKind('Role')) {
      const key = `${namespaceOf(resource) ?? ''}/${resource.ref.name}`;
      if (isRbacObject(resource) && !this.roleResources.has(key)) this.roleResources.set(key, resource);
    }
    // EKS's roles are taken as shipped only while EKS's own identities alone hold them.
    for (const kind of ['ClusterRoleBinding', 'RoleBinding'] as const) {
      for (const resource of inventory.ofKind(kind)) {
        const binding = parseBinding(resource);
        if (binding?.roleRef === undefined) continue;
        const addon = binding.roleRef.kind === 'ClusterRole' ? shippedAddonClusterRole(binding.roleRef.name) : undefined;
        if (addon !== undefined && !binding.subjects.every((s) => isAddonHolder(addon.holders, s))) this.addonRolesHeldByOthers.add(binding.roleRef.name);
        if (!isEksName(binding.roleRef.name) || binding.subjects.every((s) => s.shipped)) continue;
        this.eksRolesHeldByOthers.add(roleKeyOf(binding.roleRef.kind, binding.namespace, binding.roleRef.name));
      }
    }
  }

  static of(inventory: Inventory): RbacPolicy {
    let policy = cache.get(inventory);
    if (policy === undefined) {
      policy = new RbacPolicy(inventory);
      cache.set(inventory, policy);
    }
    return policy;
  }

  // -------------------------------------------------------------------------------------------
  // Roles
  // -------------------------------------------------------------------------------------------

  /** The view of a Role or ClusterRole object of the input; undefined for other kinds and API groups. */
  roleOf(resource: KubeResource): RoleView | undefined {
    if (!isRbacObject(resource)) return undefined;
    if (resource.object.kind === 'ClusterRole') return this.clusterRoleView(resource.ref.name, resource.object, resource);
    if (resource.object.kind === 'Role') return this.roleView(namespaceOf(resource) ?? 'default', resource.ref.name, resource.object, resource);
    return undefined;
  }

  /** The ClusterRole of that name in the input, else the built-in one. */
  clusterRole(name: string): RoleView | undefined {
    const found = this.clusterRoleEntry(name);
    return found ? this.clusterRoleView(name, found.object, found.resource) : undefined;
  }

  /** The Role of that name in the namespace, in the input or built in. */
  role(namespace: string, name: string): RoleView | undefined {
    const resource = this.roleResources.get(`${namespace}/${name}`);
    if (resource) return this.roleView(namespace, name, resource.object, resource);
    const shipped = shippedRoleObject(namespace, name);
    return shipped ? this.roleView(namespace, name, shipped, undefined) : undefined;
  }

  private clusterRoleEntry(name: string): { readonly object: Readonly<Record<string, unknown>>; readonly resource?: KubeResource } | undefined {
    const found = this.clusterRoleObjects.get(name);
    if (found) return found;
    const shipped = shippedClusterRoleObject(name);
    return shipped ? { object: shipped } : undefined;
  }

  /** An `eks:*` role that no binding hands to anyone but EKS's own identities. */
  private isEksRole(kind: 'Role' | 'ClusterRole', namespace: string | undefined, name: string): boolean {
    return isEksName(name) && !this.eksRolesHeldByOthers.has(roleKeyOf(kind, namespace, name));
  }

  /** Every ClusterRole name an aggregation selector may pick from, sorted as the controller sorts them. */
  private clusterRoleNames(): readonly string[] {
    this.allClusterRoleNames ??= [...new Set([...this.clusterRoleObjects.keys(), ...Object.keys(SHIPPED_CLUSTER_ROLES)])].sort();
    return this.allClusterRoleNames;
  }

  private labelsOfClusterRole(name: string, object: Readonly<Record<string, unknown>>): Readonly<Record<string, string>> {
    let labels = this.labelCache.get(name);
    if (labels === undefined) {
      labels = labelsOf(object);
      this.labelCache.set(name, labels);
    }
    return labels;
  }

  private roleView(namespace: string, name: string, object: Readonly<Record<string, unknown>>, resource: KubeResource | undefined): RoleView {
    const key = resource ?? `Role/${namespace}/${name}`;
    const cached = this.views.get(key);
    if (cached) return cached;
    const shipped = shippedRoleRules(namespace, name);
    const builtin = shipped ? 'kubernetes' : this.isEksRole('Role', namespace, name) ? 'eks' : undefined;
    const rules = rulesOf(object).map(({ rule, index }) => ({ rule, path: ['rules', index], shipped: isShipped(builtin, shipped, rule) }));
    const view: RoleView = { kind: 'Role', namespace, name, ...(resource ? { resource } : {}), ...(builtin ? { builtin } : {}), aggregated: false, rules };
    this.views.set(key, view);
    return view;
  }

  private clusterRoleView(name: string, object: Readonly<Record<string, unknown>>, resource: KubeResource | undefined): RoleView {
    const key = resource ?? `ClusterRole/${name}`;
    const cached = this.views.get(key);
    if (cached) return cached;
    const kubernetesRules = shippedClusterRoleRules(name);
    const builtin = kubernetesRules ? 'kubernetes' : this.isEksRole('ClusterRole', undefined, name) ? 'eks' : undefined;
    // An add-on's role is not a built-in (bindings of it are not judged as hand-outs), but the rules
    // the add-on ships are not the user's doing while only the add-on's subjects hold it.
    const addon = builtin === undefined && !this.addonRolesHeldByOthers.has(name) ? shippedAddonClusterRole(name) : undefined;
    const shipped = kubernetesRules ?? addon?.rules;
    const selectors = selectorsOf(object);
    const stored = rulesOf(object).map(({ rule, index }) => ({ rule, path: ['rules', index] as FieldPath }));
    let rules: { rule: PolicyRule; path: FieldPath; from?: string }[] = stored;
    if (selectors !== undefined) {
      this.computing.add(name);
      const components = this.aggregate(name, selectors);
      this.computing.delete(name);
      const fromOf = new Map<string, string>();
      for (const c of components) if (!fromOf.has(ruleKey(c.rule))) fromOf.set(ruleKey(c.rule), c.from);
      // A live cluster's stored rules are the controller's output: trust them. Offline, the stored
      // rules of a dump are that output too, and a manifest's are usually empty: add the union.
      const live = resource?.origin.type === 'cluster';
      const seen = new Set(stored.map((s) => ruleKey(s.rule)));
      rules = stored.map((s) => {
        const from = fromOf.get(ruleKey(s.rule));
        return from === undefined ? s : { ...s, from };
      });
      if (!live) {
        for (const c of components) {
          const k = ruleKey(c.rule);
          if (seen.has(k)) continue;
          seen.add(k);
          rules.push({ rule: c.rule, path: ['aggregationRule', 'clusterRoleSelectors', c.selector], from: c.from });
        }
      }
    }
    const view: RoleView = {
      kind: 'ClusterRole', name, ...(resource ? { resource } : {}), ...(builtin ? { builtin } : {}), aggregated: selectors !== undefined,
      rules: rules.map((r) => ({ ...r, shipped: isShipped(builtin, shipped, r.rule) })),
    };
    this.views.set(key, view);
    return view;
  }

  /**
   * The aggregation controller's union: for each selector in order, the matching ClusterRoles
   * sorted by name (itself skipped), each rule not already present appended. Components are read
   * with their own aggregation resolved; a cycle contributes the stored rules only. `from` is the
   * ClusterRole that states the rule itself, through any depth of aggregation.
   */
  private aggregate(name: string, selectors: readonly unknown[]): { rule: PolicyRule; selector: number; from: string }[] {
    const out: { rule: PolicyRule; selector: number; from: string }[] = [];
    const seen = new Set<string>();
    selectors.forEach((selector, index) => {
      for (const candidate of this.selected(selector)) {
        if (candidate === name) continue;
        const entry = this.clusterRoleEntry(candidate);
        if (entry === undefined) continue;
        const componentRules = this.computing.has(candidate) || selectorsOf(entry.object) === undefined
          ? rulesOf(entry.object).map((r) => ({ rule: r.rule, from: candidate }))
          : this.clusterRoleView(candidate, entry.object, entry.resource).rules.map((r) => ({ rule: r.rule, from: r.from ?? candidate }));
        for (const { rule, from } of componentRules) {
          const key = ruleKey(rule);
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ rule, selector: index, from });
        }
      }
    });
    return out;
  }

  /** The names of the ClusterRoles a selector picks, sorted; aggregated roles often share selectors. */
  private selected(selector: unknown): readonly string[] {
    const key = JSON.stringify(selector) ?? '';
    let names = this.selections.get(key);
    if (names === undefined) {
      names = this.clusterRoleNames().filter((candidate) => {
        const entry = this.clusterRoleEntry(candidate);
        return entry !== undefined && selectorMatches(selector, this.labelsOfClusterRole(candidate, entry.object));
      });
      this.selections.set(key, names);
    }
    return names;
  }

  /** The aggregated ClusterRoles that select this one, directly or through others. */
  aggregatorsOf(name: string): readonly RoleView[] {
    if (this.aggregatorIndex === undefined) {
      const index = new Map<string, string[]>();
      const names = this.clusterRoleNames();
      for (const aggregator of names) {
        const entry = this.clusterRoleEntry(aggregator);
        const selectors = entry ? selectorsOf(entry.object) : undefined;
        if (entry === undefined || selectors === undefined) continue;
        for (const candidate of new Set(selectors.flatMap((selector) => this.selected(selector)))) {
          if (candidate === aggregator) continue;
          const list = index.get(candidate);
          if (list) list.push(aggregator);
          else index.set(candidate, [aggregator]);
        }
      }
      this.aggregatorIndex = index;
    }
    const found = new Set<string>();
    const queue = [...(this.aggregatorIndex.get(name) ?? [])];
    while (queue.length > 0) {
      const next = queue.shift();
      if (next === undefined || next === name || found.has(next)) continue;
      found.add(next);
      queue.push(...(this.aggregatorIndex.get(next) ?? []));
    }
    return [...found].sort().flatMap((n) => this.clusterRole(n) ?? []);
  }

  // -------------------------------------------------------------------------------------------
  // Bindings
  // -------------------------------------------------------------------------------------------

  /** Every RoleBinding and ClusterRoleBinding of the input. */
  get bindings(): readonly BindingView[] {
    if (this.bindingList === undefined) {
      const list: BindingView[] = [];
      for (const kind of ['ClusterRoleBinding', 'RoleBinding'] as const) {
        for (const resource of this.inventory.ofKind(kind)) {
          const view = this.bindingOf(resource);
          if (view) list.push(view);
        }
      }
      this.bindingList = list;
    }
    return this.bindingList;
  }

  /** The view of a binding object of the input; undefined for other kinds and API groups. */
  bindingOf(resource: KubeResource): BindingView | undefined {
    const cached = this.bindingViews.get(resource);
    if (cached) return cached;
    const parsed = parseBinding(resource);
    if (parsed === undefined) return undefined;
    const { roleRef, namespace } = parsed;
    const role = roleRef === undefined ? undefined
      : roleRef.kind === 'ClusterRole' ? this.clusterRole(roleRef.name)
        : this.role(namespace ?? 'default', roleRef.name);
    const view: BindingView = { ...parsed, ...(role ? { role } : {}) };
    this.bindingViews.set(resource, view);
    return view;
  }

  /** The bindings that hand out a role: those naming it, and those naming a ClusterRole that aggregates it. */
  grantsOf(role: RoleView): readonly Grant[] {
    if (this.grantIndex === undefined) {
      const index = new Map<string, BindingView[]>();
      for (const binding of this.bindings) {
        if (binding.roleRef === undefined) continue;
        const key = roleKeyOf(binding.roleRef.kind, binding.namespace, binding.roleRef.name);
        const list = index.get(key);
        if (list) list.push(binding);
        else index.set(key, [binding]);
      }
      this.grantIndex = index;
    }
    const direct = (kind: 'Role' | 'ClusterRole', namespace: string | undefined, name: string) => this.grantIndex?.get(roleKeyOf(kind, namespace, name)) ?? [];
    const grants: Grant[] = direct(role.kind, role.namespace, role.name).map((binding) => ({ binding }));
    if (role.kind === 'ClusterRole') {
      for (const via of this.aggregatorsOf(role.name)) grants.push(...direct('ClusterRole', undefined, via.name).map((binding) => ({ binding, via })));
    }
    return grants;
  }
}

function roleKeyOf(kind: 'Role' | 'ClusterRole', namespace: string | undefined, name: string): string {
  return kind === 'ClusterRole' ? `ClusterRole/${name}` : `Role/${namespace ?? ''}/${name}`;
}

function isShipped(builtin: 'kubernetes' | 'eks' | undefined, shipped: readonly PolicyRule[] | undefined, rule: PolicyRule): boolean {
  if (builtin === 'eks') return true;
  return shipped !== undefined && isCoveredBy(rule, shipped);
}

function roleRefOf(raw: unknown, bindingKind: 'RoleBinding' | 'ClusterRoleBinding'): BindingView['roleRef'] {
  if (!isRecord(raw) || typeof raw.name !== 'string' || raw.name === '') return undefined;
  if (raw.apiGroup !== undefined && raw.apiGroup !== RBAC_GROUP) return undefined;
  if (raw.kind === 'ClusterRole') return { kind: 'ClusterRole', name: raw.name };
  // A ClusterRoleBinding can only reference a ClusterRole.
  if (raw.kind === 'Role' && bindingKind === 'RoleBinding') return { kind: 'Role', name: raw.name };
  return undefined;
}

/** A binding's own fields, its role not yet looked up: read from the object alone. */
export function parseBinding(resource: KubeResource): Omit<BindingView, 'role'> | undefined {
  const kind = resource.object.kind;
  if (!isRbacObject(resource) || (kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding')) return undefined;
  const namespace = kind === 'RoleBinding' ? (namespaceOf(resource) ?? 'default') : undefined;
  const name = resource.ref.name;
  const roleRef = roleRefOf(resource.object.roleRef, kind);
  const subjects: SubjectEntry[] = [];
  const raw = Array.isArray(resource.object.subjects) ? (resource.object.subjects as unknown[]) : [];
  raw.forEach((entry, index) => {
    if (!isRecord(entry) || typeof entry.kind !== 'string' || !SUBJECT_KINDS.has(entry.kind)) return;
    if (typeof entry.name !== 'string' || entry.name === '') return;
    const subjectKind = entry.kind as Subject['kind'];
    let subject: Subject;
    if (subjectKind === 'ServiceAccount') {
      // A RoleBinding's ServiceAccount without a namespace is in the binding's; a
      // ClusterRoleBinding's never matches (the API rejects it).
      const ns = typeof entry.namespace === 'string' && entry.namespace !== '' ? entry.namespace : namespace;
      if (ns === undefined) return;
      subject = { kind: subjectKind, name: entry.name, namespace: ns };
    } else {
      subject = { kind: subjectKind, name: entry.name };
    }
    // Plain literals, not spreads: this runs once per subject of every binding (tens of thousands).
    const shipped = roleRef !== undefined && isShippedSubject(namespace !== undefined ? { kind, namespace, name, roleRef } : { kind, name, roleRef }, subject);
    subjects.push(subject.namespace !== undefined
      ? { kind: subject.kind, name: subject.name, namespace: subject.namespace, index, shipped }
      : { kind: subject.kind, name: subject.name, index, shipped });
  });
  return { resource, kind, ...(namespace ? { namespace } : {}), name, ...(roleRef ? { roleRef } : {}), subjects };
}
