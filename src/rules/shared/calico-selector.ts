/**
 * Calico's selector language (`all()`, `has(k)`, `k == 'v'`, `k != 'v'`, `k in {...}`,
 * `k not in {...}`, `contains`, `starts with`, `ends with`, `!`, `&&`, `||`, parentheses),
 * compiled to a predicate over labels. Undefined for anything it cannot parse.
 */
import type { LabelMap as Labels } from '../../core/label-selector.js';

export interface CalicoSelector {
  readonly matches: (labels: Labels) => boolean;
  /** Every label key the selector reads. */
  readonly keys: ReadonlySet<string>;
}

type Predicate = (labels: Labels) => boolean;

const TOKEN = /\s*(all\(\)|global\(\)|has\(|&&|\|\||==|!=|!|\(|\)|\{|\}|,|'[^']*'|"[^"]*"|[A-Za-z0-9_./-]+)/y;

function tokenize(text: string): string[] | undefined {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (match === null) return undefined;
    tokens.push(match[1] ?? '');
  }
  return tokens;
}

const isString = (token: string | undefined): token is string => token !== undefined && /^(['"]).*\1$/s.test(token);
const unquote = (token: string): string => token.slice(1, -1);
const isKey = (token: string | undefined): token is string => token !== undefined && /^[A-Za-z0-9_./-]+$/.test(token) && !['in', 'not', 'contains', 'starts', 'ends', 'with'].includes(token);

export function parseCalicoSelector(text: string): CalicoSelector | undefined {
  const tokens = tokenize(text);
  if (tokens === undefined) return undefined;
  const keys = new Set<string>();
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  function set(): string[] | undefined {
    if (next() !== '{') return undefined;
    const values: string[] = [];
    if (peek() === '}') { pos++; return values; }
    for (;;) {
      const value = next();
      if (!isString(value)) return undefined;
      values.push(unquote(value));
      const separator = next();
      if (separator === '}') return values;
      if (separator !== ',') return undefined;
    }
  }

  function primary(): Predicate | undefined {
    const token = next();
    if (token === 'all()' || token === 'global()') return () => true;
    if (token === '(') {
      const inner = or();
      return inner !== undefined && next() === ')' ? inner : undefined;
    }
    if (token === 'has(') {
      const key = next();
      if (!isKey(key) || next() !== ')') return undefined;
      keys.add(key);
      return (labels) => labels.has(key);
    }
    if (!isKey(token)) return undefined;
    keys.add(token);
    const op = next();
    if (op === '==' || op === '!=') {
      const value = next();
      if (!isString(value)) return undefined;
      const v = unquote(value);
      return op === '==' ? (labels) => labels.get(token) === v : (labels) => labels.get(token) !== v;
    }
    if (op === 'in' || op === 'not') {
      if (op === 'not' && next() !== 'in') return undefined;
      const values = set();
      if (values === undefined) return undefined;
      if (op === 'in') return (labels) => { const v = labels.get(token); return v !== undefined && values.includes(v); };
      return (labels) => { const v = labels.get(token); return v === undefined || !values.includes(v); };
    }
    if (op === 'contains' || op === 'starts' || op === 'ends') {
      if (op !== 'contains' && next() !== 'with') return undefined;
      const value = next();
      if (!isString(value)) return undefined;
      const v = unquote(value);
      return (labels) => {
        const label = labels.get(token);
        if (label === undefined) return false;
        return op === 'contains' ? label.includes(v) : op === 'starts' ? label.startsWith(v) : label.endsWith(v);
      };
    }
    return undefined;
  }

  function unary(): Predicate | undefined {
    if (peek() === '!') {
      pos++;
      const inner = unary();
      return inner && ((labels) => !inner(labels));
    }
    return primary();
  }

  function and(): Predicate | undefined {
    let left = unary();
    while (left !== undefined && peek() === '&&') {
      pos++;
      const right = unary();
      if (right === undefined) return undefined;
      const l = left;
      left = (labels) => l(labels) && right(labels);
    }
    return left;
  }

  function or(): Predicate | undefined {
    let left = and();
    while (left !== undefined && peek() === '||') {
      pos++;
      const right = and();
      if (right === undefined) return undefined;
      const l = left;
      left = (labels) => l(labels) || right(labels);
    }
    return left;
  }

  if (tokens.length === 0) return { matches: () => true, keys };
  const predicate = or();
  if (predicate === undefined || pos !== tokens.length) return undefined;
  return { matches: predicate, keys };
}
