import {
  SEVERITIES, severityRank, type FieldPath, type Finding, type MessageData, type PatchOp, type Report, type ResourceRef, type Severity, type Suggestion,
} from '../core/finding.js';
import { toJsonPointer } from '../core/field-path.js';
import type { Inventory } from '../core/inventory.js';
import { isAwsTargetKind } from '../core/aws/targets.js';
import { describeOrigin, formatRef, type Gap } from '../core/resource.js';
import type { Target, TargetKind, TargetMap } from '../core/targets.js';
import { interpolate, type AnyRule, type Handler } from '../rules/define-rule.js';
import { findSuppression, type ExemptionPolicy } from './exemptions.js';
import { evidenceOfRule } from './rule-kinds.js';
import type { EnabledRule } from './rule-set.js';

export interface NotEvaluated {
  readonly ruleId: string;
  readonly reason: string;
}

export interface Summary {
  /** Findings by severity (exempted ones not counted). */
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly findings: number;
  readonly exempted: number;
  readonly resources: number;
  readonly rulesRun: number;
  /** (rule, target) pairs evaluated, and how many had no unexempted finding. */
  readonly checks: number;
  readonly passed: number;
  /**
   * 0–100: the share of checks passed, each weighted by its rule's severity; null when nothing was
   * checked. Absent for audit logs: there a check is a detection, and the share of detections that
   * stayed quiet says nothing about how safe a cluster is (one intrusion is not "90/100").
   */
  readonly score?: number | null;
}

/** One (rule, target) pair the audit judged, for reports that list passes too (JUnit). */
export interface Check {
  readonly ruleId: string;
  readonly resource: ResourceRef;
  readonly file?: string;
  readonly line?: number;
  /** Whether it had no unexempted finding. */
  readonly passed: boolean;
}

export interface AuditOptions {
  /** Keep the list of every (rule, target) pair judged; off by default, as it grows with rules × objects. */
  readonly recordChecks?: boolean;
}

export interface AuditResult {
  readonly findings: readonly Finding[];
  /** Present when the audit ran with `recordChecks`. */
  readonly checks?: readonly Check[];
  readonly exempted: readonly Finding[];
  readonly gaps: readonly Gap[];
  readonly notEvaluated: readonly NotEvaluated[];
  readonly summary: Summary;
}

/** How much a failed check costs the score, by severity. */
export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = { critical: 10, high: 5, medium: 3, low: 1, info: 0 };

function targetsOf(kind: TargetKind, inventory: Inventory): readonly TargetMap[TargetKind][] {
  if (kind === 'workload') return inventory.workloads;
  if (kind === 'namespace') return inventory.namespaces;
  if (kind === 'object') return inventory.objects;
  if (isAwsTargetKind(kind)) return inventory.aws?.targets(kind) ?? [];
  return inventory.ofKind(kind);
}

/**
 * What making a finding reads of a rule, in one object shape for every rule. The rules' own `meta`
 * objects differ in shape (optional members, and `messages` keyed by each rule's ids), so code
 * reading them for each finding met a new shape with each rule, and V8 dropped and recompiled it:
 * `audit` and `toFinding` were compiled 4-7 times a scan, a large share of a cold scan's CPU time.
 */
interface RuleFacts {
  readonly rule: AnyRule;
  readonly id: string;
  readonly severity: Severity;
  /** The configuration set the severity: it wins over a report's own. */
  readonly severityConfigured: boolean;
  readonly messages: ReadonlyMap<string, string>;
  readonly area: string;
  readonly title: string;
  readonly remediation: string;
  readonly fixable: boolean;
  readonly hasSuggestions: boolean;
}

/** Each rule's messages as a map, made once per rule: see `RuleFacts`. */
const MESSAGES = new WeakMap<AnyRule, ReadonlyMap<string, string>>();

function factsOf(rule: AnyRule, severity: Severity, severityConfigured: boolean): RuleFacts {
  let messages = MESSAGES.get(rule);
  if (messages === undefined) {
    messages = new Map(Object.entries(rule.meta.messages as Readonly<Record<string, string>>));
    MESSAGES.set(rule, messages);
  }
  return {
    rule,
    id: rule.id,
    severity,
    severityConfigured,
    messages,
    area: rule.meta.area,
    title: rule.meta.docs.description,
    remediation: rule.meta.remediation,
    fixable: rule.meta.fixable === true,
    hasSuggestions: rule.meta.hasSuggestions === true,
  };
}

/** A report's suggestions as the finding's, their messages filled in. */
function suggestionsOf(facts: RuleFacts, suggest: NonNullable<Report<string>['suggest']>): Suggestion[] {
  return suggest.map((s) => {
    const text = facts.messages.get(s.messageId);
    if (text === undefined) throw new Error(`rule ${facts.id} suggested unknown messageId "${s.messageId}"`);
    return { messageId: s.messageId, message: interpolate(text, s.data), patch: s.patch };
  });
}

/**
 * The finding of one report, given the report's members rather than the report: each rule makes
 * its reports in its own object shapes, and reading them here had V8 recompile this function as
 * rule after rule brought new ones; `findingOf` reads them, a small function cheap to recompile.
 */
function toFinding(
  facts: RuleFacts, target: Target, policy: ExemptionPolicy, messageId: string, path: FieldPath, data: MessageData | undefined,
  fix: readonly PatchOp[] | undefined, suggest: Report<string>['suggest'], reportSeverity: Severity | undefined,
): Finding {
  const template = facts.messages.get(messageId);
  if (template === undefined) throw new Error(`rule ${facts.id} reported unknown messageId "${messageId}"`);
  // `?.` as before: a plain-JS rule may leave `suggest: null`.
  const suggestions = suggest === undefined || (suggest as unknown) === null ? undefined : suggestionsOf(facts, suggest);
  const origin = target.origin;
  const suppressed = findSuppression(target, facts.id, policy);
  const message = interpolate(template, data);
  const severity = facts.severityConfigured ? facts.severity : reportSeverity ?? facts.severity;
  // Built field by field rather than with conditional spreads: thousands of findings per scan, and
  // each spread copies the object so far. The key order is the JSON output's. A file's finding
  // (nearly all of them) gets its location in the literal: added afterwards, it cost each finding
  // a change of object shape.
  let finding: Mutable<Finding>;
  if (origin.type === 'file') {
    const position = origin.locate ? origin.locate(path) : { line: origin.line, column: 1 };
    finding = {
      ruleId: facts.id, messageId, message, severity, area: facts.area, title: facts.title, remediation: facts.remediation,
      resource: target.ref, path, location: { file: origin.file, line: position.line, column: position.column },
    };
  } else {
    finding = {
      ruleId: facts.id, messageId, message, severity, area: facts.area, title: facts.title, remediation: facts.remediation,
      resource: target.ref, path,
    };
    if (origin.type === 'implied' && origin.file !== undefined) finding.location = { file: origin.file, line: origin.line ?? 1, column: 1 };
    finding.origin = describeOrigin(origin);
  }
  if (fix) finding.fix = fix;
  if (suggestions) finding.suggestions = suggestions;
  if (suppressed) finding.suppressed = suppressed;
  return finding;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function findingKey(f: Finding): string {
  const r = f.resource;
  const where = r.provider === 'kubernetes' ? `${f.location?.file ?? ''}\u0000${String(f.location?.line ?? 0).padStart(9, '0')}\u0000${r.kind}\u0000${r.namespace ?? ''}\u0000${r.name}` : `${r.arn ?? r.id ?? ''}`;
  return `${where}\u0000${f.ruleId}\u0000${toJsonPointer(f.path)}`;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `findingKey` order, without building the keys for the common case of two Kubernetes findings:
 * their fields compared one by one give the same order as the joined key (fields never hold NUL).
 */
function compareFindings(a: Finding, b: Finding): number {
  const ra = a.resource;
  const rb = b.resource;
  if (ra.provider !== 'kubernetes' || rb.provider !== 'kubernetes') return compareText(findingKey(a), findingKey(b));
  return compareText(a.location?.file ?? '', b.location?.file ?? '')
    || (a.location?.line ?? 0) - (b.location?.line ?? 0)
    || compareText(ra.kind, rb.kind)
    || compareText(ra.namespace ?? '', rb.namespace ?? '')
    || compareText(ra.name, rb.name)
    || compareText(a.ruleId, b.ruleId)
    || compareText(toJsonPointer(a.path), toJsonPointer(b.path));
}

/** Deterministic order for golden tests and diffs: by file and line, resource, rule, then path. */
function sortFindings(list: Finding[]): void {
  list.sort(compareFindings);
}

/**
 * Why a rule cannot be judged on this inventory, or undefined when it can: the evidence it needs
 * was not read, a source failed to read it, or the rule itself says so. Throws what the rule's
 * own `notEvaluated` throws.
 */
export function whyNotEvaluated(rule: AnyRule, handlers: EnabledRule['handlers'], inventory: Inventory): string | undefined {
  if (!rule.meta.evidence.some((e) => inventory.evidence.has(e))) {
    return `needs ${rule.meta.evidence.join(' or ')} evidence, which this scan did not read`;
  }
  // Evidence a source failed to read (a 403, an AccessDenied) would otherwise be judged as absent: the rule would pass on nothing.
  if (!inventory.unread.empty) {
    const needed = evidenceOfRule(rule, handlers);
    const unread = inventory.unread;
    const reason = unread.reason(needed.kinds, needed.awsCalls) ?? unread.reasonIfNoneRead(needed.podSpecKinds);
    if (reason !== undefined) return reason;
  }
  return rule.notEvaluated?.(inventory);
}

/** A report as a finding, its exemption (if any) resolved. Throws when the rule reports what its meta does not declare. */
function findingOf(facts: RuleFacts, target: Target, report: Report<string>, policy: ExemptionPolicy): Finding {
  const { messageId, path, data, fix, suggest, severity } = report;
  if (fix && !facts.fixable) throw new Error(`rule ${facts.id} reported a fix but meta.fixable is not set`);
  if (suggest && !facts.hasSuggestions) throw new Error(`rule ${facts.id} reported suggestions without meta.hasSuggestions`);
  return toFinding(facts, target, policy, messageId, path, data, fix, suggest, severity);
}

/**
 * Runs one rule's handler on one target and hands each report, as a finding with its exemption
 * (if any) resolved, to `emit`. `scan` and the admission webhook both make findings through
 * `findingOf`, so a finding reads the same wherever it is reported. Throws what the rule throws,
 * and when a rule reports what its meta does not declare.
 */
export function judge(
  rule: AnyRule, severity: Severity, handler: Handler<TargetMap[TargetKind], string>, target: Target, inventory: Inventory,
  policy: ExemptionPolicy, emit: (finding: Finding) => void, severityConfigured = false,
): void {
  const facts = factsOf(rule, severity, severityConfigured);
  for (const report of handler(target as TargetMap[TargetKind], inventory)) emit(findingOf(facts, target, report, policy));
}

/** Where `audit` puts what it finds; one object for the whole audit. */
interface Tally {
  readonly findings: Finding[];
  readonly exempted: Finding[];
  readonly gaps: Gap[];
  readonly checkList: Check[] | undefined;
}

/** Adds a report's finding to the tally; whether it fails its target (it is not exempted). */
function record(facts: RuleFacts, target: Target, report: Report<string>, policy: ExemptionPolicy, tally: Tally): boolean {
  const finding = findingOf(facts, target, report, policy);
  if (finding.suppressed) {
    tally.exempted.push(finding);
    return false;
  }
  tally.findings.push(finding);
  return true;
}

/**
 * Runs one rule's handler over its targets, its findings and crashes added to `tally`; returns
 * how many targets failed (had an unexempted finding, or crashed). A function of its own, called
 * once per rule and kind, rather than a loop inside `audit`: V8 compiles it once for all rules,
 * where the loop inside `audit` had all of `audit` recompiled as each rule brought new shapes.
 */
function judgeAll(
  facts: RuleFacts, handler: Handler<TargetMap[TargetKind], string>, targets: readonly Target[], inventory: Inventory,
  policy: ExemptionPolicy, tally: Tally,
): number {
  let failures = 0;
  for (let i = 0; i < targets.length; i += 1) {
    const target = targets[i] as Target;
    let failed = false;
    try {
      // `judge`'s loop, without a callback made for each of the (rule, target) pairs. An array
      // (what the per-workload rules return) is read by index: `for...of` made an iterator for it.
      const reports = handler(target as TargetMap[TargetKind], inventory);
      if (Array.isArray(reports)) {
        for (let r = 0; r < reports.length; r += 1) if (record(facts, target, reports[r] as Report<string>, policy, tally)) failed = true;
      } else {
        for (const report of reports) if (record(facts, target, report, policy, tally)) failed = true;
      }
    } catch (error) {
      tally.gaps.push({
        source: describeOrigin(target.origin),
        ...(target.origin.type === 'file' ? { line: target.origin.line } : {}),
        code: 'RULE_CRASH',
        message: `rule ${facts.id} failed on ${formatRef(target.ref)}: ${(error as Error).message}`,
      });
      failed = true;
    }
    if (failed) failures += 1;
    if (tally.checkList) {
      const origin = target.origin;
      const place = origin.type === 'file' ? { file: origin.file, line: origin.line }
        : origin.type === 'implied' && origin.file !== undefined ? { file: origin.file, ...(origin.line !== undefined ? { line: origin.line } : {}) } : {};
      tally.checkList.push({ ruleId: facts.id, resource: target.ref, passed: !failed, ...place });
    }
  }
  return failures;
}

/**
 * Runs every enabled rule over its targets. A rule that throws is recorded as a gap naming the
 * rule and the resource, and the audit goes on (the exit code then says the audit is incomplete).
 */
export function audit(inventory: Inventory, rules: readonly EnabledRule[], policy: ExemptionPolicy, options: AuditOptions = {}): AuditResult {
  const tally: Tally = {
    findings: [],
    exempted: [],
    gaps: [...inventory.gaps, ...inventory.derivedGaps],
    checkList: options.recordChecks ? [] : undefined,
  };
  const { findings, exempted, gaps, checkList } = tally;
  const notEvaluated: NotEvaluated[] = [];
  let checks = 0;
  let passed = 0;
  let totalWeight = 0;
  let failedWeight = 0;

  for (const { rule, severity, severityConfigured = false, handlers } of rules) {
    let reason: string | undefined;
    try {
      reason = whyNotEvaluated(rule, handlers, inventory);
    } catch (error) {
      // Input of an unexpected shape (a hand-edited AWS dump) must not end the scan: the rule is a gap.
      gaps.push({ source: rule.id, code: 'RULE_CRASH', message: `rule ${rule.id} failed deciding whether it can run: ${(error as Error).message}` });
      notEvaluated.push({ ruleId: rule.id, reason: 'it failed on this input (see the gaps)' });
      continue;
    }
    if (reason !== undefined) {
      notEvaluated.push({ ruleId: rule.id, reason });
      continue;
    }
    const facts = factsOf(rule, severity, severityConfigured);
    const weight = SEVERITY_WEIGHT[severity];
    for (const [kind, handler] of Object.entries(handlers) as [TargetKind, Handler<TargetMap[TargetKind], string>][]) {
      const targets = targetsOf(kind, inventory);
      // No call for no targets: an empty list is often a `[]` literal, an array of another shape,
      // which had V8 drop judgeAll's optimised code.
      if (targets.length === 0) continue;
      const failures = judgeAll(facts, handler, targets, inventory, policy, tally);
      checks += targets.length;
      passed += targets.length - failures;
      totalWeight += weight * targets.length;
      failedWeight += weight * failures;
    }
  }

  sortFindings(findings);
  sortFindings(exempted);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const finding of findings) bySeverity[finding.severity] += 1;
  return {
    findings,
    ...(checkList ? { checks: checkList } : {}),
    exempted,
    gaps,
    notEvaluated,
    summary: {
      bySeverity,
      findings: findings.length,
      exempted: exempted.length,
      resources: inventory.objects.length + (inventory.aws?.resourceCount ?? 0),
      rulesRun: rules.length - notEvaluated.length,
      checks,
      passed,
      score: scoreOf(checks, totalWeight, failedWeight),
    },
  };
}

/** The weighted share of checks passed; null over zero checks, where 100 would claim a pass nobody earned. */
export function scoreOf(checks: number, totalWeight: number, failedWeight: number): number | null {
  if (checks === 0) return null;
  return totalWeight === 0 ? 100 : Math.round(100 * (1 - failedWeight / totalWeight));
}

export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) if (worst === undefined || severityRank(f.severity) > severityRank(worst)) worst = f.severity;
  return worst;
}
