/**
 * The severity of a weakness that both the rule catalogue (`scan`) and the risk catalogue
 * (`rbac risky`) report, decided once, here: the same weakness has the same severity in every
 * command. The rule catalogue decides (RULES.md's severities are the defaults); the rules read
 * these for their `meta.severity` and their findings, and `rbac risky` gives them to the same risk.
 * test/rbac/shared-severity.test.ts checks that every overlapping pair agrees on real input, at
 * each scope.
 */
import type { Severity } from './finding.js';

/**
 * Namespaces whose grants reach as far as cluster-wide ones: kube-system holds the control plane's
 * and node agents' ServiceAccounts, and aws-auth.
 */
const PRIVILEGED_NAMESPACES: ReadonlySet<string> = new Set(['kube-system']);

/** Whether a grant in this scope (undefined: cluster-wide) is privileged: cluster-wide, or in kube-system. */
export function isPrivilegedScope(namespace: string | undefined): boolean {
  return namespace === undefined || PRIVILEGED_NAMESPACES.has(namespace);
}

/** Weaknesses with one severity wherever they are granted. */
export const SHARED_SEVERITY = {
  /** An IAM principal mapped to system:masters (rule no-system-masters-mappings, risk system-masters). */
  systemMastersMapping: 'high',
  /** A binding of cluster-admin cluster-wide (rule no-cluster-admin-bindings, risk cluster-admin). */
  clusterAdminBinding: 'high',
  /** `*` in a role's verbs, resources or API groups (rule no-wildcard-rbac, risk namespace-admin: `*` on `*` in a namespace). */
  wildcardRole: 'high',
  /** escalate, bind or impersonate (rule no-rbac-escalation-verbs, risks escalate-roles, bind-roles, impersonate). */
  escalationVerbs: 'high',
  /** Any verb on nodes/proxy, the kubelet API (rule no-node-proxy-access, risk node-proxy). */
  nodeProxy: 'high',
  /**
   * Minting a ServiceAccount's token: create on serviceaccounts/token (rule restrict-token-creation,
   * risk token-request), and the same weakness through token Secrets (risk token-secrets-create).
   */
  tokenCreation: 'high',
  /** Writing admission webhook configurations or policies (rule restrict-webhook-configuration-access, risk webhook-config). */
  admissionConfiguration: 'high',
  /** update or patch on ConfigMap kube-system/aws-auth (rule restrict-aws-auth-edit, risk aws-auth-edit). */
  awsAuthEdit: 'high',
  /** CSR approval for a signer that issues any user and group: kube-apiserver-client or any (rule restrict-csr-approval, risk csr-approve). */
  csrApprovalAnyClient: 'critical',
  /** CSR approval for other signers only. */
  csrApproval: 'high',
} as const satisfies Readonly<Record<string, Severity>>;

export interface ScopedSeverity {
  /** Cluster-wide, or in a privileged namespace (`isPrivilegedScope`). */
  readonly privileged: Severity;
  /** In any other namespace: the rule's default severity. */
  readonly namespace: Severity;
}

/**
 * Weaknesses whose reach is the scope they are granted in: in one ordinary namespace they reach
 * that namespace's Secrets, pods and ServiceAccounts; cluster-wide or in kube-system they reach
 * the control plane's ServiceAccounts, the node agents' privileged pods and aws-auth.
 */
export const SCOPED_SEVERITY = {
  /** get, list or watch on every Secret (rule restrict-secret-access, risk secrets-read). */
  secretRead: { privileged: 'high', namespace: 'medium' },
  /** Exec, attach (or port-forward) sessions into running pods (rule restrict-pod-exec, risk pod-exec). */
  podSession: { privileged: 'high', namespace: 'medium' },
  /** Creating pods or pod controllers where that escalates (rule restrict-workload-creation, risk pod-create). */
  workloadCreation: { privileged: 'high', namespace: 'medium' },
} as const satisfies Readonly<Record<string, ScopedSeverity>>;

export type ScopedWeakness = keyof typeof SCOPED_SEVERITY;

/** The severity of a scoped weakness where it is granted. */
export function scopedSeverity(weakness: ScopedWeakness, privileged: boolean): Severity {
  const entry: ScopedSeverity = SCOPED_SEVERITY[weakness];
  return privileged ? entry.privileged : entry.namespace;
}
