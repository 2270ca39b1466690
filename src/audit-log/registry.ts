/**
 * The detections by id, and detectors built from resolved settings. Kept apart from the settings'
 * validation (Ajv, the config parser) so that a worker thread loads only what it runs.
 */
import type { Severity } from '../core/finding.js';
import type { AnyDetection, Detector } from './detection.js';
import { builtinDetections } from './detections/index.js';

export interface ActiveDetection {
  readonly id: string;
  readonly severity: Severity;
  /** Set in the config: it overrides the severity a match or a description gives (settings.ts). */
  readonly severityConfigured: boolean;
  readonly detection: AnyDetection;
  readonly detector: Detector;
}

const registry: Readonly<Record<string, AnyDetection>> = builtinDetections;

export function detectionById(id: string): AnyDetection | undefined {
  return Object.hasOwn(registry, id) ? registry[id] : undefined;
}

export function allDetections(): readonly AnyDetection[] {
  return Object.values(registry);
}

/** Resolved settings, as `settings.ts` produces them: plain data a worker thread receives. */
export interface DetectorSettings {
  readonly detections: readonly { readonly id: string; readonly severity: Severity; readonly severityConfigured?: boolean; readonly options: Readonly<Record<string, unknown>> }[];
  readonly clusterCidrs: readonly string[];
}

/** The detectors of resolved settings (in this thread or a worker). */
export function instantiate(settings: DetectorSettings): ActiveDetection[] {
  return settings.detections.flatMap((s) => {
    const detection = detectionById(s.id);
    if (detection === undefined) return [];
    return [{ id: s.id, severity: s.severity, severityConfigured: s.severityConfigured ?? false, detection, detector: detection.create(s.options, { clusterCidrs: settings.clusterCidrs }) }];
  });
}
