/**
 * Container image references parsed as the container runtime does (distribution/reference, the
 * grammar Docker and containerd share): `[registry[:port]/]path[:tag][@digest]`, with Docker Hub
 * as the registry of names whose first segment is not a host.
 */

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export const DOCKER_HUB = 'docker.io';
/** Names Docker Hub also answers to; the runtime treats them as `docker.io`. */
const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export interface ImageReference {
  /** The registry host (with port), lower-cased; `docker.io` for Docker Hub names. */
  readonly registry: string;
  /** Whether the reference names its registry, rather than defaulting to Docker Hub. */
  readonly explicitRegistry: boolean;
  /** Repository path inside the registry; Docker Hub official images get their `library/` prefix. */
  readonly path: string;
  readonly tag: string | undefined;
  /** `algorithm:hex`, when the reference pins a digest. */
  readonly digest: string | undefined;
}

/**
 * Whether the first segment of a name is a registry host: it has a `.` or `:`, is `localhost`, or
 * has upper-case letters (which a repository path cannot), as Docker's `splitDockerDomain` decides.
 */
export function isRegistryHost(segment: string): boolean {
  return segment.includes('.') || segment.includes(':') || segment === 'localhost' || segment !== segment.toLowerCase();
}

export function normalizeRegistry(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/** Parses an image reference; undefined when it is not one the runtime would accept. */
export function parseImageReference(image: string): ImageReference | undefined {
  const match = REFERENCE.exec(image);
  if (match === null) return undefined;
  const [, name = '', tag, digest] = match;
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const explicitRegistry = slash !== -1 && isRegistryHost(first);
  const registry = explicitRegistry ? normalizeRegistry(first) : DOCKER_HUB;
  let path = explicitRegistry ? name.slice(slash + 1) : name;
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  return { registry, explicitRegistry, path, tag, digest };
}
