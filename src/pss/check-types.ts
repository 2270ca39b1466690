/**
 * The shape of a Pod Security Standards check, as Pod Security Admission defines one: an id, the
 * level it belongs to, the baseline checks a restricted check replaces, and one implementation
 * per policy version that changed it.
 */
import type { FieldPath } from '../core/finding.js';
import type { PodView } from './pod-view.js';

export const CHECK_IDS = [
  'allowPrivilegeEscalation',
  'appArmorProfile',
  'capabilities_baseline',
  'capabilities_restricted',
  'hostNamespaces',
  'hostPathVolumes',
  'hostPorts',
  'hostProbesAndHostLifecycle',
  'privileged',
  'procMount',
  'procMount_restricted',
  'restrictedVolumes',
  'runAsNonRoot',
  'runAsUser',
  'seLinuxOptions',
  'seccompProfile_baseline',
  'seccompProfile_restricted',
  'sysctls',
  'windowsHostProcess',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** Why a pod fails a check: PSA's reason and detail strings, and the fields responsible. */
export interface CheckFailure {
  readonly reason: string;
  readonly detail: string;
  readonly paths: readonly FieldPath[];
}

/** Judges one pod; undefined means the pod passes. */
export type CheckFn = (pod: PodView) => CheckFailure | undefined;

export interface VersionedCheck {
  /** The policy minor version from which this implementation applies. */
  readonly since: number;
  readonly check: CheckFn;
}

export interface PssCheck {
  readonly id: CheckId;
  readonly level: 'baseline' | 'restricted';
  /** Baseline checks this one replaces at restricted, at the versions where it exists. */
  readonly overrides?: readonly CheckId[];
  /** In ascending `since` order; before the first, the check does not exist. */
  readonly versions: readonly VersionedCheck[];
}

/** `pluralize` as PSA words its details: the singular for exactly one. */
export function plural(singular: string, pluralForm: string, count: number): string {
  return count === 1 ? singular : pluralForm;
}

/** Go's `%q` for the strings PSA quotes (JSON escaping agrees with it for printable text). */
export function quote(value: string): string {
  return JSON.stringify(value);
}

export function joinQuote(values: readonly string[]): string {
  return values.map(quote).join(', ');
}

/** `container "a"` / `containers "a", "b"`. */
export function containersPhrase(names: readonly string[]): string {
  return `${plural('container', 'containers', names.length)} ${joinQuote(names)}`;
}

/** Sorted and de-duplicated, like Go's `sets.String.List()` (byte order, not locale order). */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A value for a message: strings as they are, anything else as JSON. */
export function display(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** Skips Windows pods, which have no Linux capabilities, seccomp or no_new_privs (v1.25+). */
export function exceptWindows(check: CheckFn): CheckFn {
  return (pod) => (pod.windows ? undefined : check(pod));
}

/** Skips pods in their own user namespace, where root and /proc are not the node's (v1.35+). */
export function exceptUserNamespaced(check: CheckFn): CheckFn {
  return (pod) => (pod.userNamespace ? undefined : check(pod));
}
