/**
 * `eksguard fix` as a library function: scan the texts, apply the findings' patches that the
 * options allow, scan again, until nothing more applies (a fixed point, bounded). Every edit is a
 * text splice (see text-edit.ts), checked by reading the new text back with the scan's own parser:
 * an edit that does not read back as exactly the patched object is dropped, never written.
 * Pure: texts in, texts out; the CLI reads and writes the files.
 */
import { isDeepStrictEqual } from 'node:util';
import { parseManifests } from '../collect/files/parse-manifests.js';
import { chunksOf, looksLikeJson, type Chunk } from '../collect/files/documents.js';
import type { Finding, FieldPath, PatchOp } from '../core/finding.js';
import { toJsonPointer } from '../core/field-path.js';
import { Inventory } from '../core/inventory.js';
import { formatRef, type Gap, type KubeResource } from '../core/resource.js';
import { applyPatch } from '../engine/apply-patch.js';
import { audit } from '../engine/audit.js';
import type { ExemptionPolicy } from '../engine/exemptions.js';
import { EMPTY_CONFIG, type Config } from '../engine/config.js';
import { resolveRules, type EnabledRule } from '../engine/rule-set.js';
import { fixClassOf, type AnyRule, type FixClass } from '../rules/define-rule.js';
import { builtinRules } from '../rules/index.js';
import { applyOpToText, documentIndexAt, parseForEdit } from './edit-document.js';
import { newObjectFor, type NewObject } from './new-objects.js';
import { refusalOf } from './refuse.js';
import { EditError } from './text-edit.js';

export interface FixInput {
  /** The file path, or `-` for standard input. */
  readonly path: string;
  readonly text: string;
  /** Why this file must not be edited (a Kustomize patch, say), decided at the edge; it is still scanned. */
  readonly refused?: string;
}

export interface FixOptions {
  readonly enabled: readonly EnabledRule[];
  readonly policy: ExemptionPolicy;
  /** Apply `review` fixes of every rule too. */
  readonly unsafe: boolean;
  /** Rules named with --rule: their `review` fixes apply too. */
  readonly named: readonly string[];
  /** Scan → fix rounds at most (default 10): fixes that unlock others are applied in later rounds. */
  readonly maxPasses?: number;
}

export interface AppliedFix {
  readonly ruleId: string;
  /** The suggestion's messageId and its text. */
  readonly messageId: string;
  readonly message: string;
  readonly fixClass: FixClass;
  readonly resource: string;
  readonly pointer: string;
  readonly patch: readonly PatchOp[];
}

/** A finding still there after fixing, and why it was not fixed. */
export interface LeftFinding {
  readonly ruleId: string;
  readonly resource: string;
  readonly file?: string;
  readonly line?: number;
  readonly message: string;
  /**
   * `review`: a fix exists but may break the workload (apply with --unsafe or --rule);
   * `none`: no mechanical fix; `failed`: the edit could not be written safely (`detail` says why);
   * `refused`: the file is not edited (`detail` says why); `create`: the fix is a new object (see `create`).
   */
  readonly reason: 'review' | 'none' | 'failed' | 'refused' | 'create';
  readonly detail?: string;
}

export interface FileOutcome {
  readonly path: string;
  readonly before: string;
  readonly after: string;
  readonly applied: readonly AppliedFix[];
  /** Set when the file was left untouched on purpose: a Helm template, a Kustomize patch, a parse error. */
  readonly refused?: string;
}

export interface FixResult {
  readonly files: readonly FileOutcome[];
  readonly left: readonly LeftFinding[];
  /** Objects to create (default-deny NetworkPolicy, LimitRange, ...): listed, never written into a file eksguard would have to guess. */
  readonly create: readonly NewObject[];
  /** What the final scan could not read. */
  readonly gaps: readonly Gap[];
  readonly passes: number;
}

/** Options from a configuration and the CLI's switches: the rules it enables, its exemptions. */
export function resolveFixOptions(selection: { config?: Config; configFile?: string; rules?: readonly string[]; unsafe?: boolean; registry?: Readonly<Record<string, AnyRule>> }): FixOptions {
  const config = selection.config ?? EMPTY_CONFIG;
  const only = selection.rules ?? [];
  const enabled = resolveRules(selection.registry ?? builtinRules, {
    config,
    ...(selection.configFile !== undefined ? { configFile: selection.configFile } : {}),
    ...(only.length > 0 ? { only } : {}),
  });
  return {
    enabled,
    policy: { exclusions: config.exclusions, defaultExemptions: config.defaultExemptions, disallowAnnotationExemptions: config.disallowAnnotationExemptions },
    unsafe: selection.unsafe === true,
    named: only,
  };
}

interface ParsedFile {
  readonly input: FixInput;
  readonly resources: readonly KubeResource[];
  /** Resource indexes by reference, in file order. */
  readonly byRef: ReadonlyMap<string, readonly number[]>;
}

interface Scan {
  readonly files: ReadonlyMap<string, ParsedFile>;
  readonly findings: readonly Finding[];
  readonly gaps: readonly Gap[];
}

function scanTexts(inputs: readonly FixInput[], options: FixOptions): Scan {
  const files = new Map<string, ParsedFile>();
  const resources: KubeResource[] = [];
  const gaps: Gap[] = [];
  for (const input of inputs) {
    const parsed = parseManifests(input.path, input.text);
    const byRef = new Map<string, number[]>();
    parsed.resources.forEach((resource, index) => {
      const ref = formatRef(resource.ref);
      byRef.set(ref, [...(byRef.get(ref) ?? []), index]);
    });
    files.set(input.path, { input, resources: parsed.resources, byRef });
    resources.push(...parsed.resources);
    gaps.push(...parsed.gaps);
  }
  const result = audit(new Inventory(resources, gaps, ['manifests']), options.enabled, options.policy);
  return { files, findings: result.findings, gaps: result.gaps };
}

/** The file object a finding is about: same file and reference, the last one starting at or above the finding's line. */
function resourceIndexOf(file: ParsedFile, finding: Finding): number {
  const line = finding.location?.line ?? Number.MAX_SAFE_INTEGER;
  let found = -1;
  for (const index of file.byRef.get(formatRef(finding.resource)) ?? []) {
    const origin = file.resources[index]?.origin;
    if (origin?.type === 'file' && (found === -1 || origin.line <= line)) found = index;
  }
  return found;
}

/** The patch `eksguard fix` may apply for a finding under these options, with its suggestion. */
function chooseFix(finding: Finding, options: FixOptions, rules: ReadonlyMap<string, EnabledRule>): { patch: readonly PatchOp[]; messageId: string; message: string; fixClass: FixClass } | { reason: 'review' | 'none' } {
  const rule = rules.get(finding.ruleId)?.rule;
  if (rule === undefined) return { reason: 'none' };
  if (finding.fix !== undefined) return { patch: finding.fix, messageId: 'fix', message: finding.remediation, fixClass: 'safe' };
  let review = false;
  for (const suggestion of finding.suggestions ?? []) {
    const fixClass = fixClassOf(rule, suggestion.messageId);
    if (fixClass === undefined) continue;
    if (fixClass === 'safe' || options.unsafe || options.named.includes(finding.ruleId)) {
      return { patch: suggestion.patch, messageId: suggestion.messageId, message: suggestion.message, fixClass };
    }
    review = true;
  }
  return { reason: review ? 'review' : 'none' };
}

/** Whether two ops of one object may not both be applied from the same scan (one would act on a stale view). */
function conflicts(a: PatchOp, b: PatchOp): boolean {
  const isPrefix = (p: FieldPath, q: FieldPath): boolean => p.length <= q.length && p.every((segment, i) => String(segment) === String(q[i]));
  if (isPrefix(a.path, b.path) || isPrefix(b.path, a.path)) return true;
  // Adding or removing a list item shifts the indexes after it.
  const listParent = (op: PatchOp): FieldPath | undefined => {
    const last = op.path[op.path.length - 1];
    return op.op !== 'replace' && (typeof last === 'number' || last === '-') ? op.path.slice(0, -1) : undefined;
  };
  const pa = listParent(a);
  const pb = listParent(b);
  return (pa !== undefined && isPrefix(pa, b.path)) || (pb !== undefined && isPrefix(pb, a.path));
}

/**
 * Checks an edit by reading both texts with the scan's parser: the target object must read as the
 * patched object, every other object as before, and no new problem may appear. `itemPath` picks
 * the target among a List's items; a document without one holds one object.
 */
function verify(path: string, before: string, after: string, itemPath: FieldPath | undefined, ops: readonly PatchOp[]): string | undefined {
  const old = parseManifests(path, before);
  const next = parseManifests(path, after);
  if (next.gaps.length !== old.gaps.length || next.resources.length !== old.resources.length) return 'the edited text would not read back as the same objects';
  const key = JSON.stringify(itemPath ?? null);
  const targets = old.resources.filter((resource) => resource.origin.type === 'file' && JSON.stringify(resource.origin.itemPath ?? null) === key);
  if (targets.length !== 1) return 'the object is not alone in its document';
  for (const [index, resource] of old.resources.entries()) {
    const expected = resource === targets[0] ? applyPatch(resource.object, ops) : resource.object;
    if (!isDeepStrictEqual(next.resources[index]?.object, expected)) return 'the edited text would not read back as exactly the patched object';
  }
  return undefined;
}

/**
 * Applies one finding's ops to the document holding its object, checked; throws EditError when
 * they cannot be. Only that document is parsed, edited and read back, so a file of thousands of
 * documents costs per fix what one document costs. `scanned` are the documents as the finding was
 * found in them (earlier edits of this round may have moved lines within one, never the markers);
 * `current` their texts now, updated in place. Whether the text changed.
 */
function applyFix(path: string, scanned: readonly Chunk[], current: string[], json: boolean, resource: KubeResource, ops: readonly PatchOp[]): boolean {
  const origin = resource.origin;
  if (origin.type !== 'file') throw new EditError('not read from a file');
  let index = 0;
  scanned.forEach((chunk, i) => {
    if (chunk.line <= origin.line) index = i;
  });
  const scannedChunk = scanned[index] as Chunk;
  const before = current[index] as string;
  const place = { document: documentIndexAt(scannedChunk.text, origin.line - scannedChunk.line + 1), ...(origin.itemPath !== undefined ? { itemPath: origin.itemPath } : {}) };
  let out = before;
  for (const op of ops) out = applyOpToText(out, json, place, op);
  if (out === before) return false;
  if (chunksOf(out).length !== chunksOf(before).length) throw new EditError('the edit would split the document');
  const problem = verify(path, before, out, origin.itemPath, ops);
  if (problem !== undefined) throw new EditError(problem);
  current[index] = out;
  return true;
}

/** Scans and fixes until nothing more applies; see the module comment. */
export function fixSources(inputs: readonly FixInput[], options: FixOptions): FixResult {
  const rules = new Map(options.enabled.map((enabled) => [enabled.rule.id, enabled] as const));
  const maxPasses = options.maxPasses ?? 10;
  const texts = new Map(inputs.map((input) => [input.path, input.text] as const));
  const refused = new Map<string, string>();
  // Helm templates and Kustomize patches are not manifests: not scanned either, their findings would be noise.
  const notManifests = new Set<string>();
  for (const input of inputs) {
    const reason = input.refused ?? refusalOf(input.text);
    if (reason !== undefined) {
      refused.set(input.path, reason);
      notManifests.add(input.path);
      continue;
    }
    try {
      parseForEdit(input.text);
    } catch (error) {
      if (!(error instanceof EditError)) throw error;
      refused.set(input.path, error.message); // "does not parse at line N: ..."
    }
  }
  const scanned = inputs.filter((input) => !notManifests.has(input.path));
  const applied = new Map<string, AppliedFix[]>();
  const failed = new Map<string, string>(); // fix key -> why it could not be written
  let passes = 0;
  let scan = scanTexts(scanned, options);
  while (passes < maxPasses) {
    passes += 1;
    let changed = false;
    // Ops already applied this round, per object: a conflicting one waits for the next scan.
    const used = new Map<string, PatchOp[]>();
    // The files edited this round, as their documents' texts (split as the scan read them).
    const edited = new Map<string, { scanned: Chunk[]; current: string[] }>();
    for (const finding of scan.findings) {
      const file = finding.location?.file;
      if (file === undefined || refused.has(file)) continue;
      const parsed = scan.files.get(file);
      if (parsed === undefined) continue;
      const choice = chooseFix(finding, options, rules);
      if (!('patch' in choice) || choice.patch.length === 0) continue;
      const resourceIndex = resourceIndexOf(parsed, finding);
      const resource = parsed.resources[resourceIndex];
      if (resource === undefined) continue;
      const objectKey = `${file}#${resourceIndex}`;
      const key = `${objectKey}:${JSON.stringify(choice.patch)}`;
      if (failed.has(key)) continue;
      const done = used.get(objectKey) ?? [];
      // The same patch from several findings (one per GID 0, say) is applied once.
      if (done.length > 0 && choice.patch.every((op) => done.some((d) => isDeepStrictEqual(d, op)))) continue;
      if (choice.patch.some((op) => done.some((d) => conflicts(op, d)))) continue;
      let documents = edited.get(file);
      if (documents === undefined) {
        const scannedChunks = chunksOf(parsed.input.text);
        documents = { scanned: scannedChunks, current: scannedChunks.map((chunk) => chunk.text) };
        edited.set(file, documents);
      }
      let didChange: boolean;
      try {
        didChange = applyFix(file, documents.scanned, documents.current, looksLikeJson(parsed.input.text), resource, choice.patch);
      } catch (error) {
        // Anything else is a bug in the editor: the fix is reported as not written, the run goes on.
        failed.set(key, error instanceof EditError ? error.message : `the text could not be edited (${error instanceof Error ? error.message : String(error)})`);
        continue;
      }
      used.set(objectKey, [...done, ...choice.patch]);
      if (!didChange) continue;
      changed = true;
      const list = applied.get(file) ?? [];
      list.push({
        ruleId: finding.ruleId, messageId: choice.messageId, message: choice.message, fixClass: choice.fixClass,
        resource: formatRef(finding.resource), pointer: toJsonPointer(finding.path), patch: choice.patch,
      });
      applied.set(file, list);
    }
    for (const [file, documents] of edited) texts.set(file, documents.current.join(''));
    if (!changed) break;
    scan = scanTexts(scanned.map((input) => ({ ...input, text: texts.get(input.path) as string })), options);
  }
  return { ...leftovers(scan, options, rules, refused, failed), files: inputs.map((input) => outcome(input, texts, applied, refused)), gaps: scan.gaps, passes };
}

function outcome(input: FixInput, texts: ReadonlyMap<string, string>, applied: ReadonlyMap<string, AppliedFix[]>, refused: ReadonlyMap<string, string>): FileOutcome {
  const reason = refused.get(input.path);
  return { path: input.path, before: input.text, after: texts.get(input.path) as string, applied: applied.get(input.path) ?? [], ...(reason !== undefined ? { refused: reason } : {}) };
}

/** Sorts the findings of the last scan into what is left and the objects to create. */
function leftovers(scan: Scan, options: FixOptions, rules: ReadonlyMap<string, EnabledRule>, refused: ReadonlyMap<string, string>, failed: ReadonlyMap<string, string>): { left: LeftFinding[]; create: NewObject[] } {
  const left: LeftFinding[] = [];
  const create: NewObject[] = [];
  for (const finding of scan.findings) {
    const base = {
      ruleId: finding.ruleId, resource: formatRef(finding.resource), message: finding.message,
      ...(finding.location !== undefined ? { file: finding.location.file, line: finding.location.line } : {}),
    };
    const file = finding.location?.file;
    const choice = chooseFix(finding, options, rules);
    if ('patch' in choice) {
      const parsed = file === undefined ? undefined : scan.files.get(file);
      const refusal = file === undefined ? undefined : refused.get(file);
      if (refusal !== undefined) {
        left.push({ ...base, reason: 'refused', detail: refusal });
        continue;
      }
      const index = parsed === undefined ? -1 : resourceIndexOf(parsed, finding);
      const why = failed.get(`${file ?? ''}#${index}:${JSON.stringify(choice.patch)}`);
      left.push({ ...base, reason: 'failed', detail: why ?? 'another fix of the same field was applied instead' });
      continue;
    }
    const object = newObjectFor(finding);
    if (object !== undefined) {
      create.push(object);
      left.push({ ...base, reason: 'create' });
      continue;
    }
    left.push({ ...base, reason: choice.reason });
  }
  return { left, create };
}
