/**
 * A few constructors for JSON Schema (draft-07) objects, so the schemas of the `-o json` documents
 * read like the documents they describe. Written by hand: the schema libraries that derive JSON
 * Schema from types (TypeBox, zod) are not dependencies, and these few lines are all we need.
 *
 * Objects are closed (`additionalProperties: false`) and every key is required, as every eksguard
 * document has all its keys (`null` for absent values); `open` lifts the closure for the files we
 * ship, where added keys must not break a consumer's validation (docs/json-output.md).
 */
export type Schema = { readonly [key: string]: unknown };

export const str: Schema = { type: 'string' };
export const int: Schema = { type: 'integer', minimum: 0 };
export const bool: Schema = { type: 'boolean' };

export function oneOfValues(values: readonly string[]): Schema {
  return { type: 'string', enum: [...values] };
}

/** The value, or `null`. */
export function nullable(schema: Schema): Schema {
  const keys = Object.keys(schema);
  if (typeof schema.type === 'string' && keys.every((k) => k === 'type' || k === 'minimum')) return { ...schema, type: [schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

export function arr(items: Schema): Schema {
  return { type: 'array', items };
}

/** An object with these keys, all required except `optional` ones. */
export function obj(properties: Readonly<Record<string, Schema>>, optional: readonly string[] = []): Schema {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((key) => !optional.includes(key)),
    additionalProperties: false,
  };
}

/** An object used as a map: any keys, each value of `values`. */
export function record(values: Schema): Schema {
  return { type: 'object', additionalProperties: values };
}

/** The schema with every `additionalProperties: false` removed: what the shipped files hold. */
export function open(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(open);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema)
    .filter(([key, value]) => !(key === 'additionalProperties' && value === false))
    .map(([key, value]) => [key, key === 'enum' || key === 'const' ? value : open(value)]));
}
