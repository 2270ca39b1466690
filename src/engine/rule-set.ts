import type { Severity } from '../core/finding.js';
import { ConfigError, UsageError } from '../core/errors.js';
import { validateAgainst } from '../core/json-schema.js';
import type { AnyRule, Handlers } from '../rules/define-rule.js';
import type { Config } from './config.js';
import { didYouMean } from '../core/did-you-mean.js';

export interface EnabledRule {
  readonly rule: AnyRule;
  readonly severity: Severity;
  /**
   * The configuration set the severity: then it is every finding's, including those a rule grades
   * itself (a Secret read cluster-wide is high, in one namespace medium) — the user's word wins.
   */
  readonly severityConfigured?: boolean;
  readonly options: Readonly<Record<string, unknown>>;
  readonly handlers: Handlers<string>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep-merges user options over defaults without touching either (typescript-eslint applyDefault). */
export function applyDefaults(defaults: Readonly<Record<string, unknown>>, user: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const merged: Record<string, unknown> = structuredClone(defaults) as Record<string, unknown>;
  for (const [key, value] of Object.entries(user ?? {})) {
    const base = merged[key];
    merged[key] = isPlainObject(base) && isPlainObject(value) ? applyDefaults(base, value) : structuredClone(value);
  }
  return merged;
}

export interface RuleSelection {
  readonly config: Config;
  readonly configFile?: string;
  /** `--rule`: run only these. */
  readonly only?: readonly string[];
}

/** The rules a scan runs, with severity and options resolved and validated. */
export function resolveRules(registry: Readonly<Record<string, AnyRule>>, selection: RuleSelection): EnabledRule[] {
  const known = Object.keys(registry);
  const configFile = selection.configFile ?? 'eksguard.yaml';
  for (const id of Object.keys(selection.config.rules)) {
    if (!(id in registry)) {
      throw new ConfigError(configFile, `/rules/${id}`, `unknown rule id \`${id}\`${didYouMean(id, known, (n) => `\`${n}\``)}`, { hint: 'eksguard rules lists every rule id.' });
    }
  }
  for (const id of selection.only ?? []) {
    if (!(id in registry)) {
      throw new UsageError(`--rule ${id}: unknown rule id${didYouMean(id, known)}`, 'eksguard rules lists every rule id.');
    }
  }
  // An exclusion naming a rule that does not exist exempts nothing: a typo there would pass unseen.
  for (const [i, exclusion] of selection.config.exclusions.entries()) {
    for (const [j, id] of exclusion.rules.entries()) {
      if (id in registry || id.startsWith('audit-')) continue; // audit-* are the audit-log detections
      throw new ConfigError(configFile, `/exclusions/${i}/rules/${j}`, `unknown rule id \`${id}\`${didYouMean(id, known, (n) => `\`${n}\``)}`, { hint: 'eksguard rules lists every rule id.' });
    }
  }
  const enabled: EnabledRule[] = [];
  for (const id of known.sort()) {
    const rule = registry[id] as AnyRule;
    const setting = selection.config.rules[id];
    const only = selection.only !== undefined && selection.only.length > 0;
    if (only && !selection.only?.includes(id)) continue;
    let severity: Severity | 'off' = rule.meta.enabledByDefault === false && setting === undefined ? 'off' : rule.meta.severity;
    let userOptions: Readonly<Record<string, unknown>> | undefined;
    let severityConfigured = false;
    if (typeof setting === 'string') {
      severity = setting;
      severityConfigured = setting !== 'off';
    } else if (setting !== undefined) {
      severity = setting.severity ?? rule.meta.severity;
      severityConfigured = setting.severity !== undefined && setting.severity !== 'off';
      userOptions = setting.options;
    }
    // `--rule ID` names a rule explicitly: it runs even where config turned it off.
    if (severity === 'off') {
      if (!only) continue;
      severity = rule.meta.severity;
    }
    const options = applyDefaults(rule.defaultOptions as Record<string, unknown>, userOptions);
    // Defaults alone need no check at run time: test/rules/meta.test.ts holds every rule's
    // defaults valid, and skipping it keeps Ajv out of a scan without options (start-up).
    if (rule.meta.schema && userOptions !== undefined) {
      const problem = validateAgainst(rule.meta.schema, options)[0];
      if (problem) throw new ConfigError(configFile, `/rules/${id}/options${problem.pointer}`, problem.message);
    } else if (userOptions && Object.keys(userOptions).length > 0) {
      throw new ConfigError(configFile, `/rules/${id}/options`, 'this rule takes no options');
    }
    enabled.push({ rule, severity, ...(severityConfigured ? { severityConfigured } : {}), options, handlers: rule.create(options) });
  }
  return enabled;
}
