import type { FieldPath, PatchOp, Report } from '../../core/finding.js';
import type { ContainerEntry, EffectiveValue, Workload } from '../../core/workload.js';
import { effectiveSecurityField } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { isRecord } from '../../core/json.js';
import { effectiveSecurityValue } from '../shared/profiles.js';

/** A UID the kubelet runs the container as that is not root. */
function isNonRootUid(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** Why runAsNonRoot does not protect the container, in words. */
function nonRootReason(runAsNonRoot: EffectiveValue<boolean>): string {
  if (runAsNonRoot.from === 'unset') return 'runAsNonRoot is not set';
  const value = JSON.stringify(runAsNonRoot.value);
  return runAsNonRoot.from === 'pod' ? `it inherits runAsNonRoot: ${value} from the pod` : `it sets runAsNonRoot: ${value}`;
}

/** The patch setting the container's own `runAsNonRoot: true`, or undefined when its securityContext is not an object. */
function setRunAsNonRootPatch(entry: ContainerEntry): PatchOp | undefined {
  const securityContext: unknown = entry.container.securityContext;
  if (securityContext === undefined || securityContext === null) {
    return { op: 'add', path: [...entry.path, 'securityContext'], value: { runAsNonRoot: true } };
  }
  if (!isRecord(securityContext)) return undefined;
  const op = securityContext.runAsNonRoot === undefined ? 'add' : 'replace';
  return { op, path: [...entry.path, 'securityContext', 'runAsNonRoot'], value: true };
}

export type MessageId = 'containerRootUid' | 'podRootUid' | 'mayRunAsRoot' | 'windowsAdministrator' | 'setRunAsNonRoot';

/**
 * Where the Windows user in effect is ContainerAdministrator (the container's windowsOptions
 * field first, then the pod's, as the kubelet merges them): the kubelet takes that account, by
 * that exact name, for root and refuses runAsNonRoot: true, so setting it fixes nothing.
 */
function windowsAdministratorPath(workload: Workload, entry: ContainerEntry): FieldPath | undefined {
  const own = userNameOf(entry.container.securityContext);
  const [name, path] = own !== undefined ? [own, [...entry.path, 'securityContext']] : [userNameOf(workload.podSpec.securityContext), [...workload.podSpecPath, 'securityContext']];
  return name === 'ContainerAdministrator' ? [...path, 'windowsOptions', 'runAsUserName'] : undefined;
}

function userNameOf(securityContext: unknown): string | undefined {
  const options = isRecord(securityContext) ? securityContext.windowsOptions : undefined;
  const name = isRecord(options) ? options.runAsUserName : undefined;
  return typeof name === 'string' ? name : undefined;
}

/** The report for a container that neither runs as a UID above 0 nor has runAsNonRoot: true in effect. */
function mayRunAsRootReport(workload: Workload, entry: ContainerEntry): Report<MessageId> {
  const administrator = windowsAdministratorPath(workload, entry);
  if (administrator !== undefined) return { messageId: 'windowsAdministrator', path: administrator, data: { container: entry.name } };
  const runAsNonRoot = effectiveSecurityField(workload, entry, 'runAsNonRoot');
  const patch = setRunAsNonRootPatch(entry);
  return {
    messageId: 'mayRunAsRoot',
    path: [...entry.path, 'securityContext', 'runAsNonRoot'],
    data: { container: entry.name, reason: nonRootReason(runAsNonRoot) },
    ...(patch ? { suggest: [{ messageId: 'setRunAsNonRoot', data: { container: entry.name }, patch: [patch] }] } : {}),
  };
}

export default defineRule({
  id: 'require-run-as-non-root',
  meta: {
    area: 'workload',
    severity: 'high',
    docs: {
      description: 'Require containers to run as a non-root user',
      controls: ['pss-restricted:runAsNonRoot', 'pss-restricted:runAsUser', 'eks-bp:pod-security'],
    },
    evidence: ['manifests', 'cluster'],
    messages: {
      containerRootUid: 'Container "{{container}}" sets runAsUser: 0 and runs as root (with runAsNonRoot: true the kubelet refuses to start it).',
      podRootUid: 'Pod securityContext sets runAsUser: 0: the containers that inherit it ({{containers}}) run as root.',
      mayRunAsRoot: 'Container "{{container}}" may run as root: {{reason}} and no runAsUser above 0 is in effect, so the image\'s USER decides.',
      windowsAdministrator: 'Container "{{container}}" runs as ContainerAdministrator (windowsOptions.runAsUserName), the Windows account the kubelet takes for root: with runAsNonRoot: true it refuses to start the container.',
      setRunAsNonRoot: 'Set securityContext.runAsNonRoot: true on container "{{container}}" (the kubelet then refuses to start it as UID 0).',
    },
    rationale: 'A process running as UID 0 owns every file the container can reach, including host paths and volumes, and keeps root\'s capabilities; one kernel or runtime bug turns that into root on the node. runAsNonRoot: true makes the kubelet refuse to start a container whose user would be root, whatever the image declares.',
    remediation: 'Set runAsNonRoot: true (in the pod securityContext or on each container) and a non-zero runAsUser, build images with a numeric non-root USER, and remove runAsUser: 0.',
    hasSuggestions: true,
    fix: 'review',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      // A user-namespaced pod's UID 0 maps to an unprivileged host UID; PSS v1.35+ allows it.
      if (workload.podSpec.hostUsers === false) return out;
      // Names of the containers that inherit a pod-level UID 0; created on the first one.
      let inheritRootUid: string[] | undefined;
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        // Values first, paths (effectiveSecurityField) only for a container that is reported.
        const runAsUser = effectiveSecurityValue(workload, entry, 'runAsUser');
        if (runAsUser === 0) {
          const where = effectiveSecurityField(workload, entry, 'runAsUser');
          if (where.from === 'pod') (inheritRootUid ??= []).push(entry.name);
          else out.push({ messageId: 'containerRootUid', path: where.path, data: { container: entry.name } });
          continue;
        }
        if (isNonRootUid(runAsUser) || effectiveSecurityValue(workload, entry, 'runAsNonRoot') === true) continue;
        out.push(mayRunAsRootReport(workload, entry));
      }
      // Reported once where it is set; picking a non-zero UID is not mechanical, so no suggestion.
      if (inheritRootUid !== undefined) {
        out.push({
          messageId: 'podRootUid',
          path: [...workload.podSpecPath, 'securityContext', 'runAsUser'],
          data: { containers: inheritRootUid.map((name) => `"${name}"`).join(', ') },
        });
      }
      return out;
    },
  }),
});
