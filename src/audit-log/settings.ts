/**
 * Which detections run, at what severity and with which options: `audit:` in eksguard.yaml and
 * `--detection`, validated as `rules:` is for scan rules. The result is plain data, so a worker
 * thread can rebuild the same detectors from it.
 */
import { closest } from '../core/did-you-mean.js';
import { ConfigError, UsageError } from '../core/errors.js';
import type { Severity } from '../core/finding.js';
import { validateAgainst } from '../core/json-schema.js';
import type { Config } from '../engine/config.js';
import { applyDefaults } from '../engine/rule-set.js';
import { parseCidr } from './cidr.js';
import type { DetectionContext } from './detection.js';
import { allDetections, detectionById } from './registry.js';

export interface DetectionSetting {
  readonly id: string;
  readonly severity: Severity;
  /**
   * Whether the config set the severity. Then every finding of the detection has it, as for rules
   * (`engine/audit.ts`): a detection's own grading (auth failures below their spike baseline are
   * low) applies only to the severity the detection ships with.
   */
  readonly severityConfigured: boolean;
  readonly options: Readonly<Record<string, unknown>>;
}

export { allDetections, detectionById, instantiate, type ActiveDetection } from './registry.js';

export interface AnalyzeSettings {
  readonly detections: readonly DetectionSetting[];
  readonly clusterCidrs: readonly string[];
  /** Detections that cannot run with this configuration, and why. */
  readonly notEvaluated: readonly { readonly ruleId: string; readonly reason: string }[];
}

function suggestion(id: string): string {
  const known = allDetections().map((d) => d.id);
  const token = id.replace(/^audit-/, '');
  const close = closest(id, known) ?? (token === '' ? undefined : known.find((k) => k.includes(token) || token.includes(k.replace(/^audit-/, ''))));
  return close ? `Did you mean ${close}?` : `Detections: ${known.join(', ')}.`;
}

/** Resolves and validates the audit settings; errors name the config key or the flag. */
export function resolveDetections(config: Config, selection: { readonly configFile?: string; readonly only?: readonly string[] } = {}): AnalyzeSettings {
  const file = selection.configFile ?? 'eksguard.yaml';
  const audit = config.audit ?? { clusterCidrs: [], detections: {} };
  audit.clusterCidrs.forEach((cidr, i) => {
    if (parseCidr(cidr) === undefined) throw new ConfigError(file, `/audit/clusterCidrs/${i}`, `"${cidr}" is not a CIDR (10.0.0.0/16, 2600:1f14::/56)`);
  });
  for (const id of Object.keys(audit.detections)) {
    if (detectionById(id) === undefined) throw new ConfigError(file, `/audit/detections/${id}`, 'unknown detection id', { hint: suggestion(id) });
  }
  const only = selection.only ?? [];
  for (const id of only) {
    if (detectionById(id) === undefined) throw new UsageError(`--detection ${id}: unknown detection id`, suggestion(id));
  }
  const context: DetectionContext = { clusterCidrs: audit.clusterCidrs };
  const detections: DetectionSetting[] = [];
  const notEvaluated: { ruleId: string; reason: string }[] = [];
  for (const detection of allDetections()) {
    if (only.length > 0 && !only.includes(detection.id)) continue;
    const setting = audit.detections[detection.id];
    let severity: Severity | 'off' = detection.meta.severity;
    let userOptions: Readonly<Record<string, unknown>> | undefined;
    let severityConfigured = false;
    if (typeof setting === 'string') {
      severity = setting;
      severityConfigured = true;
    } else if (setting !== undefined) {
      severity = setting.severity ?? detection.meta.severity;
      severityConfigured = setting.severity !== undefined;
      userOptions = setting.options;
    }
    // Naming a detection with --detection runs it even where the config turned it off.
    if (severity === 'off') {
      if (only.length === 0) continue;
      severity = detection.meta.severity;
      severityConfigured = false;
    }
    const options = applyDefaults(detection.defaultOptions as Record<string, unknown>, userOptions);
    // Only options the user wrote need checking: the defaults are (test/audit-log/settings.test.ts), and
    // compiling a detection's schema is start-up time spent before any line is read.
    if (detection.schema && userOptions !== undefined) {
      const problem = validateAgainst(detection.schema, options)[0];
      if (problem) throw new ConfigError(file, `/audit/detections/${detection.id}/options${problem.pointer}`, problem.message);
    }
    const reason = detection.notEvaluated?.(context);
    if (reason !== undefined) {
      notEvaluated.push({ ruleId: detection.id, reason });
      continue;
    }
    detections.push({ id: detection.id, severity, severityConfigured, options });
  }
  return { detections, clusterCidrs: audit.clusterCidrs, notEvaluated };
}

