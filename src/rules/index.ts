/* eslint sort-keys: ["error", "asc"] -- one line per rule, alphabetical */
import noBootstrapClusterAdmin from './access/no-bootstrap-cluster-admin.js';
import noIamUserAccessEntries from './access/no-iam-user-access-entries.js';
import noIamUsersInAwsAuth from './access/no-iam-users-in-aws-auth.js';
import noSystemMastersMappings from './access/no-system-masters-mappings.js';
import requireApiAuthenticationMode from './access/require-api-authentication-mode.js';
import requireSessionNameInAwsAuth from './access/require-session-name-in-aws-auth.js';
import noOpenSecurityGroupIngress from './cluster/no-open-security-group-ingress.js';
import noPublicClusterEndpoint from './cluster/no-public-cluster-endpoint.js';
import noSharedControlPlaneSecurityGroup from './cluster/no-shared-control-plane-security-group.js';
import requireAdmissionPolicyEngine from './cluster/require-admission-policy-engine.js';
import requireAuditLogRetention from './cluster/require-audit-log-retention.js';
import requireAuthFailureAlarm from './cluster/require-auth-failure-alarm.js';
import requireCloudtrail from './cluster/require-cloudtrail.js';
import requireControlPlaneLogging from './cluster/require-control-plane-logging.js';
import requireGuarddutyEksProtection from './cluster/require-guardduty-eks-protection.js';
import requireSecretsEncryption from './cluster/require-secrets-encryption.js';
import requireSupportedKubernetesVersion from './cluster/require-supported-kubernetes-version.js';
import noHardcodedCredentials from './data/no-hardcoded-credentials.js';
import requireEbsEncryption from './data/require-ebs-encryption.js';
import requireEfsEncryptionAtRest from './data/require-efs-encryption-at-rest.js';
import requireEfsEncryptionInTransit from './data/require-efs-encryption-in-transit.js';
import requireEcrVpcEndpoints from './network/require-ecr-vpc-endpoints.js';
import requireEncryptedStorageClasses from './data/require-encrypted-storage-classes.js';
import requireExternalSecretsStore from './data/require-external-secrets-store.js';
import requireKmsKeyRotation from './data/require-kms-key-rotation.js';
import requireEncryptionInTransit from './network/require-encryption-in-transit.js';
import requirePrivateCa from './network/require-private-ca.js';
import requireCurrentNodeAmi from './node/require-current-node-ami.js';
import type { AnyRule } from './define-rule.js';
import noAutomountedServiceAccountToken from './identity/no-automounted-service-account-token.js';
import noDefaultServiceAccount from './identity/no-default-service-account.js';
import noLongLivedServiceAccountTokens from './identity/no-long-lived-service-account-tokens.js';
import noOverprivilegedWorkloadRoles from './identity/no-overprivileged-workload-roles.js';
import noSharedIamRoles from './identity/no-shared-iam-roles.js';
import noSharedServiceAccounts from './identity/no-shared-service-accounts.js';
import requireImdsv2 from './identity/require-imdsv2.js';
import requirePermissionsBoundary from './identity/require-permissions-boundary.js';
import requirePodIdentityForAwsNode from './identity/require-pod-identity-for-aws-node.js';
import requireScopedIrsaTrustPolicy from './identity/require-scoped-irsa-trust-policy.js';
import restrictImdsHopLimit from './identity/restrict-imds-hop-limit.js';
import restrictNodeInstanceRole from './identity/restrict-node-instance-role.js';
import noLatestImageTag from './image/no-latest-image-tag.js';
import requireImageScanning from './image/require-image-scanning.js';
import requireImmutableImageTags from './image/require-immutable-image-tags.js';
import restrictEcrRepositoryPolicy from './image/restrict-ecr-repository-policy.js';
import restrictImageRegistries from './image/restrict-image-registries.js';
import noDanglingNetworkPolicy from './network/no-dangling-network-policy.js';
import requireDefaultDenyNetworkPolicy from './network/require-default-deny-network-policy.js';
import requireDnsEgressPolicy from './network/require-dns-egress-policy.js';
import requireNetworkPolicyEngine from './network/require-network-policy-engine.js';
import requireTlsOnLoadBalancers from './network/require-tls-on-load-balancers.js';
import requireVpcFlowLogs from './network/require-vpc-flow-logs.js';
import restrictLoadBalancerExposure from './network/restrict-load-balancer-exposure.js';
import noSshAccessToNodes from './node/no-ssh-access-to-nodes.js';
import requireAmazonInspector from './node/require-amazon-inspector.js';
import requireContainerOptimizedOs from './node/require-container-optimized-os.js';
import requireManagedNodeLifecycle from './node/require-managed-node-lifecycle.js';
import requirePrivateNodeSubnets from './node/require-private-node-subnets.js';
import requireSecureKubeletConfig from './node/require-secure-kubelet-config.js';
import noAnonymousAccess from './rbac/no-anonymous-access.js';
import noBroadGroupGrants from './rbac/no-broad-group-grants.js';
import noClusterAdminBindings from './rbac/no-cluster-admin-bindings.js';
import noNodeProxyAccess from './rbac/no-node-proxy-access.js';
import noRunningCriticalVulnerabilities from './image/no-running-critical-vulnerabilities.js';
import noRbacEscalationVerbs from './rbac/no-rbac-escalation-verbs.js';
import noWildcardRbac from './rbac/no-wildcard-rbac.js';
import restrictAwsAuthEdit from './rbac/restrict-aws-auth-edit.js';
import restrictCsrApproval from './rbac/restrict-csr-approval.js';
import restrictPersistentVolumeCreation from './rbac/restrict-persistent-volume-creation.js';
import restrictPodExec from './rbac/restrict-pod-exec.js';
import restrictSecretAccess from './rbac/restrict-secret-access.js';
import restrictTokenCreation from './rbac/restrict-token-creation.js';
import restrictWebhookConfigurationAccess from './rbac/restrict-webhook-configuration-access.js';
import restrictWorkloadCreation from './rbac/restrict-workload-creation.js';
import noWorkloadsInDefaultNamespace from './tenancy/no-workloads-in-default-namespace.js';
import requireLimitRange from './tenancy/require-limit-range.js';
import requirePodSecurityLabels from './tenancy/require-pod-security-labels.js';
import requireResourceQuota from './tenancy/require-resource-quota.js';
import requireTenantNodeIsolation from './tenancy/require-tenant-node-isolation.js';
import disableServiceLinks from './workload/disable-service-links.js';
import noBestEffortPods from './workload/no-best-effort-pods.js';
import noContainerRuntimeSocket from './workload/no-container-runtime-socket.js';
import noDangerousCapabilities from './workload/no-dangerous-capabilities.js';
import noDockerInDocker from './workload/no-docker-in-docker.js';
import noHostNamespaces from './workload/no-host-namespaces.js';
import noHostPorts from './workload/no-host-ports.js';
import noPrivilegeEscalation from './workload/no-privilege-escalation.js';
import noPrivilegedContainers from './workload/no-privileged-containers.js';
import noRootGroup from './workload/no-root-group.js';
import noSecretsInEnv from './workload/no-secrets-in-env.js';
import noUnconfinedApparmor from './workload/no-unconfined-apparmor.js';
import noUnmaskedProcMount from './workload/no-unmasked-proc-mount.js';
import noUnsafeSysctls from './workload/no-unsafe-sysctls.js';
import noWindowsHostProcess from './workload/no-windows-host-process.js';
import requireDropAllCapabilities from './workload/require-drop-all-capabilities.js';
import requireMemoryLimit from './workload/require-memory-limit.js';
import requireReadOnlyRootFilesystem from './workload/require-read-only-root-filesystem.js';
import requireResourceRequests from './workload/require-resource-requests.js';
import requireRunAsNonRoot from './workload/require-run-as-non-root.js';
import requireSeccompProfile from './workload/require-seccomp-profile.js';
import restrictHostPath from './workload/restrict-host-path.js';
import restrictSelinuxOptions from './workload/restrict-selinux-options.js';
import restrictVolumeTypes from './workload/restrict-volume-types.js';

export const builtinRules = {
  'disable-service-links': disableServiceLinks,
  'no-anonymous-access': noAnonymousAccess,
  'no-automounted-service-account-token': noAutomountedServiceAccountToken,
  'no-best-effort-pods': noBestEffortPods,
  'no-bootstrap-cluster-admin': noBootstrapClusterAdmin,
  'no-broad-group-grants': noBroadGroupGrants,
  'no-cluster-admin-bindings': noClusterAdminBindings,
  'no-container-runtime-socket': noContainerRuntimeSocket,
  'no-dangerous-capabilities': noDangerousCapabilities,
  'no-dangling-network-policy': noDanglingNetworkPolicy,
  'no-default-service-account': noDefaultServiceAccount,
  'no-docker-in-docker': noDockerInDocker,
  'no-hardcoded-credentials': noHardcodedCredentials,
  'no-host-namespaces': noHostNamespaces,
  'no-host-ports': noHostPorts,
  'no-iam-user-access-entries': noIamUserAccessEntries,
  'no-iam-users-in-aws-auth': noIamUsersInAwsAuth,
  'no-latest-image-tag': noLatestImageTag,
  'no-long-lived-service-account-tokens': noLongLivedServiceAccountTokens,
  'no-node-proxy-access': noNodeProxyAccess,
  'no-open-security-group-ingress': noOpenSecurityGroupIngress,
  'no-overprivileged-workload-roles': noOverprivilegedWorkloadRoles,
  'no-privilege-escalation': noPrivilegeEscalation,
  'no-privileged-containers': noPrivilegedContainers,
  'no-public-cluster-endpoint': noPublicClusterEndpoint,
  'no-rbac-escalation-verbs': noRbacEscalationVerbs,
  'no-root-group': noRootGroup,
  'no-running-critical-vulnerabilities': noRunningCriticalVulnerabilities,
  'no-secrets-in-env': noSecretsInEnv,
  'no-shared-control-plane-security-group': noSharedControlPlaneSecurityGroup,
  'no-shared-iam-roles': noSharedIamRoles,
  'no-shared-service-accounts': noSharedServiceAccounts,
  'no-ssh-access-to-nodes': noSshAccessToNodes,
  'no-system-masters-mappings': noSystemMastersMappings,
  'no-unconfined-apparmor': noUnconfinedApparmor,
  'no-unmasked-proc-mount': noUnmaskedProcMount,
  'no-unsafe-sysctls': noUnsafeSysctls,
  'no-wildcard-rbac': noWildcardRbac,
  'no-windows-host-process': noWindowsHostProcess,
  'no-workloads-in-default-namespace': noWorkloadsInDefaultNamespace,
  'require-admission-policy-engine': requireAdmissionPolicyEngine,
  'require-amazon-inspector': requireAmazonInspector,
  'require-api-authentication-mode': requireApiAuthenticationMode,
  'require-audit-log-retention': requireAuditLogRetention,
  'require-auth-failure-alarm': requireAuthFailureAlarm,
  'require-cloudtrail': requireCloudtrail,
  'require-container-optimized-os': requireContainerOptimizedOs,
  'require-control-plane-logging': requireControlPlaneLogging,
  'require-current-node-ami': requireCurrentNodeAmi,
  'require-default-deny-network-policy': requireDefaultDenyNetworkPolicy,
  'require-dns-egress-policy': requireDnsEgressPolicy,
  'require-drop-all-capabilities': requireDropAllCapabilities,
  'require-ebs-encryption': requireEbsEncryption,
  'require-ecr-vpc-endpoints': requireEcrVpcEndpoints,
  'require-efs-encryption-at-rest': requireEfsEncryptionAtRest,
  'require-efs-encryption-in-transit': requireEfsEncryptionInTransit,
  'require-encrypted-storage-classes': requireEncryptedStorageClasses,
  'require-encryption-in-transit': requireEncryptionInTransit,
  'require-external-secrets-store': requireExternalSecretsStore,
  'require-guardduty-eks-protection': requireGuarddutyEksProtection,
  'require-image-scanning': requireImageScanning,
  'require-imdsv2': requireImdsv2,
  'require-immutable-image-tags': requireImmutableImageTags,
  'require-kms-key-rotation': requireKmsKeyRotation,
  'require-limit-range': requireLimitRange,
  'require-managed-node-lifecycle': requireManagedNodeLifecycle,
  'require-memory-limit': requireMemoryLimit,
  'require-network-policy-engine': requireNetworkPolicyEngine,
  'require-permissions-boundary': requirePermissionsBoundary,
  'require-pod-identity-for-aws-node': requirePodIdentityForAwsNode,
  'require-pod-security-labels': requirePodSecurityLabels,
  'require-private-ca': requirePrivateCa,
  'require-private-node-subnets': requirePrivateNodeSubnets,
  'require-read-only-root-filesystem': requireReadOnlyRootFilesystem,
  'require-resource-quota': requireResourceQuota,
  'require-resource-requests': requireResourceRequests,
  'require-run-as-non-root': requireRunAsNonRoot,
  'require-scoped-irsa-trust-policy': requireScopedIrsaTrustPolicy,
  'require-seccomp-profile': requireSeccompProfile,
  'require-secrets-encryption': requireSecretsEncryption,
  'require-secure-kubelet-config': requireSecureKubeletConfig,
  'require-session-name-in-aws-auth': requireSessionNameInAwsAuth,
  'require-supported-kubernetes-version': requireSupportedKubernetesVersion,
  'require-tenant-node-isolation': requireTenantNodeIsolation,
  'require-tls-on-load-balancers': requireTlsOnLoadBalancers,
  'require-vpc-flow-logs': requireVpcFlowLogs,
  'restrict-aws-auth-edit': restrictAwsAuthEdit,
  'restrict-csr-approval': restrictCsrApproval,
  'restrict-ecr-repository-policy': restrictEcrRepositoryPolicy,
  'restrict-host-path': restrictHostPath,
  'restrict-image-registries': restrictImageRegistries,
  'restrict-imds-hop-limit': restrictImdsHopLimit,
  'restrict-load-balancer-exposure': restrictLoadBalancerExposure,
  'restrict-node-instance-role': restrictNodeInstanceRole,
  'restrict-persistent-volume-creation': restrictPersistentVolumeCreation,
  'restrict-pod-exec': restrictPodExec,
  'restrict-secret-access': restrictSecretAccess,
  'restrict-selinux-options': restrictSelinuxOptions,
  'restrict-token-creation': restrictTokenCreation,
  'restrict-volume-types': restrictVolumeTypes,
  'restrict-webhook-configuration-access': restrictWebhookConfigurationAccess,
  'restrict-workload-creation': restrictWorkloadCreation,
} as const satisfies Readonly<Record<string, AnyRule>>;

export type BuiltinRuleId = keyof typeof builtinRules;
