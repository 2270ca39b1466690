/** Pieces the `pss check` and `pss advise` reports share. */
import type { FieldPath } from '../core/finding.js';
import type { Gap } from '../core/resource.js';
import { formatKubeRef } from '../core/resource.js';
import type { Workload } from '../core/workload.js';
import type { PssViolation } from './evaluate.js';

/** The resource a result names, as DESIGN.md's JSON shape has it; absent values are null. */
export function resourceJson(workload: Workload): object {
  const origin = workload.origin;
  return {
    kind: workload.ref.kind,
    namespace: workload.namespace,
    name: workload.ref.name,
    file: origin.type === 'file' ? origin.file : null,
    line: origin.type === 'file' ? origin.line : null,
  };
}

export function violationJson(violation: PssViolation): object {
  return { check: violation.check, message: violation.message };
}

export function gapJson(gap: Gap): object {
  return { source: gap.source, line: gap.line ?? null, code: gap.code, message: gap.message };
}

/** `Deployment shop/web (shop.yaml:12)`. */
export function describeWorkload(workload: Workload): string {
  const ref = formatKubeRef({ ...workload.ref, namespace: workload.namespace });
  const origin = workload.origin;
  if (origin.type === 'file') return `${ref} (${origin.file}:${origin.line})`;
  return origin.type === 'cluster' ? `${ref} (cluster:${origin.context})` : ref;
}

/** The line of the first offending field, for workloads read from files. */
export function lineOf(workload: Workload, paths: readonly FieldPath[] | undefined): number | undefined {
  const origin = workload.origin;
  const first = paths?.[0];
  if (origin.type !== 'file' || origin.locate === undefined || first === undefined) return undefined;
  return origin.locate(first).line;
}

export function gapLines(gaps: readonly Gap[]): string[] {
  return gaps.map((g) => `${g.source}${g.line !== undefined ? `:${g.line}` : ''}: ${g.message} (${g.code})`);
}

export const plural = (count: number, singular: string, pluralForm = `${singular}s`): string => `${count} ${count === 1 ? singular : pluralForm}`;

/** How a table is drawn: colour, and the columns it wraps to (100 when not given). */
export interface TableStyle {
  readonly color: boolean;
  readonly width?: number;
}

/** Columns to wrap to; below 40 the indents leave too little room, so lines overflow instead. */
export function tableWidth(style: TableStyle): number {
  return Math.max(40, style.width ?? 100);
}
