/**
 * Host paths as the kubelet sees them: segment-aware comparison (`/foo` contains `/foo/bar`, not
 * `/fool`), tolerant of `//`, trailing `/` and `.` segments, and the hostPath volumes of a pod.
 */
import type { FieldPath } from '../../core/finding.js';
import type { Volume } from '../../core/pod-spec.js';
import type { Workload } from '../../core/workload.js';
import { isRecord } from '../../core/json.js';

export interface HostPathSegments {
  /** The path's segments, without empty and `.` segments (`..` kept as written). */
  readonly segments: readonly string[];
  /** Whether a `..` segment appears (the API rejects these; an allow-list must not trust them). */
  readonly backsteps: boolean;
  /** A Windows path (`C:\dir`, `\\.\pipe\x`): backslashes read as separators, compared case-insensitively. */
  readonly windows: boolean;
}

const WINDOWS_PATH = /^(?:[A-Za-z]:[\\/]|[\\/]{2}[.?][\\/])/;

/**
 * Splits a host path into segments. A relative path is read from `/`, the kubelet's working
 * directory. Windows paths are lower-cased, since their file systems ignore case.
 */
export function hostPathSegments(path: string): HostPathSegments {
  const windows = WINDOWS_PATH.test(path);
  const text = windows ? path.replaceAll('\\', '/').toLowerCase() : path;
  const segments = text.split('/').filter((segment) => segment !== '' && segment !== '.');
  return { segments, backsteps: segments.includes('..'), windows };
}

/** Resolves `..` segments lexically (never above the root). */
export function resolveBacksteps(segments: readonly string[]): string[] {
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return out;
}

/** The canonical spelling: `/a/b` (or `c:/a/b` for Windows paths). */
export function formatHostPath(segments: readonly string[], windows = false): string {
  return windows ? segments.join('/') : `/${segments.join('/')}`;
}

/** Whether `path` is `prefix` or lies below it, segment by segment. */
export function isSameOrBelow(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}

export interface HostPathVolume {
  readonly volume: Volume;
  readonly index: number;
  /** The volume's name, or `volumes[i]` when it has none. */
  readonly name: string;
  /** The `hostPath` source as written (not necessarily an object in a malformed manifest). */
  readonly source: unknown;
  /** `hostPath.path` when it is a string. */
  readonly path: string | undefined;
  /** Path of the volume object from the resource root. */
  readonly volumePath: FieldPath;
}

/** Every volume of the pod whose source is `hostPath` (set and not null), in order. */
export function hostPathVolumes(workload: Workload): HostPathVolume[] {
  const volumes: unknown = workload.podSpec.volumes;
  if (!Array.isArray(volumes)) return [];
  const out: HostPathVolume[] = [];
  volumes.forEach((item: unknown, index) => {
    if (!isRecord(item) || item.hostPath === undefined || item.hostPath === null) return;
    const source = item.hostPath;
    const path = isRecord(source) && typeof source.path === 'string' ? source.path : undefined;
    const name = typeof item.name === 'string' && item.name !== '' ? item.name : `volumes[${index}]`;
    out.push({ volume: item as Volume, index, name, source, path, volumePath: [...workload.podSpecPath, 'volumes', index] });
  });
  return out;
}
