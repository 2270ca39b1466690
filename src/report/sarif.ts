import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { toDottedPath, toJsonPointer } from '../core/field-path.js';
import type { Finding, ResourceRef, Severity, Suppression } from '../core/finding.js';
import type { Gap } from '../core/resource.js';
import type { AuditResult } from '../engine/audit.js';
import { evidenceJson, patchJson, type ReportContext } from './json.js';
import type { ReportedRule } from './context.js';

/** The URI the SARIF log gives to findings read from standard input (`eksguard scan -`). */
export const STDIN_URI = 'stdin';
/**
 * The URI of findings on objects that no file holds (a live cluster, or a namespace only implied by
 * its workloads). GitHub code scanning rejects the whole log when one result lacks a physical
 * location, so these get a placeholder artifact rather than none.
 */
export const NO_FILE_URI = 'eksguard-no-source-file';

const SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/eksguard/eksguard';
/** Versioned, so that a change of what goes into the hash can ship as a new key rather than silently re-opening every alert. */
const FINGERPRINT_KEY = 'eksguard/v1';

export interface SarifContext extends ReportContext {
  /** Artifact URIs are written relative to this directory (GitHub resolves them against the checkout root). */
  readonly cwd: string;
  /** The rules the scan ran, with their effective severity; they become `tool.driver.rules`. */
  readonly rules: readonly ReportedRule[];
  /**
   * The catalogue's other rules (opt-in ones, or turned off in the config): listed too, with
   * `defaultConfiguration.enabled: false`, so a viewer shows every rule and whether it ran.
   */
  readonly notRun?: readonly ReportedRule[];
}

/** GitHub code scanning reads `security-severity` (a number as a string) to rank alerts; these are the values it maps to each band. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

const LEVEL: Readonly<Record<Severity, Sarif.ReportingConfiguration.level>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** SARIF's convention for `name` is an identifier-like PascalCase form of the id. */
function pascalCase(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter((w) => w !== '').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/**
 * A path relative to `cwd` with forward slashes, each segment percent-encoded so that spaces and
 * `#` stay inside a valid URI reference. Files outside `cwd` get an absolute `file:` URI instead of
 * a `../` path, which no consumer could resolve against a checkout.
 */
export function artifactUri(file: string, cwd: string): string {
  if (file === '-') return STDIN_URI;
  const absolute = resolve(cwd, file);
  const rel = relative(cwd, absolute);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return pathToFileURL(absolute).href;
  return rel.split(sep).map(encodeURIComponent).join('/');
}

function artifactLocation(file: string, cwd: string): Sarif.ArtifactLocation {
  const uri = artifactUri(file, cwd);
  return file === '-' ? { uri, description: { text: 'standard input (eksguard scan -); no file of this name exists' } } : { uri };
}

function logicalLocation(ref: ResourceRef): Sarif.LogicalLocation {
  if (ref.provider === 'kubernetes') {
    const fullyQualifiedName = [ref.kind, ...(ref.namespace !== undefined ? [ref.namespace] : []), ref.name].join('/');
    return { name: ref.name, fullyQualifiedName, kind: 'resource' };
  }
  const name = ref.name ?? ref.id ?? ref.arn ?? ref.type;
  // The plain id (`sg-...`, `lt-...:3`, a role or repository name) in the location's property bag: SARIF has no member for it.
  return { name, fullyQualifiedName: ref.arn ?? `${ref.service}/${ref.type}/${ref.id ?? name}`, kind: 'resource', ...(ref.id !== undefined ? { properties: { id: ref.id } } : {}) };
}

/**
 * Stable across runs and edits that move lines: the rule, the file, the object's identity and the
 * field path. The apiVersion is left out so that migrating `extensions/v1beta1` to `apps/v1` keeps
 * the alert; the file is kept so the same object in two kustomize overlays stays two alerts.
 */
function fingerprint(finding: Finding, uri: string | undefined): string {
  const ref = finding.resource;
  const identity = ref.provider === 'kubernetes'
    ? [ref.kind, ref.namespace ?? '', ref.name]
    : [ref.service, ref.type, ref.arn ?? ref.id ?? ref.name ?? ''];
  return createHash('sha256').update(JSON.stringify([finding.ruleId, uri ?? '', ...identity, toJsonPointer(finding.path)])).digest('hex');
}

function suppression(s: Suppression): Sarif.Suppression {
  // An annotation lives in the manifest itself; config exclusions and the shipped defaults do not.
  return { kind: s.kind === 'annotation' ? 'inSource' : 'external', status: 'accepted', justification: s.reason };
}

function ruleDescriptor({ rule, severity, enabled }: ReportedRule & { readonly enabled: boolean }): Sarif.ReportingDescriptor {
  const { meta } = rule;
  const exemptHint = `Exempt one object with the annotation ignore-check.eksguard.io/${rule.id}: "<reason>".`;
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: meta.docs.description },
    fullDescription: { text: meta.rationale },
    help: {
      text: `${meta.rationale}\n\nRemediation: ${meta.remediation}\n\n${exemptHint}\n\nDocumentation: ${meta.docs.url}`,
      markdown: `${meta.rationale}\n\n**Remediation:** ${meta.remediation}\n\n${exemptHint}\n\n[Rule documentation](${meta.docs.url})`,
    },
    helpUri: meta.docs.url,
    defaultConfiguration: { level: LEVEL[severity], enabled },
    properties: {
      // GitHub only ranks alerts by security-severity when the rule is tagged `security`.
      tags: ['security', 'kubernetes', meta.area, ...(meta.docs.controls ?? [])],
      // The rules are structural checks of declared fields, not heuristics; 'high' leaves room for rules that are.
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[severity],
      severity,
      area: meta.area,
    },
  };
}

function sarifResult(finding: Finding, ruleIndex: ReadonlyMap<string, number>, cwd: string, baselineState?: Sarif.Result.baselineState): Sarif.Result {
  const physicalLocation: Sarif.PhysicalLocation = finding.location
    ? {
        artifactLocation: artifactLocation(finding.location.file, cwd),
        region: { startLine: finding.location.line, startColumn: Math.max(1, finding.location.column) },
      }
    : { artifactLocation: { uri: NO_FILE_URI, description: { text: `not read from a file${finding.origin !== undefined ? `: ${finding.origin}` : ''}; see the logical location` } } };
  const uri = physicalLocation.artifactLocation?.uri;
  const location: Sarif.Location = { physicalLocation, logicalLocations: [logicalLocation(finding.resource)] };
  const index = ruleIndex.get(finding.ruleId);
  return {
    ruleId: finding.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [location],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(finding, uri) },
    ...(baselineState !== undefined ? { baselineState } : {}),
    ...(finding.suppressed ? { suppressions: [suppression(finding.suppressed)] } : {}),
    properties: {
      severity: finding.severity,
      fieldPath: toDottedPath(finding.path),
      ...(finding.resource.provider === 'kubernetes' ? { apiVersion: finding.resource.apiVersion } : {}),
      ...(finding.origin !== undefined ? { origin: finding.origin } : {}),
      ...(finding.fix ? { fix: patchJson(finding.fix) } : {}),
      ...(finding.evidence ? { evidence: evidenceJson(finding.evidence) } : {}),
    },
  };
}

function gapNotification(gap: Gap, cwd: string): Sarif.Notification {
  return {
    level: 'error',
    descriptor: { id: gap.code },
    message: { text: `${gap.source}${gap.line !== undefined ? `:${gap.line}` : ''}: ${gap.message}` },
    // Only a gap with a line is surely about a file; others name a set of paths or a cluster.
    ...(gap.line !== undefined
      ? { locations: [{ physicalLocation: { artifactLocation: artifactLocation(gap.source, cwd), region: { startLine: gap.line } } }] }
      : {}),
  };
}

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. One run; exempted findings are
 * results with `suppressions` (so viewers show them as dismissed, with the reason); input problems
 * are tool execution notifications, and the invocation is marked unsuccessful when there are any.
 */
export function renderSarif(audit: AuditResult, context: SarifContext): string {
  const rules = [...context.rules.map((r) => ({ ...r, enabled: true })), ...(context.notRun ?? []).map((r) => ({ ...r, enabled: false }))]
    .sort((a, b) => a.rule.id.localeCompare(b.rule.id));
  const ruleIndex = new Map(rules.map((r, i) => [r.rule.id, i]));
  const log: Sarif.Log = {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'eksguard',
            version: context.version,
            semanticVersion: context.version,
            informationUri: INFORMATION_URI,
            rules: rules.map(ruleDescriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: audit.gaps.length === 0,
            toolExecutionNotifications: audit.gaps.map((g) => gapNotification(g, context.cwd)),
            toolConfigurationNotifications: audit.notEvaluated.map((n) => {
              const index = ruleIndex.get(n.ruleId);
              return {
                level: 'note',
                message: { text: `${n.ruleId} not evaluated: ${n.reason}` },
                associatedRule: { id: n.ruleId, ...(index !== undefined ? { index } : {}) },
              };
            }),
          },
        ],
        // Columns come from JavaScript string offsets.
        columnKind: 'utf16CodeUnits',
        // With a baseline, every result has a baselineState, and the fixed findings are `absent` results.
        results: context.baseline === undefined
          ? [...audit.findings, ...audit.exempted].map((f) => sarifResult(f, ruleIndex, context.cwd))
          : [
              ...[...audit.findings, ...audit.exempted].map((f) => sarifResult(f, ruleIndex, context.cwd, f.baselineState ?? 'new')),
              ...context.baseline.fixed.map((f) => sarifResult(f, ruleIndex, context.cwd, 'absent')),
            ],
        properties: { summary: { ...audit.summary } },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
