/**
 * The Pod Security Standards' allow-lists, as Pod Security Admission defines them, with the policy
 * version each entry appeared in. One source of truth: the workload rules and the PSS evaluator
 * both read these tables (the rules at the newest version).
 */

/** The newest policy minor version these tables know; `latest` and newer versions clamp to it. */
export const PSS_LATEST_MINOR = 37;

/** capabilities_baseline: what `capabilities.add` may hold at baseline (exact strings). */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** capabilities_restricted: the only capability that may be added back after dropping ALL. */
export const RESTRICTED_ADDABLE_CAPABILITIES: ReadonlySet<string> = new Set(['NET_BIND_SERVICE']);

/** sysctls: the safe set, by the policy version that admitted each name. */
const SAFE_SYSCTLS_BY_VERSION: readonly (readonly [number, readonly string[]])[] = [
  [0, ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

/** The policy versions at which the safe sysctl set changed. */
export const SAFE_SYSCTLS_CHANGED_AT: readonly number[] = SAFE_SYSCTLS_BY_VERSION.map(([since]) => since);

export function safeSysctls(minor: number = PSS_LATEST_MINOR): ReadonlySet<string> {
  return new Set(SAFE_SYSCTLS_BY_VERSION.filter(([since]) => since <= minor).flatMap(([, names]) => names));
}

/** The policy versions at which the allowed SELinux types changed (v1.31 added container_engine_t). */
export const SELINUX_TYPES_CHANGED_AT: readonly number[] = [0, 31];

/** seLinuxOptions: the types baseline allows (empty/unset is allowed too). */
export function allowedSeLinuxTypes(minor: number = PSS_LATEST_MINOR): ReadonlySet<string> {
  const types = ['container_t', 'container_init_t', 'container_kvm_t'];
  if (minor >= 31) types.push('container_engine_t');
  return new Set(types);
}

/** restrictedVolumes: the volume sources restricted allows. */
export const RESTRICTED_VOLUME_SOURCES: ReadonlySet<string> = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
]);

/** Every volume source field of the core v1 Volume type, to tell a source from `name`. */
export const VOLUME_SOURCES: ReadonlySet<string> = new Set([
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'configMap', 'csi', 'downwardAPI',
  'emptyDir', 'ephemeral', 'fc', 'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo', 'glusterfs',
  'hostPath', 'image', 'iscsi', 'nfs', 'persistentVolumeClaim', 'photonPersistentDisk', 'portworxVolume',
  'projected', 'quobyte', 'rbd', 'scaleIO', 'secret', 'storageos', 'vsphereVolume',
]);

/**
 * The source a volume uses. A volume with no source is defaulted to `emptyDir` by the API server
 * before admission runs, so it is judged as one.
 */
export function volumeSourceOf(volume: Readonly<Record<string, unknown>>): string {
  for (const key of Object.keys(volume)) if (VOLUME_SOURCES.has(key) && volume[key] !== null && volume[key] !== undefined) return key;
  for (const key of Object.keys(volume)) if (key !== 'name' && volume[key] !== null && volume[key] !== undefined) return key;
  return 'emptyDir';
}

/** seccompProfile / appArmorProfile types that confine a container. */
export const CONFINING_PROFILE_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

/** AppArmor annotation values baseline allows (besides unset and empty). */
export function isAllowedAppArmorAnnotation(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/**
 * Policy versions at which Pod Security Admission relaxed checks for some pods: Windows pods skip
 * the Linux-only restricted checks (allowPrivilegeEscalation, capabilities_restricted,
 * seccompProfile_restricted) from v1.25; user-namespaced pods (`hostUsers: false`) may use any
 * procMount at baseline and run as UID 0 at restricted from v1.35.
 */
export const PSS_WINDOWS_EXEMPTION_MINOR = 25;
export const PSS_USER_NAMESPACE_RELAXATION_MINOR = 35;

/** seccompProfile_baseline before v1.19 read these annotations (the fields did not exist yet). */
export const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/** A seccomp annotation value baseline allowed before v1.19 (an empty value is not allowed). */
export function isAllowedSeccompAnnotation(value: string): boolean {
  return value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
}
