/**
 * Runs the detections over events and keeps, per finding-to-be, counts and a few example events:
 * memory grows with the number of findings, not with the log. The state is plain data (Maps, Sets,
 * arrays), so worker threads can each build one over part of a file and send it back to be merged.
 */
import { severityRank, type AuditEventRef, type KubeResourceRef, type Severity } from '../core/finding.js';
import { describeTarget, type AuditEvent } from './event.js';
import { isUnjudged, type Match } from './detection.js';
import type { LineProbe } from './sources/probe.js';
import { instantiate, type ActiveDetection, type DetectorSettings } from './registry.js';
import { minuteOf } from './time.js';

/** Example events kept per finding; `count` has the rest. */
export const MAX_EVENTS = 10;
/** Distinct values kept per fact. */
const MAX_FACT_VALUES = 5;

/** A match's own severity, unless the config set the detection's (settings.ts `severityConfigured`). */
function matchSeverity(a: ActiveDetection, match: Match): Severity {
  return a.severityConfigured ? a.severity : match.severity ?? a.severity;
}

export interface EventLocation {
  readonly file: string;
  readonly line: number;
}

export interface GroupState {
  readonly resource: KubeResourceRef;
  severity: Severity;
  count: number;
  /** Audit IDs counted, for detections that count each request once. */
  ids: Set<string> | undefined;
  events: AuditEventRef[];
  firstSeen: string;
  lastSeen: string;
  facts: Record<string, { values: string[]; more: boolean }>;
  windows: Map<string, number>;
  tallies: Record<string, number>;
  labels: Record<string, string> | undefined;
  owner: { kind: string; name: string } | undefined;
  /** The owner whose finding this group folds into when that owner's creation was matched too (incidents.ts). */
  derivedFrom: string | undefined;
  /** Events of objects controllers created from this group's objects, folded in at the end (incidents.ts). */
  derived: { count: number; subjects: string[]; more: boolean } | undefined;
}

export interface DetectionState {
  groups: Map<string, GroupState>;
  /** Matched events per minute. */
  minutes: Map<string, number>;
  /** Events the detection is about but could not judge, per reason. */
  unjudged: Map<string, number>;
  /** Objects whose creation the detection matched (`Match.created`) → the key of their group. */
  created: Map<string, string>;
}

export interface AnalysisState {
  detections: Map<string, DetectionState>;
}

export function eventRef(event: AuditEvent, location: EventLocation): AuditEventRef {
  // Field by field (the report's order) rather than with conditional spreads, which cost V8 more to optimize than the rest of a group's bookkeeping.
  const ref: { -readonly [K in keyof AuditEventRef]?: AuditEventRef[K] } = { auditID: event.auditID, time: event.time, user: event.user.username };
  if (event.impersonatedUser) ref.impersonatedUser = event.impersonatedUser.username;
  ref.sourceIP = event.sourceIPs[0] ?? '';
  if (event.userAgent !== '') ref.userAgent = event.userAgent;
  ref.verb = event.verb;
  ref.object = describeTarget(event);
  if (event.code !== undefined) ref.code = event.code;
  ref.file = location.file;
  ref.line = location.line;
  return ref as AuditEventRef;
}

function worse(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

function addFact(facts: GroupState['facts'], name: string, value: string): void {
  if (value === '') return;
  const fact = facts[name] ?? (facts[name] = { values: [], more: false });
  if (fact.values.includes(value)) return;
  if (fact.values.length < MAX_FACT_VALUES) fact.values.push(value);
  else fact.more = true;
}

/** The detections of the settings, and what to do with each line and event. */
export class Analyzer {
  private readonly active: readonly ActiveDetection[];
  /** Pre-filters asked about every line, and those asked only about lines naming one of their resources. */
  private readonly always: readonly ActiveDetection[];
  private readonly byResource = new Map<string, ActiveDetection[]>();
  /**
   * The detections that may match an event on each resource, in the settings' order: those about
   * every event and those about that resource. A parsed event is matched only by these (the others
   * cannot match it, and a line is parsed a few thousand times a run: too few for V8 to optimize
   * a dozen matchers before the read ends).
   */
  private readonly matchers = new Map<string, readonly ActiveDetection[]>();

  constructor(settings: DetectorSettings) {
    this.active = instantiate(settings);
    this.always = this.active.filter((a) => a.detector.resources === undefined);
    for (const a of this.active) {
      for (const resource of a.detector.resources ?? []) this.byResource.set(resource, [...(this.byResource.get(resource) ?? []), a]);
    }
    for (const [resource, about] of this.byResource) this.matchers.set(resource, this.active.filter((a) => this.always.includes(a) || about.includes(a)));
  }

  init(): AnalysisState {
    return { detections: new Map(this.active.map((a) => [a.id, { groups: new Map(), minutes: new Map(), unjudged: new Map(), created: new Map() }])) };
  }

  /** Whether some detection may match an event on this raw line. */
  wants(probe: LineProbe): boolean {
    for (const a of this.always) if (a.detector.prefilter(probe)) return true;
    const about = this.byResource.get(probe.resource());
    if (about !== undefined) for (const a of about) if (a.detector.prefilter(probe)) return true;
    return false;
  }

  add(state: AnalysisState, event: AuditEvent, location: EventLocation): void {
    for (const a of this.matchers.get(event.objectRef?.resource ?? '') ?? this.always) {
      const result = a.detector.match(event);
      if (result === undefined) continue;
      const detectionState = state.detections.get(a.id);
      if (detectionState === undefined) continue;
      if (isUnjudged(result)) {
        detectionState.unjudged.set(result.unjudged, (detectionState.unjudged.get(result.unjudged) ?? 0) + 1);
        continue;
      }
      const matches: readonly Match[] = Array.isArray(result) ? result : [result as Match];
      for (const match of matches) this.record(a, detectionState, match, event, location);
    }
  }

  private record(a: ActiveDetection, state: DetectionState, match: Match, event: AuditEvent, location: EventLocation): void {
    let group = state.groups.get(match.key);
    if (group === undefined) {
      group = {
        resource: match.resource,
        severity: matchSeverity(a, match),
        count: 0,
        ids: match.dedupe ? new Set() : undefined,
        events: [],
        firstSeen: event.time,
        lastSeen: event.time,
        facts: {},
        windows: new Map(),
        tallies: {},
        labels: match.labels ? { ...match.labels } : undefined,
        owner: match.owner,
        derivedFrom: match.derivedFrom,
        derived: undefined,
      };
      state.groups.set(match.key, group);
    }
    if (group.ids !== undefined) {
      // An event without an ID cannot be a duplicate: give it one of its own.
      const id = event.auditID !== '' ? event.auditID : `#${location.file}:${location.line}`;
      if (group.ids.has(id)) return;
      group.ids.add(id);
    }
    if (match.created !== undefined && !state.created.has(match.created)) state.created.set(match.created, match.key);
    group.count += 1;
    group.severity = worse(group.severity, matchSeverity(a, match));
    if (group.events.length < MAX_EVENTS) group.events.push(eventRef(event, location));
    if (event.time !== '') {
      if (group.firstSeen === '' || event.time < group.firstSeen) group.firstSeen = event.time;
      if (event.time > group.lastSeen) group.lastSeen = event.time;
    }
    const facts = match.facts;
    if (facts !== undefined) for (const name of Object.keys(facts)) addFact(group.facts, name, facts[name] as string);
    if (match.window !== undefined) group.windows.set(match.window, (group.windows.get(match.window) ?? 0) + 1);
    if (match.tally !== undefined) group.tallies[match.tally] = (group.tallies[match.tally] ?? 0) + 1;
    const minute = minuteOf(event.time);
    if (minute !== undefined) state.minutes.set(minute, (state.minutes.get(minute) ?? 0) + 1);
  }
}

function addCounts(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [key, n] of from) into.set(key, (into.get(key) ?? 0) + n);
}

/** Appends examples while there is room (a group keeps its first MAX_EVENTS, in log order). */
function appendEvents(into: GroupState, events: readonly AuditEventRef[]): void {
  for (const e of events) {
    if (into.events.length >= MAX_EVENTS) return;
    into.events.push(e);
  }
}

function mergeGroup(into: GroupState, from: GroupState): void {
  if (into.ids !== undefined && from.ids !== undefined) {
    const seen = into.ids;
    // A group whose examples are full takes none of the later part's: no need to look for fresh ones.
    const fresh = into.events.length < MAX_EVENTS ? from.events.filter((e) => e.auditID === '' || !seen.has(e.auditID)) : [];
    for (const id of from.ids) seen.add(id);
    into.count = seen.size;
    appendEvents(into, fresh);
  } else {
    into.count += from.count;
    appendEvents(into, from.events);
  }
  into.severity = worse(into.severity, from.severity);
  if (from.firstSeen !== '' && (into.firstSeen === '' || from.firstSeen < into.firstSeen)) into.firstSeen = from.firstSeen;
  if (from.lastSeen > into.lastSeen) into.lastSeen = from.lastSeen;
  for (const name of Object.keys(from.facts)) {
    const fact = from.facts[name] as GroupState['facts'][string];
    const kept = into.facts[name];
    // Full and known to have had more: nothing the later part saw changes it.
    if (kept !== undefined && kept.more && kept.values.length >= MAX_FACT_VALUES) continue;
    for (const value of fact.values) addFact(into.facts, name, value);
    if (fact.more) (into.facts[name] ?? { more: false }).more = true;
  }
  addCounts(into.windows, from.windows);
  for (const key of Object.keys(from.tallies)) into.tallies[key] = (into.tallies[key] ?? 0) + (from.tallies[key] as number);
  into.labels ??= from.labels;
  into.owner ??= from.owner;
  into.derivedFrom ??= from.derivedFrom;
}

/** Merges `from` (the state of a later part of the log) into `into`. */
export function mergeAnalysis(into: AnalysisState, from: AnalysisState): AnalysisState {
  for (const [id, source] of from.detections) {
    const target = into.detections.get(id);
    if (target === undefined) {
      into.detections.set(id, source);
      continue;
    }
    for (const [key, group] of source.groups) {
      const existing = target.groups.get(key);
      if (existing === undefined) target.groups.set(key, group);
      else mergeGroup(existing, group);
    }
    addCounts(target.minutes, source.minutes);
    addCounts(target.unjudged, source.unjudged);
    // The earlier part's group stays the object's: the same key either way when one user created it.
    for (const [object, key] of source.created) if (!target.created.has(object)) target.created.set(object, key);
  }
  return into;
}

/** Adds `offset` to the line of every event kept: a worker counts lines from the start of its part of the file. */
export function shiftAnalysisLines(state: AnalysisState, offset: number): void {
  if (offset === 0) return;
  for (const detection of state.detections.values()) {
    for (const group of detection.groups.values()) {
      // In place: a state's examples are its own (each made for one group by `record`), and it is consumed by the join that shifts it.
      for (const e of group.events) if (e.line !== undefined) (e as { line: number }).line = e.line + offset;
    }
  }
}
