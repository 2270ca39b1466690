/**
 * Checks on the privileges a container is started with: privileged mode, capabilities, privilege
 * escalation and the /proc mount type.
 */
import type { FieldPath } from '../../core/finding.js';
import {
  BASELINE_CAPABILITIES,
  PSS_USER_NAMESPACE_RELAXATION_MINOR,
  PSS_WINDOWS_EXEMPTION_MINOR,
  RESTRICTED_ADDABLE_CAPABILITIES,
} from '../../core/pod-security-standards.js';
import {
  containersPhrase, display, exceptUserNamespaced, exceptWindows, joinQuote, sortedUnique, type CheckFailure, type CheckFn, type PssCheck,
} from '../check-types.js';
import { asArray, asRecord, isSet, type ContainerView } from '../pod-view.js';

const privileged: CheckFn = (pod) => {
  const bad = pod.containers.filter((entry) => entry.securityContext?.privileged === true);
  if (bad.length === 0) return undefined;
  return {
    reason: 'privileged',
    detail: `${containersPhrase(bad.map((entry) => entry.name))} must not set securityContext.privileged=true`,
    paths: bad.map((entry) => [...entry.path, 'securityContext', 'privileged']),
  };
};

function capabilities(entry: ContainerView): { add: readonly unknown[]; drop: readonly unknown[]; set: boolean } {
  const caps = asRecord(entry.securityContext?.capabilities);
  return { add: asArray(caps?.add), drop: asArray(caps?.drop), set: caps !== undefined };
}

const capabilitiesPath = (entry: ContainerView): FieldPath => [...entry.path, 'securityContext', 'capabilities'];

/** Capabilities are compared as exact strings: `CAP_CHOWN` or `chown` are not `CHOWN` to PSA. */
const capabilitiesBaseline: CheckFn = (pod) => {
  const containers: string[] = [];
  const forbidden: string[] = [];
  const paths: FieldPath[] = [];
  for (const entry of pod.containers) {
    let bad = false;
    capabilities(entry).add.forEach((capability, index) => {
      if (typeof capability === 'string' && BASELINE_CAPABILITIES.has(capability)) return;
      bad = true;
      forbidden.push(display(capability));
      paths.push([...capabilitiesPath(entry), 'add', index]);
    });
    if (bad) containers.push(entry.name);
  }
  if (containers.length === 0) return undefined;
  return {
    reason: 'non-default capabilities',
    detail: `${containersPhrase(containers)} must not include ${joinQuote(sortedUnique(forbidden))} in securityContext.capabilities.add`,
    paths,
  };
};

const capabilitiesRestricted: CheckFn = (pod) => {
  const missingDropAll: string[] = [];
  const adding: string[] = [];
  const forbidden: string[] = [];
  const paths: FieldPath[] = [];
  for (const entry of pod.containers) {
    const caps = capabilities(entry);
    if (!caps.drop.includes('ALL')) {
      missingDropAll.push(entry.name);
      paths.push([...capabilitiesPath(entry), 'drop']);
    }
    let bad = false;
    caps.add.forEach((capability, index) => {
      if (typeof capability === 'string' && RESTRICTED_ADDABLE_CAPABILITIES.has(capability)) return;
      bad = true;
      forbidden.push(display(capability));
      paths.push([...capabilitiesPath(entry), 'add', index]);
    });
    if (bad) adding.push(entry.name);
  }
  const details: string[] = [];
  if (missingDropAll.length > 0) details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (adding.length > 0) details.push(`${containersPhrase(adding)} must not include ${joinQuote(sortedUnique(forbidden))} in securityContext.capabilities.add`);
  if (details.length === 0) return undefined;
  return { reason: 'unrestricted capabilities', detail: details.join('; '), paths };
};

const allowPrivilegeEscalation: CheckFn = (pod) => {
  const bad = pod.containers.filter((entry) => entry.securityContext?.allowPrivilegeEscalation !== false);
  if (bad.length === 0) return undefined;
  return {
    reason: 'allowPrivilegeEscalation != false',
    detail: `${containersPhrase(bad.map((entry) => entry.name))} must set securityContext.allowPrivilegeEscalation=false`,
    paths: bad.map((entry) => [...entry.path, 'securityContext', 'allowPrivilegeEscalation']),
  };
};

/** Only `Default` (or no value) keeps the runtime's masked, read-only /proc paths. */
const procMount: CheckFn = (pod): CheckFailure | undefined => {
  const bad = pod.containers.filter((entry) => isSet(entry.securityContext?.procMount) && entry.securityContext?.procMount !== 'Default');
  if (bad.length === 0) return undefined;
  const values = sortedUnique(bad.map((entry) => display(entry.securityContext?.procMount)));
  return {
    reason: 'procMount',
    detail: `${containersPhrase(bad.map((entry) => entry.name))} must not set securityContext.procMount to ${joinQuote(values)}`,
    paths: bad.map((entry) => [...entry.path, 'securityContext', 'procMount']),
  };
};

export const privilegeChecks: readonly PssCheck[] = [
  { id: 'privileged', level: 'baseline', versions: [{ since: 0, check: privileged }] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [{ since: 0, check: capabilitiesBaseline }] },
  {
    id: 'procMount',
    level: 'baseline',
    versions: [{ since: 0, check: procMount }, { since: PSS_USER_NAMESPACE_RELAXATION_MINOR, check: exceptUserNamespaced(procMount) }],
  },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    versions: [{ since: 8, check: allowPrivilegeEscalation }, { since: PSS_WINDOWS_EXEMPTION_MINOR, check: exceptWindows(allowPrivilegeEscalation) }],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    overrides: ['capabilities_baseline'],
    versions: [{ since: 22, check: capabilitiesRestricted }, { since: PSS_WINDOWS_EXEMPTION_MINOR, check: exceptWindows(capabilitiesRestricted) }],
  },
  // The restricted twin of procMount has no user-namespace relaxation.
  { id: 'procMount_restricted', level: 'restricted', overrides: ['procMount'], versions: [{ since: PSS_USER_NAMESPACE_RELAXATION_MINOR, check: procMount }] },
];
