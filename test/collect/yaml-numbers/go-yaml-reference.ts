import type { GoYamlNumber } from '../../../src/collect/files/yaml-schema.js';

/**
 * A step-by-step model of go-yaml v2's resolve() for an untagged plain scalar (goyaml.v2/resolve.go
 * in sigs.k8s.io/yaml) and of the Go strconv functions it calls, written the way Go writes them
 * (character loops, error kinds) rather than the way src/ does (regular expressions), so that the
 * property test compares two independent readings. Slow on purpose; tests only.
 */
type Parsed = bigint | 'syntax' | 'range';

const MAX_UINT64 = 2n ** 64n - 1n;
const INT64_CUTOFF = 2n ** 63n;

const lower = (c: string): string => c.toLowerCase();

function digitValue(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  const l = lower(c);
  if (l >= 'a' && l <= 'z') return l.charCodeAt(0) - 97 + 10;
  return -1;
}

/** strconv.ParseUint(s, base, 64); base 0 reads a 0b/0o/0x prefix, or a leading 0 as octal. */
function parseUint(s: string, requestedBase: number): Parsed {
  if (s === '') return 'syntax';
  let base = requestedBase;
  let i = 0;
  if (base === 0) {
    base = 10;
    if (s[0] === '0') {
      const p = s.length >= 3 ? lower(s.charAt(1)) : '';
      if (p === 'b') [base, i] = [2, 2];
      else if (p === 'o') [base, i] = [8, 2];
      else if (p === 'x') [base, i] = [16, 2];
      else [base, i] = [8, 1];
    }
  }
  let n = 0n;
  for (; i < s.length; i++) {
    const d = digitValue(s.charAt(i));
    if (d < 0 || d >= base) return 'syntax';
    n = n * BigInt(base) + BigInt(d);
    if (n > MAX_UINT64) return 'range';
  }
  return n;
}

/** strconv.ParseInt(s, base, 64). */
function parseInt64(s: string, base: number): Parsed {
  if (s === '') return 'syntax';
  let body = s;
  let negative = false;
  if (s[0] === '+') body = s.slice(1);
  else if (s[0] === '-') [body, negative] = [s.slice(1), true];
  const un = parseUint(body, base);
  if (un === 'syntax' || un === 'range') return un;
  if (!negative && un >= INT64_CUTOFF) return 'range';
  if (negative && un > INT64_CUTOFF) return 'range';
  return negative ? -un : un;
}

/** strconv's underscoreOK for a decimal number: each '_' sits between two digits. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  for (const c of s) {
    if (c >= '0' && c <= '9') {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseFloat(s, 64) for decimal text (go-yaml never hands it hex, inf or nan here). */
function parseFloat64(s: string): number | 'syntax' | 'range' {
  let i = 0;
  if (s[i] === '+' || s[i] === '-') i++;
  let sawDigits = false;
  let sawDot = false;
  let underscores = false;
  for (; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === '_') underscores = true;
    else if (c === '.') {
      if (sawDot) break;
      sawDot = true;
    } else if (c >= '0' && c <= '9') sawDigits = true;
    else break;
  }
  if (!sawDigits) return 'syntax';
  if (i < s.length && lower(s.charAt(i)) === 'e') {
    i++;
    if (s[i] === '+' || s[i] === '-') i++;
    if (i >= s.length || s.charAt(i) < '0' || s.charAt(i) > '9') return 'syntax';
    for (; i < s.length && ((s.charAt(i) >= '0' && s.charAt(i) <= '9') || s.charAt(i) === '_'); i++) {
      if (s.charAt(i) === '_') underscores = true;
    }
  }
  if (i !== s.length) return 'syntax';
  if (underscores && !underscoreOK(s)) return 'syntax';
  const value = Number(s.replaceAll('_', ''));
  return Number.isFinite(value) ? value : 'range';
}

/** math/big's (*Int).SetString(s, 0). */
function bigIntSetString(s: string): bigint | undefined {
  const negative = s[0] === '-';
  const body = s[0] === '-' || s[0] === '+' ? s.slice(1) : s;
  let base = 10;
  let digits = body;
  if (body[0] === '0' && body.length > 1) {
    const p = lower(body.charAt(1));
    if (p === 'x') [base, digits] = [16, body.slice(2)];
    else if (p === 'b') [base, digits] = [2, body.slice(2)];
    else if (p === 'o') [base, digits] = [8, body.slice(2)];
    else [base, digits] = [8, body.slice(1)];
  }
  if (digits === '') return undefined;
  let n = 0n;
  for (const c of digits) {
    const d = digitValue(c);
    if (d < 0 || d >= base) return undefined;
    n = n * BigInt(base) + BigInt(d);
  }
  return negative ? -n : n;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const RESOLVE_MAP: Record<string, number> = {
  '.nan': NaN, '.NaN': NaN, '.NAN': NaN,
  '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity,
  '+.inf': Infinity, '+.Inf': Infinity, '+.INF': Infinity,
  '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity,
};

const int = (value: bigint): GoYamlNumber => ({ value: Number(value) === 0 ? 0 : Number(value), int: true });
const float = (value: number): GoYamlNumber => ({ value: value === 0 ? 0 : value, int: false });

export function referenceGoYamlNumber(text: string): GoYamlNumber | undefined {
  const hint = text === '' ? 'N' : '+-'.includes(text.charAt(0)) ? 'S' : text.charAt(0) >= '0' && text.charAt(0) <= '9' ? 'D' : text.charAt(0) === '.' ? '.' : '';
  if (hint === '' || hint === 'N') return undefined;
  const mapped = RESOLVE_MAP[text];
  if (mapped !== undefined) return float(mapped);
  if (hint === '.') {
    const f = parseFloat64(text);
    return typeof f === 'number' ? float(f) : undefined;
  }
  // (A timestamp check comes first in go-yaml; no timestamp is also a number.)
  const plain = text.replaceAll('_', '');
  const intv = parseInt64(plain, 0);
  if (typeof intv === 'bigint') return int(intv);
  const uintv = parseUint(plain, 0);
  if (typeof uintv === 'bigint') return int(uintv);
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = parseFloat64(plain);
    if (typeof f === 'number') return float(f);
  }
  if (plain.startsWith('0b')) {
    const v = parseInt64(plain.slice(2), 2);
    if (typeof v === 'bigint') return int(v);
    const u = parseUint(plain.slice(2), 2);
    if (typeof u === 'bigint') return int(u);
  } else if (plain.startsWith('-0b')) {
    const v = parseInt64(`-${plain.slice(3)}`, 2);
    if (typeof v === 'bigint') return int(v);
  }
  if (uintv === 'range') {
    const big = bigIntSetString(plain);
    if (big !== undefined) return int(big);
  }
  return undefined;
}
