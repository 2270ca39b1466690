// Module loading, not I/O: core stays pure; node:module only defers Ajv's load (see validator()).
// eslint-disable-next-line no-restricted-imports -- the one node: import of core, for start-up
import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { Ajv, ErrorObject } from 'ajv';
import { didYouMean } from './did-you-mean.js';

/** A JSON Schema for one options object. Kept loose: Ajv checks it when compiled. */
export interface JsonSchemaObject {
  readonly type: 'object';
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly additionalProperties?: boolean;
  readonly required?: readonly string[];
  readonly [key: string]: unknown;
}

/**
 * Ajv, created on first use: it is 60 modules, and a scan without a config file validates
 * nothing (rules' default options are checked by test/rules/meta.test.ts, not at every start).
 * `createRequire` keeps validateAgainst synchronous.
 */
let ajv: Ajv | undefined;

function validator(): Ajv {
  if (ajv === undefined) {
    const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof AjvModule;
    // verbose: errors carry the schema and the value, which the messages below quote.
    ajv = new AjvClass({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  }
  return ajv;
}

const compiled = new WeakMap<object, ReturnType<Ajv['compile']>>();

export interface SchemaProblem {
  /** JSON Pointer inside the validated value. */
  readonly pointer: string;
  readonly message: string;
}

const code = (text: string): string => `\`${text}\``;

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return code(text.length > 60 ? `${text.slice(0, 59)}…` : text);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

/** The key a pointer ends at (`/rules/x/severity` → `severity`, `/exclusions/0` → `exclusions[0]`), or `the file` at the root. */
function keyOf(pointer: string): string {
  const segments = pointer.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  let key = '';
  for (const segment of segments) key = /^\d+$/.test(segment) ? `${key}[${segment}]` : segment;
  return key === '' ? 'the file' : code(key);
}

/** The allowed values of an `enum` or a `const`, as words. */
function allowed(error: ErrorObject): readonly unknown[] | undefined {
  if (error.keyword === 'enum') return (error.params as { allowedValues: unknown[] }).allowedValues;
  if (error.keyword === 'const') return [(error.params as { allowedValue: unknown }).allowedValue];
  return undefined;
}

/** One ajv error in words a person reads: what the key must be, what it was, and the nearest allowed name. */
function inWords(error: ErrorObject): SchemaProblem {
  const at = error.instancePath;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String((error.params as { additionalProperty?: string }).additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
      const where = at === '' ? '' : ` in ${keyOf(at)}`;
      const list = known.length > 0 ? ` (known: ${known.join(', ')})` : '';
      return { pointer: `${at}/${name}`, message: `unknown key ${code(name)}${where}${didYouMean(name, known, code) || list}` };
    }
    case 'enum':
    case 'const': {
      const values = (allowed(error) ?? []).map(String);
      return { pointer: at, message: `${keyOf(at)} must be one of ${values.join(', ')} — got ${shown(error.data)}${typeof error.data === 'string' ? didYouMean(error.data, values, code) : ''}` };
    }
    case 'type': {
      const wanted = String((error.params as { type: string }).type);
      return { pointer: at, message: `${keyOf(at)} must be ${wanted === 'object' ? 'a mapping' : wanted === 'array' ? 'a list' : `a ${wanted}`} — got ${typeOf(error.data)}` };
    }
    case 'anyOf':
      return { pointer: at, message: `${keyOf(at)} has no form eksguard reads here — got ${typeOf(error.data)}` };
    case 'required':
      return { pointer: at, message: `${keyOf(at)} needs ${code(String((error.params as { missingProperty: string }).missingProperty))}` };
    case 'minLength':
      return { pointer: at, message: `${keyOf(at)} must not be empty` };
    default:
      return { pointer: at, message: `${keyOf(at)} ${error.message ?? 'is invalid'} — got ${shown(error.data)}` };
  }
}

/**
 * The errors worth showing. For an `anyOf` (a rule setting: a severity, or a mapping), ajv reports
 * every branch that failed and then the `anyOf` itself; only the branch for the kind of value
 * given says what is wrong: the allowed values for a string, the mapping's keys for a mapping.
 */
function useful(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const kept = errors.filter((e) => {
    if (e.keyword === 'anyOf') return false;
    if (!anyOfAt.has(e.instancePath)) return true;
    const scalar = typeof e.data !== 'object' || e.data === null;
    if (e.keyword === 'enum' || e.keyword === 'const') return scalar;
    return e.keyword !== 'type';
  });
  return kept.length > 0 ? kept : errors.filter((e) => e.keyword === 'anyOf');
}

export function validateAgainst(schema: JsonSchemaObject, value: unknown): SchemaProblem[] {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = validator().compile(schema as object);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return useful(validate.errors ?? []).map(inWords);
}
