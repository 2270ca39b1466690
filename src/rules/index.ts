/* eslint sort-keys: ["error", "asc"] -- one line per rule, alphabetical */
import type { AnyRule } from './define-rule.js';
import noAutomountedServiceAccountToken from './identity/no-automounted-service-account-token.js';
import noDefaultServiceAccount from './identity/no-default-service-account.js';
import noLongLivedServiceAccountTokens from './identity/no-long-lived-service-account-tokens.js';
import noSharedServiceAccounts from './identity/no-shared-service-accounts.js';
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
  'no-automounted-service-account-token': noAutomountedServiceAccountToken,
  'no-best-effort-pods': noBestEffortPods,
  'no-container-runtime-socket': noContainerRuntimeSocket,
  'no-dangerous-capabilities': noDangerousCapabilities,
  'no-default-service-account': noDefaultServiceAccount,
  'no-docker-in-docker': noDockerInDocker,
  'no-host-namespaces': noHostNamespaces,
  'no-host-ports': noHostPorts,
  'no-long-lived-service-account-tokens': noLongLivedServiceAccountTokens,
  'no-privilege-escalation': noPrivilegeEscalation,
  'no-privileged-containers': noPrivilegedContainers,
  'no-root-group': noRootGroup,
  'no-secrets-in-env': noSecretsInEnv,
  'no-shared-service-accounts': noSharedServiceAccounts,
  'no-unconfined-apparmor': noUnconfinedApparmor,
  'no-unmasked-proc-mount': noUnmaskedProcMount,
  'no-unsafe-sysctls': noUnsafeSysctls,
  'require-drop-all-capabilities': requireDropAllCapabilities,
  'require-memory-limit': requireMemoryLimit,
  'require-read-only-root-filesystem': requireReadOnlyRootFilesystem,
  'require-resource-requests': requireResourceRequests,
  'require-run-as-non-root': requireRunAsNonRoot,
  'require-seccomp-profile': requireSeccompProfile,
  'restrict-host-path': restrictHostPath,
  'restrict-selinux-options': restrictSelinuxOptions,
  'restrict-volume-types': restrictVolumeTypes,
} as const satisfies Readonly<Record<string, AnyRule>>;

export type BuiltinRuleId = keyof typeof builtinRules;
