/**
 * Helpers shared by the pod-security rules that read loosely typed security fields: profiles
 * (`seccompProfile`, `appArmorProfile`) set at pod and container level, pod annotations, and
 * whether a JSON Patch can safely write under a field.
 */
import type { FieldPath } from '../../core/finding.js';
import { CONFINING_PROFILE_TYPES } from '../../core/pod-security-standards.js';
import type { ContainerEntry, Workload } from '../../core/workload.js';
import { asRecord } from '../../core/json.js';
export { asRecord } from '../../core/json.js';

/** A field value for a message: strings as they are, anything else as JSON, `<unset>` when absent. */
export function display(value: unknown): string {
  if (value === undefined) return '<unset>';
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/**
 * Whether a patch may create fields under this value: it is absent (the patch creates it) or an
 * object. A scalar in the way would make the patch fail, so no suggestion is offered then.
 */
export function canPatchUnder(value: unknown): boolean {
  return value === undefined || value === null || asRecord(value) !== undefined;
}

export type ProfileField = 'seccompProfile' | 'appArmorProfile';

/** A profile as written: absent, or set with a type that does or does not confine. */
export type ProfileSetting =
  | { readonly set: false }
  | { readonly set: true; readonly type: string; readonly confining: boolean };

/**
 * Reads a `seccompProfile` / `appArmorProfile` value. Anything that is not an object (absent, null,
 * a stray scalar) counts as unset; an object confines only with type `RuntimeDefault` or
 * `Localhost` (with or without `localhostProfile`), as Pod Security Admission judges it.
 */
export function profileSetting(value: unknown): ProfileSetting {
  const profile = asRecord(value);
  if (profile === undefined) return { set: false };
  const type = typeof profile.type === 'string' ? profile.type : '';
  return { set: true, type: type === '' ? '<none>' : type, confining: CONFINING_PROFILE_TYPES.has(type) };
}

export interface ProfileSite {
  /** Path of the profile object (set or not) from the resource root. */
  readonly path: FieldPath;
  readonly setting: ProfileSetting;
}

export interface ContainerProfileSite extends ProfileSite {
  readonly entry: ContainerEntry;
}

/** The profile the pod-level securityContext sets. */
export function podProfile(workload: Workload, field: ProfileField): ProfileSite {
  return {
    path: [...workload.podSpecPath, 'securityContext', field],
    setting: profileSetting(asRecord(workload.podSpec.securityContext)?.[field]),
  };
}

/** The profile each container's own securityContext sets (not inherited from the pod). */
export function containerProfiles(workload: Workload, field: ProfileField): ContainerProfileSite[] {
  return workload.containers.map((entry) => ({
    entry,
    path: [...entry.path, 'securityContext', field],
    setting: profileSetting(asRecord(entry.container.securityContext)?.[field]),
  }));
}

/** The pod's own (template) annotations whose key `matches` accepts and whose value is a string. */
export function podAnnotations(workload: Workload, matches: (key: string) => boolean): [key: string, value: string][] {
  const annotations = asRecord(workload.podMeta.annotations);
  if (annotations === undefined) return [];
  return Object.entries(annotations).filter((pair): pair is [string, string] => matches(pair[0]) && typeof pair[1] === 'string');
}
