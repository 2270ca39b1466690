/**
 * The Pod Security Admission policy of a namespace, read from its labels exactly as PSA reads
 * them: `pod-security.kubernetes.io/{enforce,audit,warn}` and their `-version` labels, with PSA's
 * defaults for missing labels and its fallbacks for bad ones.
 */
import { compareLevels, isPssLevel, parseVersion, type PssLevel, type PssVersion } from './levels.js';

export const PSS_LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const PSS_MODES = ['enforce', 'audit', 'warn'] as const;
export type PssMode = (typeof PSS_MODES)[number];

export interface PolicyMode {
  readonly level: PssLevel;
  readonly version: PssVersion;
}

export type NamespacePolicy = Readonly<Record<PssMode, PolicyMode>>;

/** What PSA falls back to when the admission configuration sets no defaults: privileged, latest. */
export const DEFAULT_POLICY: NamespacePolicy = {
  enforce: { level: 'privileged', version: 'latest' },
  audit: { level: 'privileged', version: 'latest' },
  warn: { level: 'privileged', version: 'latest' },
};

export interface LabelError {
  readonly label: string;
  readonly value: string;
  /** What PSA uses instead, in words. */
  readonly fallback: string;
}

export interface LabelledPolicy {
  readonly policy: NamespacePolicy;
  /** Labels PSA could not parse (it records them as an audit annotation and goes on). */
  readonly errors: readonly LabelError[];
}

export const levelLabel = (mode: PssMode): string => `${PSS_LABEL_PREFIX}${mode}`;
export const versionLabel = (mode: PssMode): string => `${PSS_LABEL_PREFIX}${mode}-version`;

/**
 * The policy the labels ask for. A bad enforce level fails closed (restricted), a bad audit or
 * warn level fails open (privileged), a bad version means latest. When warn is not labelled and
 * enforce is labelled stricter than the default warn level, warn follows enforce (and its
 * version, unless warn-version is labelled).
 */
export function policyFromLabels(labels: unknown, defaults: NamespacePolicy = DEFAULT_POLICY): LabelledPolicy {
  const record = labels !== null && typeof labels === 'object' && !Array.isArray(labels) ? (labels as Readonly<Record<string, unknown>>) : {};
  const errors: LabelError[] = [];
  const has = (key: string): boolean => Object.hasOwn(record, key);
  const text = (key: string): string => (typeof record[key] === 'string' ? (record[key] as string) : String(record[key]));

  const modes: Record<PssMode, PolicyMode> = { enforce: { ...defaults.enforce }, audit: { ...defaults.audit }, warn: { ...defaults.warn } };
  let enforceLabelled = false;
  for (const mode of PSS_MODES) {
    const levelKey = levelLabel(mode);
    if (has(levelKey)) {
      const value = record[levelKey];
      if (isPssLevel(value)) {
        modes[mode] = { ...modes[mode], level: value };
        if (mode === 'enforce') enforceLabelled = true;
      } else {
        const fallback: PssLevel = mode === 'enforce' ? 'restricted' : 'privileged';
        modes[mode] = { ...modes[mode], level: fallback };
        errors.push({ label: levelKey, value: text(levelKey), fallback: `${fallback} (${mode === 'enforce' ? 'fails closed' : 'fails open'})` });
      }
    }
    const versionKey = versionLabel(mode);
    if (has(versionKey)) {
      const version = parseVersion(record[versionKey]);
      modes[mode] = { ...modes[mode], version: version ?? 'latest' };
      if (version === undefined) errors.push({ label: versionKey, value: text(versionKey), fallback: 'latest' });
    }
  }
  if (!has(levelLabel('warn')) && enforceLabelled && compareLevels(modes.enforce.level, modes.warn.level) > 0) {
    modes.warn = { level: modes.enforce.level, version: has(versionLabel('warn')) ? modes.warn.version : modes.enforce.version };
  }
  return { policy: modes, errors };
}

/** The six labels that set a policy: enforce, then warn, then audit, each level before its version. */
export function policyLabels(policy: NamespacePolicy): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ['enforce', 'warn', 'audit'] as const) {
    labels[levelLabel(mode)] = policy[mode].level;
    labels[versionLabel(mode)] = policy[mode].version;
  }
  return labels;
}
