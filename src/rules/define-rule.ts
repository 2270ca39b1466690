import type { Evidence, Inventory } from '../core/inventory.js';
import type { Report, Severity } from '../core/finding.js';
import type { JsonSchemaObject } from '../core/json-schema.js';
import type { TargetMap } from '../core/targets.js';

const DOCS_BASE_URL = 'https://github.com/eksguard/eksguard/blob/main/docs/rules';

export const RULE_AREAS = ['workload', 'identity', 'rbac', 'access', 'cluster', 'node', 'network', 'tenancy', 'data', 'image'] as const;
export type RuleArea = (typeof RULE_AREAS)[number];

/**
 * How `eksguard fix` treats a rule's suggested patch: `safe` cannot break a working workload and is
 * applied by default; `review` may (a process that needs root, a hostPath a node agent reads) and is
 * applied only with --unsafe or when --rule names the rule. A suggestion with no class is advice for
 * a person, never applied.
 */
export const FIX_CLASSES = ['safe', 'review'] as const;
export type FixClass = (typeof FIX_CLASSES)[number];

/**
 * Judges one target. A generator or a function returning an array: the rules run on every
 * workload or object of a kind (most of the runs before V8 optimises them) return an array,
 * since each generator call makes a generator object and a result object per report.
 */
export type Handler<T, M extends string> = (target: T, inventory: Inventory) => Iterable<Report<M>>;

export type Handlers<M extends string> = {
  readonly [K in keyof TargetMap]?: Handler<TargetMap[K], M>;
};

export interface RuleMeta<M extends string> {
  readonly area: RuleArea;
  readonly severity: Severity;
  readonly docs: {
    /** The title: one line, imperative, no trailing period. */
    readonly description: string;
    /** Cross-references: `eks-bp:<section>`, `pss-baseline:<check>`, `pss-restricted:<check>`, `cis:<id>`. */
    readonly controls?: readonly string[];
  };
  readonly evidence: readonly Evidence[];
  /**
   * Kinds the rule looks up in the inventory besides its targets (`inventory.ofKind`/`find`, also
   * through shared helpers): a live collection reads its handler keys' kinds plus these, nothing
   * else. `workload` and `namespace` stand for what those handler keys read.
   */
  readonly reads?: readonly string[];
  readonly messages: Readonly<Record<M, string>>;
  readonly rationale: string;
  readonly remediation: string;
  readonly schema?: JsonSchemaObject;
  readonly fixable?: true;
  readonly hasSuggestions?: true;
  /**
   * The fix class of the rule's suggestions: one class for all of them, or one per suggestion
   * messageId where they differ (adding `drop: [ALL]` is safe, removing added capabilities is not).
   */
  readonly fix?: FixClass | Readonly<Partial<Record<M, FixClass>>>;
  /**
   * `false` for rules that mean nothing until configured (an allow-list of registries, a tenant
   * map): they run only when eksguard.yaml sets them, or `--rule` names them.
   */
  readonly enabledByDefault?: false;
  readonly deprecated?: { readonly replacedBy: readonly string[] };
}

export interface RuleDefinition<O extends object, M extends string> {
  readonly id: string;
  readonly meta: RuleMeta<M>;
  readonly defaultOptions: O;
  /**
   * Why the rule cannot be judged on this inventory (say, it needs objects the input lacks), or
   * undefined when it can. Such a rule is reported as "not evaluated", never as passed.
   */
  readonly notEvaluated?: (inventory: Inventory) => string | undefined;
  create(options: Readonly<O>): Handlers<M>;
}

export interface Rule<O extends object = object, M extends string = string> extends RuleDefinition<O, M> {
  readonly meta: RuleMeta<M> & { readonly docs: RuleMeta<M>['docs'] & { readonly url: string } };
}

// Rules differ in their options type; the registry holds them side by side, so it erases it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any, string>;

export function defineRule<O extends object, M extends string>(definition: RuleDefinition<O, M>): Rule<O, M> {
  const docs = { ...definition.meta.docs, url: `${DOCS_BASE_URL}/${definition.id}.md` };
  return Object.freeze({ ...definition, meta: Object.freeze({ ...definition.meta, docs }) });
}

/** The fix class of one of the rule's suggestions (by its messageId), or undefined when it has none. */
export function fixClassOf(rule: AnyRule, suggestionMessageId: string): FixClass | undefined {
  const declared = rule.meta.fix;
  if (declared === undefined || typeof declared === 'string') return declared;
  return (declared as Readonly<Record<string, FixClass | undefined>>)[suggestionMessageId];
}

/** The rule's fix classes as one line for `eksguard rules ID` (`safe`, or `addDropAll: safe, ...`), undefined when it has none. */
export function describeFixClasses(rule: AnyRule): string | undefined {
  const declared = rule.meta.fix;
  if (declared === undefined || typeof declared === 'string') return declared;
  const entries = Object.entries(declared as Readonly<Record<string, FixClass>>);
  return entries.length === 0 ? undefined : entries.map(([id, cls]) => `${id}: ${cls}`).join(', ');
}

/** A message template split once into literal text and placeholder names (odd indexes). */
const compiledTemplates = new Map<string, readonly string[]>();

/** `{{name}}` placeholders filled from the report's data; a missing key is left visible. */
export function interpolate(template: string, data: Readonly<Record<string, string | number>> | undefined): string {
  let parts = compiledTemplates.get(template);
  if (parts === undefined) {
    parts = template.split(/\{\{\s*(\w+)\s*\}\}/);
    compiledTemplates.set(template, parts);
  }
  if (parts.length === 1) return template;
  // Joined rather than added up: `+=` makes a chain of string pieces that each finding keeps until
  // the report prints or hashes its message, which then copies it into one string (a scan's
  // findings live to its end, so the garbage collector copies both); `join` writes it once.
  const pieces: string[] = [parts[0] as string];
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] as string;
    const value = data?.[key];
    pieces.push(value === undefined ? `{{${key}}}` : String(value), parts[i + 1] as string);
  }
  return pieces.join('');
}
