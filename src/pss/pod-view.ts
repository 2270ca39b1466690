/**
 * The parts of a pod the checks read, taken once from loosely typed JSON. Input comes from users'
 * files, so every field may be missing, null or of the wrong type; null counts as unset, as it
 * does when the API server decodes the object. Paths are relative to the pod object
 * (`['spec', 'containers', 0, ...]`, `['metadata', 'annotations', key]`).
 */
import type { FieldPath } from '../core/finding.js';
import { CONTAINER_GROUPS } from '../core/workload.js';

export type JsonRecord = Readonly<Record<string, unknown>>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Set, in the API's sense: present and not null. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export interface ContainerView {
  /** The container's name as written (`""` when it has none, as PSA would print it). */
  readonly name: string;
  readonly container: JsonRecord;
  readonly securityContext: JsonRecord | undefined;
  readonly path: FieldPath;
}

export interface PodView {
  readonly spec: JsonRecord;
  readonly securityContext: JsonRecord | undefined;
  readonly annotations: JsonRecord;
  /** Init containers, then containers, then ephemeral containers: PSA's visiting order. */
  readonly containers: readonly ContainerView[];
  readonly windows: boolean;
  /** `spec.hostUsers: false`: the pod runs in its own user namespace. */
  readonly userNamespace: boolean;
}

/** What the evaluator accepts: a pod's spec and metadata (a Pod, or a controller's template). */
export interface PodInput {
  readonly metadata?: unknown;
  readonly spec?: unknown;
}

export function podView(pod: PodInput): PodView {
  const spec = asRecord(pod.spec) ?? {};
  const containers: ContainerView[] = [];
  for (const group of CONTAINER_GROUPS) {
    asArray(spec[group]).forEach((item, index) => {
      const container = asRecord(item);
      if (container === undefined) return;
      containers.push({
        name: typeof container.name === 'string' ? container.name : '',
        container,
        securityContext: asRecord(container.securityContext),
        path: ['spec', group, index],
      });
    });
  }
  return {
    spec,
    securityContext: asRecord(spec.securityContext),
    annotations: asRecord(asRecord(pod.metadata)?.annotations) ?? {},
    containers,
    windows: asRecord(spec.os)?.name === 'windows',
    userNamespace: spec.hostUsers === false,
  };
}
