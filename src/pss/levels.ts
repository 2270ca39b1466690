/**
 * Pod Security Standards levels and policy versions, parsed as Pod Security Admission parses the
 * `pod-security.kubernetes.io/<mode>[-version]` label values.
 */
import { PSS_LATEST_MINOR } from '../core/pod-security-standards.js';

export const PSS_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PssLevel = (typeof PSS_LEVELS)[number];

/** `latest`, or `v1.<minor>` as written in a label (newer minors than we know are kept as written). */
export type PssVersion = 'latest' | `v1.${number}`;

export function isPssLevel(value: unknown): value is PssLevel {
  return typeof value === 'string' && (PSS_LEVELS as readonly string[]).includes(value);
}

/** Positive when `a` is stricter than `b`. */
export function compareLevels(a: PssLevel, b: PssLevel): number {
  return PSS_LEVELS.indexOf(a) - PSS_LEVELS.indexOf(b);
}

/** The next stricter level, or undefined for restricted. */
export function stricterLevel(level: PssLevel): PssLevel | undefined {
  return PSS_LEVELS[PSS_LEVELS.indexOf(level) + 1];
}

// PSA's own pattern: no leading zeros, major version 1 only.
const VERSION_PATTERN = /^v1\.(0|[1-9][0-9]*)$/;

/** A label value as a policy version, or undefined when PSA would refuse it. */
export function parseVersion(value: unknown): PssVersion | undefined {
  if (value === 'latest') return 'latest';
  return typeof value === 'string' && VERSION_PATTERN.test(value) ? (value as PssVersion) : undefined;
}

/**
 * The policy minor version the checks are taken from: `latest`, and any version newer than the
 * newest this evaluator knows, clamp to the newest (as PSA clamps to its own).
 */
export function effectiveMinor(version: PssVersion): number {
  if (version === 'latest') return PSS_LATEST_MINOR;
  const minor = Number(version.slice('v1.'.length));
  return Number.isFinite(minor) ? Math.min(minor, PSS_LATEST_MINOR) : PSS_LATEST_MINOR;
}

export function formatMinor(minor: number): PssVersion {
  return `v1.${minor}`;
}

/** `baseline:latest`, the way PSA names a policy in its messages. */
export function formatPolicy(level: PssLevel, version: PssVersion): string {
  return `${level}:${version}`;
}
