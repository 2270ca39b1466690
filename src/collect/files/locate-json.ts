import type { FieldPath } from '../../core/finding.js';
import type { Position } from '../../core/resource.js';

/**
 * Where a field path points in one JSON document (pretty-printed or minified, `kubectl get -o
 * json` included), with the same answers as the YAML locator: the key of a final object member,
 * the start of a final array item, the deepest existing part of a path that leaves the document.
 *
 * Hand-written because JSON.parse keeps no offsets and the `yaml` library's node tree costs
 * several times a parse; this is one linear pass that keeps, per object and array, where each
 * member starts — a lookup is then a walk down the path, however many findings a List has.
 */

/** A leaf is the offset of its key (object member) or of its value (array item). */
type Member = JsonNode | number;

interface JsonNode {
  /** The offset of the node's key in its parent object, or of its `{`/`[` (array item, root). */
  readonly at: number;
  readonly members: Map<string, Member> | Member[];
}

interface Frame {
  readonly node: JsonNode;
  /** In an object: the next string is a key (after `{` or `,`). */
  expectKey: boolean;
  key: string;
  keyAt: number;
}

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;

function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

/** The offset just past the string that opens at `start`; -1 when it never closes. */
function stringEnd(text: string, start: number): number {
  let close = text.indexOf('"', start + 1);
  while (close !== -1) {
    let slashes = 0;
    for (let p = close - 1; text.charCodeAt(p) === BACKSLASH; p -= 1) slashes += 1;
    if (slashes % 2 === 0) return close + 1;
    close = text.indexOf('"', close + 1);
  }
  return -1;
}

function attach(frame: Frame | undefined, member: Member): void {
  if (frame === undefined) return;
  if (Array.isArray(frame.node.members)) frame.node.members.push(member);
  else frame.node.members.set(frame.key, member);
}

/** Indexes the text; undefined when it is not JSON this pass can follow (the caller falls back to the YAML library). */
export function indexJson(text: string): JsonIndex | undefined {
  const stack: Frame[] = [];
  let root: JsonNode | undefined;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || c === 0xfeff) { i += 1; continue; }
    const frame = stack[stack.length - 1];
    if (c === 123 || c === 91) { // { [
      if (root !== undefined && frame === undefined) return undefined; // a second document
      const inObject = frame !== undefined && !Array.isArray(frame.node.members);
      const node: JsonNode = { at: inObject ? frame.keyAt : i, members: c === 123 ? new Map() : [] };
      attach(frame, node);
      root ??= node;
      stack.push({ node, expectKey: c === 123, key: '', keyAt: i });
      i += 1;
    } else if (c === 125 || c === 93) { // } ]
      if (frame === undefined || (c === 125) === Array.isArray(frame.node.members)) return undefined;
      stack.pop();
      i += 1;
    } else if (c === 44) { // ,
      if (frame === undefined) return undefined;
      if (!Array.isArray(frame.node.members)) frame.expectKey = true;
      i += 1;
    } else if (c === 58) { // :
      i += 1;
    } else if (frame === undefined) {
      return undefined; // a scalar root holds no fields, or the text is not JSON
    } else if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end === -1) return undefined;
      if (frame.expectKey) {
        const raw = text.slice(i + 1, end - 1);
        frame.key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw;
        frame.keyAt = i;
        frame.expectKey = false;
      } else {
        attach(frame, Array.isArray(frame.node.members) ? i : frame.keyAt);
      }
      i = end;
    } else if (frame.expectKey) {
      return undefined; // an unquoted key: YAML flow syntax, not JSON
    } else {
      // A number, true, false or null: runs to the next delimiter.
      const start = i;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 44 || d === 125 || d === 93 || isSpace(d)) break;
        if (d === 35 || d === QUOTE || d === 123 || d === 91) return undefined; // a comment or other YAML-only syntax
        i += 1;
      }
      attach(frame, Array.isArray(frame.node.members) ? start : frame.keyAt);
    }
  }
  if (root === undefined || stack.length > 0) return undefined;
  return new JsonIndex(text, root);
}

export class JsonIndex {
  private lineStarts: number[] | undefined;

  constructor(private readonly text: string, private readonly root: JsonNode) {}

  /** The position of `path` in the document (1-based line and column). */
  locate(path: FieldPath): Position {
    let node: JsonNode | undefined = this.root;
    let at = this.root.at;
    for (const segment of path) {
      if (node === undefined) break;
      const members: Map<string, Member> | Member[] = node.members;
      const member: Member | undefined = Array.isArray(members)
        ? (typeof segment === 'number' ? members[segment] : undefined)
        : members.get(String(segment));
      if (member === undefined) break;
      if (typeof member === 'number') {
        at = member;
        node = undefined;
      } else {
        at = member.at;
        node = member;
      }
    }
    return this.position(at);
  }

  private position(offset: number): Position {
    const starts = (this.lineStarts ??= lineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
