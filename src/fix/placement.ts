/**
 * Where a new key goes in a mapping, as a person would write it: a container's securityContext
 * after its image and ports (before env, resources and probes), its resources after env, a pod
 * spec's new fields above its container and volume lists; anywhere else, at the end.
 */
import type { FieldPath } from '../core/finding.js';

/** Insert after the `after` key, or before the `before` key; neither: at the end of the mapping. */
export interface Placement {
  readonly after?: string;
  readonly before?: string;
}

const CONTAINER_GROUPS: ReadonlySet<string> = new Set(['containers', 'initContainers', 'ephemeralContainers']);

const BEFORE_PORTS = ['name', 'image', 'imagePullPolicy', 'command', 'args', 'workingDir', 'ports'] as const;

/** For a new container field: the keys it follows (the last one present wins). */
const CONTAINER_PREDECESSORS: Readonly<Record<string, readonly string[]>> = {
  securityContext: BEFORE_PORTS,
  resources: [...BEFORE_PORTS, 'envFrom', 'env'],
};

/** The lists that end a pod spec in the manifests people write; new scalar fields go above them. */
const POD_SPEC_LISTS = ['initContainers', 'containers', 'ephemeralContainers', 'volumes'] as const;

/** `path` is the mapping's path from the document root, `keys` the keys it has, in order. */
export function placeNewKey(path: FieldPath, keys: readonly string[], key: string): Placement {
  const group = path[path.length - 2];
  if (typeof group === 'string' && CONTAINER_GROUPS.has(group) && typeof path[path.length - 1] === 'number') {
    const predecessors = CONTAINER_PREDECESSORS[key];
    if (predecessors === undefined) return {};
    const after = [...keys].reverse().find((existing) => predecessors.includes(existing));
    return after === undefined ? {} : { after };
  }
  if (keys.includes('containers') && !(POD_SPEC_LISTS as readonly string[]).includes(key)) {
    const before = keys.find((existing) => (POD_SPEC_LISTS as readonly string[]).includes(existing));
    return before === undefined ? {} : { before };
  }
  return {};
}
