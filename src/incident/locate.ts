/**
 * `eksguard incident locate`: the guide's first incident-response step, identifying the offending
 * pods and nodes — by image, ServiceAccount, workload or pod — with what an investigator asks next:
 * their owners, nodes and EC2 instances, the ServiceAccount, its IAM role (IRSA annotation or Pod
 * Identity association) and the RBAC it holds (`rbac lookup`). Pure: an inventory in, a report out.
 */
import type { Ec2Instance } from '../core/aws/model.js';
import { containerStatuses } from '../core/aws/ecr-image.js';
import { UsageError } from '../core/errors.js';
import { namespaceOf, type Inventory } from '../core/inventory.js';
import { controllerOf, describeOrigin, type KubeResource } from '../core/resource.js';
import { serviceAccountOf, toWorkload, type Workload } from '../core/workload.js';
import { lookup, type LookupRow } from '../rbac/lookup.js';
import { IRSA_ANNOTATION } from '../rules/shared/aws.js';
import { parseImageReference, type ImageReference } from '../rules/shared/image-reference.js';
import { isRecord } from '../rules/shared/namespaces.js';

export type LocateQuery =
  | { readonly by: 'image'; readonly image: string }
  | { readonly by: 'service-account'; readonly namespace: string; readonly name: string }
  | { readonly by: 'workload'; readonly kind: string; readonly namespace: string; readonly name: string }
  | { readonly by: 'pod'; readonly namespace: string; readonly name: string };

export type ImageMatch = 'digest' | 'tag' | 'repository';

export interface MatchedContainer {
  readonly name: string;
  readonly image: string;
  /** `status.containerStatuses[].imageID`: the digest the node actually pulled. */
  readonly imageID?: string;
  readonly match: ImageMatch;
}

export interface IamRoleUse {
  readonly arn: string;
  readonly via: 'irsa' | 'pod-identity';
  /** Where it was read: the ServiceAccount annotation, or the association (with its cluster). */
  readonly from: string;
}

export interface LocatedTarget {
  /** `Pod`, or a controller's kind when the input holds its template but none of its pods. */
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Owner chain, nearest first: `ReplicaSet web-5d8f`, `Deployment web`. */
  readonly owners: readonly string[];
  readonly node?: string;
  readonly instanceId?: string;
  readonly phase?: string;
  readonly serviceAccount: string;
  readonly containers: readonly MatchedContainer[];
  readonly source: string;
}

export interface LocatedServiceAccount {
  readonly namespace: string;
  readonly name: string;
  readonly declared: boolean;
  readonly iamRoles: readonly IamRoleUse[];
  readonly rbac: readonly LookupRow[];
}

export interface LocateResult {
  readonly query: LocateQuery;
  readonly targets: readonly LocatedTarget[];
  readonly serviceAccounts: readonly LocatedServiceAccount[];
  readonly notes: readonly string[];
}

/** `aws:///eu-west-1a/i-0abc123` → `i-0abc123`. */
export function instanceIdOf(providerID: unknown): string | undefined {
  if (typeof providerID !== 'string') return undefined;
  return /^aws:\/\/\/[^/]*\/(i-[0-9a-f]+)$/.exec(providerID)?.[1];
}

/** The EC2 instance behind a node: its providerID, else the AWS evidence's instance of that private DNS name. */
export function nodeInstance(inventory: Inventory, nodeName: string): { readonly instanceId?: string; readonly instance?: Ec2Instance } {
  const node = inventory.find('Node', undefined, nodeName);
  const fromNode = instanceIdOf(isRecord(node?.object.spec) ? node.object.spec.providerID : undefined);
  const instances = inventory.aws?.evidence.ec2.instances ?? [];
  const instance = instances.find(({ data }) => (fromNode !== undefined ? data.InstanceId === fromNode : data.PrivateDnsName === nodeName))?.data;
  const instanceId = fromNode ?? instance?.InstanceId;
  return { ...(instanceId !== undefined ? { instanceId } : {}), ...(instance !== undefined ? { instance } : {}) };
}

function repository(ref: ImageReference): string {
  return `${ref.registry}/${ref.path}`;
}

/** The digest an imageID names (`docker-pullable://nginx@sha256:…`, `docker.io/library/nginx@sha256:…`, `sha256:…`). */
function digestOfImageID(imageID: string | undefined): string | undefined {
  if (imageID === undefined) return undefined;
  const at = imageID.lastIndexOf('@');
  const digest = at === -1 ? imageID : imageID.slice(at + 1);
  return /^[A-Za-z][A-Za-z0-9]*:[0-9a-fA-F]{32,}$/.test(digest) ? digest : undefined;
}

/**
 * How a container's image matches the query: a digest the query pins is matched against the
 * reference's digest and the pulled imageID (content is the same whatever the repository); a tag
 * against the same repository's tag (`latest` when the reference names none); a bare repository
 * against the repository alone.
 */
export function matchImage(query: ImageReference, image: string | undefined, imageID?: string): ImageMatch | undefined {
  const ref = image === undefined ? undefined : parseImageReference(image);
  if (query.digest !== undefined) {
    const wanted = query.digest.toLowerCase();
    return ref?.digest?.toLowerCase() === wanted || digestOfImageID(imageID)?.toLowerCase() === wanted ? 'digest' : undefined;
  }
  if (ref === undefined || repository(ref) !== repository(query)) return undefined;
  if (query.tag === undefined) return 'repository';
  const tag = ref.tag ?? (ref.digest === undefined ? 'latest' : undefined);
  return tag === query.tag ? 'tag' : undefined;
}

function key(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** The controllers above an object, nearest first, as far as ownerReferences go (owners not in the input end the chain, named). */
function ownerChain(inventory: Inventory, resource: KubeResource): { kind: string; name: string }[] {
  const chain: { kind: string; name: string }[] = [];
  const namespace = namespaceOf(resource) ?? 'default';
  let current: KubeResource | undefined = resource;
  while (current !== undefined && chain.length < 8) {
    const owner = controllerOf(current.object);
    if (owner === undefined) break;
    chain.push(owner);
    current = inventory.find(owner.kind, namespace, owner.name);
  }
  return chain;
}

/** A container status's image and imageID where they are non-empty strings (a status is read from the cluster as is). */
function textStatus(status: { readonly image?: unknown; readonly imageID?: unknown } | undefined): { image?: string; imageID?: string } {
  return {
    ...(typeof status?.image === 'string' ? { image: status.image } : {}),
    ...(typeof status?.imageID === 'string' && status.imageID !== '' ? { imageID: status.imageID } : {}),
  };
}

function imageMatches(workload: Workload, query: ImageReference): MatchedContainer[] {
  const statuses = workload.object.kind === 'Pod' ? containerStatuses(workload) : undefined;
  const out: MatchedContainer[] = [];
  for (const entry of workload.containers) {
    const image = typeof entry.container.image === 'string' ? entry.container.image : undefined;
    const status = textStatus(statuses?.get(entry.name));
    const match = matchImage(query, image, status?.imageID) ?? (status?.image !== undefined && status.image !== image ? matchImage(query, status.image, status.imageID) : undefined);
    if (match !== undefined) out.push({ name: entry.name, image: image ?? '', ...(status?.imageID !== undefined ? { imageID: status.imageID } : {}), match });
  }
  return out;
}

function iamRolesOf(inventory: Inventory, namespace: string, name: string): IamRoleUse[] {
  const roles: IamRoleUse[] = [];
  const sa = inventory.find('ServiceAccount', namespace, name);
  const annotation = sa?.object.metadata?.annotations?.[IRSA_ANNOTATION];
  if (typeof annotation === 'string' && annotation.trim() !== '') roles.push({ arn: annotation.trim(), via: 'irsa', from: `ServiceAccount annotation ${IRSA_ANNOTATION}` });
  for (const { data, source } of inventory.aws?.evidence.eks.podIdentityAssociations ?? []) {
    if (data.namespace !== namespace || data.serviceAccount !== name || data.roleArn === undefined) continue;
    roles.push({ arn: data.roleArn, via: 'pod-identity', from: `Pod Identity association ${data.associationId ?? ''}${data.clusterName !== undefined ? ` of cluster ${data.clusterName}` : ''} (${source})`.replace('  ', ' ') });
  }
  return roles;
}

export function parseLocateImage(image: string): ImageReference {
  const ref = parseImageReference(image);
  if (ref === undefined) throw new UsageError(`--image ${JSON.stringify(image)} is not an image reference`, 'Give [REGISTRY/]REPOSITORY[:TAG][@sha256:DIGEST], e.g. nginx:1.25 or 111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:…');
  return ref;
}

export function locate(inventory: Inventory, query: LocateQuery): LocateResult {
  const image = query.by === 'image' ? parseLocateImage(query.image) : undefined;
  const all = inventory.objects.map(toWorkload).filter((w): w is Workload => w !== undefined);
  const pods = all.filter((w) => w.object.kind === 'Pod');
  const chains = new Map(pods.map((p) => [p, ownerChain(inventory, p)]));
  /** Controllers some pod of the input runs under: their templates are shown through those pods. */
  const running = new Set<string>();
  for (const [pod, chain] of chains) for (const owner of chain) running.add(key(owner.kind, pod.namespace, owner.name));
  const templates = inventory.workloads.filter((w) => w.object.kind !== 'Pod' && !running.has(key(w.object.kind, w.namespace, w.ref.name)));

  const targets: LocatedTarget[] = [];
  const consider = (workload: Workload, chain: readonly { kind: string; name: string }[]) => {
    const sa = serviceAccountOf(workload).name;
    let containers: MatchedContainer[] = [];
    switch (query.by) {
      case 'image':
        containers = image === undefined ? [] : imageMatches(workload, image);
        if (containers.length === 0) return;
        break;
      case 'service-account':
        if (workload.namespace !== query.namespace || sa !== query.name) return;
        break;
      case 'workload':
        if (workload.namespace !== query.namespace) return;
        if (!(workload.object.kind === query.kind && workload.ref.name === query.name) && !chain.some((o) => o.kind === query.kind && o.name === query.name)) return;
        break;
      case 'pod':
        if (workload.object.kind !== 'Pod' || workload.namespace !== query.namespace || workload.ref.name !== query.name) return;
        break;
    }
    const spec = workload.podSpec;
    const node = workload.object.kind === 'Pod' && typeof spec.nodeName === 'string' && spec.nodeName !== '' ? spec.nodeName : undefined;
    const instance = node === undefined ? {} : nodeInstance(inventory, node);
    const status = workload.object.status;
    targets.push({
      kind: workload.object.kind,
      namespace: workload.namespace,
      name: workload.ref.name,
      owners: chain.map((o) => `${o.kind} ${o.name}`),
      ...(node !== undefined ? { node } : {}),
      ...(instance.instanceId !== undefined ? { instanceId: instance.instanceId } : {}),
      ...(isRecord(status) && typeof status.phase === 'string' ? { phase: status.phase } : {}),
      serviceAccount: sa,
      containers,
      source: describeOrigin(workload.origin),
    });
  };
  for (const pod of pods) consider(pod, chains.get(pod) ?? []);
  for (const template of templates) consider(template, ownerChain(inventory, template));
  targets.sort((a, b) => key(a.namespace, a.kind, a.name).localeCompare(key(b.namespace, b.kind, b.name)));

  const notes: string[] = [];
  const saKeys = new Map<string, { namespace: string; name: string }>();
  for (const t of targets) saKeys.set(`${t.namespace}/${t.serviceAccount}`, { namespace: t.namespace, name: t.serviceAccount });
  if (query.by === 'service-account') saKeys.set(`${query.namespace}/${query.name}`, { namespace: query.namespace, name: query.name });
  const serviceAccounts = [...saKeys.values()].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)).map(({ namespace, name }) => ({
    namespace,
    name,
    declared: inventory.find('ServiceAccount', namespace, name) !== undefined,
    iamRoles: iamRolesOf(inventory, namespace, name),
    rbac: lookup(inventory, { subject: `system:serviceaccount:${namespace}:${name}` }).rows,
  }));
  if (targets.some((t) => t.kind !== 'Pod')) notes.push('Controllers without pods in the input are listed with their template: read the live cluster (--cluster) to see the pods that run them.');
  if (targets.some((t) => t.kind === 'Pod' && t.node !== undefined && t.instanceId === undefined)) notes.push('Some nodes are not in the input (or have no AWS providerID): their EC2 instance ids are unknown; add the Node objects (kubectl get nodes -o yaml) or AWS evidence.');
  if (inventory.aws === undefined) notes.push('No AWS evidence: IAM roles come from IRSA annotations only; add --aws-dump for Pod Identity associations and EC2 instances.');
  return { query, targets, serviceAccounts, notes };
}
