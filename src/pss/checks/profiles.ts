/** Checks on Linux security modules: AppArmor, seccomp and SELinux options. */
import type { FieldPath } from '../../core/finding.js';
import {
  APPARMOR_ANNOTATION_PREFIX,
  CONFINING_PROFILE_TYPES,
  PSS_WINDOWS_EXEMPTION_MINOR,
  SELINUX_TYPES_CHANGED_AT,
  SECCOMP_CONTAINER_ANNOTATION_PREFIX,
  SECCOMP_POD_ANNOTATION,
  allowedSeLinuxTypes,
  isAllowedAppArmorAnnotation,
  isAllowedSeccompAnnotation,
} from '../../core/pod-security-standards.js';
import { containersPhrase, display, exceptWindows, joinQuote, plural, quote, sortedUnique, type CheckFn, type PssCheck } from '../check-types.js';
import { asRecord, isSet, type JsonRecord, type PodView } from '../pod-view.js';

type ProfileField = 'appArmorProfile' | 'seccompProfile';

/** A profile's type as PSA reads it: a profile object without a type has the empty type. */
function profileType(profile: JsonRecord): string {
  return isSet(profile.type) ? display(profile.type) : '';
}

interface ProfileSites {
  /** The pod's profile, when it sets one. */
  readonly pod: { readonly type: string; readonly path: FieldPath } | undefined;
  /** Each container, with the profile it sets itself (not inherited). */
  readonly containers: readonly { readonly name: string; readonly type: string | undefined; readonly path: FieldPath }[];
}

function profileSites(pod: PodView, field: ProfileField): ProfileSites {
  const podProfile = asRecord(pod.securityContext?.[field]);
  return {
    pod: podProfile === undefined ? undefined : { type: profileType(podProfile), path: ['spec', 'securityContext', field, 'type'] },
    containers: pod.containers.map((entry) => {
      const own = asRecord(entry.securityContext?.[field]);
      return { name: entry.name, type: own === undefined ? undefined : profileType(own), path: [...entry.path, 'securityContext', field, 'type'] };
    }),
  };
}

const confining = (type: string): boolean => CONFINING_PROFILE_TYPES.has(type);

/** Pod and containers that set a profile type which does not confine; undefined when none does. */
function explicitlyUnconfined(sites: ProfileSites): { setters: string[]; values: string[]; paths: FieldPath[] } | undefined {
  const setters: string[] = [];
  const values: string[] = [];
  const paths: FieldPath[] = [];
  if (sites.pod !== undefined && !confining(sites.pod.type)) {
    setters.push('pod');
    values.push(sites.pod.type);
    paths.push(sites.pod.path);
  }
  const containers = sites.containers.filter((c) => c.type !== undefined && !confining(c.type));
  if (containers.length > 0) setters.push(containersPhrase(containers.map((c) => c.name)));
  for (const c of containers) {
    values.push(c.type ?? '');
    paths.push(c.path);
  }
  return setters.length === 0 ? undefined : { setters, values: sortedUnique(values), paths };
}

/** Annotations whose key `matches` and whose value `allowed` refuses, as `key="value"`, sorted. */
function forbiddenAnnotations(pod: PodView, matches: (key: string) => boolean, allowed: (value: string) => boolean): { list: string[]; paths: FieldPath[] } {
  const keys = Object.keys(pod.annotations).filter((key) => {
    const value = pod.annotations[key];
    return matches(key) && typeof value === 'string' && !allowed(value);
  });
  const sortedKeys = sortedUnique(keys);
  return {
    list: sortedKeys.map((key) => `${key}=${quote(String(pod.annotations[key]))}`),
    paths: sortedKeys.map((key) => ['metadata', 'annotations', key]),
  };
}

/** Fields (Kubernetes 1.30+) and the beta annotations, at every policy version. */
const appArmorProfile: CheckFn = (pod) => {
  const fields = explicitlyUnconfined(profileSites(pod, 'appArmorProfile'));
  const annotations = forbiddenAnnotations(pod, (key) => key.startsWith(APPARMOR_ANNOTATION_PREFIX), isAllowedAppArmorAnnotation);
  if (fields === undefined && annotations.list.length === 0) return undefined;
  const details: string[] = [];
  if (fields !== undefined) details.push(`${fields.setters.join(' and ')} must not set appArmorProfile.type to ${joinQuote(fields.values)}`);
  if (annotations.list.length > 0) details.push(annotations.list.join(', '));
  const count = (fields?.values.length ?? 0) + annotations.list.length;
  return {
    reason: plural('forbidden AppArmor profile', 'forbidden AppArmor profiles', count),
    detail: details.join('; '),
    paths: [...(fields?.paths ?? []), ...annotations.paths],
  };
};

/** v1.0–v1.18: the alpha annotations, for the pod and for each container by name. */
const seccompProfileBaselineAnnotations: CheckFn = (pod) => {
  const containerKeys = new Set(pod.containers.map((entry) => `${SECCOMP_CONTAINER_ANNOTATION_PREFIX}${entry.name}`));
  const { list, paths } = forbiddenAnnotations(pod, (key) => key === SECCOMP_POD_ANNOTATION || containerKeys.has(key), isAllowedSeccompAnnotation);
  if (list.length === 0) return undefined;
  return { reason: 'seccompProfile', detail: `forbidden ${plural('annotation', 'annotations', list.length)} ${list.join(', ')}`, paths };
};

const seccompDetail = (setters: readonly string[], values: readonly string[]): string =>
  `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(values)}`;

/** v1.19+: the fields; an explicit profile other than RuntimeDefault or Localhost fails. */
const seccompProfileBaseline: CheckFn = (pod) => {
  const bad = explicitlyUnconfined(profileSites(pod, 'seccompProfile'));
  return bad === undefined ? undefined : { reason: 'seccompProfile', detail: seccompDetail(bad.setters, bad.values), paths: bad.paths };
};

/** Restricted also needs a confining profile in effect: at pod level, or on every container. */
const seccompProfileRestricted: CheckFn = (pod) => {
  const sites = profileSites(pod, 'seccompProfile');
  const bad = explicitlyUnconfined(sites);
  if (bad !== undefined) return { reason: 'seccompProfile', detail: seccompDetail(bad.setters, bad.values), paths: bad.paths };
  if (sites.pod !== undefined) return undefined; // a confining pod profile covers every container that sets none
  const unset = sites.containers.filter((c) => c.type === undefined);
  if (unset.length === 0) return undefined;
  return {
    reason: 'seccompProfile',
    detail: `pod or ${containersPhrase(unset.map((c) => c.name))} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    paths: unset.map((c) => c.path.slice(0, -1)),
  };
};

function seLinuxOptions(minor: number): CheckFn {
  const validTypes = allowedSeLinuxTypes(minor);
  return (pod) => {
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;
    const paths: FieldPath[] = [];
    /** Judges one seLinuxOptions object; true when it is allowed. */
    const judge = (options: JsonRecord, path: FieldPath): boolean => {
      let valid = true;
      if (isSet(options.type) && options.type !== '' && !(typeof options.type === 'string' && validTypes.has(options.type))) {
        valid = false;
        badTypes.push(display(options.type));
        paths.push([...path, 'type']);
      }
      for (const field of ['user', 'role'] as const) {
        if (!isSet(options[field]) || options[field] === '') continue;
        valid = false;
        if (field === 'user') setUser = true;
        else setRole = true;
        paths.push([...path, field]);
      }
      return valid;
    };
    const setters: string[] = [];
    const podOptions = asRecord(pod.securityContext?.seLinuxOptions);
    if (podOptions !== undefined && !judge(podOptions, ['spec', 'securityContext', 'seLinuxOptions'])) setters.push('pod');
    const containers = pod.containers.filter((entry) => {
      const options = asRecord(entry.securityContext?.seLinuxOptions);
      return options !== undefined && !judge(options, [...entry.path, 'securityContext', 'seLinuxOptions']);
    });
    if (containers.length > 0) setters.push(containersPhrase(containers.map((entry) => entry.name)));
    if (setters.length === 0) return undefined;
    const types = sortedUnique(badTypes);
    const data: string[] = [];
    if (types.length > 0) data.push(`${plural('type', 'types', types.length)} ${joinQuote(types)}`);
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return { reason: 'seLinuxOptions', detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`, paths };
  };
}

export const profileChecks: readonly PssCheck[] = [
  { id: 'appArmorProfile', level: 'baseline', versions: [{ since: 0, check: appArmorProfile }] },
  { id: 'seLinuxOptions', level: 'baseline', versions: SELINUX_TYPES_CHANGED_AT.map((since) => ({ since, check: seLinuxOptions(since) })) },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    versions: [{ since: 0, check: seccompProfileBaselineAnnotations }, { since: 19, check: seccompProfileBaseline }],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    overrides: ['seccompProfile_baseline'],
    versions: [{ since: 19, check: seccompProfileRestricted }, { since: PSS_WINDOWS_EXEMPTION_MINOR, check: exceptWindows(seccompProfileRestricted) }],
  },
];
