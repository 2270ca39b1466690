/**
 * The slices of the Kubernetes pod API the rules read. Fields are optional and loosely typed on
 * purpose: input comes from users' files, so every rule must cope with missing or odd values.
 */

export interface SeccompProfile { readonly type?: string; readonly localhostProfile?: string }
export interface AppArmorProfile { readonly type?: string; readonly localhostProfile?: string }
export interface SELinuxOptions { readonly type?: string; readonly user?: string; readonly role?: string; readonly level?: string }
export interface WindowsOptions { readonly hostProcess?: boolean; readonly runAsUserName?: string }

/** Fields a container's securityContext may set and that override the pod's. */
export interface InheritableSecurityFields {
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly runAsNonRoot?: boolean;
  readonly seLinuxOptions?: SELinuxOptions;
  readonly seccompProfile?: SeccompProfile;
  readonly appArmorProfile?: AppArmorProfile;
  readonly windowsOptions?: WindowsOptions;
}

export interface SecurityContext extends InheritableSecurityFields {
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly procMount?: string;
  readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
}

export interface PodSecurityContext extends InheritableSecurityFields {
  readonly fsGroup?: number;
  readonly supplementalGroups?: readonly number[];
  readonly sysctls?: readonly { readonly name?: string; readonly value?: string }[];
}

export interface ResourceRequirements {
  readonly requests?: Readonly<Record<string, string | number>>;
  readonly limits?: Readonly<Record<string, string | number>>;
}

export interface EnvVar {
  readonly name?: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef?: { readonly name?: string; readonly key?: string }; readonly [key: string]: unknown };
}

export interface Container {
  readonly name?: string;
  readonly image?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly securityContext?: SecurityContext;
  readonly resources?: ResourceRequirements;
  readonly ports?: readonly { readonly containerPort?: number; readonly hostPort?: number; readonly hostIP?: string; readonly name?: string; readonly protocol?: string }[];
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly { readonly secretRef?: { readonly name?: string }; readonly configMapRef?: { readonly name?: string } }[];
  readonly volumeMounts?: readonly { readonly name?: string; readonly mountPath?: string; readonly readOnly?: boolean; readonly subPath?: string }[];
  readonly [key: string]: unknown;
}

export interface Volume {
  readonly name?: string;
  readonly hostPath?: { readonly path?: string; readonly type?: string };
  readonly [key: string]: unknown;
}

export interface PodSpec {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly ephemeralContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly securityContext?: PodSecurityContext;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly hostNetwork?: boolean;
  readonly hostUsers?: boolean;
  readonly serviceAccountName?: string;
  readonly serviceAccount?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly os?: { readonly name?: string };
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}
