/**
 * Helpers shared by the pod-security rules that read loosely typed security fields: profiles
 * (`seccompProfile`, `appArmorProfile`) set at pod and container level, the value of a field in
 * effect for a container, pod annotations, and whether a JSON Patch can safely write under a field.
 * The rules run on every workload of a scan, so the checks here build nothing for a pod that passes.
 */
import type { InheritableSecurityFields } from '../../core/pod-spec.js';
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

/**
 * The value of a security field in effect for a container (its own overrides the pod's), without
 * the path `effectiveSecurityField` builds: rules call this for every container and ask for the
 * path only when they report. Undefined or null when neither sets it.
 */
export function effectiveSecurityValue<K extends keyof InheritableSecurityFields>(workload: Workload, entry: ContainerEntry, field: K): unknown {
  const own = entry.container.securityContext?.[field];
  return own !== undefined && own !== null ? own : workload.podSpec.securityContext?.[field];
}

export type ProfileField = 'seccompProfile' | 'appArmorProfile';

/** The profile object a securityContext sets, or undefined when it sets none (absent, null, a stray scalar). */
export function profileIn(securityContext: unknown, field: ProfileField): Readonly<Record<string, unknown>> | undefined {
  return asRecord(asRecord(securityContext)?.[field]);
}

/** Whether a set profile confines: type `RuntimeDefault` or `Localhost`, as Pod Security Admission judges it. */
export function confines(profile: Readonly<Record<string, unknown>>): boolean {
  return typeof profile.type === 'string' && CONFINING_PROFILE_TYPES.has(profile.type);
}

/** A set profile's type as messages show it: `<none>` when it has no string type. */
export function profileType(profile: Readonly<Record<string, unknown>>): string {
  return typeof profile.type === 'string' && profile.type !== '' ? profile.type : '<none>';
}

const NO_ANNOTATIONS: readonly (readonly [key: string, value: string])[] = Object.freeze([]);

/**
 * The pod's own (template) annotations whose key `matches` accepts and whose value is a string.
 * Walks the keys rather than `Object.entries`, and builds a list only once one matches: most pods
 * have none that the rules ask for.
 */
export function podAnnotations(workload: Workload, matches: (key: string) => boolean): readonly (readonly [key: string, value: string])[] {
  const annotations = asRecord(workload.podMeta.annotations);
  if (annotations === undefined) return NO_ANNOTATIONS;
  let found: [key: string, value: string][] | undefined;
  for (const key in annotations) {
    const value = annotations[key];
    if (Object.hasOwn(annotations, key) && typeof value === 'string' && matches(key)) (found ??= []).push([key, value]);
  }
  return found ?? NO_ANNOTATIONS;
}
