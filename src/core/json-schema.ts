import { Ajv, type ErrorObject } from 'ajv';

/** A JSON Schema for one options object. Kept loose: Ajv checks it when compiled. */
export interface JsonSchemaObject {
  readonly type: 'object';
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly additionalProperties?: boolean;
  readonly required?: readonly string[];
  readonly [key: string]: unknown;
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const compiled = new WeakMap<object, ReturnType<Ajv['compile']>>();

export interface SchemaProblem {
  /** JSON Pointer inside the validated value. */
  readonly pointer: string;
  readonly message: string;
}

export function validateAgainst(schema: JsonSchemaObject, value: unknown): SchemaProblem[] {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema as object);
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
