/**
 * The detections' state after reading, as a report: findings in the shape `scan` produces (so the
 * same reporters print them), each with the events behind it, exemptions from eksguard.yaml
 * applied, and a timeline of events per minute or hour.
 */
import { SEVERITIES, severityRank, type Finding, type KubeResourceRef, type Severity } from '../core/finding.js';
import type { Gap, KubeResource } from '../core/resource.js';
import type { AuditResult, Check, NotEvaluated } from '../engine/audit.js';
import { findSuppression, type ExemptionPolicy } from '../engine/exemptions.js';
import type { ReportedRule } from '../report/context.js';
import type { AnalysisState, GroupState } from './analyzer.js';
import { DETECTION_DOCS_URL, type AnyDetection, type GroupView } from './detection.js';
import { derivedPhrase, foldIncidents } from './incidents.js';
import type { ReadStats, } from './sources/consume.js';
import type { LogSource } from './sources/source.js';
import { detectionById, type AnalyzeSettings } from './settings.js';
import { hourOf, minutesBetween } from './time.js';

export interface TimelineBucket {
  /** `YYYY-MM-DDTHH:MM` (minutes) or `YYYY-MM-DDTHH` (hours), UTC. */
  readonly start: string;
  readonly events: number;
  /** Events each detection matched in the bucket (only detections with any). */
  readonly detections: Readonly<Record<string, number>>;
}

export interface Timeline {
  readonly bucket: 'minute' | 'hour';
  readonly buckets: readonly TimelineBucket[];
}

export interface UnjudgedCount {
  readonly detection: string;
  readonly count: number;
  readonly reason: string;
}

export interface AuditLogResult extends AuditResult {
  readonly sources: readonly LogSource[];
  readonly timeline: Timeline;
  /** Events a detection is about but could not judge (pods logged without their body). */
  readonly unjudged: readonly UnjudgedCount[];
  /** The detections that ran, as reporters list rules (SARIF's tool.driver.rules, Markdown's links). */
  readonly detections: readonly ReportedRule[];
  readonly events: number;
}

/** Logs spanning more than this are summarised per hour, shorter ones per minute. */
const MINUTE_TIMELINE_MAX_SPAN = 6 * 60;

export function reportedDetection(detection: AnyDetection, severity: Severity): ReportedRule {
  const { meta } = detection;
  return {
    rule: {
      id: detection.id,
      meta: {
        area: 'audit',
        rationale: meta.rationale,
        remediation: meta.remediation,
        docs: { description: meta.title, url: `${DETECTION_DOCS_URL}#${detection.id}`, ...(meta.controls ? { controls: meta.controls } : {}) },
      },
    },
    severity,
  };
}

function groupView(group: GroupState): GroupView {
  return {
    resource: group.resource,
    severity: group.severity,
    count: group.count,
    firstSeen: group.firstSeen,
    lastSeen: group.lastSeen,
    facts: group.facts,
    windows: group.windows,
    tallies: group.tallies,
  };
}

/** The object a finding is about, as exclusions in eksguard.yaml see it. */
function exemptionTarget(resource: KubeResourceRef, group: GroupState, file: string, line: number): KubeResource {
  const metadata = {
    name: resource.name,
    ...(resource.namespace !== undefined ? { namespace: resource.namespace } : {}),
    ...(group.labels ? { labels: group.labels } : {}),
    ...(group.owner ? { ownerReferences: [{ kind: group.owner.kind, name: group.owner.name, controller: true }] } : {}),
  };
  return { ref: resource, object: { apiVersion: resource.apiVersion, kind: resource.kind, metadata }, origin: { type: 'file', file, line } };
}

function timelineOf(stats: ReadStats, state: AnalysisState): Timeline {
  const minutes = [...stats.minutes.keys()].sort();
  const first = minutes[0];
  const last = minutes[minutes.length - 1];
  const bucket: Timeline['bucket'] = first !== undefined && last !== undefined && minutesBetween(first, last) > MINUTE_TIMELINE_MAX_SPAN ? 'hour' : 'minute';
  const key = (minute: string) => (bucket === 'hour' ? hourOf(minute) : minute);
  const buckets = new Map<string, { events: number; detections: Record<string, number> }>();
  const at = (minute: string) => {
    const k = key(minute);
    let b = buckets.get(k);
    if (b === undefined) {
      b = { events: 0, detections: {} };
      buckets.set(k, b);
    }
    return b;
  };
  for (const [minute, n] of stats.minutes) at(minute).events += n;
  for (const [id, detection] of state.detections) {
    for (const [minute, n] of detection.minutes) {
      const b = at(minute);
      b.detections[id] = (b.detections[id] ?? 0) + n;
    }
  }
  return { bucket, buckets: [...buckets].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([start, b]) => ({ start, ...b })) };
}

function sortFindings(list: Finding[]): void {
  list.sort((a, b) => severityRank(b.severity) - severityRank(a.severity)
    || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
    || ((a.evidence?.firstSeen ?? '') < (b.evidence?.firstSeen ?? '') ? -1 : (a.evidence?.firstSeen ?? '') > (b.evidence?.firstSeen ?? '') ? 1 : 0));
}

export interface BuildInput {
  readonly state: AnalysisState;
  readonly stats: ReadStats;
  readonly sources: readonly LogSource[];
  readonly gaps: readonly Gap[];
  readonly settings: AnalyzeSettings;
  readonly policy: ExemptionPolicy;
}

export function buildResult(input: BuildInput): AuditLogResult {
  const { state, settings, policy } = input;
  const findings: Finding[] = [];
  const exempted: Finding[] = [];
  const checks: Check[] = [];
  const unjudged: UnjudgedCount[] = [];
  const detections: ReportedRule[] = [];
  const logName = input.sources.map((s) => s.path).join(', ') || 'audit log';
  let passed = 0;

  for (const setting of settings.detections) {
    const detection = detectionById(setting.id);
    const detectionState = state.detections.get(setting.id);
    if (detection === undefined || detectionState === undefined) continue;
    detections.push(reportedDetection(detection, setting.severity));
    const detector = detection.create(setting.options, { clusterCidrs: settings.clusterCidrs });
    let failed = false;
    for (const group of foldIncidents(detectionState).values()) {
      const description = detector.describe(groupView(group));
      const first = group.events[0];
      const file = first?.file ?? '';
      const line = first?.line ?? 0;
      const suppressed = findSuppression(exemptionTarget(group.resource, group, file, line), detection.id, policy);
      const finding: Finding = {
        ruleId: detection.id,
        messageId: 'event',
        message: `${description.message.trim()}${derivedPhrase(group)}`,
        severity: setting.severityConfigured ? setting.severity : description.severity ?? group.severity,
        area: 'audit',
        title: detection.meta.title,
        remediation: detection.meta.remediation,
        resource: group.resource,
        path: [],
        ...(first?.file !== undefined ? { location: { file, line, column: 1 } } : {}),
        evidence: {
          events: group.events,
          // Events of objects controllers created from it are evidence of the same incident.
          count: group.count + (group.derived?.count ?? 0),
          ...(group.firstSeen !== '' ? { firstSeen: group.firstSeen } : {}),
          ...(group.lastSeen !== '' ? { lastSeen: group.lastSeen } : {}),
          ...(description.windows ? { windows: description.windows } : {}),
        },
        ...(suppressed ? { suppressed } : {}),
      };
      if (suppressed) exempted.push(finding);
      else {
        findings.push(finding);
        failed = true;
      }
    }
    for (const [reason, count] of detectionState.unjudged) unjudged.push({ detection: detection.id, count, reason });
    if (!failed) {
      passed += 1;
      // A case per clean detection, for JUnit; findings bring their own cases.
      checks.push({ ruleId: detection.id, resource: { provider: 'kubernetes', apiVersion: 'audit.k8s.io/v1', kind: 'AuditLog', name: logName }, passed: true });
    }
  }
  sortFindings(findings);
  sortFindings(exempted);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity] += 1;
  const notEvaluated: NotEvaluated[] = [...settings.notEvaluated];
  return {
    findings,
    exempted,
    checks,
    gaps: [...input.gaps],
    notEvaluated,
    summary: {
      bySeverity,
      findings: findings.length,
      exempted: exempted.length,
      resources: input.stats.events,
      rulesRun: settings.detections.length,
      checks: settings.detections.length,
      passed,
    },
    sources: input.sources,
    timeline: timelineOf(input.stats, state),
    unjudged,
    detections,
    events: input.stats.events,
  };
}

export interface InsightsBuildInput {
  readonly findings: readonly Finding[];
  readonly gaps: readonly Gap[];
  readonly sources: readonly LogSource[];
  readonly settings: AnalyzeSettings;
  /** Records Insights scanned in all. */
  readonly records: number;
}

/**
 * The report of `audit queries --run`: findings come from Logs Insights rows, not from events read
 * here, so there is no timeline and nothing unjudged; a detection passes where its query returned
 * no row over every log group.
 */
export function buildInsightsResult(input: InsightsBuildInput): AuditLogResult {
  const findings = [...input.findings];
  sortFindings(findings);
  const detections: ReportedRule[] = [];
  const checks: Check[] = [];
  let passed = 0;
  for (const setting of input.settings.detections) {
    const detection = detectionById(setting.id);
    if (detection === undefined) continue;
    detections.push(reportedDetection(detection, setting.severity));
    if (!findings.some((f) => f.ruleId === setting.id)) {
      passed += 1;
      checks.push({ ruleId: setting.id, resource: { provider: 'kubernetes', apiVersion: 'audit.k8s.io/v1', kind: 'AuditLog', name: input.sources.map((s) => s.path).join(', ') }, passed: true });
    }
  }
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity] += 1;
  return {
    findings,
    exempted: [],
    checks,
    gaps: [...input.gaps],
    notEvaluated: [...input.settings.notEvaluated],
    summary: {
      bySeverity,
      findings: findings.length,
      exempted: 0,
      resources: input.records,
      rulesRun: input.settings.detections.length,
      checks: input.settings.detections.length,
      passed,
    },
    sources: input.sources,
    timeline: { bucket: 'minute', buckets: [] },
    unjudged: [],
    detections,
    events: input.records,
  };
}
