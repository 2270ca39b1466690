import type { FieldPath, Report } from '../../core/finding.js';
import type { Container } from '../../core/pod-spec.js';
import type { ContainerEntry } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';

interface ImageReference {
  /** Repository path segments without the registry host, lower-cased. */
  readonly path: readonly string[];
  readonly tag: string | undefined;
  readonly digest: boolean;
}

/** Splits `[registry/]path[:tag][@digest]`; the registry is the first segment when it has a `.` or `:` or is `localhost`. */
function parseImage(image: string): ImageReference | undefined {
  const text = image.trim().toLowerCase();
  const at = text.indexOf('@');
  const name = at === -1 ? text : text.slice(0, at);
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  const parts = (hasTag ? name.slice(0, colon) : name).split('/');
  const first = parts[0] ?? '';
  const path = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost') ? parts.slice(1) : parts;
  if (path.length === 0 || path.some((segment) => segment === '')) return undefined;
  return { path, tag: hasTag ? name.slice(colon + 1) : undefined, digest: at !== -1 };
}

/** A repository segment naming a DinD image: `dind`, `dind-runner`, `actions-runner-dind`, `docker_dind`. */
function isDindSegment(segment: string): boolean {
  return segment.startsWith('dind') || segment.split(/[-_.]/).includes('dind');
}

/** `docker`, `library/docker`, or a mirror of it (`public.ecr.aws/docker/library/docker`). */
function isOfficialDockerImage(path: readonly string[]): boolean {
  return (path.length === 1 && path[0] === 'docker') || (path.length >= 2 && path[path.length - 2] === 'library' && path[path.length - 1] === 'docker');
}

/**
 * Tags of the official image whose variant is Docker-in-Docker without saying so: since Docker 23
 * `latest`, `rc` and bare versions (`27`, `27.3.1`, `27.3.1-alpine3.20`) are the `dind` variant.
 */
function isDefaultDindTag(tag: string | undefined, digest: boolean): boolean {
  if (tag === undefined) return !digest;
  if (tag === 'latest' || tag === 'rc') return true;
  const version = /^(\d+)(?:\.\d+){0,2}(?:-(?:rc|beta|alpha)[.\d]*)?(?:-alpine[\d.]+)?$/.exec(tag);
  return version !== null && Number(version[1]) >= 23;
}

type ImageVerdict = 'dind' | 'defaultDind' | undefined;

function judgeImage(container: Container): ImageVerdict {
  if (typeof container.image !== 'string') return undefined;
  // Every verdict below needs `dind` or `docker` in the name: most images are settled here, unparsed.
  const lower = container.image.toLowerCase();
  if (!lower.includes('dind') && !lower.includes('docker')) return undefined;
  const ref = parseImage(container.image);
  if (ref === undefined) return undefined;
  if (ref.path[ref.path.length - 1] === 'docker' && ref.tag?.includes('dind')) return 'dind';
  if (ref.path.some(isDindSegment)) return 'dind';
  if (!isOfficialDockerImage(ref.path) || !isDefaultDindTag(ref.tag, ref.digest)) return undefined;
  // The image's entrypoint (dockerd-entrypoint.sh) starts dockerd when given no arguments or only flags.
  const command: unknown = container.command;
  const args: unknown = container.args;
  if (Array.isArray(command) && command.length > 0) return undefined;
  if (!Array.isArray(args) || args.length === 0) return 'defaultDind';
  const first: unknown = args[0];
  return typeof first === 'string' && first.startsWith('-') ? 'defaultDind' : undefined;
}

const DOCKERD_NAMES: ReadonlySet<string> = new Set(['dockerd', 'dockerd-entrypoint.sh', 'dockerd-rootless.sh']);
const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'su']);
const WRAPPERS: ReadonlySet<string> = new Set([
  'tini', 'dumb-init', 'catatonit', 'env', 'sudo', 'exec', 'nohup', 'setsid', 'su-exec', 'gosu', 'runuser', 'setpriv',
  'rootlesskit', 'nsenter', 'unshare', 'chroot', 'timeout', 'busybox',
]);
/** `dockerd` as a command word in a shell script (`dockerd &`, `exec /usr/local/bin/dockerd --tls=false`). */
const DOCKERD_WORD = /(?:^|[\s;&|()`'"/])dockerd(?:-entrypoint\.sh|-rootless\.sh)?(?=$|[\s;&|()`'"<>])/;

interface ArgvElement { readonly value: string; readonly path: FieldPath }

const basename = (value: string): string => value.slice(value.lastIndexOf('/') + 1);

/** The argv element that starts dockerd: argv[0] itself, after wrappers (`tini --`), or inside a shell script. */
function findDockerd(container: Container, containerPath: FieldPath): ArgvElement | undefined {
  const command: unknown = container.command;
  const args: unknown = container.args;
  const argv: ArgvElement[] = [];
  const collect = (list: unknown, field: 'command' | 'args') => {
    if (!Array.isArray(list)) return;
    list.forEach((value: unknown, index) => {
      if (typeof value === 'string') argv.push({ value, path: [...containerPath, field, index] });
    });
  };
  collect(command, 'command');
  collect(args, 'args');
  const first = argv[0];
  if (first === undefined) return undefined;
  const launcher = basename(first.value.trim());
  if (!DOCKERD_NAMES.has(launcher) && !SHELLS.has(launcher) && !WRAPPERS.has(launcher)) return undefined;
  let inShell = false;
  for (const element of argv) {
    const name = basename(element.value.trim());
    if (DOCKERD_NAMES.has(name)) return element;
    if (SHELLS.has(name)) inShell = true;
    else if (inShell && DOCKERD_WORD.test(element.value)) return element;
  }
  return undefined;
}

export type MessageId = 'dindImage' | 'defaultDindImage' | 'runsDockerd';

export default defineRule({
  id: 'no-docker-in-docker',
  meta: {
    area: 'workload',
    severity: 'high',
    docs: { description: 'Disallow Docker-in-Docker containers', controls: ['eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      dindImage: 'Container "{{container}}" runs the Docker-in-Docker image "{{image}}": a Docker daemon in a pod needs privileged mode, and whoever reaches it is root on the node.',
      defaultDindImage: 'Container "{{container}}" runs "{{image}}" with its default entrypoint, which starts a Docker daemon (this tag is the Docker-in-Docker variant): it needs privileged mode, and whoever reaches it is root on the node.',
      runsDockerd: 'Container "{{container}}" starts the Docker daemon ({{field}}: "{{value}}"): a Docker daemon in a pod needs privileged mode, and whoever reaches it is root on the node.',
    },
    rationale: 'Docker-in-Docker runs a full container engine inside a pod. It only works privileged (or with equivalent capabilities and no seccomp or AppArmor confinement), so every build job or client that can talk to that daemon can mount the node\'s file system and take over the node, its other pods and its IAM role.',
    remediation: 'Build images with a daemonless, unprivileged builder (BuildKit in rootless mode, Kaniko, Buildah) or a remote build service such as AWS CodeBuild, and remove the Docker daemon container.',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        const { container } = entry;
        const verdict = judgeImage(container);
        // One finding per container: the image says it all when it is a DinD image.
        if (verdict !== undefined && typeof container.image === 'string') {
          out.push({ messageId: verdict === 'dind' ? 'dindImage' : 'defaultDindImage', path: [...entry.path, 'image'], data: { container: entry.name, image: container.image } });
          continue;
        }
        const dockerd = findDockerd(container, entry.path);
        if (dockerd === undefined) continue;
        const field = dockerd.path[dockerd.path.length - 2] === 'command' ? 'command' : 'args';
        const flat = dockerd.value.replace(/\s+/g, ' ').trim();
        const value = flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
        out.push({ messageId: 'runsDockerd', path: dockerd.path, data: { container: entry.name, field, value } });
      }
      return out;
    },
  }),
});
