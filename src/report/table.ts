import { plural } from '../core/plural.js';
import { createColors } from 'picocolors';
import { toDottedPath } from '../core/field-path.js';
import { SEVERITIES, severityRank, type AuditEventRef, type Finding, type FindingEvidence, type Severity } from '../core/finding.js';
import type { AuditResult } from '../engine/audit.js';
import type { ReportContext } from './json.js';
import { baselineSentence } from '../baseline/compare.js';
import { wrap, wrapWords } from './terminal-text.js';
import { scoreWords } from './context.js';
import { terminalMessage as printable } from '../core/terminal-text.js';

export interface TableOptions {
  readonly color: boolean;
  /** Columns to wrap to: the terminal's width, or 100 when not writing to a terminal. */
  readonly width?: number;
  /** What the summary line counts (`object` for manifests, `event` for audit logs). */
  readonly noun?: string;
  /** What judges the input (`rule` for scans, `detection` for audit logs), in the counts. */
  readonly checker?: string;
  /** Extra sections (an audit log's timeline), printed before the summary line. */
  readonly appendix?: string;
  /**
   * `-v`: the docs link under each finding, every exempted finding and rule not evaluated instead of
   * counts, and an audit-log finding's whole evidence instead of its first event.
   */
  readonly verbose?: boolean;
  /** Each rule's documentation (with its EKS Best Practices Guide references), for the verbose guide line. */
  readonly docs?: ReadonlyMap<string, string>;
}

type Colors = ReturnType<typeof createColors>;
type Style = (text: string) => string;

const DEFAULT_WIDTH = 100;
/** Below this the hanging indent would leave too little room for words; narrower terminals scroll instead. */
const MIN_WIDTH = 40;
const SEVERITY_COLUMN = 8;
const INDENT = '  ';
/** Where a finding's message and its detail lines start: under the text after the severity column. */
const HANG = ' '.repeat(INDENT.length + SEVERITY_COLUMN + 2);
/** Longest JSON value shown in a "set" line; the JSON report has the whole patch. */
const MAX_VALUE = 60;

/** A severity's colour in every table (scan, audit, rules): its word, or any text of that severity; other words are dimmed. */
export function paintSeverity(c: Colors, severity: Severity | string, text: string): string {
  switch (severity) {
    case 'critical': return c.bold(c.magenta(text));
    case 'high': return c.red(text);
    case 'medium': return c.yellow(text);
    case 'low': return c.cyan(text);
    default: return c.dim(text);
  }
}

/**
 * Wraps plain text and styles each line's text but not its indent, so colour never bleeds into the
 * margin; `first` replaces the first line's indent (a painted severity of the same width).
 */
function block(text: string, width: number, indent: string, hang: string, style: Style = (t) => t, first?: string): string[] {
  return wrap(printable(text), width, indent, hang).map((line, i) => {
    const prefix = i === 0 ? indent : hang;
    return `${i === 0 && first !== undefined ? first : prefix}${style(line.slice(prefix.length))}`;
  });
}

function resourceName(f: Finding): string {
  const r = f.resource;
  if (r.provider === 'kubernetes') return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
  // An AWS resource by its name, with its plain id where that says more (`security-group eks-nodes (sg-0abc)`).
  const name = r.name ?? r.arn ?? r.id ?? '';
  return r.id !== undefined && r.id !== name ? `${r.type} ${name} (${r.id})` : `${r.type} ${name}`;
}

function resourceHeading(f: Finding): string {
  const where = f.location ? f.location.file : (f.origin ?? '');
  return where ? `${resourceName(f)} (${where})` : resourceName(f);
}

/** `file:line`, the form terminals and editors turn into a link; the origin for resources not read from files. */
function locationOf(f: Finding): string {
  return f.location ? `${f.location.file}:${f.location.line}` : (f.origin ?? '');
}

function groupByResource(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = resourceHeading(f);
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  // The worst first, then down the file; the sort is stable, so ties keep the engine's rule order.
  for (const list of groups.values()) list.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.location?.line ?? 0) - (b.location?.line ?? 0));
  return groups;
}

function shownValue(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  return json.length > MAX_VALUE ? `${json.slice(0, MAX_VALUE - 1)}…` : json;
}

/** The field(s) to set, from the automatic fix or else the first suggestion. */
function fieldToSet(f: Finding): string | undefined {
  const patch = f.fix ?? f.suggestions?.[0]?.patch;
  if (patch === undefined || patch.length === 0) return undefined;
  return patch.map((op) => (op.op === 'remove' ? `remove ${toDottedPath(op.path)}` : `${toDottedPath(op.path)} = ${shownValue(op.value)}`)).join('; ');
}

function findingLines(c: Colors, f: Finding, width: number, guide: string | undefined, verbose: boolean): string[] {
  const out: string[] = [];
  const severity = f.severity.padEnd(SEVERITY_COLUMN);
  const head = [locationOf(f), f.ruleId, f.baselineState === 'unchanged' ? '[baseline]' : ''].filter((x) => x !== '').join(' · ');
  out.push(...block(head, width, `${INDENT}${severity}  `, HANG, c.dim, `${INDENT}${paintSeverity(c, f.severity, severity)}  `));
  out.push(...block(f.message, width, HANG, HANG));
  if (f.path.length > 0) out.push(...block(`field: ${toDottedPath(f.path)}`, width, HANG, `${HANG}  `, c.dim));
  if (f.remediation) out.push(...block(`fix: ${f.remediation}`, width, HANG, `${HANG}  `));
  const set = fieldToSet(f);
  if (set !== undefined) out.push(...block(`set: ${set}`, width, HANG, `${HANG}  `));
  if (guide !== undefined) out.push(...block(`docs: ${guide}`, width, HANG, `${HANG}  `, c.dim));
  if (f.evidence) out.push(...(verbose ? allEvidenceLines(c, f.evidence, width) : firstEventLines(c, f.evidence, width)));
  return out;
}

function eventText(e: AuditEventRef): string {
  const who = `${e.user || '(no user)'}${e.impersonatedUser ? ` as ${e.impersonatedUser}` : ''}`;
  return `${e.time} ${who} from ${e.sourceIP || '?'}: ${e.verb} ${e.object}${e.code !== undefined ? ` → ${e.code}` : ''} [${e.auditID}]`;
}

/** An audit-log finding's first event and how many more there were: the default table. */
function firstEventLines(c: Colors, evidence: FindingEvidence, width: number): string[] {
  const first = evidence.events[0];
  if (first === undefined) return [];
  const more = evidence.count > 1 ? ` (+${evidence.count - 1} more event${evidence.count === 2 ? '' : 's'})` : '';
  return block(`first: ${eventText(first)}${more}`, width, HANG, `${HANG}  `, c.dim);
}

/**
 * `-v`: everything the finding's evidence holds, as `-o json` has it: the span, every event of the
 * sample with its file:line and user agent, the windows counted, and Logs Insights' result rows
 * (the message names only the first few).
 */
function allEvidenceLines(c: Colors, evidence: FindingEvidence, width: number): string[] {
  const out: string[] = [];
  const item = (text: string): string[] => block(text, width, `${HANG}  `, `${HANG}    `, c.dim);
  if (evidence.events.length > 0 || evidence.firstSeen !== undefined) {
    const sample = evidence.events.length >= evidence.count ? '' : evidence.events.length === 1 ? ', the first' : `, the first ${evidence.events.length} in log order`;
    const span = evidence.count === 1 || evidence.firstSeen === undefined ? '' : evidence.lastSeen !== undefined && evidence.lastSeen !== evidence.firstSeen ? ` from ${evidence.firstSeen} to ${evidence.lastSeen}` : ` at ${evidence.firstSeen}`;
    out.push(...block(`${plural(evidence.count, 'event')}${span}${sample}:`, width, HANG, `${HANG}  `, c.dim));
    for (const e of evidence.events) out.push(...item(`${eventText(e)}${e.file !== undefined ? ` ${e.file}:${e.line ?? 1}` : ''}${e.userAgent ? ` · ${e.userAgent}` : ''}`));
  }
  if (evidence.windows !== undefined && evidence.windows.length > 0) {
    out.push(...block('events per window:', width, HANG, `${HANG}  `, c.dim));
    out.push(...item(evidence.windows.map((w) => `${w.start} ${w.count}${w.spike ? ' (spike)' : ''}`).join(', ')));
  }
  if (evidence.rows !== undefined && evidence.rows.length > 0) {
    out.push(...block(`Logs Insights rows (${evidence.rows.length}):`, width, HANG, `${HANG}  `, c.dim));
    for (const row of evidence.rows) out.push(...item(Object.entries(row).map(([field, value]) => `${field}=${value}`).join(' ')));
  }
  return out;
}

/** The report for people: findings grouped by resource, then exemptions, gaps and a summary line, wrapped to `width`. */
export function renderTable(result: AuditResult, context: ReportContext, options: TableOptions): string {
  const c = createColors(options.color);
  const width = Math.max(MIN_WIDTH, options.width ?? DEFAULT_WIDTH);
  const out: string[] = [];
  if (result.findings.length > 0) {
    out.push(c.bold(`${INDENT}${'SEVERITY'.padEnd(SEVERITY_COLUMN)}  LOCATION · ${(options.checker ?? 'rule').toUpperCase()}`));
    out.push(c.bold(`${HANG}FINDING, FIELD, FIX`));
    out.push('');
  }
  for (const [heading, findings] of groupByResource(result.findings)) {
    out.push(...block(heading, width, '', INDENT, c.bold));
    for (const f of findings) out.push(...findingLines(c, f, width, options.verbose === true ? options.docs?.get(f.ruleId) : undefined, options.verbose === true));
    out.push('');
  }
  if (result.exempted.length > 0) {
    const reasons = new Map<string, number>();
    for (const f of result.exempted) {
      const key = `${f.suppressed?.kind ?? 'config'}: ${f.suppressed?.reason ?? ''}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    out.push(c.bold(`Exempted (${result.exempted.length}):`));
    if (options.verbose === true) {
      for (const f of result.exempted) out.push(...block(`${locationOf(f) || resourceName(f)} · ${f.ruleId} · ${resourceName(f)}: ${f.suppressed?.kind ?? 'config'}: ${f.suppressed?.reason ?? ''}`, width, INDENT, `${INDENT}  `));
    } else {
      for (const [reason, count] of [...reasons].sort((a, b) => b[1] - a[1])) out.push(...block(`${plural(count, 'finding')}: ${reason}`, width, INDENT, `${INDENT}  `));
      out.push(...block('(-v or -o json lists each exempted finding with its reason)', width, INDENT, INDENT, c.dim));
    }
    out.push('');
  }
  if (result.notEvaluated.length > 0) {
    // One line per reason with a count: a manifest scan skips whole areas (all AWS rules) for one reason; the ids are in JSON.
    const byReason = new Map<string, number>();
    for (const n of result.notEvaluated) byReason.set(n.reason, (byReason.get(n.reason) ?? 0) + 1);
    const checker = options.checker ?? 'rule';
    out.push(...block(`Not evaluated (${plural(result.notEvaluated.length, checker)}; the input lacks what they need):`, width, '', INDENT, c.bold));
    if (options.verbose === true) {
      for (const n of result.notEvaluated) out.push(...block(`${n.ruleId}: ${n.reason}`, width, INDENT, `${INDENT}  `));
    } else {
      for (const [reason, count] of [...byReason].sort((a, b) => b[1] - a[1])) out.push(...block(`${plural(count, checker)}: ${reason}`, width, INDENT, `${INDENT}  `));
      out.push(...block(`(-v or -o json lists each ${checker} with its reason)`, width, INDENT, INDENT, c.dim));
    }
    out.push('');
  }
  if (result.gaps.length > 0) {
    out.push(c.bold(c.red(`Incomplete: ${plural(result.gaps.length, 'input problem')}:`)));
    for (const g of result.gaps) out.push(...block(`${g.source}${g.line !== undefined ? `:${g.line}` : ''}: ${g.message} (${g.code})`, width, INDENT, `${INDENT}  `));
    out.push('');
  }
  if (options.appendix) out.push(options.appendix);
  const s = result.summary;
  const counts = SEVERITIES.filter((sev) => s.bySeverity[sev] > 0).map((sev) => paintSeverity(c, sev, `${s.bySeverity[sev]} ${sev}`));
  const noun = options.noun ?? 'object';
  const scanned = `${plural(s.resources, noun)} in ${plural(context.sources.filter((x) => !x.skipped).length, 'source')}`;
  const headline = s.findings === 0 ? c.green('No findings') : `${plural(s.findings, 'finding')}: ${counts.join(', ')}`;
  const extras = [...scoreWords(s.score), scanned, plural(s.rulesRun, options.checker ?? 'rule')];
  if (s.exempted > 0) extras.push(`${s.exempted} exempted`);
  if (result.gaps.length > 0) extras.push(c.red(plural(result.gaps.length, 'gap')));
  out.push(...wrapWords([headline, ...extras], width, '', INDENT, ' · '));
  if (context.baseline !== undefined) out.push(...wrap(baselineSentence(context.baseline), width, '', INDENT));
  return `${out.join('\n')}\n`;
}
