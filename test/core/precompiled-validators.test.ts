/**
 * The precompiled validators (src/core/validators/*.generated.cjs) are what Ajv compiles from the
 * schemas today, and validateAgainst uses them: a run never compiles a schema eksguard ships.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { AJV_OPTIONS, validateAgainst, type JsonSchemaObject } from '../../src/core/json-schema.js';
import { CONFIG_SCHEMA } from '../../src/engine/config.js';
import { builtinRules } from '../../src/rules/index.js';
import { OBJECT_SCHEMA } from '../../src/snapshot/format.js';
import { PRECOMPILED_SETS, validatorFile, validatorModuleText } from '../../scripts/validator-code.js';

const load = createRequire(import.meta.url);

function precompiled(set: string, schema: JsonSchemaObject): ValidateFunction | undefined {
  return (load(`../../${validatorFile(set as (typeof PRECOMPILED_SETS)[number])}`) as Record<string, ValidateFunction>)[JSON.stringify(schema)];
}

describe('precompiled validators', () => {
  it.each(PRECOMPILED_SETS)('%s.generated.cjs is current (npx tsx scripts/precompile-validators.ts)', (set) => {
    expect(readFileSync(validatorFile(set), 'utf8')).toBe(validatorModuleText(set));
  });

  const withOptions = Object.values(builtinRules).find((rule) => rule.id === 'restrict-image-registries');
  const cases: [string, string, JsonSchemaObject | undefined, unknown[]][] = [
    ['config', 'the config file', CONFIG_SCHEMA, [
      { rules: { 'run-as-non-root': 'hgh' } },
      { rules: { x: { severity: 'low', optons: {} } } },
      { exclusions: [{ rules: ['a'], namespaces: [''] }] },
      { failOn: 3, webhook: { allowUsers: 'x' }, audit: { detections: { y: [] } } },
      { rules: { ok: 'high' }, defaultExemptions: true },
    ]],
    ['options', 'a rule\'s options', withOptions?.meta.schema, [{ allowedRegistries: ['', 3] }, { allowedRegistrys: [] }, { allowedRegistries: ['r.example.com'] }]],
    ['snapshot', 'a snapshot object', OBJECT_SCHEMA, [{ origin: { type: 'file', file: 'a.yaml', line: 0 }, object: { apiVersion: 'v1', kind: '' } }, { origin: { type: 'cluster', context: 'c' }, object: { apiVersion: 'v1', kind: 'Pod' } }]],
  ];

  it.each(cases)('%s: %s is judged as Ajv judges it, errors alike (schema, value, message)', (set, _what, schema, values) => {
    if (schema === undefined) throw new Error('the schema of the case is missing');
    const validate = precompiled(set, schema);
    expect(validate).toBeTypeOf('function');
    const fresh = new Ajv(AJV_OPTIONS).compile(schema);
    for (const value of values) {
      expect(validate?.(value)).toBe(fresh(value));
      expect(validate?.errors ?? null).toEqual(fresh.errors ?? null);
    }
    expect(values.some((value) => !fresh(value))).toBe(true);
  });

  it('validateAgainst uses them: the precompiled function is the one that judged', () => {
    const validate = precompiled('config', CONFIG_SCHEMA);
    expect(validate?.({})).toBe(true);
    validateAgainst(CONFIG_SCHEMA, { failOn: 'loud' });
    // A precompiled function keeps its last errors: those of the value validateAgainst gave it.
    expect(validate?.errors?.[0]).toMatchObject({ instancePath: '/failOn', keyword: 'enum', data: 'loud' });
  });

  it('a schema no set has is compiled at run time, with the same messages', () => {
    const schema: JsonSchemaObject = { type: 'object', additionalProperties: false, properties: { level: { enum: ['low', 'high'] } } };
    expect(validateAgainst(schema, { level: 'hihg' })).toEqual([{ pointer: '/level', message: '`level` must be one of low, high — got `hihg`; did you mean `high`?' }]);
    expect(validateAgainst(schema, { levle: 'low' })[0]?.message).toBe('unknown key `levle`; did you mean `level`?');
  });
});
