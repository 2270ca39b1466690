/**
 * `eksguard generate tenant`: the soft multi-tenancy kit of the guide's multi-tenancy section for
 * one namespace — Pod Security Admission labels, quota, limit range, default-deny network policies
 * with DNS and the namespaces allowed in, a tenant-admin Role bound to a group (or an EKS access
 * entry), and, with a node pool, the taint, label and pod spec fields for dedicated nodes. Pure:
 * options in, objects and printed commands out; the kit passes eksguard's own rules.
 */
import type { KubeObject } from '../core/resource.js';
import { UsageError } from '../core/errors.js';
import {
  GENERATED_BY, GENERATED_BY_LABEL, NAMESPACE_NAME_LABEL, NETWORKING_API, defaultDenyPolicy, dnsEgressPolicy, exceptQuarantined, type Commented,
} from './kube-objects.js';
import { shellCommand, validClusterName, validLabelValue, validNamespace, validRoleArn } from './shell.js';

export type PssLevel = 'restricted' | 'baseline';

export interface TenantQuota {
  /** requests.cpu and limits.cpu of the namespace. */
  readonly cpu: string;
  /** requests.memory and limits.memory. */
  readonly memory: string;
  readonly pods: number;
  readonly services: number;
  readonly loadBalancers: number;
  readonly persistentVolumeClaims: number;
  /** requests.storage. */
  readonly storage: string;
  readonly configMaps: number;
  readonly secrets: number;
}

export interface TenantOptions {
  readonly name: string;
  readonly pss: PssLevel;
  readonly quota: TenantQuota;
  /** The most one container may ask for (LimitRange max). */
  readonly maxContainerCpu: string;
  readonly maxContainerMemory: string;
  readonly adminGroup?: string;
  readonly adminRoleArn?: string;
  /** Needed with adminRoleArn (access entries belong to a cluster) and used by the node pool commands. */
  readonly clusterName?: string;
  readonly nodePool?: string;
  /** Namespaces whose pods may open connections to the tenant's pods. */
  readonly allowFrom: readonly string[];
}

export const DEFAULT_QUOTA: TenantQuota = {
  cpu: '4', memory: '8Gi', pods: 50, services: 10, loadBalancers: 1, persistentVolumeClaims: 10, storage: '100Gi', configMaps: 50, secrets: 50,
};

export interface Exempted {
  readonly rule: string;
  /** `Role team-a/tenant-admin`. */
  readonly resource: string;
  readonly reason: string;
}

export interface TenantKit {
  readonly objects: readonly Commented[];
  /** Grants the tenant admin needs that eksguard's rules report, each annotated with its reason. */
  readonly exempted: readonly Exempted[];
  /** With an admin role ARN: the EKS access entry, as AWS CLI commands and as CloudFormation. */
  readonly accessEntry?: { readonly commands: readonly string[]; readonly cloudFormation: Record<string, unknown> };
  /** With a node pool: what the nodes carry, what the tenant's pods add, and eksguard's check of both. */
  readonly nodePool?: {
    readonly label: { readonly key: string; readonly value: string };
    readonly taint: { readonly key: string; readonly value: string; readonly effect: 'NoSchedule' };
    readonly podSpec: Record<string, unknown>;
    readonly commands: readonly string[];
    readonly eksguardConfig: Record<string, unknown>;
  };
}

const RBAC_API = 'rbac.authorization.k8s.io/v1';
export const ADMIN_ROLE = 'tenant-admin';
export const NODE_POOL_KEY = 'eksguard.io/node-pool';
export const TENANT_LABEL = 'eksguard.io/tenant';
const PSA = 'pod-security.kubernetes.io/';
const IGNORE = 'ignore-check.eksguard.io/';
const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const READ = ['get', 'list', 'watch'];

export interface AdminRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** Why the tenant admin holds it (docs/generate.md lists these). */
  readonly reason: string;
}

/**
 * The tenant admin's permissions, all inside the namespace (a Role cannot reach further). Left
 * out on purpose: escalate, bind and impersonate; Roles and RoleBindings beyond reading them;
 * pods/exec, pods/attach and pods/portforward; serviceaccounts/token; DaemonSets (they would run on every node,
 * other tenants' included); NetworkPolicies, ResourceQuotas and LimitRanges beyond reading them
 * (they are the platform's boundary around the tenant).
 */
export const ADMIN_RULES: readonly AdminRule[] = [
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ALL_VERBS, reason: 'run and roll out the tenant\'s applications' },
  { apiGroups: ['apps'], resources: ['replicasets', 'controllerrevisions'], verbs: READ, reason: 'follow rollouts; the controllers manage these' },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ALL_VERBS, reason: 'run batch work' },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'delete', 'deletecollection'], reason: 'see pods and restart them by deleting; pods are created through controllers' },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'], reason: 'read container logs' },
  { apiGroups: [''], resources: ['services', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts'], verbs: ALL_VERBS, reason: 'expose, configure and give storage and identities to the applications (capped by the quota)' },
  { apiGroups: [''], resources: ['secrets'], verbs: ALL_VERBS, reason: 'manage the applications\' own credentials: the tenant owns every Secret of its namespace (exempted from restrict-secret-access with this reason)' },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: READ, reason: 'see why pods fail to schedule or start' },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ALL_VERBS, reason: 'route HTTP traffic to the applications' },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ALL_VERBS, reason: 'scale the applications (within the quota)' },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ALL_VERBS, reason: 'keep the applications available during node upgrades' },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ, reason: 'see the isolation around the namespace; changing it is the platform team\'s' },
  { apiGroups: [''], resources: ['resourcequotas', 'limitranges'], verbs: READ, reason: 'see the namespace\'s budget and defaults' },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: READ, reason: 'see who has access to the namespace; granting access is the platform team\'s' },
];

const SECRET_REASON = 'The tenant admin manages the Secrets of its own namespace only (a Role grants nothing elsewhere); see docs/generate.md.';

/** Kubernetes resource quantities (`500m`, `4`, `8Gi`, `1e3`). */
const QUANTITY = /^\+?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[kMGTPE]|m|[eE][+-]?\d+)?$/;

function validQuantity(value: string, flag: string): string {
  if (!QUANTITY.test(value)) throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a Kubernetes quantity such as 4, 500m or 8Gi`);
  return value;
}

function validCount(value: number, flag: string): number {
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`${flag} ${value}: expected a whole number`);
  return value;
}

/** RBAC group names as access entries take them: no `system:` prefix (EKS reserves it), printable, no spaces. */
function validGroup(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9:._@-]{0,254}$/.test(value) || value.startsWith('system:')) {
    throw new UsageError(`--admin-group ${JSON.stringify(value)} is not valid: expected letters, digits and :._@-, not starting with system:`);
  }
  return value;
}

function partitionOf(arn: string): string {
  return arn.split(':')[1] ?? 'aws';
}

export function tenantKit(options: TenantOptions): TenantKit {
  const name = validNamespace(options.name, 'tenant name');
  const allowFrom = options.allowFrom.map((ns) => validNamespace(ns, '--allow-from namespace'));
  const quota = options.quota;
  for (const [flag, value] of [['--cpu', quota.cpu], ['--memory', quota.memory], ['--storage', quota.storage], ['--max-container-cpu', options.maxContainerCpu], ['--max-container-memory', options.maxContainerMemory]] as const) validQuantity(value, flag);
  for (const [flag, value] of [['--pods', quota.pods], ['--services', quota.services], ['--load-balancers', quota.loadBalancers], ['--pvcs', quota.persistentVolumeClaims], ['--configmaps', quota.configMaps], ['--secrets', quota.secrets]] as const) validCount(value, flag);
  const group = options.adminGroup === undefined ? undefined : validGroup(options.adminGroup);
  const roleArn = options.adminRoleArn === undefined ? undefined : validRoleArn(options.adminRoleArn, '--admin-role-arn');
  if (roleArn !== undefined && options.clusterName === undefined) throw new UsageError('--admin-role-arn needs --cluster-name: an access entry belongs to one cluster');
  const clusterName = options.clusterName === undefined ? undefined : validClusterName(options.clusterName);
  const pool = options.nodePool === undefined ? undefined : validLabelValue(options.nodePool, '--node-pool');
  const tenantLabels = (extra: Record<string, string> = {}): Record<string, string> => ({ [GENERATED_BY_LABEL]: GENERATED_BY, [TENANT_LABEL]: name, ...extra });

  const objects: Commented[] = [];
  objects.push({
    comment: [`Pod Security Admission enforces ${options.pss} here; warn and audit at restricted show what would break a tighter level.`],
    object: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        labels: tenantLabels({
          [`${PSA}enforce`]: options.pss, [`${PSA}enforce-version`]: 'latest',
          [`${PSA}warn`]: 'restricted', [`${PSA}warn-version`]: 'latest',
          [`${PSA}audit`]: 'restricted', [`${PSA}audit-version`]: 'latest',
        }),
      },
    },
  });
  objects.push({
    comment: ['What the namespace may claim from the cluster: compute, storage and object counts. NodePort Services are not allowed (they open a port on every node).'],
    object: {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'tenant-quota', namespace: name, labels: tenantLabels() },
      spec: {
        hard: {
          'requests.cpu': quota.cpu, 'limits.cpu': quota.cpu, 'requests.memory': quota.memory, 'limits.memory': quota.memory,
          pods: String(quota.pods), services: String(quota.services), 'services.loadbalancers': String(quota.loadBalancers), 'services.nodeports': '0',
          persistentvolumeclaims: String(quota.persistentVolumeClaims), 'requests.storage': quota.storage,
          configmaps: String(quota.configMaps), secrets: String(quota.secrets),
        },
      },
    },
  });
  objects.push({
    comment: ['Defaults for containers that set no requests or limits (the quota rejects those otherwise), and the most one container may ask for.'],
    object: {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'tenant-limits', namespace: name, labels: tenantLabels() },
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: { cpu: '100m', memory: '128Mi' },
          default: { cpu: '500m', memory: '512Mi' },
          max: { cpu: options.maxContainerCpu, memory: options.maxContainerMemory },
        }],
      },
    },
  });
  objects.push({ comment: ['Every pod of the namespace: no traffic in or out unless a policy below allows it.'], object: withTenant(defaultDenyPolicy(name), name) });
  objects.push({ comment: ['Name lookups: UDP and TCP 53 to kube-dns. This and the allow policies below leave out pods in quarantine (eksguard incident isolate).'], object: withTenant(dnsEgressPolicy(name), name) });
  objects.push({
    comment: ['The tenant\'s pods may talk to each other.'],
    object: {
      apiVersion: NETWORKING_API,
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-same-namespace', namespace: name, labels: tenantLabels() },
      spec: { podSelector: exceptQuarantined(), policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] },
    },
  });
  if (allowFrom.length > 0) {
    objects.push({
      comment: [`Pods of ${allowFrom.join(', ')} may open connections to the tenant's pods.`],
      object: {
        apiVersion: NETWORKING_API,
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-from-namespaces', namespace: name, labels: tenantLabels() },
        spec: {
          podSelector: exceptQuarantined(),
          policyTypes: ['Ingress'],
          ingress: [{ from: allowFrom.map((ns) => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } } })) }],
        },
      },
    });
  }
  objects.push({
    comment: ['Pods that name no ServiceAccount run as default: it gets no API token unless a pod asks for one.'],
    object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name }, automountServiceAccountToken: false },
  });
  const roleRef = `Role ${name}/${ADMIN_ROLE}`;
  objects.push({
    comment: ['The tenant admin: everything an application team needs inside its namespace, nothing cluster-scoped, no escalate, bind or impersonate, no exec. Each rule\'s reason is in docs/generate.md.'],
    object: {
      apiVersion: RBAC_API,
      kind: 'Role',
      metadata: { name: ADMIN_ROLE, namespace: name, labels: tenantLabels(), annotations: { [`${IGNORE}restrict-secret-access`]: SECRET_REASON } },
      rules: ADMIN_RULES.map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] })),
    },
  });
  if (group !== undefined) {
    objects.push({
      comment: [`Members of the group ${group} are the tenant's admins${roleArn !== undefined ? ` (the access entry below puts ${roleArn} in it)` : ''}.`],
      object: {
        apiVersion: RBAC_API,
        kind: 'RoleBinding',
        metadata: { name: ADMIN_ROLE, namespace: name, labels: tenantLabels() },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: ADMIN_ROLE },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
      },
    });
  }

  const kit: { objects: Commented[]; exempted: Exempted[]; accessEntry?: TenantKit['accessEntry']; nodePool?: TenantKit['nodePool'] } = {
    objects,
    exempted: [{ rule: 'restrict-secret-access', resource: roleRef, reason: SECRET_REASON }],
  };
  if (roleArn !== undefined && clusterName !== undefined) kit.accessEntry = accessEntry(clusterName, roleArn, name, group);
  if (pool !== undefined) kit.nodePool = nodePool(name, pool, clusterName);
  return kit;
}

function withTenant(object: KubeObject, tenant: string): KubeObject {
  return { ...object, metadata: { ...object.metadata, labels: { ...object.metadata?.labels, [TENANT_LABEL]: tenant } } };
}

/**
 * The EKS access entry of the admin role. With a group, the entry puts the role in it and the
 * RoleBinding above grants the tenant-admin Role; without, the entry gets AmazonEKSAdminPolicy
 * scoped to the namespace (AWS-managed: it also reads Secrets and impersonates the namespace's
 * ServiceAccounts, which the Role leaves out).
 */
function accessEntry(clusterName: string, roleArn: string, namespace: string, group: string | undefined): NonNullable<TenantKit['accessEntry']> {
  const policyArn = `arn:${partitionOf(roleArn)}:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy`;
  const commands = [
    shellCommand('aws', 'eks', 'create-access-entry', '--cluster-name', clusterName, '--principal-arn', roleArn, '--type', 'STANDARD', ...(group !== undefined ? ['--kubernetes-groups', group] : [])),
    ...(group === undefined
      ? [shellCommand('aws', 'eks', 'associate-access-policy', '--cluster-name', clusterName, '--principal-arn', roleArn, '--policy-arn', policyArn, '--access-scope', `type=namespace,namespaces=${namespace}`)]
      : []),
  ];
  const cloudFormation = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `EKS access entry of the admin role of tenant ${namespace} (generated by eksguard)`,
    Resources: {
      TenantAdminAccessEntry: {
        Type: 'AWS::EKS::AccessEntry',
        Properties: {
          ClusterName: clusterName,
          PrincipalArn: roleArn,
          Type: 'STANDARD',
          ...(group !== undefined
            ? { KubernetesGroups: [group] }
            : { AccessPolicies: [{ PolicyArn: policyArn, AccessScope: { Type: 'namespace', Namespaces: [namespace] } }] }),
        },
      },
    },
  };
  return { commands, cloudFormation };
}

function nodePool(namespace: string, pool: string, clusterName: string | undefined): NonNullable<TenantKit['nodePool']> {
  const label = { key: NODE_POOL_KEY, value: pool };
  const taint = { key: NODE_POOL_KEY, value: pool, effect: 'NoSchedule' as const };
  const podSpec = {
    tolerations: [{ key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: label.key, operator: 'In', values: [label.value] }] }] } } },
  };
  const commands = clusterName !== undefined
    ? [shellCommand('aws', 'eks', 'update-nodegroup-config', '--cluster-name', clusterName, '--nodegroup-name', pool,
        '--labels', `addOrUpdateLabels={${label.key}=${label.value}}`,
        '--taints', `addOrUpdateTaints=[{key=${taint.key},value=${taint.value},effect=NO_SCHEDULE}]`)]
    : [
        shellCommand('kubectl', 'label', 'nodes', '-l', `eks.amazonaws.com/nodegroup=${pool}`, `${label.key}=${label.value}`),
        shellCommand('kubectl', 'taint', 'nodes', '-l', `eks.amazonaws.com/nodegroup=${pool}`, `${taint.key}=${taint.value}:${taint.effect}`),
      ];
  const eksguardConfig = {
    rules: { 'require-tenant-node-isolation': { options: { tenants: { [namespace]: { nodeSelector: { [label.key]: label.value }, taint } } } } },
  };
  return { label, taint, podSpec, commands, eksguardConfig };
}
