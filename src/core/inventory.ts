import { isAwsAuthConfigMap, parseAwsAuth, type AwsAuth } from './aws-auth.js';
import { AwsInventory } from './aws/aws-inventory.js';
import type { AwsEvidence } from './aws/model.js';
import { controllerOf, describeOrigin, formatKubeRef, type Gap, type KubeResource, type Unread } from './resource.js';
import { UnreadIndex } from './unread.js';
import { POD_TEMPLATE_KINDS, toWorkload, uninterpretableWorkload, type Workload } from './workload.js';

/** The kinds of evidence a rule can need (RULES.md: M, K, A, L). */
export const EVIDENCE = ['manifests', 'cluster', 'aws', 'audit'] as const;
export type Evidence = (typeof EVIDENCE)[number];

/** Built-in kinds that live outside namespaces; anything else without a namespace runs in `default`. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'PriorityClass', 'RuntimeClass',
  'IngressClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'APIService', 'CertificateSigningRequest',
  'PodSecurityPolicy', 'ComponentStatus', 'FlowSchema', 'PriorityLevelConfiguration', 'ClusterIssuer',
  // A node's kubelet configuration (src/core/kubelet-config.ts), named after its node.
  'KubeletConfiguration',
]);

export function isClusterScopedKind(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** The namespace an object lives in: its own, `default` for namespaced objects that leave it unset. */
export function namespaceOf(resource: KubeResource): string | undefined {
  return resource.ref.namespace ?? (isClusterScopedKind(resource.ref.kind) ? undefined : 'default');
}

/**
 * A namespace as the namespace-level rules see it: the Namespace object when the input has it
 * (otherwise a stand-in implied by the workloads that name it), and the workloads running there.
 */
export interface NamespaceTarget extends KubeResource {
  readonly name: string;
  /** Whether the input holds the Namespace object itself. */
  readonly declared: boolean;
  readonly workloads: readonly Workload[];
}

/**
 * Everything a scan read, normalised, with read-only indexes built on first use. Rules receive it
 * to look across objects (a ServiceAccount's bindings, say) but report only on their own target.
 */
export class Inventory {
  readonly objects: readonly KubeResource[];
  readonly gaps: readonly Gap[];
  /** Which evidence this inventory holds; a rule needing none of it is reported as not evaluated. */
  readonly evidence: ReadonlySet<Evidence>;
  private kindIndex: Map<string, KubeResource[]> | undefined;
  private workloadList: readonly Workload[] | undefined;
  private namespaceList: readonly NamespaceTarget[] | undefined;
  private awsAuthList: readonly AwsAuth[] | undefined;
  private unreadIndex: UnreadIndex | undefined;
  /** Evidence not read without a gap to say so (kinds a snapshot was not written with). */
  private readonly notRead: readonly Unread[];
  /** What was read from AWS (a dump or a live read), with its indexes; undefined when the scan read no AWS evidence. */
  readonly aws: AwsInventory | undefined;
  /** The live API server's gitVersion (`/version`), when the scan read a cluster that answered it. */
  readonly serverVersion: string | undefined;

  /**
   * `evidence` names the sources that were read (a manifest scan read manifests even if they held
   * nothing); `notRead`, evidence those sources lack that no gap names (see `unread`).
   */
  constructor(objects: readonly KubeResource[], gaps: readonly Gap[] = [], evidence?: Iterable<Evidence>, aws?: AwsEvidence, notRead: readonly Unread[] = [], serverVersion?: string) {
    this.notRead = notRead;
    this.serverVersion = serverVersion;
    this.objects = objects;
    this.gaps = gaps;
    const found = new Set<Evidence>(evidence ?? []);
    for (const object of objects) found.add(object.origin.type === 'file' ? 'manifests' : 'cluster');
    if (aws !== undefined) found.add('aws');
    this.evidence = found;
    this.aws = aws === undefined ? undefined : new AwsInventory(aws);
  }

  /** What the scan could not read (from the gaps, and `notRead`): rules needing it are not evaluated. */
  get unread(): UnreadIndex {
    this.unreadIndex ??= UnreadIndex.of(this.gaps, this.notRead);
    return this.unreadIndex;
  }

  ofKind(kind: string): readonly KubeResource[] {
    if (this.kindIndex === undefined) {
      this.kindIndex = new Map();
      for (const object of this.objects) {
        const list = this.kindIndex.get(object.ref.kind);
        if (list) list.push(object);
        else this.kindIndex.set(object.ref.kind, [object]);
      }
    }
    return this.kindIndex.get(kind) ?? [];
  }

  find(kind: string, namespace: string | undefined, name: string): KubeResource | undefined {
    return this.ofKind(kind).find((object) => object.ref.name === name && namespaceOf(object) === namespace);
  }

  /**
   * Every pod-template owner, once. A Pod or ReplicaSet whose controller is also in the inventory
   * is judged through that controller, not once per replica (a `kubectl get all -A` dump holds both).
   */
  get workloads(): readonly Workload[] {
    if (this.workloadList === undefined) {
      // Owner keys only for objects that have a controller: manifests rarely do, dumps of live objects always.
      const owners = new Map<KubeResource, string>();
      for (const object of this.objects) {
        const owner = controllerOf(object.object);
        if (owner) owners.set(object, `${owner.kind}/${namespaceOf(object) ?? ''}/${owner.name}`);
      }
      const present = owners.size === 0 ? new Set<string>() : new Set(this.objects.map((o) => `${o.ref.kind}/${namespaceOf(o) ?? ''}/${o.ref.name}`));
      const list: Workload[] = [];
      for (const object of this.objects) {
        const ownerKey = owners.get(object);
        if (ownerKey !== undefined && present.has(ownerKey)) continue;
        const workload = toWorkload(object);
        if (workload) list.push(workload);
      }
      this.workloadList = list;
    }
    return this.workloadList;
  }

  /**
   * Every namespace that has workloads in the input or is declared by a Namespace object, sorted
   * by name. Namespace rules judge these, whether or not the Namespace object itself was scanned.
   */
  get namespaces(): readonly NamespaceTarget[] {
    if (this.namespaceList === undefined) {
      const byName = new Map<string, { object?: KubeResource; workloads: Workload[] }>();
      const entry = (name: string) => {
        let found = byName.get(name);
        if (found === undefined) {
          found = { workloads: [] };
          byName.set(name, found);
        }
        return found;
      };
      for (const object of this.ofKind('Namespace')) if (object.object.apiVersion === 'v1') entry(object.ref.name).object ??= object;
      for (const workload of this.workloads) entry(workload.namespace).workloads.push(workload);
      this.namespaceList = [...byName.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, { object, workloads }]) => {
          if (object) return { ...object, name, declared: true, workloads };
          const first = workloads[0];
          const by = first ? `${formatKubeRef(first.ref)}${first.origin.type === 'file' ? ` (${first.origin.file})` : ''}` : 'the input';
          return {
            ref: { provider: 'kubernetes', apiVersion: 'v1', kind: 'Namespace', name },
            object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
            origin: first?.origin.type === 'file' ? { type: 'implied', by, file: first.origin.file, line: first.origin.line } : { type: 'implied', by },
            name,
            declared: false,
            workloads,
          };
        });
    }
    return this.namespaceList;
  }

  /**
   * The `kube-system/aws-auth` ConfigMaps of the input (normally one), their `mapRoles`,
   * `mapUsers` and `mapAccounts` decoded once.
   */
  get awsAuth(): readonly AwsAuth[] {
    this.awsAuthList ??= this.ofKind('ConfigMap').filter(isAwsAuthConfigMap).map(parseAwsAuth);
    return this.awsAuthList;
  }

  /**
   * Problems found while interpreting objects that did parse (say, a malformed `aws-auth`
   * mapping inside a ConfigMap value): reported as gaps, like input that did not parse.
   */
  get derivedGaps(): readonly Gap[] {
    const gaps = this.awsAuth.flatMap(({ resource, problems }) => problems.map((problem): Gap => ({
      source: describeOrigin(resource.origin),
      ...(resource.origin.type === 'file' ? { line: resource.origin.line } : {}),
      code: 'AWS_AUTH_INVALID',
      message: `${formatKubeRef(resource.ref)}: ${problem.key} ${problem.message}`,
    })));
    for (const kind of POD_TEMPLATE_KINDS) {
      for (const resource of this.ofKind(kind)) {
        const why = uninterpretableWorkload(resource.object);
        if (why === undefined) continue;
        gaps.push({
          source: describeOrigin(resource.origin),
          ...(resource.origin.type === 'file' ? { line: resource.origin.line } : {}),
          code: 'NOT_INTERPRETED',
          message: `${formatKubeRef(resource.ref)}: ${why}; its pod spec is not judged`,
        });
      }
    }
    return gaps;
  }
}
