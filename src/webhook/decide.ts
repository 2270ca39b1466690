/**
 * The admission decision, pure: an AdmissionRequest and the findings of its object in, the
 * AdmissionReview to answer out. No socket, no clock, no logging: the server measures and logs.
 */
import { atLeast, type Finding, type Severity } from '../core/finding.js';
import { toJsonPointer } from '../core/field-path.js';
import { globMatches } from '../core/glob.js';
import { formatRef, type KubeObject } from '../core/resource.js';
import { reviewOf, type AdmissionRequest, type AdmissionResponse, type AdmissionReviewOut } from './admission-review.js';
import type { Evaluation, RuleError } from './evaluate.js';

export const MODES = ['enforce', 'warn'] as const;
export type Mode = (typeof MODES)[number];

export interface DecisionSettings {
  /** `enforce` denies findings at or above `failOn`; `warn` only warns. */
  readonly mode: Mode;
  readonly failOn: Severity | 'none';
  /** User names (globs with `*`) allowed without evaluation. */
  readonly allowUsers: readonly string[];
}

/**
 * `allowed`: nothing to say; `warned`: allowed with warnings; `denied`; `skipped`: not evaluated
 * (an allow-listed user, a DELETE, an object being deleted, a kind no rule judges).
 */
export type Outcome = 'allowed' | 'warned' | 'denied' | 'skipped';

export interface Decision {
  readonly review: AdmissionReviewOut;
  readonly outcome: Outcome;
  /** The findings that denied the request. */
  readonly denied: readonly Finding[];
  /** The findings answered as warnings. */
  readonly warned: readonly Finding[];
  readonly errors: readonly RuleError[];
}

/** Judges one object: `evaluateObject` with the plan, policy and cluster view bound. */
export type Evaluator = (object: KubeObject, namespace: string | undefined) => Evaluation;

/** kubectl prints each warning on one line; the API server's guidance is under 120 characters. */
export const MAX_WARNING_LENGTH = 119;
/** Warnings beyond this are summed up in one last warning: kubectl prints every one. */
const MAX_WARNINGS = 10;
/** Findings named in a denial message; the rest are counted. */
const MAX_DENIAL_FINDINGS = 4;
const MAX_DENIAL_MESSAGE = 200;

/**
 * Control characters (a newline in an object name, say) would let an object's author forge lines
 * in kubectl's output: they are shown escaped, as JSON would.
 */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function warningOf(finding: Finding): string {
  return clip(printable(`${finding.ruleId}: ${finding.message}`), MAX_WARNING_LENGTH);
}

function warningsOf(findings: readonly Finding[]): string[] {
  const shown = findings.slice(0, MAX_WARNINGS).map(warningOf);
  const rest = findings.length - shown.length;
  if (rest > 0) shown.push(`and ${rest} more finding${rest === 1 ? '' : 's'} (eksguard scan lists them all)`);
  return shown;
}

function denialMessage(object: KubeObject, findings: readonly Finding[]): string {
  const first = findings[0];
  const what = first ? formatRef(first.resource) : object.kind;
  const listed = findings.slice(0, MAX_DENIAL_FINDINGS).map((f) => `[${f.ruleId}] ${clip(f.message, MAX_DENIAL_MESSAGE)}`);
  const rest = findings.length - listed.length;
  if (rest > 0) listed.push(`and ${rest} more`);
  return printable(`eksguard denied ${what}: ${listed.join('; ')}`);
}

/** Identifies a finding across the old and the new object of an UPDATE. */
function findingKey(finding: Finding): string {
  return `${finding.ruleId}\u0000${toJsonPointer(finding.path)}\u0000${finding.message}`;
}

function isBeingDeleted(object: KubeObject): boolean {
  const stamp = object.metadata?.deletionTimestamp;
  return typeof stamp === 'string' && stamp !== '';
}

/**
 * Decides one request:
 * - an allow-listed user, a DELETE or CONNECT, an object being deleted (its finalizers are being
 *   removed) or a kind no rule judges: allowed without a word;
 * - otherwise the object's findings at or above `failOn` deny it in `enforce` mode, and every
 *   other finding is a warning;
 * - on UPDATE, a finding the old object had too only warns: the request did not make it worse, and
 *   blocking it would stop scaling or relabelling an object admitted before enforcement began
 *   (Pod Security Admission exempts such updates for the same reason).
 * A dry run is answered exactly as the real request would be.
 */
export function decide(request: AdmissionRequest, evaluate: Evaluator, settings: DecisionSettings): Decision {
  const skip = (): Decision => ({ review: reviewOf({ uid: request.uid, allowed: true }), outcome: 'skipped', denied: [], warned: [], errors: [] });
  const user = request.userInfo.username;
  if (user !== undefined && settings.allowUsers.some((pattern) => globMatches(pattern, user))) return skip();
  const object = request.object;
  if ((request.operation !== 'CREATE' && request.operation !== 'UPDATE') || object === undefined || isBeingDeleted(object)) return skip();

  const evaluation = evaluate(object, request.namespace);
  if (!evaluation.judged) return skip();
  let before: ReadonlySet<string> = new Set();
  if (request.operation === 'UPDATE' && request.oldObject !== undefined && evaluation.findings.length > 0) {
    before = new Set(evaluate(request.oldObject, request.namespace).findings.map(findingKey));
  }
  const denied: Finding[] = [];
  const warned: Finding[] = [];
  const threshold = settings.failOn;
  for (const finding of evaluation.findings) {
    const blocks = settings.mode === 'enforce' && threshold !== 'none' && atLeast(finding.severity, threshold) && !before.has(findingKey(finding));
    (blocks ? denied : warned).push(finding);
  }
  const warnings = warningsOf(warned);
  const response: AdmissionResponse = denied.length > 0
    ? { uid: request.uid, allowed: false, status: { code: 403, reason: 'Forbidden', message: denialMessage(object, denied) }, ...(warnings.length > 0 ? { warnings } : {}) }
    : { uid: request.uid, allowed: true, ...(warnings.length > 0 ? { warnings } : {}) };
  const outcome: Outcome = denied.length > 0 ? 'denied' : warned.length > 0 ? 'warned' : 'allowed';
  return { review: reviewOf(response), outcome, denied, warned, errors: evaluation.errors };
}
