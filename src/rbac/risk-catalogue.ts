/**
 * The risky-permission catalogue: what lets an identity take over more than it was given, after
 * rbac-police's policies and KubiScan's risky-role templates (notes/rbac-audit-pss.md §5, §6), but
 * matched the authorizer's way — wildcards (for subresources too), `resourceNames` narrowing — and
 * scope-aware: cluster-wide grants and grants in `kube-system` are "privileged" (they reach the
 * control plane's ServiceAccounts and aws-auth), grants in other namespaces are judged by what
 * they lead to (see `escalation` in risky.ts). Each check also says what the permission lets its
 * holder become: the edges of the escalation graph. Where a rule of `scan` judges the same
 * weakness, the severity is the rule's (`src/core/shared-severity.ts`); in an ordinary namespace,
 * creating pods, minting tokens and impersonating ServiceAccounts are judged by whom they reach
 * (escalation paths) rather than reported on their own. Pure.
 */
import type { Severity } from '../core/finding.js';
import { SCOPED_SEVERITY, SHARED_SEVERITY, isPrivilegedScope, scopedSeverity, type ScopedWeakness } from '../core/shared-severity.js';
import { RBAC_GROUP } from './policy-rule.js';
import { allowsName, type Access, type PermissionSet, type ScopedGrant } from './permission-set.js';

export type RiskId =
  | 'cluster-admin' | 'namespace-admin' | 'system-masters' | 'impersonate' | 'bind-roles' | 'escalate-roles'
  | 'secrets-read' | 'token-secrets-create' | 'token-request' | 'pod-create' | 'pod-exec' | 'pod-ephemeral-containers'
  | 'pod-modify' | 'endpoints-write' | 'node-proxy' | 'csr-approve' | 'webhook-config' | 'aws-auth-edit' | 'escalation-path';

export interface RiskInfo {
  readonly title: string;
  readonly description: string;
}

/** Every id, its title and why it matters: SARIF rules and `docs/rbac.md` list these. */
export const RISKS: Readonly<Record<RiskId, RiskInfo>> = {
  'cluster-admin': { title: 'Every permission cluster-wide', description: '* verbs on * resources in every API group through a ClusterRoleBinding, or EKS\'s AmazonEKSClusterAdminPolicy: the holder is a cluster administrator.' },
  'namespace-admin': { title: 'Every permission in a namespace', description: '* verbs on * resources in one namespace: the holder controls everything there, including every ServiceAccount\'s identity.' },
  'system-masters': { title: 'Mapped to system:masters', description: 'An IAM principal in the system:masters group: the authorizer allows it everything before RBAC is asked, and no binding can limit it.' },
  impersonate: { title: 'Impersonation', description: 'The impersonate verb on users, groups or ServiceAccounts lets the holder act as them — as system:masters too, when groups are not narrowed.' },
  'bind-roles': { title: 'Bind any role', description: 'The bind verb on roles or clusterroles, with the right to create bindings, lets the holder grant itself (or anyone) roles it does not hold.' },
  'escalate-roles': { title: 'Escalate roles', description: 'The escalate verb on roles or clusterroles, with the right to write them, lets the holder add any permission to a role it is bound to.' },
  'secrets-read': { title: 'Read Secrets', description: 'get, list or watch on Secrets without resourceNames: every credential stored there, including legacy ServiceAccount tokens.' },
  'token-secrets-create': { title: 'Create Secrets (token minting)', description: 'Creating a Secret of type kubernetes.io/service-account-token for a ServiceAccount makes Kubernetes fill in a token for it.' },
  'token-request': { title: 'Request ServiceAccount tokens', description: 'create on serviceaccounts/token issues a token for a ServiceAccount: the holder acts as it.' },
  'pod-create': { title: 'Create pods or pod controllers', description: 'Whoever creates pods (directly or through Deployments, DaemonSets, StatefulSets, ReplicaSets, Jobs, CronJobs, ReplicationControllers) chooses the ServiceAccount they run as, and can mount host paths where admission allows.' },
  'pod-exec': { title: 'Exec or attach into pods', description: 'create on pods/exec or pods/attach (or get, which authorises a WebSocket session up to Kubernetes 1.34) runs commands in running containers, with their ServiceAccount tokens and mounted Secrets.' },
  'pod-ephemeral-containers': { title: 'Add ephemeral containers', description: 'update or patch on pods/ephemeralcontainers adds a container of the holder\'s choice to a running pod, with its ServiceAccount.' },
  'pod-modify': { title: 'Modify running pods', description: 'update or patch on pods can swap a running container\'s image for one of the holder\'s choice, which then runs with the pod\'s ServiceAccount.' },
  'endpoints-write': { title: 'Write Endpoints or EndpointSlices', description: 'create, update or patch on Endpoints or EndpointSlices points a Service at any address, pods of other namespaces included: a load balancer or Ingress in front of the Service then forwards outside traffic to them (CVE-2021-25740), and in-cluster clients of the Service send it their requests.' },
  'node-proxy': { title: 'Kubelet API through nodes/proxy', description: 'get or create on nodes/proxy reaches every kubelet\'s API, which runs commands in any pod on the node, bypassing pod-level RBAC and admission.' },
  'csr-approve': { title: 'Approve certificate signing requests', description: 'Creating CSRs, approving them, and approve on a signer lets the holder mint client certificates for any identity that signer issues — kubernetes.io/kube-apiserver-client issues any user and group.' },
  'webhook-config': { title: 'Write admission webhook configuration', description: 'A mutating webhook sees and rewrites every object it selects (pods included); a validating one sees them and can deny them. Deleting either switches its checks off.' },
  'aws-auth-edit': { title: 'Edit aws-auth', description: 'update or patch on the kube-system/aws-auth ConfigMap maps any IAM principal to any group, system:masters included.' },
  'escalation-path': { title: 'Escalation path', description: 'A chain of permissions through which the holder can act as a more powerful identity, typically by running a pod as, or obtaining a token of, a powerful ServiceAccount.' },
};

/** How far a hit lets its holder reach: severity, with full control of the cluster above every critical. */
export function powerOf(severity: Severity, id: RiskId): number {
  if (id === 'cluster-admin' || id === 'system-masters') return 5;
  return { critical: 4, high: 3, medium: 2, low: 1, info: 0 }[severity];
}

/** Who an edge lets the holder act as. */
export type EdgeTarget =
  | { readonly type: 'serviceaccounts'; readonly namespace: string | undefined; readonly names: 'all' | readonly string[] }
  | { readonly type: 'running-pods'; readonly namespace: string | undefined }
  | { readonly type: 'token-secrets'; readonly namespace: string | undefined }
  | { readonly type: 'users'; readonly names: 'all' | readonly string[] }
  | { readonly type: 'groups'; readonly names: 'all' | readonly string[] };

export interface Edge {
  /** `can create pods in ci` */
  readonly phrase: string;
  /** `run as`, `mint a token for`, `exec into pods running as`, ... */
  readonly step: string;
  readonly target: EdgeTarget;
  readonly grants: readonly ScopedGrant[];
}

export interface Hit {
  readonly id: RiskId;
  readonly severity: Severity | undefined;
  /** `can read every Secret`: completed with the scope in messages. Empty when the check only leads somewhere (edges). */
  readonly phrase: string;
  readonly grants: readonly ScopedGrant[];
  readonly edges: readonly Edge[];
}

export interface CheckContext {
  /** Undefined: cluster-wide. */
  readonly namespace: string | undefined;
  readonly perms: PermissionSet;
  /** The cluster's authentication mode, when the AWS evidence says. */
  readonly authenticationMode: string | undefined;
  /** The verbs that open an exec or attach session on this cluster's version (`pod-sessions.ts`). */
  readonly sessionVerbs: readonly string[];
}

/** Cluster-wide, or in kube-system (`src/core/shared-severity.ts` decides which scopes are privileged). */
export const isPrivileged = isPrivilegedScope;

export function scopeWords(namespace: string | undefined): string {
  return namespace === undefined ? 'cluster-wide' : `in namespace ${namespace}`;
}

const where = (namespace: string | undefined) => (namespace === undefined ? 'in any namespace' : `in ${namespace}`);
const named = (access: Access) => (access.names === 'all' ? '' : ` named ${access.names.join(', ')}`);
const WRITE = ['create', 'update', 'patch'];

/**
 * A risky permission as data: these verbs on any of these resources of one API group. The risk
 * checks below and the scan's RBAC rules (`src/rules/rbac/`) both read these, so "may create
 * pods" means the same thing to `rbac risky` as to `restrict-workload-creation`.
 */
export interface PermissionDef {
  readonly verbs: readonly string[];
  readonly apiGroup: string;
  /** `pods`, `serviceaccounts/token`. */
  readonly resources: readonly string[];
  /** Cluster-scoped resources: a Role or RoleBinding never grants them. */
  readonly clusterScoped: boolean;
}

/**
 * Creating pods, or writing the controllers that create them (each picks the ServiceAccount its
 * pods run as). A Job's pod template is immutable once created (the API server refuses a changed
 * ServiceAccount or image), so only creating Jobs counts; a CronJob's jobTemplate may be rewritten.
 */
export const POD_CREATION: readonly PermissionDef[] = [
  { verbs: ['create'], apiGroup: '', resources: ['pods'], clusterScoped: false },
  { verbs: WRITE, apiGroup: 'apps', resources: ['deployments', 'daemonsets', 'statefulsets', 'replicasets'], clusterScoped: false },
  { verbs: ['create'], apiGroup: 'batch', resources: ['jobs'], clusterScoped: false },
  { verbs: WRITE, apiGroup: 'batch', resources: ['cronjobs'], clusterScoped: false },
  { verbs: WRITE, apiGroup: '', resources: ['replicationcontrollers'], clusterScoped: false },
];
/**
 * Writing a Service's endpoints by hand (CVE-2021-25740). Endpoints of a Service with a selector
 * are rewritten by its controller, but those of a selector-less Service are whatever was written;
 * Kubernetes 1.22 took the write out of the `edit` role for new clusters only, so upgraded ones keep
 * it (the shipped-role table then treats it as user-added).
 */
export const ENDPOINTS_WRITE: readonly PermissionDef[] = [
  { verbs: WRITE, apiGroup: '', resources: ['endpoints'], clusterScoped: false },
  { verbs: WRITE, apiGroup: 'discovery.k8s.io', resources: ['endpointslices'], clusterScoped: false },
];
/** TokenRequest: a token for a ServiceAccount. */
export const TOKEN_REQUEST: PermissionDef = { verbs: ['create'], apiGroup: '', resources: ['serviceaccounts/token'], clusterScoped: false };
/** A PersistentVolume names its storage itself: a hostPath PV is a host mount that no pod-level control sees. */
export const PERSISTENT_VOLUME_CREATION: PermissionDef = { verbs: ['create'], apiGroup: '', resources: ['persistentvolumes'], clusterScoped: true };
const ADMISSION_GROUP = 'admissionregistration.k8s.io';
/**
 * Deleting an admission configuration changes admission as much as writing one: without its
 * validating webhook or policy binding, the policy engine's checks are simply off (CIS EKS 4.1.11
 * names create, modify and delete).
 */
const ADMISSION_CHANGE = [...WRITE, 'delete', 'deletecollection'];
export const MUTATING_WEBHOOKS: PermissionDef = { verbs: ADMISSION_CHANGE, apiGroup: ADMISSION_GROUP, resources: ['mutatingwebhookconfigurations'], clusterScoped: true };
export const VALIDATING_WEBHOOKS: PermissionDef = { verbs: ADMISSION_CHANGE, apiGroup: ADMISSION_GROUP, resources: ['validatingwebhookconfigurations'], clusterScoped: true };
/** In-process admission policies (CEL): whoever writes them decides what admission denies, or (mutating, 1.32+) rewrites. */
export const ADMISSION_POLICIES: PermissionDef = {
  verbs: ADMISSION_CHANGE, apiGroup: ADMISSION_GROUP, clusterScoped: true,
  resources: ['validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings'],
};
const CSR_GROUP = 'certificates.k8s.io';
/** Minting a client certificate takes all three: create a CSR, approve it, and approve on its signer. */
export const CSR_APPROVAL = {
  create: { verbs: ['create'], apiGroup: CSR_GROUP, resources: ['certificatesigningrequests'], clusterScoped: true },
  approval: { verbs: ['update', 'patch'], apiGroup: CSR_GROUP, resources: ['certificatesigningrequests/approval'], clusterScoped: true },
  signers: { verbs: ['approve'], apiGroup: CSR_GROUP, resources: ['signers'], clusterScoped: true },
} as const satisfies Readonly<Record<string, PermissionDef>>;
/** Signers whose approval mints a certificate the API server accepts for any user and group. */
export function issuesAnyClient(signer: string): boolean {
  return signer === 'kubernetes.io/kube-apiserver-client' || signer === 'kubernetes.io/*';
}

const ask = (perms: PermissionSet, def: PermissionDef) => perms.access(def.verbs, def.apiGroup, def.resources);
const askAll = (perms: PermissionSet, def: PermissionDef) => perms.accessAll(def.verbs, def.apiGroup, def.resources);

type Check = (ctx: CheckContext) => Hit | undefined;

function hit(id: RiskId, severity: Severity | undefined, phrase: string, grants: readonly ScopedGrant[], edges: readonly Edge[] = []): Hit {
  return { id, severity, phrase, grants, edges };
}

const sev = (ctx: CheckContext, privileged: Severity, elsewhere: Severity | undefined): Severity | undefined => (isPrivileged(ctx.namespace) ? privileged : elsewhere);
/** A weakness a rule also judges, graded by scope as the rule grades it. */
const scoped = (ctx: CheckContext, weakness: ScopedWeakness): Severity => scopedSeverity(weakness, isPrivileged(ctx.namespace));

const allServiceAccounts = (ctx: CheckContext, names: 'all' | readonly string[] = 'all'): EdgeTarget => ({ type: 'serviceaccounts', namespace: ctx.namespace, names });

const checks: readonly { readonly clusterOnly: boolean; readonly run: Check }[] = [
  {
    clusterOnly: false,
    run: (ctx) => {
      const grants = ctx.perms.wildcardAll();
      if (grants.length === 0) return undefined;
      const edges: Edge[] = [{ phrase: `can do anything ${where(ctx.namespace)}`, step: 'can run a pod as', target: allServiceAccounts(ctx), grants }];
      if (ctx.namespace === undefined) return hit('cluster-admin', SHARED_SEVERITY.clusterAdminBinding, 'is cluster-admin: * on every resource', grants, edges);
      return hit('namespace-admin', SHARED_SEVERITY.wildcardRole, 'can do anything to every resource', grants, edges);
    },
  },
  {
    clusterOnly: false,
    run: (ctx) => {
      // Users and groups are cluster-scoped: only cluster-wide grants impersonate them.
      const edges: Edge[] = [];
      const grants: ScopedGrant[] = [];
      const parts: string[] = [];
      if (ctx.namespace === undefined) {
        for (const [resource, type] of [['users', 'users'], ['groups', 'groups']] as const) {
          const access = ctx.perms.access(['impersonate'], '', [resource]);
          if (access === undefined) continue;
          grants.push(...access.grants);
          parts.push(access.names === 'all' ? `any ${resource.slice(0, -1)}` : `${resource}${named(access)}`);
          edges.push({ phrase: `can impersonate ${access.names === 'all' ? `any ${resource.slice(0, -1)}` : `${resource}${named(access)}`}`, step: 'can act as', target: { type, names: access.names }, grants: access.grants });
        }
      }
      const sa = ctx.perms.access(['impersonate'], '', ['serviceaccounts']);
      if (sa !== undefined) {
        grants.push(...sa.grants);
        parts.push(`ServiceAccounts${named(sa)} ${where(ctx.namespace)}`);
        edges.push({ phrase: `can impersonate ServiceAccounts${named(sa)} ${where(ctx.namespace)}`, step: 'can act as', target: allServiceAccounts(ctx, sa.names), grants: sa.grants });
      }
      if (grants.length === 0) return undefined;
      // In an ordinary namespace only ServiceAccounts there can be impersonated: judged by whom they reach.
      return hit('impersonate', sev(ctx, SHARED_SEVERITY.escalationVerbs, undefined), `can impersonate ${parts.join(' and ')}`, grants, edges);
    },
  },
  {
    clusterOnly: false,
    run: (ctx) => {
      const bind = ctx.perms.access(['bind'], RBAC_GROUP, ctx.namespace === undefined ? ['clusterroles', 'roles'] : ['roles', 'clusterroles']);
      if (bind === undefined) return undefined;
      const bindings = ctx.perms.access(WRITE, RBAC_GROUP, ctx.namespace === undefined ? ['clusterrolebindings', 'rolebindings'] : ['rolebindings']);
      if (bindings === undefined) return undefined;
      const grants = [...bind.grants, ...bindings.grants];
      const edges: Edge[] = bind.names === 'all' ? [{ phrase: `can bind any role ${where(ctx.namespace)}`, step: 'can run a pod as', target: allServiceAccounts(ctx), grants }] : [];
      return hit('bind-roles', SHARED_SEVERITY.escalationVerbs, `can bind ${bind.names === 'all' ? 'any role' : `the roles${named(bind)}`} to anyone (itself included)`, grants, edges);
    },
  },
  {
    clusterOnly: false,
    run: (ctx) => {
      const escalate = ctx.perms.access(['escalate'], RBAC_GROUP, ['roles', 'clusterroles']);
      if (escalate === undefined) return undefined;
      const write = ctx.perms.access(WRITE, RBAC_GROUP, ctx.namespace === undefined ? ['clusterroles', 'roles'] : ['roles']);
      if (write === undefined) return undefined;
      const grants = [...escalate.grants, ...write.grants];
      return hit('escalate-roles', SHARED_SEVERITY.escalationVerbs, `can add any permission to ${escalate.names === 'all' ? 'roles' : `the roles${named(escalate)}`} (escalate)`, grants,
        [{ phrase: `can escalate roles ${where(ctx.namespace)}`, step: 'can run a pod as', target: allServiceAccounts(ctx), grants }]);
    },
  },
  {
    clusterOnly: false,
    run: (ctx) => {
      const read = ctx.perms.accessAll(['get', 'list', 'watch'], '', ['secrets']);
      if (read === undefined) return undefined;
      return hit('secrets-read', scoped(ctx, 'secretRead'), `can ${read.verbs.join(', ')} every Secret`, read.grants,
        [{ phrase: `can read Secrets ${where(ctx.namespace)}`, step: 'can read the token Secret of', target: { type: 'token-secrets', namespace: ctx.namespace }, grants: read.grants }]);
    },
  },
  {
    clusterOnly: false,
    run: (ctx) => {
      const create = ctx.perms.access(['create'], '', ['secrets']);
      if (create === undefined || create.names !== 'all') return undefined;
      return hit('token-secrets-create', sev(ctx, SHARED_SEVERITY.tokenCreation, undefined), 'can create Secrets (token Secrets for any ServiceAccount included)', create.grants,
        [{ phrase: `can create Secrets ${where(ctx.namespace)}`, step: 'can mint a token Secret for', target: allServiceAccounts(ctx), grants: create.grants }]);
    },
  },
  {
    clusterOnly: false,
    run: (ctx) => {
      const token = ask(ctx.perms, TOKEN_REQUEST);
      if (token === undefined) return undefined;
      return hit('token-request', sev(ctx, SHARED_SEVERITY.tokenCreation, undefined), `can request tokens for ${token.names === 'all' ? 'any ServiceAccount' : `the ServiceAccounts${named(token)}`}`, token.grants,
        [{ phrase: `can create tokens for ServiceAccounts${named(token)} ${where(ctx.namespace)}`, step: 'can obtain a token of', target: allServiceAccounts(ctx, token.names), grants: token.grants }]);
    },
  },
  {
    clusterOnly: false,
    run: (ctx) => {
      const [podDef, ...controllerDefs] = POD_CREATION;
      const pods = podDef === undefined ? undefined : ask(ctx.perms, podDef);
      const controllers = controllerDefs.map((def) => askAll(ctx.perms, def)).filter((a): a is Access => a !== undefined);
      if (pods === undefined && controllers.length === 0) return undefined;
      const grants = [...(pods?.grants ?? []), ...controllers.flatMap((c) => c.grants)];
      const what = pods !== undefined ? 'create pods' : 'create or update pod controllers';
      return hit('pod-create', sev(ctx, SCOPED_SEVERITY.workloadCreation.privileged, undefined), `can ${what} and so run them as any ServiceAccount`, grants,
        [{ phrase: `can ${what} ${where(ctx.namespace)}`, step: 'can run a pod as', target: allServiceAccounts(ctx), grants }]);
    },
  },
  {
    clusterOnly: false,
    run: (ctx) => {
      const exec = ctx.perms.accessAll(ctx.sessionVerbs, '', ['pods/exec', 'pods/attach']);
      if (exec === undefined) return undefined;
      return hit('pod-exec', scoped(ctx, 'podSession'), 'can exec or attach into every pod', exec.grants,
        [{ phrase: `can exec into pods ${where(ctx.namespace)}`, step: 'can exec into a pod running as', target: { type: 'running-pods', namespace: ctx.namespace }, grants: exec.grants }]);
    },
  },
  {
    clusterOnly: false,
    run: (ctx) => {
      const eph = ctx.perms.accessAll(['update', 'patch'], '', ['pods/ephemeralcontainers']);
      if (eph === undefined) return undefined;
      return hit('pod-ephemeral-containers', sev(ctx, 'high', 'medium'), 'can add ephemeral containers to every pod', eph.grants,
        [{ phrase: `can add ephemeral containers to pods ${where(ctx.namespace)}`, step: 'can add a container to a pod running as', target: { type: 'running-pods', namespace: ctx.namespace }, grants: eph.grants }]);
    },
  },
  {
    clusterOnly: false,
    run: (ctx) => {
      const modify = ctx.perms.accessAll(['update', 'patch'], '', ['pods']);
      if (modify === undefined) return undefined;
      return hit('pod-modify', sev(ctx, 'high', 'medium'), 'can change the image of every running pod', modify.grants,
        [{ phrase: `can update pods ${where(ctx.namespace)}`, step: 'can swap the image of a pod running as', target: { type: 'running-pods', namespace: ctx.namespace }, grants: modify.grants }]);
    },
  },
  {
    clusterOnly: false,
    run: (ctx) => {
      const writes = ENDPOINTS_WRITE.map((def) => ({ def, access: askAll(ctx.perms, def) })).filter((w) => w.access !== undefined);
      if (writes.length === 0) return undefined;
      const what = writes.map((w) => (w.def.apiGroup === '' ? 'Endpoints' : 'EndpointSlices')).join(' and ');
      // Low where Kubernetes rated the CVE; medium cluster-wide or in kube-system, where every
      // Service (the control plane's add-ons' included) can be pointed elsewhere.
      return hit('endpoints-write', sev(ctx, 'medium', 'low'), `can point Services at any address by writing ${what}`,
        writes.flatMap((w) => w.access?.grants ?? []));
    },
  },
  {
    clusterOnly: true,
    run: (ctx) => {
      const proxy = ctx.perms.access(['get', 'create'], '', ['nodes/proxy']);
      if (proxy === undefined) return undefined;
      return hit('node-proxy', SHARED_SEVERITY.nodeProxy, `can ${proxy.verbs.join(', ')} nodes/proxy${named(proxy)}: the kubelet API, which runs commands in any pod of the node`, proxy.grants,
        [{ phrase: 'can reach the kubelet API (nodes/proxy)', step: 'can exec into a pod running as', target: { type: 'running-pods', namespace: undefined }, grants: proxy.grants }]);
    },
  },
  {
    clusterOnly: true,
    run: (ctx) => {
      const approval = ask(ctx.perms, CSR_APPROVAL.approval);
      const signers = ask(ctx.perms, CSR_APPROVAL.signers);
      const create = ask(ctx.perms, CSR_APPROVAL.create);
      if (approval === undefined || signers === undefined || create === undefined) return undefined;
      const anyClient = signers.names === 'all' || signers.names.some(issuesAnyClient);
      const which = signers.names === 'all' ? 'any signer' : `signers ${signers.names.join(', ')}`;
      return hit('csr-approve', anyClient ? SHARED_SEVERITY.csrApprovalAnyClient : SHARED_SEVERITY.csrApproval, `can create and approve certificate signing requests for ${which}${anyClient ? ', minting client certificates for any user and group (system:masters included)' : ''}`,
        [...create.grants, ...approval.grants, ...signers.grants]);
    },
  },
  {
    clusterOnly: true,
    run: (ctx) => {
      const mutating = ask(ctx.perms, MUTATING_WEBHOOKS);
      const validating = ask(ctx.perms, VALIDATING_WEBHOOKS);
      if (mutating === undefined && validating === undefined) return undefined;
      // A holder who can only delete does not see objects: they can switch the webhook off.
      const writes = (access: Access | undefined) => access !== undefined && access.verbs.some((v) => WRITE.includes(v));
      const kinds = (m: boolean, v: boolean) => [m ? 'mutating' : '', v ? 'validating' : ''].filter((k) => k !== '').join(' and ');
      const written = kinds(writes(mutating), writes(validating));
      const deletedOnly = kinds(mutating !== undefined && !writes(mutating), validating !== undefined && !writes(validating));
      const what = [
        written === '' ? '' : `can write ${written} webhook configurations, and so see${writes(mutating) ? ' and rewrite' : ''} every object admission sends them`,
        deletedOnly === '' ? '' : `can delete ${deletedOnly} webhook configurations, and so switch their checks off`,
      ].filter((part) => part !== '').join('; ');
      return hit('webhook-config', SHARED_SEVERITY.admissionConfiguration, what, [...(mutating?.grants ?? []), ...(validating?.grants ?? [])]);
    },
  },
  {
    clusterOnly: false,
    run: (ctx) => {
      if (ctx.namespace !== undefined && ctx.namespace !== 'kube-system') return undefined;
      if (ctx.authenticationMode === 'API') return undefined;
      const write = ctx.perms.access(['update', 'patch'], '', ['configmaps']);
      if (write === undefined || !allowsName(write, 'aws-auth')) return undefined;
      const grants = write.grants.filter((g) => g.rule.resourceNames.length === 0 || g.rule.resourceNames.includes('aws-auth'));
      return hit('aws-auth-edit', SHARED_SEVERITY.awsAuthEdit, `can ${write.verbs.join(', ')} ConfigMap kube-system/aws-auth (and so map any IAM principal to system:masters)`, grants);
    },
  },
];

/**
 * The catalogue's hits for one identity in one scope: cluster-wide (`namespace` undefined: every
 * check) or one namespace (`perms` holding the cluster-wide and that namespace's grants; checks on
 * cluster-scoped resources do not apply there).
 */
export function evaluate(ctx: CheckContext): readonly Hit[] {
  const hits: Hit[] = [];
  for (const check of checks) {
    if (check.clusterOnly && ctx.namespace !== undefined) continue;
    const found = check.run(ctx);
    if (found !== undefined) hits.push(found);
  }
  return hits;
}
