import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { formatHostPath, hostPathSegments, hostPathVolumes, isSameOrBelow, resolveBacksteps } from '../shared/host-paths.js';

/**
 * Runtime sockets, relative to `/run`. `/var/run` is a symlink to `/run` on every distribution EKS
 * nodes use, so each is matched under both spellings.
 */
const RUNTIME_SOCKETS: readonly (readonly string[])[] = [
  ['docker.sock'],
  ['containerd', 'containerd.sock'],
  ['crio', 'crio.sock'],
  ['cri-dockerd.sock'],
  ['dockershim.sock'],
  // dockerd started without --containerd runs its own containerd, listening under its exec root.
  ['docker', 'containerd', 'containerd.sock'],
];
const SPELLINGS: readonly (readonly string[])[] = [['var', 'run'], ['run']];

/** Socket file names that are a runtime's API wherever they are mounted from (k3s, snap, custom data roots). */
const SOCKET_FILE_NAMES: ReadonlySet<string> = new Set(RUNTIME_SOCKETS.map((socket) => socket[socket.length - 1] ?? ''));

/** The runtimes' named pipes on Windows nodes (`\\.\pipe\...`), lower-cased as `hostPathSegments` returns them. */
const WINDOWS_PIPES: readonly (readonly string[])[] = [['pipe', 'docker_engine'], ['pipe', 'containerd-containerd']];

/** The runtime sockets a host path is, or contains. */
function exposedSockets(path: string): string[] {
  const { segments, windows } = hostPathSegments(path);
  if (windows) return WINDOWS_PIPES.filter((pipe) => isSameOrBelow(pipe, segments)).map((pipe) => `\\\\.\\${pipe.join('\\')}`);
  // The API rejects `..`, but a manifest may still hold one: resolve it rather than be fooled by it.
  const resolved = resolveBacksteps(segments);
  const found: string[] = [];
  for (const socket of RUNTIME_SOCKETS) {
    const spelled = SPELLINGS.map((prefix) => [...prefix, ...socket]).find((full) => isSameOrBelow(full, resolved));
    if (spelled) found.push(formatHostPath(spelled));
  }
  const last = resolved[resolved.length - 1];
  if (found.length === 0 && last !== undefined && SOCKET_FILE_NAMES.has(last)) found.push(formatHostPath(resolved));
  return found;
}

export type MessageId = 'runtimeSocket';

export default defineRule({
  id: 'no-container-runtime-socket',
  meta: {
    area: 'workload',
    severity: 'critical',
    docs: { description: "Disallow mounting the node's container runtime socket", controls: ['pss-baseline:hostPathVolumes', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      runtimeSocket: 'Volume "{{volume}}" mounts host path "{{path}}", giving the pod the container runtime API ({{sockets}}): whoever can connect to it controls every container on the node.',
    },
    rationale: "The runtime socket (Docker, containerd, CRI-O) is an unauthenticated root API: a process that can connect to it can start a privileged container with the node's root file system mounted, read every other pod's secrets and environment, and reach the node's IAM role. Mounting a parent directory such as /var/run or / exposes the socket just the same.",
    remediation: 'Remove the hostPath volume; build images with a daemonless builder (BuildKit rootless, Kaniko, Buildah) and read container metadata from the Kubernetes API or the kubelet instead of the runtime.',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      for (const volume of hostPathVolumes(workload)) {
        if (volume.path === undefined) continue;
        const sockets = exposedSockets(volume.path);
        if (sockets.length === 0) continue;
        // No suggestion: removing the volume breaks the mounts that use it, and the workload with them.
        out.push({
          messageId: 'runtimeSocket',
          path: [...volume.volumePath, 'hostPath', 'path'],
          data: { volume: volume.name, path: volume.path, sockets: sockets.join(', ') },
        });
      }
      return out;
    },
  }),
});
