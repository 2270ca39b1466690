/** Restricted checks on the user a container runs as: runAsNonRoot and runAsUser. */
import type { FieldPath } from '../../core/finding.js';
import { PSS_USER_NAMESPACE_RELAXATION_MINOR } from '../../core/pod-security-standards.js';
import { containersPhrase, exceptUserNamespaced, type CheckFn, type PssCheck } from '../check-types.js';
import { isSet } from '../pod-view.js';

/**
 * Every container must run with runAsNonRoot: true, its own or the pod's; an explicit false
 * anywhere fails, even when the containers override it.
 */
const runAsNonRoot: CheckFn = (pod) => {
  const setters: string[] = [];
  const paths: FieldPath[] = [];
  const podValue = pod.securityContext?.runAsNonRoot;
  if (isSet(podValue) && podValue !== true) {
    setters.push('pod');
    paths.push(['spec', 'securityContext', 'runAsNonRoot']);
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  const implicitPaths: FieldPath[] = [];
  for (const entry of pod.containers) {
    const value = entry.securityContext?.runAsNonRoot;
    const path = [...entry.path, 'securityContext', 'runAsNonRoot'];
    if (isSet(value)) {
      if (value === true) continue;
      explicitlyBad.push(entry.name);
      paths.push(path);
    } else if (podValue !== true) {
      implicitlyBad.push(entry.name);
      implicitPaths.push(path);
    }
  }
  if (explicitlyBad.length > 0) setters.push(containersPhrase(explicitlyBad));
  if (setters.length > 0) {
    return { reason: 'runAsNonRoot != true', detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`, paths };
  }
  if (implicitlyBad.length === 0) return undefined;
  return {
    reason: 'runAsNonRoot != true',
    detail: `pod or ${containersPhrase(implicitlyBad)} must set securityContext.runAsNonRoot=true`,
    paths: implicitPaths,
  };
};

const runAsUser: CheckFn = (pod) => {
  const setters: string[] = [];
  const paths: FieldPath[] = [];
  if (pod.securityContext?.runAsUser === 0) {
    setters.push('pod');
    paths.push(['spec', 'securityContext', 'runAsUser']);
  }
  const bad = pod.containers.filter((entry) => entry.securityContext?.runAsUser === 0);
  if (bad.length > 0) setters.push(containersPhrase(bad.map((entry) => entry.name)));
  paths.push(...bad.map((entry) => [...entry.path, 'securityContext', 'runAsUser']));
  if (setters.length === 0) return undefined;
  return { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0`, paths };
};

export const userChecks: readonly PssCheck[] = [
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    versions: [{ since: 0, check: runAsNonRoot }, { since: PSS_USER_NAMESPACE_RELAXATION_MINOR, check: exceptUserNamespaced(runAsNonRoot) }],
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    versions: [{ since: 23, check: runAsUser }, { since: PSS_USER_NAMESPACE_RELAXATION_MINOR, check: exceptUserNamespaced(runAsUser) }],
  },
];
