/**
 * The jobs a log can be read for, described as plain data so a worker thread can build the same
 * job: the detections (`audit analyze`) or collecting one subject's requests (`audit rbac`).
 */
import { Analyzer, mergeAnalysis, shiftAnalysisLines, type AnalysisState } from './analyzer.js';
import type { LogJob } from './sources/consume.js';
import { classifyRequest, literalInJson, MALFORMED, requestKey, type RequestAttributes, type SubjectSelection } from './rbac/requests.js';
import type { DetectorSettings } from './registry.js';

export type JobSpec =
  | { readonly kind: 'analyze'; readonly settings: DetectorSettings }
  | { readonly kind: 'rbac'; readonly selection: SubjectSelection };

export interface RbacState {
  /** Distinct requests, first seen first. */
  requests: Map<string, RequestAttributes>;
  /** Events of the subject, duplicates included. */
  matched: number;
  /** Events of the subject on a resource path without a readable objectRef: left out. */
  malformed: number;
}

export function analyzeJob(settings: DetectorSettings): LogJob<AnalysisState> {
  const analyzer = new Analyzer(settings);
  return {
    init: () => analyzer.init(),
    wants: (probe) => analyzer.wants(probe),
    add: (state, event, location) => analyzer.add(state, event, location),
    merge: mergeAnalysis,
    shiftLines: shiftAnalysisLines,
  };
}

export function rbacJob(selection: SubjectSelection): LogJob<RbacState> {
  const literal = literalInJson(selection.user);
  return {
    init: () => ({ requests: new Map(), matched: 0, malformed: 0 }),
    // Every event of the subject names it; the rest need not be parsed.
    wants: (probe) => !literal || probe.has(selection.user),
    add(state, event) {
      const request = classifyRequest(event, selection);
      if (request === MALFORMED) {
        state.malformed += 1;
        return;
      }
      if (request === undefined) return;
      state.matched += 1;
      const key = requestKey(request);
      if (!state.requests.has(key)) state.requests.set(key, request);
    },
    merge(into, from) {
      into.matched += from.matched;
      into.malformed += from.malformed;
      for (const [key, request] of from.requests) if (!into.requests.has(key)) into.requests.set(key, request);
      return into;
    },
    shiftLines: () => undefined,
  };
}

export function jobFor(spec: JobSpec): LogJob<AnalysisState> | LogJob<RbacState> {
  return spec.kind === 'analyze' ? analyzeJob(spec.settings) : rbacJob(spec.selection);
}
