/**
 * Checks on what a pod shares with its node: host namespaces, host ports, probe and lifecycle
 * hosts, and Windows HostProcess containers (all baseline).
 */
import type { FieldPath } from '../../core/finding.js';
import { containersPhrase, display, joinQuote, plural, sortedUnique, type CheckFn, type PssCheck } from '../check-types.js';
import { asArray, asRecord, isSet } from '../pod-view.js';

const HOST_NAMESPACE_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

const hostNamespaces: CheckFn = (pod) => {
  const set = HOST_NAMESPACE_FIELDS.filter((field) => pod.spec[field] === true);
  if (set.length === 0) return undefined;
  return { reason: 'host namespaces', detail: set.map((field) => `${field}=true`).join(', '), paths: set.map((field) => ['spec', field]) };
};

/** A hostPort the kubelet would bind: anything but unset and 0 (a string can only come from a malformed file). */
function isHostPortSet(value: unknown): boolean {
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.trim() !== '' && Number(value) !== 0;
  return isSet(value);
}

const hostPorts: CheckFn = (pod) => {
  const containers: string[] = [];
  const ports: string[] = [];
  const paths: FieldPath[] = [];
  for (const entry of pod.containers) {
    let bad = false;
    asArray(entry.container.ports).forEach((item, index) => {
      const hostPort = asRecord(item)?.hostPort;
      if (!isHostPortSet(hostPort)) return;
      bad = true;
      ports.push(display(hostPort));
      paths.push([...entry.path, 'ports', index, 'hostPort']);
    });
    if (bad) containers.push(entry.name);
  }
  if (containers.length === 0) return undefined;
  return {
    reason: 'hostPort',
    detail: `${containersPhrase(containers)} ${plural('uses', 'use', containers.length)} ${plural('hostPort', 'hostPorts', ports.length)} ${ports.join(', ')}`,
    paths,
  };
};

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const LIFECYCLE_HANDLERS = ['postStart', 'preStop'] as const;
const HOST_HANDLERS = ['httpGet', 'tcpSocket'] as const;

/** v1.34: probes and lifecycle hooks may not reach another host than the pod itself. */
const hostProbesAndHostLifecycle: CheckFn = (pod) => {
  const containers: string[] = [];
  const hosts: string[] = [];
  const paths: FieldPath[] = [];
  for (const entry of pod.containers) {
    const sites: [unknown, FieldPath][] = [
      ...PROBES.map((probe): [unknown, FieldPath] => [entry.container[probe], [...entry.path, probe]]),
      ...LIFECYCLE_HANDLERS.map((hook): [unknown, FieldPath] => [asRecord(entry.container.lifecycle)?.[hook], [...entry.path, 'lifecycle', hook]]),
    ];
    let bad = false;
    for (const [handler, path] of sites) {
      for (const kind of HOST_HANDLERS) {
        const host = asRecord(asRecord(handler)?.[kind])?.host;
        if (!isSet(host) || host === '') continue;
        bad = true;
        hosts.push(display(host));
        paths.push([...path, kind, 'host']);
      }
    }
    if (bad) containers.push(entry.name);
  }
  if (containers.length === 0) return undefined;
  const unique = sortedUnique(hosts);
  return {
    reason: 'probe or lifecycle host',
    detail: `${containersPhrase(containers)} ${plural('uses', 'use', containers.length)} ${plural('probe or lifecycle host', 'probe or lifecycle hosts', unique.length)} ${joinQuote(unique)}`,
    paths,
  };
};

const windowsHostProcess: CheckFn = (pod) => {
  const setters: string[] = [];
  const paths: FieldPath[] = [];
  if (asRecord(pod.securityContext?.windowsOptions)?.hostProcess === true) {
    setters.push('pod');
    paths.push(['spec', 'securityContext', 'windowsOptions', 'hostProcess']);
  }
  const containers = pod.containers.filter((entry) => asRecord(entry.securityContext?.windowsOptions)?.hostProcess === true);
  if (containers.length > 0) setters.push(containersPhrase(containers.map((entry) => entry.name)));
  paths.push(...containers.map((entry) => [...entry.path, 'securityContext', 'windowsOptions', 'hostProcess']));
  if (setters.length === 0) return undefined;
  return { reason: 'hostProcess', detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`, paths };
};

export const hostChecks: readonly PssCheck[] = [
  { id: 'hostNamespaces', level: 'baseline', versions: [{ since: 0, check: hostNamespaces }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ since: 0, check: hostPorts }] },
  { id: 'hostProbesAndHostLifecycle', level: 'baseline', versions: [{ since: 34, check: hostProbesAndHostLifecycle }] },
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ since: 0, check: windowsHostProcess }] },
];
