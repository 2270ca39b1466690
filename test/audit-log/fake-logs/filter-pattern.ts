/**
 * CloudWatch Logs' JSON filter patterns (`{ $.a.b = "x" || ($.c = 401 && $.d != "y*") }`), evaluated
 * as the service does on each event's message, so the fake endpoint sends what CloudWatch would and
 * a pushed-down pattern that drops an event a detection needs makes a test fail. Written by hand for
 * tests: no library evaluates CloudWatch filter patterns. Covers the subset eksguard writes: field
 * paths, `=` and `!=`, quoted strings with `*` wildcards, numbers, `&&`, `||`, parentheses.
 */

interface Junction { readonly kind: 'and' | 'or'; readonly left: Node; readonly right: Node }
interface Comparison { readonly kind: 'cmp'; readonly path: readonly string[]; readonly op: '=' | '!='; readonly value: string | number }
type Node = Junction | Comparison;

function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /\s*(\|\||&&|!=|=|\(|\)|"(?:[^"\\]|\\.)*"|\$[.\w]+|-?\d+(?:\.\d+)?)/y;
  let at = 0;
  for (;;) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (m === null) break;
    out.push(m[1] ?? '');
    at = re.lastIndex;
  }
  if (text.slice(at).trim() !== '') throw new Error(`cannot read filter pattern at: ${text.slice(at)}`);
  return out;
}

export function parseFilterPattern(pattern: string): Node {
  const body = pattern.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) throw new Error(`not a JSON filter pattern: ${pattern}`);
  const list = tokens(body.slice(1, -1));
  let i = 0;
  const peek = () => list[i];
  const next = () => list[i++] ?? '';
  function primary(): Node {
    if (peek() === '(') {
      next();
      const inner = or();
      if (next() !== ')') throw new Error('missing )');
      return inner;
    }
    const path = next();
    if (!path.startsWith('$.')) throw new Error(`expected a field, got ${path}`);
    const op = next();
    if (op !== '=' && op !== '!=') throw new Error(`expected = or !=, got ${op}`);
    const raw = next();
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : Number(raw);
    return { kind: 'cmp', path: path.slice(2).split('.'), op, value };
  }
  function and(): Node {
    let left = primary();
    while (peek() === '&&') {
      next();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  }
  function or(): Node {
    let left = and();
    while (peek() === '||') {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  }
  const tree = or();
  if (i !== list.length) throw new Error(`unexpected ${list[i] ?? ''}`);
  return tree;
}

function globMatch(glob: string, value: string): boolean {
  const re = new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}

function evaluate(node: Node, event: unknown): boolean {
  if (node.kind !== 'cmp') return node.kind === 'and' ? evaluate(node.left, event) && evaluate(node.right, event) : evaluate(node.left, event) || evaluate(node.right, event);
  let value: unknown = event;
  for (const key of node.path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  // A missing field matches neither = nor != (as CloudWatch treats it).
  if (value === undefined || value === null) return false;
  const equal = typeof node.value === 'number' ? value === node.value : typeof value === 'string' && globMatch(node.value, value);
  return node.op === '=' ? equal : !equal;
}

/** Whether the message (a JSON event) passes the pattern; a message that is not JSON never matches a JSON pattern. */
export function matchesFilterPattern(pattern: string, message: string): boolean {
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    return false;
  }
  return evaluate(parseFilterPattern(pattern), event);
}
