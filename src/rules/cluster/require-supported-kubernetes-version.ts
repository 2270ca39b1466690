import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { defineRule } from '../define-rule.js';
import { clusterName } from '../shared/aws.js';

export type MessageId = 'extendedSupport' | 'unsupported';

/**
 * Amazon EKS Kubernetes version lifecycle: the last day of standard and of extended support, from
 * the "Amazon EKS Kubernetes release calendar" of the Amazon EKS User Guide page "Understand the
 * Kubernetes version lifecycle on EKS" (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html,
 * source: awsdocs/amazon-eks-user-guide, latest/ug/versioning/kubernetes-versions.adoc). Checked
 * row by row on 2026-11-27:
 * - 1.29–1.34: the page's table (versioning/kubernetes-versions.adoc as of commit 0138560).
 * - 1.27, 1.28: the page's table before those rows left it (clusters/kubernetes-versions.adoc, commit 10ac1b4).
 * - 1.23: the page's extended-support FAQ ("standard support for version 1.23 in Amazon EKS ended on
 *   October 11, 2023 ... extended support ... ended on October 11, 2024").
 * - 1.24–1.26: a third-party copy of the page's 2024 table (the AWS copies at hand were cut short
 *   before those rows); the dates follow the page's rule of 14 + 12 months from each EKS release.
 * - 1.35: endoflife.date/amazon-eks, which reads the same page (EKS release January 2026).
 * - 1.36: the page's release notes list 1.36 as available; its dates are EKS's 14 + 12 months from
 *   the EKS release of June 2, 2026 as reported outside AWS — confirm against the page when online.
 * To update, add a row per new version and move TABLE_DATE to the day the page was read
 * (docs/rules/require-supported-kubernetes-version.md).
 */
export const SUPPORT_TABLE: Readonly<Record<string, { readonly standardEnd: string; readonly extendedEnd: string }>> = {
  '1.23': { standardEnd: '2023-10-11', extendedEnd: '2024-10-11' },
  '1.24': { standardEnd: '2024-01-31', extendedEnd: '2025-01-31' },
  '1.25': { standardEnd: '2024-05-01', extendedEnd: '2025-05-01' },
  '1.26': { standardEnd: '2024-06-11', extendedEnd: '2025-06-11' },
  '1.27': { standardEnd: '2024-07-24', extendedEnd: '2025-07-24' },
  '1.28': { standardEnd: '2024-11-26', extendedEnd: '2025-11-26' },
  '1.29': { standardEnd: '2025-03-23', extendedEnd: '2026-03-23' },
  '1.30': { standardEnd: '2025-07-23', extendedEnd: '2026-07-23' },
  '1.31': { standardEnd: '2025-11-26', extendedEnd: '2026-11-26' },
  '1.32': { standardEnd: '2026-03-23', extendedEnd: '2027-03-23' },
  '1.33': { standardEnd: '2026-07-29', extendedEnd: '2027-07-29' },
  '1.34': { standardEnd: '2026-12-02', extendedEnd: '2027-12-02' },
  '1.35': { standardEnd: '2027-03-27', extendedEnd: '2028-03-27' },
  '1.36': { standardEnd: '2027-08-02', extendedEnd: '2028-08-02' },
};
/** The day the table was last checked: the date a scan is judged at when nothing better is known. */
export const TABLE_DATE = '2026-11-27';

export interface Options {
  /** `YYYY-MM-DD`; empty means the date the AWS evidence was collected, else TABLE_DATE. */
  readonly asOf: string;
  /** Extra or corrected rows, merged over the built-in table. */
  readonly versions: Readonly<Record<string, { readonly standardEnd: string; readonly extendedEnd: string }>>;
}

function minorOf(version: string): number | undefined {
  const match = /^1\.(\d+)$/.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

/** The day a scan is judged at: never the clock (rules are pure), but the option, the evidence's date, or the table's. */
function asOfDate(options: Options, inventory: Inventory): string {
  if (options.asOf !== '') return options.asOf;
  return inventory.aws?.evidence.collectedAt?.slice(0, 10) ?? TABLE_DATE;
}

export default defineRule({
  id: 'require-supported-kubernetes-version',
  meta: {
    area: 'cluster',
    severity: 'medium',
    docs: { description: 'Require a Kubernetes version still in EKS standard support', controls: ['eks-bp:infrastructure-security'] },
    evidence: ['aws'],
    messages: {
      extendedSupport: 'Cluster {{cluster}} runs Kubernetes {{version}}, past EKS standard support since {{standardEnd}}: it is in extended support (paid, no new features) until {{extendedEnd}}, judged as of {{asOf}}.',
      unsupported: 'Cluster {{cluster}} runs Kubernetes {{version}}, past the end of EKS extended support ({{extendedEnd}}), judged as of {{asOf}}: it gets no security fixes and EKS will upgrade it automatically.',
    },
    rationale: 'Each Kubernetes minor version gets security fixes from EKS for a fixed period: 14 months of standard support, then 12 months of paid extended support. A cluster past standard support misses upstream fixes of newer minors and is on a clock; past extended support, it gets no fixes at all and EKS upgrades it on its own schedule, which can break workloads.',
    remediation: 'Plan the upgrade to a version in standard support: check deprecated APIs (e.g. with the EKS upgrade insights), upgrade the control plane one minor version at a time, then the node groups and add-ons.',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        asOf: { type: 'string', pattern: '^(\\d{4}-\\d{2}-\\d{2})?$', description: 'The day to judge at (YYYY-MM-DD). Default: the date the AWS evidence was collected (the dump\'s collectedAt, or the newest file), else the date of the built-in table.' },
        versions: {
          type: 'object',
          description: 'Rows added to or replacing the built-in support table: { "1.35": { "standardEnd": "YYYY-MM-DD", "extendedEnd": "YYYY-MM-DD" } }.',
          additionalProperties: {
            type: 'object', additionalProperties: false, required: ['standardEnd', 'extendedEnd'],
            properties: { standardEnd: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, extendedEnd: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } },
          },
        },
      },
    },
  },
  defaultOptions: { asOf: '', versions: {} } as Options,
  create(options) {
    const table = { ...SUPPORT_TABLE, ...options.versions };
    const minors = Object.keys(table).map(minorOf).filter((m): m is number => m !== undefined);
    const oldest = Math.min(...minors);
    return {
      *'aws:eks:cluster'(target, inventory): Generator<Report<MessageId>> {
        const version = target.data.version;
        const minor = version === undefined ? undefined : minorOf(version);
        if (version === undefined || minor === undefined) return;
        const asOf = asOfDate(options, inventory);
        const cluster = clusterName(target.data);
        const row = table[`1.${minor}`];
        // Versions newer than the table are supported (the table only lags behind EKS); older ones ended before extended support existed.
        if (row === undefined) {
          if (minor < oldest) yield { messageId: 'unsupported', path: ['version'], severity: 'high', data: { cluster, version, extendedEnd: 'before 2024', asOf } };
          return;
        }
        if (asOf > row.extendedEnd) yield { messageId: 'unsupported', path: ['version'], severity: 'high', data: { cluster, version, extendedEnd: row.extendedEnd, asOf } };
        else if (asOf > row.standardEnd) yield { messageId: 'extendedSupport', path: ['version'], data: { cluster, version, standardEnd: row.standardEnd, extendedEnd: row.extendedEnd, asOf } };
      },
    };
  },
});
