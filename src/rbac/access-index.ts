/**
 * The RBAC policy of an inventory indexed once for questions about access: bindings by the
 * namespace they apply in, bindings by the subjects they name, every binding's role resolved
 * (aggregation included), and the IAM principals EKS maps into the cluster. who-can, lookup and
 * risky all read this; building it is the only pass over the whole policy, so answers that
 * follow take milliseconds even for tens of thousands of bindings. Cached per inventory; pure.
 */
import type { Inventory } from '../core/inventory.js';
import { customResources, type ApiResource } from './api-resources.js';
import type { Subject } from './bootstrap-policy.js';
import { iamIdentitiesOf, type IamIdentities } from './iam-identities.js';
import { RbacPolicy, type BindingView, type SubjectEntry } from './policy.js';
import { bindingVia, type Via } from './via.js';

/** A binding and one of its subjects. */
export interface SubjectBinding {
  readonly binding: BindingView;
  readonly subject: SubjectEntry;
}

/** A binding with what every answer needs of it computed once: its `Via`, and its subjects' keys. */
export interface IndexedBinding {
  readonly binding: BindingView;
  readonly via: Via;
  readonly subjects: readonly { readonly subject: SubjectEntry; readonly key: string }[];
}

export function subjectKey(subject: Subject): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount|${subject.namespace ?? ''}|${subject.name}` : `${subject.kind}||${subject.name}`;
}

const cache = new WeakMap<Inventory, AccessIndex>();

export class AccessIndex {
  readonly policy: RbacPolicy;
  readonly clusterBindings: readonly IndexedBinding[];
  /** RoleBindings by namespace. */
  readonly namespaceBindings: ReadonlyMap<string, readonly IndexedBinding[]>;
  readonly allBindings: readonly IndexedBinding[];
  readonly iam: IamIdentities;
  readonly customResources: readonly ApiResource[];
  private readonly bySubject: ReadonlyMap<string, readonly SubjectBinding[]>;
  private readonly subjectList: readonly Subject[];

  private constructor(readonly inventory: Inventory) {
    this.policy = RbacPolicy.of(inventory);
    const cluster: IndexedBinding[] = [];
    const all: IndexedBinding[] = [];
    const byNamespace = new Map<string, IndexedBinding[]>();
    const bySubject = new Map<string, SubjectBinding[]>();
    const subjects: Subject[] = [];
    for (const binding of this.policy.bindings) {
      const indexed: IndexedBinding = { binding, via: bindingVia(binding), subjects: binding.subjects.map((subject) => ({ subject, key: subjectKey(subject) })) };
      all.push(indexed);
      if (binding.kind === 'ClusterRoleBinding') cluster.push(indexed);
      else {
        const ns = binding.namespace ?? 'default';
        const list = byNamespace.get(ns);
        if (list) list.push(indexed);
        else byNamespace.set(ns, [indexed]);
      }
      for (const { subject, key } of indexed.subjects) {
        const list = bySubject.get(key);
        if (list) list.push({ binding, subject });
        else {
          bySubject.set(key, [{ binding, subject }]);
          subjects.push(subject.kind === 'ServiceAccount' ? { kind: subject.kind, name: subject.name, namespace: subject.namespace ?? '' } : { kind: subject.kind, name: subject.name });
        }
      }
    }
    this.clusterBindings = cluster;
    this.namespaceBindings = byNamespace;
    this.allBindings = all;
    this.bySubject = bySubject;
    this.subjectList = subjects;
    this.iam = iamIdentitiesOf(inventory);
    this.customResources = customResources(inventory);
  }

  static of(inventory: Inventory): AccessIndex {
    let index = cache.get(inventory);
    if (index === undefined) {
      index = new AccessIndex(inventory);
      cache.set(inventory, index);
    }
    return index;
  }

  /** The bindings that name this subject (a ServiceAccount by its namespace and name). */
  bindingsOf(subject: Subject): readonly SubjectBinding[] {
    return this.bySubject.get(subjectKey(subject)) ?? [];
  }

  /** Every distinct subject some binding names, in the order first seen. */
  get subjects(): readonly Subject[] {
    return this.subjectList;
  }

  /** The bindings that apply to a request in a namespace: every ClusterRoleBinding, and the namespace's RoleBindings. */
  bindingsFor(namespace: string | undefined): readonly IndexedBinding[] {
    if (namespace === undefined) return this.clusterBindings;
    return [...this.clusterBindings, ...(this.namespaceBindings.get(namespace) ?? [])];
  }
}
