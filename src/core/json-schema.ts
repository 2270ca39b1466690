// Module loading, not I/O: core stays pure; node:module loads the precompiled validators and Ajv on first need (see validatorFor()).
// eslint-disable-next-line no-restricted-imports -- the one node: import of core, for start-up
import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import { didYouMean } from './did-you-mean.js';

/** A JSON Schema for one options object. Kept loose: Ajv checks it when compiled. */
export interface JsonSchemaObject {
  readonly type: 'object';
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly additionalProperties?: boolean;
  readonly required?: readonly string[];
  readonly [key: string]: unknown;
}

/** How every schema is compiled, ahead of time or at run time. verbose: errors carry the schema and the value, which the messages below quote. */
export const AJV_OPTIONS: Options = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true };

/**
 * The sets of precompiled validators: `./validators/<set>.generated.cjs`, written by
 * scripts/precompile-validators.ts with Ajv's standalone code generation, each exporting its
 * validators under their schema's JSON text. Compiling a schema at run time costs more than the
 * whole scan of a small file (Ajv is 60 modules, and compiling the config schema alone takes
 * ~90 ms); a precompiled set loads in a few milliseconds and only when something is validated.
 * CommonJS, so that validateAgainst stays synchronous; loaded in this order, what most runs need first.
 */
export const PRECOMPILED_SETS = ['config', 'options', 'snapshot'] as const;

const load = createRequire(import.meta.url);
const precompiled = new Map<string, ValidateFunction>();
let setsLoaded = 0;

/** The precompiled validator of a schema, loading the sets in turn until one has it. */
function precompiledFor(key: string): ValidateFunction | undefined {
  while (!precompiled.has(key) && setsLoaded < PRECOMPILED_SETS.length) {
    const set = load(`./validators/${PRECOMPILED_SETS[setsLoaded++]}.generated.cjs`) as Record<string, ValidateFunction>;
    for (const [json, validate] of Object.entries(set)) precompiled.set(json, validate);
  }
  return precompiled.get(key);
}

/**
 * Ajv, created only for a schema no set has (one made up by a test, or one changed since the sets
 * were written: test/core/precompiled-validators.test.ts fails then, and the run is only slower).
 */
let ajv: AjvModule.Ajv | undefined;

function compile(schema: JsonSchemaObject): ValidateFunction {
  if (ajv === undefined) {
    const { Ajv: AjvClass } = load('ajv') as typeof AjvModule;
    ajv = new AjvClass(AJV_OPTIONS);
  }
  return ajv.compile(schema as object);
}

const compiled = new WeakMap<object, ValidateFunction>();

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
    validate = precompiledFor(JSON.stringify(schema)) ?? compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return useful(validate.errors ?? []).map(inWords);
}
