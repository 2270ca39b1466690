/**
 * `-o ocsf`: one OCSF Compliance Finding event (class 2003, category Findings) per finding, as a
 * JSON array, for security data lakes (Amazon Security Lake, SIEMs that read OCSF). The rule is
 * the control, its guide section and CIS ids are the compliance standards and requirements;
 * exempted findings are included with status Suppressed and the reason. Pure.
 */
import { toDottedPath } from '../core/field-path.js';
import type { Finding, Severity } from '../core/finding.js';
import { formatRef } from '../core/resource.js';
import type { AuditResult } from '../engine/audit.js';
import { fingerprint } from '../baseline/fingerprint.js';
import type { AwsScope } from './aws-scope.js';
import type { ReportedRule } from './context.js';
import { patchJson } from './json.js';
import { standardsByRule, GUIDE, type RuleStandards } from './standards.js';

export const OCSF_VERSION = '1.1.0';
const CLASS_UID = 2003;
const CATEGORY_UID = 2;
/** Activity 1, Create: each run reports its findings anew; type_uid is class_uid * 100 + activity_id. */
const ACTIVITY_ID = 1;

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
const SEVERITY_ID: Readonly<Record<Severity, number>> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Readonly<Record<Severity, string>> = { info: 'Informational', low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

export interface OcsfContext {
  readonly version: string;
  readonly rules: readonly ReportedRule[];
  /** When the report was made (ISO 8601); the CLI passes the clock. */
  readonly generatedAt: string;
  readonly aws?: AwsScope;
}

function resource(f: Finding, scope: AwsScope | undefined): object {
  const r = f.resource;
  if (r.provider === 'aws') {
    return {
      uid: r.arn ?? r.id ?? r.name ?? '', name: r.name ?? r.id ?? r.arn ?? '', type: `aws:${r.service}:${r.type}`,
      ...(r.region !== undefined ? { region: r.region } : {}), cloud_partition: 'aws',
    };
  }
  return {
    uid: `${r.kind}/${r.namespace ?? ''}/${r.name}`, name: r.name, type: `kubernetes:${r.kind}`,
    ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
    ...(scope?.region !== undefined ? { region: scope.region } : {}),
    data: { apiVersion: r.apiVersion, ...(f.location ? { file: f.location.file, line: f.location.line } : {}), ...(f.origin !== undefined ? { origin: f.origin } : {}) },
  };
}

function event(f: Finding, standards: RuleStandards | undefined, context: OcsfContext, time: number): object {
  const suppressed = f.suppressed !== undefined;
  return {
    category_uid: CATEGORY_UID,
    category_name: 'Findings',
    class_uid: CLASS_UID,
    class_name: 'Compliance Finding',
    activity_id: ACTIVITY_ID,
    activity_name: 'Create',
    type_uid: CLASS_UID * 100 + ACTIVITY_ID,
    type_name: 'Compliance Finding: Create',
    time,
    severity_id: SEVERITY_ID[f.severity],
    severity: SEVERITY_NAME[f.severity],
    // status_id: 1 New, 3 Suppressed (an exemption with its reason).
    status_id: suppressed ? 3 : 1,
    status: suppressed ? 'Suppressed' : 'New',
    ...(suppressed ? { status_detail: `${f.suppressed?.kind ?? ''}: ${f.suppressed?.reason ?? ''}` } : {}),
    message: f.message,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'eksguard', vendor_name: 'eksguard', version: context.version, url_string: 'https://github.com/eksguard/eksguard' },
      uid: fingerprint(f),
    },
    finding_info: {
      uid: fingerprint(f),
      title: f.title,
      desc: f.message,
      types: [f.area],
      product_uid: f.ruleId,
    },
    compliance: {
      control: f.ruleId,
      standards: standards?.standards ?? [GUIDE],
      requirements: standards?.requirements ?? [],
      // compliance status_id: 3 Fail; every finding is a failed check.
      status_id: 3,
      status: 'Fail',
    },
    resources: [resource(f, context.aws)],
    remediation: { desc: f.remediation, references: standards?.url !== undefined ? [standards.url] : [] },
    ...(context.aws?.account !== undefined || context.aws?.region !== undefined
      ? { cloud: { provider: 'AWS', ...(context.aws.region !== undefined ? { region: context.aws.region } : {}), ...(context.aws.account !== undefined ? { account: { uid: context.aws.account, type: 'AWS Account', type_id: 10 } } : {}) } }
      : {}),
    unmapped: {
      resource: formatRef(f.resource),
      field_path: toDottedPath(f.path),
      baseline_state: f.baselineState ?? null,
      ...(f.fix ? { fix: patchJson(f.fix) } : {}),
      ...(f.evidence ? { event_count: f.evidence.count, first_seen: f.evidence.firstSeen ?? null, last_seen: f.evidence.lastSeen ?? null } : {}),
    },
  };
}

export function renderOcsf(result: AuditResult, context: OcsfContext): string {
  const standards = standardsByRule(context.rules);
  const time = Date.parse(context.generatedAt);
  const events = [...result.findings, ...result.exempted].map((f) => event(f, standards.get(f.ruleId), context, time));
  return `${JSON.stringify(events, null, 2)}\n`;
}
