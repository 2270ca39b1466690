/**
 * Which ServiceAccount a pod runs as, whether it gets an API token, and which RoleBindings and
 * ClusterRoleBindings in the inventory grant that ServiceAccount anything. Pure functions.
 */
import { namespaceOf, type Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { apiGroupOf, serviceAccountOf, type Workload } from '../../core/workload.js';
import { asRecord } from '../../core/json.js';
import { parseServiceAccountUsername } from '../../rbac/identity.js';

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const serviceAccountCache = new WeakMap<Inventory, Map<string, KubeResource>>();

/** The ServiceAccount object, when the inventory holds it. */
export function findServiceAccount(inventory: Inventory, namespace: string, name: string): KubeResource | undefined {
  let byKey = serviceAccountCache.get(inventory);
  if (byKey === undefined) {
    byKey = new Map();
    for (const sa of inventory.ofKind('ServiceAccount')) {
      const key = `${namespaceOf(sa) ?? ''}/${sa.ref.name}`;
      if (apiGroupOf(sa.object.apiVersion) === '' && !byKey.has(key)) byKey.set(key, sa);
    }
    serviceAccountCache.set(inventory, byKey);
  }
  return byKey.get(`${namespace}/${name}`);
}

export type TokenAutomount =
  /** `default`: unset on both; `unknown`: unset on the pod, and the ServiceAccount is not in the inventory. */
  | { readonly mounted: true; readonly reason: 'pod' | 'serviceAccount' | 'default' | 'unknown' }
  | { readonly mounted: false; readonly reason: 'pod' | 'serviceAccount' };

/**
 * Whether the kubelet mounts the ServiceAccount's API token into the pod: the pod's
 * `automountServiceAccountToken` wins when it is a boolean; otherwise the ServiceAccount's;
 * otherwise (unset, or the ServiceAccount not in the inventory) the default, which is to mount.
 */
export function tokenAutomount(workload: Workload, inventory: Inventory): TokenAutomount {
  const own = workload.podSpec.automountServiceAccountToken;
  if (typeof own === 'boolean') return own ? { mounted: true, reason: 'pod' } : { mounted: false, reason: 'pod' };
  const sa = findServiceAccount(inventory, workload.namespace, serviceAccountOf(workload).name);
  const fromSa = sa?.object.automountServiceAccountToken;
  if (typeof fromSa === 'boolean') return fromSa ? { mounted: true, reason: 'serviceAccount' } : { mounted: false, reason: 'serviceAccount' };
  return { mounted: true, reason: sa === undefined ? 'unknown' : 'default' };
}

// ---------------------------------------------------------------------------------------------
// Bindings
// ---------------------------------------------------------------------------------------------

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * The ClusterRoles Kubernetes binds to every authenticated identity out of the box (API
 * discovery, self-review, the issuer's public keys). A group binding to one of them does not mean
 * a ServiceAccount needs the API; a binding that names the ServiceAccount itself still counts.
 */
export const BUILTIN_DISCOVERY_ROLES: ReadonlySet<string> = new Set([
  'system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:service-account-issuer-discovery',
]);

const NAMESPACE_GROUP = /^system:serviceaccounts:([^:]+)$/;
const ALL_SERVICE_ACCOUNT_GROUPS: ReadonlySet<string> = new Set(['system:serviceaccounts', 'system:authenticated']);

interface BindingIndex {
  /** By `namespace/name` of a ServiceAccount named as a subject (kind ServiceAccount or its username). */
  readonly byServiceAccount: Map<string, KubeResource[]>;
  /** By namespace, bindings to `system:serviceaccounts:<namespace>`. */
  readonly byNamespaceGroup: Map<string, KubeResource[]>;
  /** Bindings to `system:serviceaccounts` or `system:authenticated`. */
  readonly toAll: KubeResource[];
}

function isBinding(resource: KubeResource): boolean {
  return apiGroupOf(resource.object.apiVersion) === RBAC_GROUP;
}

function push(map: Map<string, KubeResource[]>, key: string, binding: KubeResource): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [binding]);
  else if (!list.includes(binding)) list.push(binding);
}

const indexCache = new WeakMap<Inventory, BindingIndex>();

function bindingIndex(inventory: Inventory): BindingIndex {
  const cached = indexCache.get(inventory);
  if (cached !== undefined) return cached;
  const index: BindingIndex = { byServiceAccount: new Map(), byNamespaceGroup: new Map(), toAll: [] };
  const bindings = [...inventory.ofKind('RoleBinding'), ...inventory.ofKind('ClusterRoleBinding')].filter(isBinding);
  for (const binding of bindings) {
    const isRoleBinding = binding.object.kind === 'RoleBinding';
    const roleRef = asRecord(binding.object.roleRef);
    const discoveryOnly = roleRef?.kind === 'ClusterRole' && typeof roleRef.name === 'string' && BUILTIN_DISCOVERY_ROLES.has(roleRef.name);
    const subjects = Array.isArray(binding.object.subjects) ? (binding.object.subjects as unknown[]) : [];
    for (const raw of subjects) {
      const subject = asRecord(raw);
      const name = nonEmptyString(subject?.name);
      if (subject === undefined || name === undefined) continue;
      if (subject.kind === 'ServiceAccount') {
        // A RoleBinding subject without a namespace means the binding's own namespace.
        const namespace = nonEmptyString(subject.namespace) ?? (isRoleBinding ? namespaceOf(binding) : undefined);
        if (namespace !== undefined) push(index.byServiceAccount, `${namespace}/${name}`, binding);
      } else if (subject.kind === 'User') {
        const account = parseServiceAccountUsername(name);
        if (account) push(index.byServiceAccount, `${account.namespace}/${account.name}`, binding);
      } else if (subject.kind === 'Group' && !discoveryOnly) {
        const match = NAMESPACE_GROUP.exec(name);
        if (match) push(index.byNamespaceGroup, match[1] ?? '', binding);
        else if (ALL_SERVICE_ACCOUNT_GROUPS.has(name) && !index.toAll.includes(binding)) index.toAll.push(binding);
      }
    }
  }
  indexCache.set(inventory, index);
  return index;
}

/**
 * The RoleBindings and ClusterRoleBindings in the inventory whose subjects include the
 * ServiceAccount: by kind `ServiceAccount`, by its username `system:serviceaccount:<ns>:<name>`,
 * or by the groups every ServiceAccount belongs to (`system:serviceaccounts`,
 * `system:serviceaccounts:<ns>`, `system:authenticated`) — except group bindings to the built-in
 * discovery roles every identity gets.
 */
export function bindingsOfServiceAccount(inventory: Inventory, namespace: string, name: string): readonly KubeResource[] {
  const index = bindingIndex(inventory);
  const found = new Set<KubeResource>([
    ...(index.byServiceAccount.get(`${namespace}/${name}`) ?? []),
    ...(index.byNamespaceGroup.get(namespace) ?? []),
    ...index.toAll,
  ]);
  return [...found];
}
