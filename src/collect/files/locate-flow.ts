import type { FieldPath } from '../../core/finding.js';

/**
 * Where a field path points inside a one-line flow collection (`labels: {app: web}`,
 * `ports: [{containerPort: 8080}]`, `capabilities: {drop: [ALL]}`), with the `yaml` library's
 * answers: the key of a map member, the first character of a sequence item (its `{`, `[` or
 * quote included).
 *
 * Hand-written for the same reason as the line locator (locate.ts): hand-written manifests put
 * their short maps and lists in flow style, and a finding on a path through one used to cost a
 * full `yaml` parse of its document. One line is a small, regular grammar; anything beyond it
 * (a collection spanning lines, comments, anchors, tags, implicit pairs in a sequence, keys that
 * YAML reads as numbers or booleans) answers `undefined`, and the caller asks the library.
 */

const SPACE = 32;
const COLON = 58;
const COMMA = 44;

/** A parsed flow node: `at` is its first character's offset; collections hold their members. */
interface FlowNode {
  readonly at: number;
  /** A map's members by key, each with its key's offset. */
  readonly map?: Map<string, { readonly keyAt: number; readonly value: FlowNode }>;
  readonly seq?: FlowNode[];
}

/** Thrown inside the parser on anything it does not follow; caught at the entry point only. */
const UNSURE = Symbol('unsure');

// A plain key the YAML 1.2 core schema reads as something else than its text (`1e3` is 1000):
// the library compares String(key), so such keys would not match as written.
const NON_STRING_KEY = /^(?:[-+]?[.0-9]|~$|null$|Null$|NULL$|true$|True$|TRUE$|false$|False$|FALSE$)/;

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === 91 || c === 93 || c === 123 || c === 125; // , [ ] { }
}

class FlowParser {
  pos: number;

  constructor(private readonly text: string, start: number) {
    this.pos = start;
  }

  private fail(): never {
    throw UNSURE;
  }

  /** The next non-space character (the line ends the text: a collection left open is unsure). */
  private peek(): number {
    const { text } = this;
    while (this.pos < text.length && text.charCodeAt(this.pos) === SPACE) this.pos += 1;
    return this.pos < text.length ? text.charCodeAt(this.pos) : this.fail();
  }

  node(): FlowNode {
    const c = this.peek();
    if (c === 123) return this.mapping();
    if (c === 91) return this.sequence();
    if (c === 34 || c === 39) return { at: this.quoted().at };
    return { at: this.plain().at };
  }

  /** A quoted scalar; returns its offset and value (only keys need the value). */
  quoted(): { at: number; value: string } {
    const { text } = this;
    const at = this.pos;
    const quote = text.charCodeAt(at);
    for (let p = at + 1; p < text.length; p += 1) {
      const c = text.charCodeAt(p);
      if (c === 92 && quote === 34) this.fail(); // escapes: the key's value would need decoding
      if (c !== quote) continue;
      if (quote === 39 && text.charCodeAt(p + 1) === 39) {
        p += 1;
        continue;
      }
      this.pos = p + 1;
      return { at, value: text.slice(at + 1, p).replaceAll("''", "'") };
    }
    return this.fail();
  }

  /** A plain scalar: up to a flow indicator, or a `:` the value follows; returns its offset and text. */
  plain(): { at: number; value: string } {
    const { text } = this;
    const at = this.pos;
    const first = text.charCodeAt(at);
    // Indicators that start anchors, aliases, tags, comments, block scalars, directives or complex keys.
    if (first === 38 || first === 42 || first === 33 || first === 35 || first === 124 || first === 62 || first === 37 || first === 64 || first === 96 || first === 63 || first === COLON || isFlowIndicator(first)) this.fail();
    if (first === 45 && (at + 1 >= text.length || text.charCodeAt(at + 1) === SPACE || isFlowIndicator(text.charCodeAt(at + 1)))) this.fail();
    let p = at;
    for (; p < text.length; p += 1) {
      const c = text.charCodeAt(p);
      if (isFlowIndicator(c)) break;
      if (c === COLON) {
        const next = text.charCodeAt(p + 1);
        if (p + 1 >= text.length || next === SPACE || isFlowIndicator(next)) break;
      }
      if (c === 35 && text.charCodeAt(p - 1) === SPACE) this.fail(); // a comment inside the collection
    }
    this.pos = p;
    return { at, value: text.slice(at, p).trimEnd() };
  }

  /** After an entry: `,` (a trailing one allowed, as YAML does) or the closing bracket; true when more follow. */
  private separator(close: number): boolean {
    const c = this.peek();
    this.pos += 1;
    if (c === close) return false;
    if (c !== COMMA) this.fail();
    if (this.peek() !== close) return true;
    this.pos += 1;
    return false;
  }

  private sequence(): FlowNode {
    const at = this.pos;
    this.pos += 1;
    const seq: FlowNode[] = [];
    if (this.peek() === 93) {
      this.pos += 1;
      return { at, seq };
    }
    do {
      const item = this.node();
      if (this.peek() === COLON) this.fail(); // `[a: 1]`: a single-pair map in a sequence
      seq.push(item);
    } while (this.separator(93));
    return { at, seq };
  }

  private mapping(): FlowNode {
    const at = this.pos;
    this.pos += 1;
    const map = new Map<string, { keyAt: number; value: FlowNode }>();
    if (this.peek() === 125) {
      this.pos += 1;
      return { at, map };
    }
    do {
      const c = this.peek();
      const quotedKey = c === 34 || c === 39;
      const key = quotedKey ? this.quoted() : this.plain();
      if (!quotedKey && (key.value === '' || NON_STRING_KEY.test(key.value))) this.fail();
      let value: FlowNode;
      const after = this.peek();
      if (after === COLON) {
        this.pos += 1;
        const next = this.peek();
        // `{a: }` / `{a:}`: a null value, which the library places where the key is.
        value = next === COMMA || next === 125 ? { at: key.at } : this.node();
      } else {
        value = { at: key.at }; // `{a, b}`: keys with null values
      }
      if (!map.has(key.value)) map.set(key.value, { keyAt: key.at, value });
    } while (this.separator(125));
    return { at, map };
  }
}

/**
 * The offset of what `path` points at inside the flow collection opening at `start` in `line`
 * (the line's text, which must hold all of it): the deepest part of the path that exists, `null`
 * when not even the first segment does, `undefined` when the syntax is beyond this parser.
 */
export function locateInFlow(line: string, start: number, path: FieldPath): number | null | undefined {
  let root: FlowNode;
  try {
    const parser = new FlowParser(line, start);
    root = parser.node();
    // Only a comment may follow the collection on its line.
    const rest = line.slice(parser.pos).trimStart();
    if (rest !== '' && !rest.startsWith('#')) return undefined;
  } catch (error) {
    if (error === UNSURE) return undefined;
    throw error;
  }
  let node: FlowNode | undefined = root;
  let found: number | null = null;
  for (const segment of path) {
    if (node?.map !== undefined) {
      const member = node.map.get(String(segment));
      if (member === undefined) break;
      found = member.keyAt;
      node = member.value;
    } else if (node?.seq !== undefined && typeof segment === 'number') {
      const item: FlowNode | undefined = node.seq[segment];
      if (item === undefined) break;
      found = item.at;
      node = item;
    } else break;
  }
  return found;
}
