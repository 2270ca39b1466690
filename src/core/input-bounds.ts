/**
 * Bounds on the shape of what the readers parse (docs/limits.md): how deep collections nest and
 * how many entries one mapping or sequence holds. Checked on the text, before any parser runs,
 * because the parsers are where a hostile file does its harm: js-yaml recurses once per level
 * (past ~1,800 levels the stack overflows), `yaml` runs out of memory compiling a pattern for
 * a few thousand nested flow collections, and its duplicate-key check makes a mapping of a
 * million keys take hours. Every reader admits only what passes here, so every walker after
 * the readers (redaction, List flattening, field paths, the snapshot writer, the rules) may
 * recurse once per level and stay far from the stack's end.
 *
 * Hand-written because no YAML or JSON library reports depth or size without parsing first. The
 * scan is one pass over the text and errs only upward (a bracket inside a comment, the lines of
 * a multi-line plain scalar), by amounts no real file comes near the bounds with.
 */

/** Deepest nesting of collections admitted. Real manifests nest under 40 levels, CRD schemas under 100. */
export const MAX_NESTING = 512;

/**
 * Most entries in one mapping or sequence. Admits a `List` of a million objects (ten times a
 * 100,000-object cluster dump) and any real mapping (a ConfigMap's 1 MiB holds far fewer keys).
 */
export const MAX_ENTRIES = 1_000_000;

/** What is wrong with a text's shape, and where (1-based line in the text). */
export interface ShapeProblem {
  readonly code: 'TOO_DEEP' | 'TOO_LARGE';
  readonly line: number;
  readonly message: string;
}

const SPACE = 32;
const TAB = 9;
const NEWLINE = 10;
const CR = 13;
const HASH = 35;
const DASH = 45;
const QUOTE = 34;
const APOSTROPHE = 39;
const BACKSLASH = 92;
const OPEN_SQUARE = 91;
const CLOSE_SQUARE = 93;
const OPEN_CURLY = 123;
const CLOSE_CURLY = 125;
const COMMA = 44;
const COLON = 58;
const PIPE = 124;
const GREATER = 62;
const AMPERSAND = 38;
const BANG = 33;

export function tooDeep(line: number): ShapeProblem {
  return { code: 'TOO_DEEP', line, message: `nesting deeper than ${MAX_NESTING.toLocaleString('en-US')} levels; not read` };
}

/**
 * Most entries in one mapping or sequence of a document with anchors and aliases: the parser
 * that bounds alias expansion (`yaml`) checks duplicate keys in time that grows with the square
 * of a mapping's size. Real documents with aliases are small.
 */
export const MAX_ALIASED_ENTRIES = 10_000;

export function tooMany(line: number, max: number): ShapeProblem {
  return { code: 'TOO_LARGE', line, message: `a mapping or sequence with more than ${max.toLocaleString('en-US')} entries; not read` };
}

/** One open block collection: the column of its entries, whether it is a sequence, and its entries so far. */
interface Frame {
  column: number;
  sequence: boolean;
  entries: number;
}

/** The next place of a string at or after a position, remembered so a scan looking for it line by line stays linear. */
class NextOf {
  private at = -2;
  constructor(private readonly text: string, private readonly needle: string) {}
  from(position: number): number {
    if (this.at !== -1 && this.at < position) this.at = this.text.indexOf(this.needle, position);
    return this.at;
  }
}

/**
 * Checks a YAML or JSON text (one document or a stream) against the bounds; undefined when it
 * is within them. Block collections are followed by indentation, flow collections (and JSON) by
 * their brackets, skipping quoted strings, comments and block scalars.
 */
export function checkShape(text: string, maxEntries: number = MAX_ENTRIES): ShapeProblem | undefined {
  return new ShapeScan(text, maxEntries).run();
}

// What the flow scan stops at: quotes, brackets, commas, comments and line ends.
const FLOW_STOPS = /["'[\]{},#\n]/g;

class ShapeScan {
  private readonly blocks: Frame[] = [];
  private readonly colon: NextOf;
  private readonly comment: NextOf;
  private readonly newline: NextOf;

  constructor(private readonly text: string, private readonly maxEntries: number) {
    this.colon = new NextOf(text, ': ');
    this.comment = new NextOf(text, ' #');
    this.newline = new NextOf(text, '\n');
  }

  run(): ShapeProblem | undefined {
    const { text, blocks } = this;
    let line = 0;
    let position = 0;
    /** While inside a block scalar (`|`, `>`), lines indented past this column belong to it. */
    let scalarColumn = -1;
    const length = text.length;
    while (position < length) {
      line += 1;
      let end = text.indexOf('\n', position);
      if (end === -1) end = length;
      let p = position;
      while (p < end && (text.charCodeAt(p) === SPACE || text.charCodeAt(p) === TAB)) p += 1;
      const indent = p - position;
      position = end + 1;
      if (p >= end || text.charCodeAt(p) === HASH || text.charCodeAt(p) === CR) continue; // blank or a comment
      if (scalarColumn >= 0 && indent > scalarColumn) continue; // a line of a block scalar
      scalarColumn = -1;
      if (text.startsWith('---', p) || text.startsWith('...', p)) {
        if (indent === 0) blocks.length = 0; // a new document
        continue;
      }
      const found = this.blockLine(p, end, indent, line);
      if (typeof found === 'object') return found;
      if (typeof found === 'number') {
        const after = this.flow(found, line);
        if ('code' in after) return after;
        line = after.line;
        const next = text.indexOf('\n', after.position);
        position = next === -1 ? length : next + 1;
      } else if (this.opensBlockScalar(p, end)) {
        scalarColumn = indent;
      }
    }
    return undefined;
  }

  /**
   * Follows one line of block YAML: the collections it opens or adds to. Returns where a flow
   * collection starts on it, if one does, or the problem.
   */
  private blockLine(start: number, end: number, indent: number, line: number): ShapeProblem | number | undefined {
    const { text, blocks } = this;
    let column = indent;
    let p = start;
    let sequence = isDash(text, p, end);
    while (blocks.length > 0 && (blocks[blocks.length - 1] as Frame).column > column) blocks.pop();
    let top = blocks[blocks.length - 1];
    // A block sequence may sit at its parent key's column; a key after it ends the sequence.
    if (top !== undefined && top.column === column && top.sequence && !sequence && blocks.length > 1 && (blocks[blocks.length - 2] as Frame).column === column) {
      blocks.pop();
      top = blocks[blocks.length - 1];
    }
    for (;;) {
      if (top !== undefined && top.column === column && top.sequence === sequence) {
        top.entries += 1;
        if (top.entries > this.maxEntries) return tooMany(line, this.maxEntries);
      } else {
        top = { column, sequence, entries: 1 };
        blocks.push(top);
        if (blocks.length > MAX_NESTING) return tooDeep(line);
      }
      if (!sequence) break;
      // `- ` then more on the line: a collection inside the item (`- - a`, `- key: v`, `- [a]`).
      p += 1;
      while (p < end && text.charCodeAt(p) === SPACE) p += 1;
      if (p >= end || text.charCodeAt(p) === HASH || text.charCodeAt(p) === CR) return undefined;
      if (isFlowStart(text, p)) return p;
      column = p - (start - indent);
      sequence = isDash(text, p, end);
      if (!sequence && this.valueStart(p, end) === -1) return undefined; // a scalar item
      top = undefined;
    }
    if (isFlowStart(text, p)) return p; // a document that is a flow collection, or JSON
    const value = this.valueStart(p, end);
    return value !== -1 && isFlowStart(text, value) ? value : undefined;
  }

  /** Where the value of a `key: value` line starts (past the spaces), or -1 when the line holds no `: `. */
  private valueStart(p: number, end: number): number {
    const { text } = this;
    let colon = this.colon.from(p);
    if (colon === -1 || colon >= end) {
      // `key:` at the end of the line: a mapping whose value is on the lines below.
      let last = end;
      while (last > p && (text.charCodeAt(last - 1) === SPACE || text.charCodeAt(last - 1) === CR)) last -= 1;
      return last > p && text.charCodeAt(last - 1) === COLON ? last : -1;
    }
    colon += 2;
    while (colon < end && text.charCodeAt(colon) === SPACE) colon += 1;
    return colon;
  }

  /** Whether the line's value is a block scalar indicator (`key: |`, `- >-`, `|2 # comment`). */
  private opensBlockScalar(start: number, end: number): boolean {
    const { text } = this;
    let last = end;
    const hash = this.comment.from(start);
    if (hash !== -1 && hash < end) last = hash;
    while (last > start && (text.charCodeAt(last - 1) === SPACE || text.charCodeAt(last - 1) === CR)) last -= 1;
    let q = last - 1;
    while (q > start && isIndicatorModifier(text.charCodeAt(q))) q -= 1;
    const c = text.charCodeAt(q);
    if (c !== PIPE && c !== GREATER) return false;
    return q === start || text.charCodeAt(q - 1) === SPACE;
  }

  /**
   * Follows flow collections (and JSON) from the bracket at `p` until the outermost one closes,
   * over as many lines as it takes; returns where it closed and on which line.
   */
  private flow(p: number, firstLine: number): ShapeProblem | { position: number; line: number } {
    const { text } = this;
    const blockDepth = this.blocks.length;
    // Entries (commas) of each collection still open.
    const open: number[] = [];
    let line = firstLine;
    const stops = new RegExp(FLOW_STOPS.source, 'g');
    stops.lastIndex = p;
    for (let match = stops.exec(text); match !== null; match = stops.exec(text)) {
      const q = match.index;
      const c = text.charCodeAt(q);
      if (c === NEWLINE) {
        line += 1;
      } else if (c === QUOTE || c === APOSTROPHE) {
        // A quote inside a plain scalar (`don't`) opens no string: only one that starts a scalar does.
        const before = text.charCodeAt(q - 1);
        if (c === QUOTE || before === SPACE || before === OPEN_SQUARE || before === OPEN_CURLY || before === COMMA || before === COLON || before === TAB || before === NEWLINE) {
          const close = skipQuoted(text, q);
          for (let r = this.newline.from(q); r !== -1 && r < close; r = this.newline.from(r + 1)) line += 1;
          stops.lastIndex = close;
        }
      } else if (c === OPEN_SQUARE || c === OPEN_CURLY) {
        open.push(0);
        if (open.length + blockDepth > MAX_NESTING) return tooDeep(line);
      } else if (c === CLOSE_SQUARE || c === CLOSE_CURLY) {
        open.pop();
        if (open.length === 0) return { position: q, line };
      } else if (c === COMMA) {
        const entries = (open[open.length - 1] ?? 0) + 1;
        open[open.length - 1] = entries;
        if (entries >= this.maxEntries) return tooMany(line, this.maxEntries);
      } else if (c === HASH && (text.charCodeAt(q - 1) === SPACE || text.charCodeAt(q - 1) === NEWLINE)) {
        const next = text.indexOf('\n', q);
        if (next === -1) break;
        stops.lastIndex = next; // the newline is counted on the next turn
      }
    }
    return { position: text.length, line };
  }
}

function isDash(text: string, p: number, end: number): boolean {
  if (text.charCodeAt(p) !== DASH) return false;
  if (p + 1 >= end) return true;
  const c = text.charCodeAt(p + 1);
  return c === SPACE || c === TAB || c === CR;
}

function isFlowStart(text: string, p: number): boolean {
  let q = p;
  // Past an anchor or a tag (`&a [..]`, `!!map {..}`).
  while (text.charCodeAt(q) === AMPERSAND || text.charCodeAt(q) === BANG) {
    while (q < text.length && text.charCodeAt(q) !== SPACE && text.charCodeAt(q) !== NEWLINE) q += 1;
    while (text.charCodeAt(q) === SPACE) q += 1;
  }
  const c = text.charCodeAt(q);
  return c === OPEN_SQUARE || c === OPEN_CURLY;
}

function isIndicatorModifier(c: number): boolean {
  return c === DASH || c === 43 /* + */ || (c >= 48 && c <= 57);
}

/** Past a quoted string starting at `p`, across lines if it runs on (JSON strings do not, YAML ones may). */
function skipQuoted(text: string, p: number): number {
  const quote = text.charCodeAt(p);
  let q = p + 1;
  for (;;) {
    const close = text.indexOf(quote === QUOTE ? '"' : "'", q);
    if (close === -1) return text.length;
    if (quote === APOSTROPHE) {
      if (text.charCodeAt(close + 1) === APOSTROPHE) {
        q = close + 2;
        continue;
      }
      return close + 1;
    }
    // Escaped when an odd number of backslashes precede it.
    let slashes = 0;
    while (text.charCodeAt(close - 1 - slashes) === BACKSLASH) slashes += 1;
    if (slashes % 2 === 0) return close + 1;
    q = close + 1;
  }
}

/**
 * Whether a parsed value nests deeper than `MAX_NESTING`: for values from a parser that does not
 * recurse (`JSON.parse`), checked before any walker that does. Iterative, so any depth is safe.
 */
export function nestsTooDeep(value: unknown): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value: current, depth } = next;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > MAX_NESTING) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current as object)) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}
