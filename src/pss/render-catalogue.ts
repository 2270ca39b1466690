/** `pss check` and `pss advise` as catalogue rows: their SARIF, JUnit and Markdown reports (src/report/catalogue.ts). */
import type { Severity } from '../core/finding.js';
import type { Gap } from '../core/resource.js';
import type { Workload } from '../core/workload.js';
import type { CatalogueEntry, CatalogueReport, CatalogueRow } from '../report/catalogue.js';
import type { AdviseReport } from './advise.js';
import type { CheckId } from './check-types.js';
import type { CheckReport } from './check-inventory.js';
import type { PssViolation } from './evaluate.js';
import { formatPolicy } from './levels.js';
import { PSS_CHECKS } from './registry.js';
import { lineOf } from './render-common.js';
import { formatKubeRef } from '../core/resource.js';

const PSS_DOCS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

function entries(): CatalogueEntry[] {
  return PSS_CHECKS.map((c) => ({ id: c.id, title: `Pod Security Standards ${c.level}: ${c.id}`, description: `The ${c.id} check of the ${c.level} Pod Security Standard, as Pod Security Admission applies it.`, helpUri: PSS_DOCS }));
}

function subjectOf(workload: Workload): string {
  return formatKubeRef({ ...workload.ref, namespace: workload.namespace });
}

function violationRow(workload: Workload, v: PssViolation, severityOf: (id: CheckId) => Severity, prefix: string): CatalogueRow {
  const origin = workload.origin;
  const line = lineOf(workload, v.paths) ?? (origin.type === 'file' ? origin.line : undefined);
  return {
    id: v.check, severity: severityOf(v.check), subject: subjectOf(workload), message: `${prefix}${v.message}`, failed: true,
    scope: origin.type === 'cluster' ? `cluster:${origin.context}` : `namespace ${workload.namespace ?? 'default'}`,
    ...(origin.type === 'file' ? { file: origin.file, ...(line !== undefined ? { line } : {}) } : {}),
  };
}

/** One failed row per violation of a denied pod spec; an allowed one is a passing row. */
export function checkCatalogue(report: CheckReport, gaps: readonly Gap[], severityOf: (id: CheckId) => Severity): CatalogueReport {
  const rows = report.results.flatMap((r): CatalogueRow[] => (r.result.allowed
    ? [{ id: 'allowed', severity: 'info', subject: subjectOf(r.workload), message: `allowed at ${formatPolicy(r.level, r.version)}`, scope: `namespace ${r.workload.namespace ?? 'default'}`, failed: false }]
    : r.result.violations.map((v) => violationRow(r.workload, v, severityOf, `denied at ${formatPolicy(r.level, r.version)}: `))));
  return { command: 'eksguard pss check', noun: 'violation', entries: entries(), rows, gaps };
}

/** One failed row per violation that blocks a namespace's next stricter level. */
export function adviseCatalogue(report: AdviseReport, gaps: readonly Gap[], severityOf: (id: CheckId) => Severity): CatalogueReport {
  const rows = report.namespaces.flatMap((a) => a.blocking.flatMap((b) => b.violations.map((v) => violationRow(b.workload, v, severityOf, `blocks ${a.blockedLevel ?? 'restricted'} in namespace ${a.namespace}: `))));
  return { command: 'eksguard pss advise', noun: 'blocking violation', entries: entries(), rows, gaps };
}
