import type { PatchOp, Report } from '../../core/finding.js';
import type { ContainerEntry, Workload } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { formatHostPath, hostPathSegments, hostPathVolumes, isSameOrBelow, resolveBacksteps, type HostPathVolume } from '../shared/host-paths.js';
import { isRecord } from '../../core/json.js';

export interface Options {
  readonly allowedPrefixes: readonly string[];
}

export type MessageId = 'hostPathVolume' | 'outsideAllowedPrefixes' | 'writableMount' | 'setReadOnly';

interface Prefix { readonly segments: readonly string[]; readonly windows: boolean }

const ABSOLUTE = /^(?:\/|[A-Za-z]:[\\/])/;

/**
 * Whether a host path lies under an allowed prefix. A relative path, or one with a `..` segment
 * (which the API rejects anyway), never does: it could step out of the prefix.
 */
function isAllowed(path: string | undefined, prefixes: readonly Prefix[]): boolean {
  if (path === undefined || !ABSOLUTE.test(path)) return false;
  const { segments, backsteps, windows } = hostPathSegments(path);
  if (backsteps) return false;
  return prefixes.some((prefix) => prefix.windows === windows && isSameOrBelow(segments, prefix.segments));
}

/** Every mount of the volume, in any container group, that is not read-only. */
function* writableMounts(workload: Workload, volume: HostPathVolume): Generator<Report<MessageId>, void, undefined> {
  const name = volume.volume.name;
  if (typeof name !== 'string' || name === '') return;
  for (let c = 0; c < workload.containers.length; c += 1) {
    const entry = workload.containers[c] as ContainerEntry;
    const mounts: unknown = entry.container.volumeMounts;
    if (!Array.isArray(mounts)) continue;
    for (const [index, mount] of mounts.entries()) {
      if (!isRecord(mount) || mount.name !== name || mount.readOnly === true) continue;
      const path = [...entry.path, 'volumeMounts', index];
      const patch: PatchOp = { op: mount.readOnly === undefined ? 'add' : 'replace', path: [...path, 'readOnly'], value: true };
      yield {
        messageId: 'writableMount',
        path,
        data: { container: entry.name, volume: name, path: volume.path ?? '', mountPath: typeof mount.mountPath === 'string' ? mount.mountPath : '' },
        suggest: [{ messageId: 'setReadOnly', data: { container: entry.name, volume: name }, patch: [patch] }],
      };
    }
  }
}

export default defineRule({
  id: 'restrict-host-path',
  meta: {
    area: 'workload',
    severity: 'high',
    docs: { description: 'Restrict hostPath volumes to allowed prefixes, mounted read-only', controls: ['pss-baseline:hostPathVolumes', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      hostPathVolume: 'Volume "{{volume}}" mounts host path "{{path}}" from the node into the pod.',
      outsideAllowedPrefixes: 'Volume "{{volume}}" mounts host path "{{path}}", which is outside the allowed prefixes ({{prefixes}}).',
      writableMount: 'Container "{{container}}" mounts host path "{{path}}" (volume "{{volume}}") at "{{mountPath}}" without readOnly: true, so it can change files on the node.',
      setReadOnly: 'Set readOnly: true on the mount of volume "{{volume}}" in container "{{container}}".',
    },
    rationale: "A hostPath volume gives the pod the node's own files: writable, it lets a compromised container plant binaries, rewrite kubelet or runtime configuration and read other pods' data; even read-only, it can leak credentials and tokens kept on the node. Pod Security Standards baseline forbids hostPath volumes entirely.",
    remediation: 'Replace hostPath volumes with emptyDir, configMap, secret, projected or persistent volumes; where a node agent truly needs a host directory, add it to allowedPrefixes and mount it with readOnly: true.',
    hasSuggestions: true,
    fix: 'review',
    schema: {
      type: 'object',
      properties: {
        allowedPrefixes: {
          type: 'array',
          description: 'Absolute host paths pods may mount read-only. Compared segment by segment: "/var/log" allows "/var/log" and "/var/log/pods", not "/var/logs".',
          items: { type: 'string', pattern: '^(?:/|[A-Za-z]:[\\\\/])', description: 'An absolute path on the node, such as "/var/log" (or "C:\\\\var\\\\log" on Windows nodes).' },
        },
      },
      additionalProperties: false,
    },
  },
  defaultOptions: { allowedPrefixes: [] } as Options,
  create: (options) => {
    const prefixes: Prefix[] = options.allowedPrefixes.map((prefix) => {
      const { segments, windows } = hostPathSegments(prefix);
      return { segments: resolveBacksteps(segments), windows };
    });
    const listed = prefixes.map((prefix) => `"${formatHostPath(prefix.segments, prefix.windows)}"`).join(', ');
    return {
      workload(workload): Report<MessageId>[] {
        const out: Report<MessageId>[] = [];
        for (const volume of hostPathVolumes(workload)) {
          if (isAllowed(volume.path, prefixes)) {
            out.push(...writableMounts(workload, volume));
            continue;
          }
          const data = { volume: volume.name, path: volume.path ?? '' };
          // No suggestion: removing the volume breaks the mounts that use it.
          out.push(prefixes.length === 0
            ? { messageId: 'hostPathVolume', path: [...volume.volumePath, 'hostPath'], data }
            : { messageId: 'outsideAllowedPrefixes', path: [...volume.volumePath, 'hostPath'], data: { ...data, prefixes: listed } });
        }
        return out;
      },
    };
  },
});
