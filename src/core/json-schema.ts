// Module loading, not I/O: core stays pure; node:module only defers Ajv's load (see validator()).
// eslint-disable-next-line no-restricted-imports -- the one node: import of core, for start-up
import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { Ajv, ErrorObject } from 'ajv';

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
    ajv = new AjvClass({ allErrors: true, strict: true, allowUnionTypes: true });
  }
  return ajv;
}

const compiled = new WeakMap<object, ReturnType<Ajv['compile']>>();

export interface SchemaProblem {
  /** JSON Pointer inside the validated value. */
  readonly pointer: string;
  readonly message: string;
}

export function validateAgainst(schema: JsonSchemaObject, value: unknown): SchemaProblem[] {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = validator().compile(schema as object);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => ({
    pointer: error.keyword === 'additionalProperties'
      ? `${error.instancePath}/${String((error.params as { additionalProperty?: string }).additionalProperty)}`
      : error.instancePath,
    message: error.keyword === 'additionalProperties' ? 'is not a known option' : (error.message ?? 'is invalid'),
  }));
}
