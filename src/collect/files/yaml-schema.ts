import jsYaml, { type Type } from 'js-yaml';
import type { ScalarTag, Tags } from 'yaml';

/**
 * YAML as Kubernetes reads it. kubectl and the API server decode YAML with a YAML 1.1 parser
 * (sigs.k8s.io/yaml, a go-yaml v2 fork) and convert it to JSON, so `privileged: yes` is `true` and
 * `on`/`off`/`y`/`n` are booleans too, `defaultMode: 0644` is the octal 420, while timestamps stay
 * strings (go-yaml v2 leaves them strings when decoding into interface{}, as Kubernetes does).
 * js-yaml speaks YAML 1.2, so we give it 1.1 booleans (a security scanner must read
 * `privileged: yes` as Kubernetes does), go-yaml's numbers, merge keys, and no timestamp or binary
 * types. The `yaml` library (documents with aliases) gets the same numbers through GO_YAML_TAGS.
 */
const TRUE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;

const yaml11Boolean = new jsYaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && BOOLEAN.test(data),
  construct: (data: string) => TRUE.test(data),
  predicate: (value: unknown) => typeof value === 'boolean',
  represent: { lowercase: (value: object) => (value ? 'true' : 'false') },
  defaultStyle: 'lowercase',
});

/** A plain scalar go-yaml v2 reads as a number: its value as JSON then JavaScript see it, and whether go-yaml tagged it !!int. */
export interface GoYamlNumber {
  readonly value: number;
  readonly int: boolean;
}

// Hand-written: no JavaScript library implements go-yaml v2's resolver (resolve.go), which differs
// from both YAML 1.1 and 1.2. Its rule for a plain scalar, in order:
//  - exact words: .inf/.Inf/.INF (optionally signed), .nan/.NaN/.NAN;
//  - first character '.': Go's strconv.ParseFloat of the text as written (underscores only between digits);
//  - first character a digit or a sign: drop every '_', then strconv.ParseInt(s, 0, 64) — a sign,
//    then 0b/0o/0x, or a leading 0 for octal, or decimal —, then ParseUint(s, 0, 64) for
//    2^63..2^64-1, then a decimal float of YAML style (1., .5, 1e3; ±Inf on overflow is no number),
//    then `0b` followed by a signed binary number, then (sigs.k8s.io fork) an unsigned integer
//    past 64 bits as a big integer;
//  - anything else is a string.
const SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((word) => [word, Infinity] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((word) => [word, -Infinity] as const),
  ...['.nan', '.NaN', '.NAN'].map((word) => [word, NaN] as const),
]);
/** The common case, exactly representable: a decimal integer without a leading zero. */
const SHORT_DECIMAL = /^[-+]?[1-9][0-9]{0,14}$/;
/** strconv.ParseFloat of a text starting with '.': underscores only between two digits. */
const DOT_FLOAT = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;
/** strconv's base-0 integer syntax (after go-yaml dropped the underscores). */
const GO_INT = /^([-+]?)(?:0[bB]([01]+)|0[oO]([0-7]+)|0[xX]([0-9a-fA-F]+)|0([0-7]*)|([1-9][0-9]*))$/;
/** What go-yaml's `0b` branch accepts beyond strconv's syntax: a sign after the prefix. */
const SIGNED_AFTER_0B = /^0b([-+])([01]+)$/;
/** go-yaml's yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;

// JSON has no -0: Kubernetes reads the `-0` that Go writes back as 0, and so does JSON.stringify.
const noNegativeZero = (value: number): number => (value === 0 ? 0 : value);

function finiteFloat(text: string): GoYamlNumber | undefined {
  const value = Number(text);
  return Number.isFinite(value) ? { value: noNegativeZero(value), int: false } : undefined;
}

/** The value of a GO_INT match (math/big reads the same syntax, so this is also the big.Int go-yaml makes). */
function goInteger(match: RegExpExecArray): bigint {
  const [, sign, binary, octal, hex, leadingZeroOctal, decimal] = match;
  const magnitude = binary !== undefined ? BigInt(`0b${binary}`)
    : octal !== undefined ? BigInt(`0o${octal}`)
      : hex !== undefined ? BigInt(`0x${hex}`)
        : leadingZeroOctal !== undefined ? BigInt(`0o0${leadingZeroOctal}`)
          : BigInt(decimal ?? '0');
  return sign === '-' ? -magnitude : magnitude;
}

/** How go-yaml v2 (and so Kubernetes) reads a plain scalar: a number, or undefined when it is not one. */
export function readGoYamlNumber(text: string): GoYamlNumber | undefined {
  const first = text.charCodeAt(0);
  if (first === 46 /* . */) {
    const special = SPECIAL_FLOATS.get(text);
    if (special !== undefined) return { value: special, int: false };
    return DOT_FLOAT.test(text) ? finiteFloat(text.replaceAll('_', '')) : undefined;
  }
  const signed = first === 43 /* + */ || first === 45 /* - */;
  if (!signed && !(first >= 48 && first <= 57)) return undefined;
  if (SHORT_DECIMAL.test(text)) return { value: Number(text), int: true };
  const special = SPECIAL_FLOATS.get(text);
  if (special !== undefined) return { value: special, int: false };
  const plain = text.includes('_') ? text.replaceAll('_', '') : text;
  const match = GO_INT.exec(plain);
  const integer = match ? goInteger(match) : undefined;
  if (integer !== undefined && integer >= MIN_INT64 && integer <= (signed ? MAX_INT64 : MAX_UINT64)) {
    return { value: noNegativeZero(Number(integer)), int: true };
  }
  if (YAML_STYLE_FLOAT.test(plain)) {
    const float = finiteFloat(plain);
    if (float) return float;
  }
  // go-yaml's own 0b branch parses what follows `0b` with a sign allowed: `0b-101` is -5.
  const binary = SIGNED_AFTER_0B.exec(plain);
  if (binary) {
    const magnitude = BigInt(`0b${binary[2] ?? ''}`);
    const value = binary[1] === '-' ? -magnitude : magnitude;
    if (value >= MIN_INT64 && value <= MAX_INT64) return { value: noNegativeZero(Number(value)), int: true };
  }
  // ParseUint failed on range (not syntax) only for an unsigned integer past 64 bits: a big.Int.
  if (integer !== undefined && !signed) return { value: Number(integer), int: true };
  return undefined;
}

// js-yaml calls resolve then construct on the same text (and the int type, then the float type):
// remembering the last reading parses each scalar once.
let lastText = '';
let lastNumber: GoYamlNumber | undefined;
function readOnce(text: string): GoYamlNumber | undefined {
  if (text !== lastText) [lastText, lastNumber] = [text, readGoYamlNumber(text)];
  return lastNumber;
}

const goYamlInt = new jsYaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && readOnce(data)?.int === true,
  construct: (data: string) => readOnce(data)?.value,
  predicate: (value: unknown) => Number.isInteger(value),
});

// `!!float 1` is 1.0 in go-yaml, so the float type takes integers too; implicit ints resolve first.
const goYamlFloat = new jsYaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && readOnce(data) !== undefined,
  construct: (data: string) => readOnce(data)?.value,
  predicate: (value: unknown) => typeof value === 'number',
});

// js-yaml exports its null and merge-key types at run time; @types/js-yaml does not declare them.
const { merge, null: nullType } = (jsYaml as unknown as { types: { merge: Type; null: Type } }).types;

/** YAML 1.2's failsafe schema plus null, YAML 1.1 booleans, go-yaml's numbers and merge keys. */
export const KUBE_YAML_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({ implicit: [nullType, yaml11Boolean, goYamlInt, goYamlFloat, merge] });

/** The `yaml` library matches plain scalars with `tag.test.test(text)`: this one asks go-yaml's rule. */
class GoYamlNumberTest extends RegExp {
  constructor(private readonly intOnly: boolean) {
    super('(?:)');
  }

  override test(text: string): boolean {
    const number = readGoYamlNumber(text);
    return number !== undefined && (number.int || !this.intOnly);
  }
}

/**
 * One tag for plain scalars (`default`, matched by `test`) and one for explicit `!!int`/`!!float`,
 * which `yaml` looks up by name, non-default tags first: there go-yaml's refusals (`!!int 1.5`) are errors.
 */
function goYamlTag(tag: 'int' | 'float', implicit: boolean): ScalarTag {
  const intOnly = tag === 'int';
  return {
    tag: `tag:yaml.org,2002:${tag}`,
    default: implicit,
    ...(implicit ? { test: new GoYamlNumberTest(intOnly) } : {}),
    identify: (value: unknown) => typeof value === 'number',
    resolve: (text: string, onError: (message: string) => void) => {
      const number = readGoYamlNumber(text);
      if (number !== undefined && (number.int || !intOnly)) return number.value;
      onError(`cannot decode \`${text}\` as a !!${tag}`);
      return text;
    },
  };
}

/**
 * `customTags` for the `yaml` library at `version: '1.1'`: go-yaml's numbers in place of YAML 1.1's
 * (which read `1:30` as 90 and `0o17` as a string), and timestamps left as strings.
 */
export function goYamlTags(tags: Tags): Tags {
  const replaced = new Set(['tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:timestamp']);
  return [
    ...tags.filter((tag) => typeof tag === 'string' || !replaced.has(tag.tag)),
    goYamlTag('int', false), goYamlTag('float', false), goYamlTag('int', true), goYamlTag('float', true),
  ];
}
