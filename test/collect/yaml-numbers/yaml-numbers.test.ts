import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadAliasedDocument } from '../../../src/collect/files/load-aliased.js';
import { loadPlainDocument } from '../../../src/collect/files/load-plain.js';
import { parseManifests } from '../../../src/collect/files/parse-manifests.js';
import { readGoYamlNumber } from '../../../src/collect/files/yaml-schema.js';
import { referenceGoYamlNumber } from './go-yaml-reference.js';

const STRING = 'string';
type Kind = 'int' | 'float' | 'str';

/**
 * How Kubernetes reads each plain scalar `v: <scalar>`: recorded by running go-yaml v2.4.0 (with the
 * big-integer branch of the sigs.k8s.io/yaml fork, goyaml.v2/resolve.go) under Go 1.19 and
 * json.Marshal, as sigs.k8s.io/yaml's YAMLToJSON does. `.inf`/`.nan` resolve to floats that
 * json.Marshal then refuses ("json: unsupported value"), so Kubernetes rejects such a document.
 */
const GO_YAML_V2: ReadonlyArray<readonly [string, number | typeof STRING, Kind]> = [
  ['0644', 420, 'int'],
  ['0755', 493, 'int'],
  ['0777', 511, 'int'],
  ['-0644', -420, 'int'],
  ['+0644', 420, 'int'],
  ['00', 0, 'int'],
  ['0', 0, 'int'],
  ['-0', 0, 'int'],
  ['007', 7, 'int'],
  ['08', 8, 'float'], // not octal: falls through to the decimal float
  ['0999', 999, 'float'],
  ['0x1F', 31, 'int'],
  ['0X1f', 31, 'int'],
  ['+0x1F', 31, 'int'],
  ['-0x1F', -31, 'int'],
  ['0x', STRING, 'str'],
  ['0xG', STRING, 'str'],
  ['0o17', 15, 'int'],
  ['0O17', 15, 'int'],
  ['0o8', STRING, 'str'],
  ['0b101', 5, 'int'],
  ['0B101', 5, 'int'],
  ['-0b101', -5, 'int'],
  ['0b2', STRING, 'str'],
  ['1_000', 1000, 'int'],
  ['1__0', 10, 'int'],
  ['_1', STRING, 'str'],
  ['1_', 1, 'int'],
  ['0x_1F', 31, 'int'],
  ['0_x1F', 31, 'int'],
  ['-_1', -1, 'int'],
  ['+12', 12, 'int'],
  ['++1', STRING, 'str'],
  ['+-1', STRING, 'str'],
  ['+', STRING, 'str'],
  ['1e3', 1000, 'float'],
  ['1E3', 1000, 'float'],
  ['1e+3', 1000, 'float'],
  ['1e-3', 0.001, 'float'],
  ['1.', 1, 'float'],
  ['.5', 0.5, 'float'],
  ['+.5', 0.5, 'float'],
  ['-.5', -0.5, 'float'],
  ['.', STRING, 'str'],
  ['.e3', STRING, 'str'],
  ['1.5e3', 1500, 'float'],
  ['1_000.5', 1000.5, 'float'],
  ['.5_5', 0.55, 'float'],
  ['._5', STRING, 'str'],
  ['1e400', STRING, 'str'], // ParseFloat overflows: no number
  ['-1e400', STRING, 'str'],
  ['1e-400', 0, 'float'],
  ['.5e400', STRING, 'str'],
  ['.inf', Infinity, 'float'],
  ['.Inf', Infinity, 'float'],
  ['.INF', Infinity, 'float'],
  ['+.inf', Infinity, 'float'],
  ['-.Inf', -Infinity, 'float'],
  ['.nan', NaN, 'float'],
  ['.NaN', NaN, 'float'],
  ['.NAN', NaN, 'float'],
  ['+.nan', STRING, 'str'],
  ['.Nan', STRING, 'str'],
  ['inf', STRING, 'str'],
  ['nan', STRING, 'str'],
  ['NaN', STRING, 'str'],
  ['Infinity', STRING, 'str'],
  ['-0.0', 0, 'float'], // Go writes -0; Kubernetes and JSON.stringify read 0
  ['9223372036854775807', 2 ** 63, 'int'], // JSON 9223372036854775807, read as JavaScript's nearest double
  ['9223372036854775808', 2 ** 63, 'int'], // uint64
  ['18446744073709551615', 2 ** 64, 'int'], // uint64
  ['18446744073709551616', 2 ** 64, 'float'], // past uint64: a decimal float
  ['-9223372036854775808', -(2 ** 63), 'int'],
  ['-9223372036854775809', -(2 ** 63), 'float'],
  ['0x8000000000000000', 2 ** 63, 'int'],
  ['0xFFFFFFFFFFFFFFFF', 2 ** 64, 'int'],
  ['0x10000000000000000', 2 ** 64, 'int'], // a big.Int (sigs.k8s.io fork)
  ['-0x10000000000000000', STRING, 'str'], // a sign makes ParseUint's error a syntax error: no big.Int
  ['1:30', STRING, 'str'],
  ['190:20:30', STRING, 'str'],
  ['1,000', STRING, 'str'],
  ['0.1.2', STRING, 'str'],
  ['1.2.3', STRING, 'str'],
  ['3e', STRING, 'str'],
  ['e3', STRING, 'str'],
  ['0x1.8p1', STRING, 'str'],
  ['1e3_0', 1e30, 'float'],
  ['2001-12-14', STRING, 'str'],
  ['12:30:45', STRING, 'str'],
  ['0b-101', -5, 'int'], // go-yaml's own 0b branch allows a sign after the prefix
  ['0b+101', 5, 'int'],
  ['-0b-1', STRING, 'str'],
  ['0b-', STRING, 'str'],
  ['0b+1_0', 2, 'int'],
  ['0B-1', STRING, 'str'],
];

const finite = GO_YAML_V2.filter(([, expected]) => expected === STRING || Number.isFinite(expected));
const valueOf = (loaded: ReturnType<typeof loadPlainDocument>): unknown => ('value' in loaded ? (loaded.value as { v?: unknown }).v : loaded.gap);

describe('plain scalars read as go-yaml v2 reads them', () => {
  it.each(GO_YAML_V2)('%s', (text, expected, kind) => {
    const number = readGoYamlNumber(text);
    if (expected === STRING) expect(number).toBeUndefined();
    else expect(number).toEqual({ value: expected, int: kind === 'int' });
  });

  it('agrees on every table row between the js-yaml path and the `yaml` path (documents with aliases)', () => {
    for (const [text, expected] of finite) {
      const want = expected === STRING ? text : expected;
      expect([text, valueOf(loadPlainDocument({ text: `v: ${text}\n`, line: 1 }))]).toEqual([text, want]);
      expect([text, valueOf(loadAliasedDocument({ text: `a: &x 1\nb: *x\nv: ${text}\n`, line: 1 }))]).toEqual([text, want]);
    }
  });

  it('reads .inf and .nan as go-yaml resolves them on the js-yaml path', () => {
    expect(valueOf(loadPlainDocument({ text: 'v: .inf\nw: -.Inf\nx: .NaN\n', line: 1 }))).toBe(Infinity);
    expect(loadPlainDocument({ text: 'x: .NaN\n', line: 1 })).toEqual({ value: { x: NaN } });
  });

  it('keeps quoted scalars strings on both paths', () => {
    const text = `v: ['0644', "0x1F", '1_000', ".inf", '1e3']\n`;
    const strings = ['0644', '0x1F', '1_000', '.inf', '1e3'];
    expect(valueOf(loadPlainDocument({ text, line: 1 }))).toEqual(strings);
    expect(valueOf(loadAliasedDocument({ text: `a: &x 1\nb: *x\n${text}`, line: 1 }))).toEqual(strings);
  });

  it('honours explicit tags as go-yaml does: !!float takes an integer, !!int refuses a float', () => {
    expect(valueOf(loadPlainDocument({ text: 'v: !!float 0644\n', line: 1 }))).toBe(420);
    expect(valueOf(loadPlainDocument({ text: "v: !!int '0x1F'\n", line: 1 }))).toBe(31);
    expect(loadPlainDocument({ text: 'v: !!int 1.5\n', line: 1 })).toHaveProperty('gap.code', 'YAML_SYNTAX');
    expect(loadAliasedDocument({ text: 'a: &x 1\nb: *x\nv: !!int 1.5\n', line: 1 })).toHaveProperty('gap.code', 'YAML_SYNTAX');
    expect(valueOf(loadAliasedDocument({ text: 'a: &x 1\nb: *x\nv: !!float 0644\n', line: 1 }))).toBe(420);
  });

  it('reads numeric keys as Kubernetes names them: the integer, in decimal', () => {
    expect(loadPlainDocument({ text: '0644: a\n0x10: b\n', line: 1 })).toEqual({ value: { 420: 'a', 16: 'b' } });
    expect(loadAliasedDocument({ text: '0644: &x a\n0x10: *x\n', line: 1 })).toEqual({ value: { 420: 'a', 16: 'a' } });
  });

  it('reads defaultMode: 0644 in a manifest as 420, with or without anchors, and JSON as written', () => {
    const pod = (mode: string, extra = '') => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${extra}}\nspec:\n  containers: [{name: app, image: nginx:1.27}]\n  volumes:\n    - name: config\n      configMap: {name: c, defaultMode: ${mode}}\n`;
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' }, spec: { volumes: [{ name: 'config', configMap: { name: 'c', defaultMode: 420 } }] } });
    const result = parseManifests('m.yaml', `${pod('0644')}---\n${pod('0o755', '2')}---\nx: &a 1\ny: *a\n${pod('0600', '3')}`);
    const modes = result.resources.map((r) => (r.object.spec as { volumes: Array<{ configMap: { defaultMode: unknown } }> }).volumes[0]?.configMap.defaultMode);
    expect(modes).toEqual([420, 493, 384]);
    expect(parseManifests('j.json', json).resources[0]?.object.spec).toMatchObject({ volumes: [{ configMap: { defaultMode: 420 } }] });
  });
});

/** Text that looks like a number to go-yaml often enough to be interesting: signs, prefixes, underscores, dots, exponents. */
const numberLike = fc.tuple(
  fc.constantFrom('', '', '0', '0x', '0X', '0o', '0b', '0B', '-', '+', '.', '-0', '+0x', '-.', '0b-', '1_'),
  fc.string({ unit: fc.constantFrom(...'0123456789_0170_+-.eExXoObBaAfF9'), maxLength: 24 }),
).map(([prefix, rest]) => prefix + rest);
/** Integers around the 64-bit limits, in every base strconv reads. */
const wideInteger = fc.tuple(
  fc.bigInt({ min: -(2n ** 66n), max: 2n ** 66n }),
  fc.constantFrom(2, 8, 10, 16),
  fc.constantFrom('0', '0o'),
  fc.boolean(),
).map(([value, base, octalPrefix, plus]) => {
  const digits = (value < 0n ? -value : value).toString(base);
  const prefix = base === 2 ? '0b' : base === 8 ? (octalPrefix === '0o' ? '0o' : '0') : base === 16 ? '0x' : '';
  return `${value < 0n ? '-' : plus ? '+' : ''}${prefix}${digits}`;
});

describe('go-yaml numbers, by property', () => {
  it('our reading agrees with a step-by-step model of go-yaml v2 and strconv', () => {
    fc.assert(fc.property(fc.oneof(numberLike, wideInteger), (text) => {
      expect(readGoYamlNumber(text)).toEqual(referenceGoYamlNumber(text));
    }), { numRuns: 3000 });
  });

  it('the js-yaml path and the `yaml` path read every integer alike', () => {
    fc.assert(fc.property(fc.oneof(numberLike, wideInteger), (text) => {
      // Only texts that are one plain scalar in both parsers (no flow indicators, comments, or leading '-').
      fc.pre(/^[^-\s#,[\]{}:][^\s#,[\]{}]*$/.test(text));
      const plain = loadPlainDocument({ text: `v: ${text}\n`, line: 1 });
      const aliased = loadAliasedDocument({ text: `a: &x 1\nb: *x\nv: ${text}\n`, line: 1 });
      const reference = referenceGoYamlNumber(text);
      if (reference !== undefined && !Number.isFinite(reference.value)) return;
      expect(valueOf(aliased)).toEqual(valueOf(plain));
    }), { numRuns: 500 });
  });
});
