/* eslint sort-keys: ["error", "asc"] -- one line per detection, alphabetical */
import type { AnyDetection } from '../detection.js';
import auditAnonymousRequests from './audit-anonymous-requests.js';
import auditAuthFailures from './audit-auth-failures.js';
import auditAwsAuthModified from './audit-aws-auth-modified.js';
import auditClusterAdminBinding from './audit-cluster-admin-binding.js';
import auditHostPathPodCreated from './audit-host-path-pod-created.js';
import auditNetworkPolicyChanged from './audit-network-policy-changed.js';
import auditPodExec from './audit-pod-exec.js';
import auditPrivilegedPodCreated from './audit-privileged-pod-created.js';
import auditRbacChanged from './audit-rbac-changed.js';
import auditSecretAccess from './audit-secret-access.js';
import auditServiceAccountTokenOutsideCluster from './audit-service-account-token-outside-cluster.js';
import auditWebhookChanged from './audit-webhook-changed.js';

/** The audit-log detections (RULES.md, last section). Ids are a public interface: never rename one. */
export const builtinDetections = {
  'audit-anonymous-requests': auditAnonymousRequests,
  'audit-auth-failures': auditAuthFailures,
  'audit-aws-auth-modified': auditAwsAuthModified,
  'audit-cluster-admin-binding': auditClusterAdminBinding,
  'audit-host-path-pod-created': auditHostPathPodCreated,
  'audit-network-policy-changed': auditNetworkPolicyChanged,
  'audit-pod-exec': auditPodExec,
  'audit-privileged-pod-created': auditPrivilegedPodCreated,
  'audit-rbac-changed': auditRbacChanged,
  'audit-secret-access': auditSecretAccess,
  'audit-service-account-token-outside-cluster': auditServiceAccountTokenOutsideCluster,
  'audit-webhook-changed': auditWebhookChanged,
} as const satisfies Readonly<Record<string, AnyDetection>>;

export type DetectionId = keyof typeof builtinDetections;
