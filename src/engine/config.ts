import jsYaml from 'js-yaml';
import { SEVERITIES, type Severity } from '../core/finding.js';
import { ConfigError } from '../core/errors.js';
import { validateAgainst, type JsonSchemaObject } from '../core/json-schema.js';

/** One exclusion: findings it matches are listed as exempted with its reason. Empty lists match all. */
export interface Exclusion {
  readonly reason: string;
  readonly rules: readonly string[];
  readonly namespaces: readonly string[];
  readonly kinds: readonly string[];
  /** Exact names, or globs with `*`. */
  readonly names: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /**
   * AWS resources by ARN (or by id, for resources without one, such as `sg-0abc`), globs with `*`.
   * An exclusion that lists ARNs matches AWS resources only; one with namespaces or labels, Kubernetes objects only.
   */
  readonly arns?: readonly string[];
}

export type RuleSetting = 'off' | Severity | { readonly severity?: Severity | 'off'; readonly options?: Readonly<Record<string, unknown>> };

/** `audit:` — settings of `eksguard audit analyze` (docs/audit-logs.md). */
export interface AuditSettings {
  /** The cluster's node and pod CIDRs: a ServiceAccount token used from elsewhere is reported. */
  readonly clusterCidrs: readonly string[];
  /** Detections on/off, severity and options, keyed by `audit-*` id (kept apart from `rules:` so `scan` never sees them). */
  readonly detections: Readonly<Record<string, RuleSetting>>;
}

/** `eksguard.yaml`, as the user writes it (validated). */
export interface Config {
  readonly failOn?: Severity | 'none';
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly exclusions: readonly Exclusion[];
  /** The shipped exemptions for EKS-managed add-ons (docs/default-exemptions.md). */
  readonly defaultExemptions: boolean;
  /** Ignore `ignore-check.eksguard.io/*` annotations: teams cannot exempt their own objects. */
  readonly disallowAnnotationExemptions: boolean;
  /** Present when the file has an `audit:` section. */
  readonly audit?: AuditSettings;
  /** Present when the file has a `webhook:` section (docs/webhook.md). */
  readonly webhook?: WebhookSettings;
  /**
   * Whether the file sets disallowAnnotationExemptions itself: the admission webhook ignores
   * annotation exemptions unless the file says `false` explicitly.
   */
  readonly annotationExemptionsDeclared?: boolean;
}

/** `webhook:` — settings of `eksguard webhook` (docs/webhook.md). */
export interface WebhookSettings {
  /** User names (globs with `*`) whose requests are allowed without evaluation: node and controller identities. */
  readonly allowUsers: readonly string[];
}

export const EMPTY_CONFIG: Config = { rules: {}, exclusions: [], defaultExemptions: true, disallowAnnotationExemptions: false };

const severityOrOff = { enum: [...SEVERITIES, 'off'] };
const stringList = { type: 'array', items: { type: 'string', minLength: 1 } };
const ruleSetting = {
  anyOf: [
    severityOrOff,
    {
      type: 'object',
      additionalProperties: false,
      properties: { severity: severityOrOff, options: { type: 'object' } },
    },
  ],
};

/** `eksguard.yaml`, as validated before it is read (precompiled: scripts/precompile-validators.ts). */
export const CONFIG_SCHEMA: JsonSchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    failOn: { enum: [...SEVERITIES, 'none'] },
    rules: {
      type: 'object',
      additionalProperties: {
        anyOf: [
          severityOrOff,
          {
            type: 'object',
            additionalProperties: false,
            properties: { severity: severityOrOff, options: { type: 'object' } },
          },
        ],
      },
    },
    exclusions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['reason'],
        properties: {
          reason: { type: 'string', minLength: 1 },
          rules: stringList,
          namespaces: stringList,
          kinds: stringList,
          names: stringList,
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          arns: stringList,
        },
      },
    },
    defaultExemptions: { type: 'boolean' },
    disallowAnnotationExemptions: { type: 'boolean' },
    audit: {
      type: 'object',
      additionalProperties: false,
      properties: {
        clusterCidrs: stringList,
        detections: { type: 'object', additionalProperties: ruleSetting },
      },
    },
    webhook: {
      type: 'object',
      additionalProperties: false,
      properties: { allowUsers: stringList },
    },
  },
};

/** Parses and validates a config file's text; errors name the file and the offending key. */
export function parseConfig(file: string, text: string): Config {
  let raw: unknown;
  try {
    raw = jsYaml.load(text);
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    throw new ConfigError(file, '', `not valid YAML${mark?.line !== undefined ? ` (line ${mark.line + 1})` : ''}: ${(error as { reason?: string }).reason ?? String(error)}`);
  }
  if (raw === null || raw === undefined) return EMPTY_CONFIG;
  const problems = validateAgainst(CONFIG_SCHEMA, raw);
  const first = problems[0];
  if (first) {
    // The message names the key, what it may be and the nearest known name (src/core/json-schema.ts).
    throw new ConfigError(file, first.pointer || '/', first.message, { hint: 'See README, "Configuration", for every key.' });
  }
  const value = raw as Partial<Omit<Config, 'exclusions' | 'audit' | 'webhook'>> & { exclusions?: Partial<Exclusion>[]; audit?: Partial<AuditSettings>; webhook?: Partial<WebhookSettings> };
  return {
    ...EMPTY_CONFIG,
    ...(value.failOn !== undefined ? { failOn: value.failOn } : {}),
    rules: value.rules ?? {},
    exclusions: (value.exclusions ?? []).map((e) => ({
      reason: e.reason ?? '',
      rules: e.rules ?? [],
      namespaces: e.namespaces ?? [],
      kinds: e.kinds ?? [],
      names: e.names ?? [],
      labels: e.labels ?? {},
      ...(e.arns !== undefined ? { arns: e.arns } : {}),
    })),
    defaultExemptions: value.defaultExemptions ?? true,
    disallowAnnotationExemptions: value.disallowAnnotationExemptions ?? false,
    ...(value.disallowAnnotationExemptions !== undefined ? { annotationExemptionsDeclared: true } : {}),
    ...(value.audit !== undefined ? { audit: { clusterCidrs: value.audit.clusterCidrs ?? [], detections: value.audit.detections ?? {} } } : {}),
    ...(value.webhook !== undefined ? { webhook: { allowUsers: value.webhook.allowUsers ?? [] } } : {}),
  };
}
