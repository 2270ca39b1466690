/**
 * Two sets of findings compared by fingerprint: what is new, what is fixed, what is unchanged.
 * Fingerprints are counted, not just collected: the same object in two overlays gives two
 * findings with one fingerprint, and fixing one of them is one fixed finding. Pure.
 */
import type { Finding } from '../core/finding.js';
import { fingerprint } from './fingerprint.js';

export interface Comparison {
  /** In the current findings, not in the baseline (current order). */
  readonly new: readonly Finding[];
  /** In the baseline, no longer found (baseline order). */
  readonly fixed: readonly Finding[];
  /** In both; the current finding. */
  readonly unchanged: readonly Finding[];
}

export function compareFindings(baseline: readonly Finding[], current: readonly Finding[]): Comparison {
  const remaining = new Map<string, Finding[]>();
  for (const f of baseline) {
    const key = fingerprint(f);
    const list = remaining.get(key);
    if (list) list.push(f);
    else remaining.set(key, [f]);
  }
  const added: Finding[] = [];
  const unchanged: Finding[] = [];
  for (const f of current) {
    const list = remaining.get(fingerprint(f));
    if (list !== undefined && list.length > 0) {
      list.shift();
      unchanged.push(f);
    } else {
      added.push(f);
    }
  }
  const left = new Set([...remaining.values()].flat());
  return { new: added, fixed: baseline.filter((f) => left.has(f)), unchanged };
}

/** What reporters say about a baseline: its file, the counts, and the fixed findings (SARIF lists them as `absent`). */
export interface BaselineSummary {
  readonly file: string;
  readonly new: number;
  readonly unchanged: number;
  readonly fixed: readonly Finding[];
}

/** The current findings marked `new` or `unchanged`, and the summary; exempted findings are left as they are. */
export function applyBaseline(file: string, baseline: readonly Finding[], current: readonly Finding[]): { findings: Finding[]; summary: BaselineSummary } {
  const comparison = compareFindings(baseline, current);
  const old = new Set(comparison.unchanged);
  const findings = current.map((f): Finding => ({ ...f, baselineState: old.has(f) ? 'unchanged' : 'new' }));
  return { findings, summary: { file, new: comparison.new.length, unchanged: comparison.unchanged.length, fixed: comparison.fixed } };
}

export function baselineSentence(s: BaselineSummary): string {
  return `${s.new} new, ${s.fixed.length} fixed since the baseline (${s.unchanged} unchanged)`;
}
