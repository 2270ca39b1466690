/**
 * Cheap questions about one raw log line, asked before (and mostly instead of) `JSON.parse`: does
 * it contain a word a detection needs, when was it received, which addresses sent it. Most lines of
 * a real audit log are controllers' reads that no detection is about, and parsing them would cost
 * most of the run.
 *
 * Words are looked for as bytes, without quotes, so that they are found both in an event written
 * as JSON (`"verb":"create"`) and in one carried as an escaped string inside a CloudWatch record
 * (`\"verb\":\"create\"`). The API server's JSON encoder escapes no letters, digits, `:`, `.` or
 * `-`, so a word it wrote is always there as such. A false "yes" only costs a parse.
 */
import { indexOfWordIn, lastIndexOfWordIn, WordFinder, wordOf } from './word-search.js';


const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const RESOURCE_KEY = wordOf('resource');
const CODE_KEY = wordOf('code');
const NOT_READ = -3;
const USER_OPEN = Buffer.from('"user":{"', 'latin1');
const USER_OPEN_ESCAPED = Buffer.from('\\"user\\":{\\"', 'latin1');
const STATUS_OPEN = Buffer.from(',"responseStatus":{', 'latin1');
const STATUS_OPEN_ESCAPED = Buffer.from(',\\"responseStatus\\":{', 'latin1');
const COMMA = 0x2c;
const OBJECT_REF_KEY = Buffer.from('objectRef', 'latin1');
/** What follows a key whose value is an object, up to its first key's first letter: `":{"`. */
const OBJECT_OPEN = Buffer.from('":{"', 'latin1');
const OBJECT_OPEN_ESCAPED = Buffer.from('\\":{\\"', 'latin1');
/** A status without a message, as the API server writes a success's: its first key after `metadata` is `code`. */
const METADATA_THEN_CODE = Buffer.from('"metadata":{},"code":', 'latin1');
const METADATA_THEN_CODE_ESCAPED = Buffer.from('\\"metadata\\":{},\\"code\\":', 'latin1');
const CODE_AFTER_METADATA = METADATA_THEN_CODE.indexOf('code');
const CODE_AFTER_METADATA_ESCAPED = METADATA_THEN_CODE_ESCAPED.indexOf('code');
const KIND_KEY = Buffer.from('"kind"', 'latin1');
const ESCAPED_EVENT_START = wordOf('{\\"kind\\"');
/** How a line holds its event: as JSON (`{"kind":"Event",...}`), escaped in a string (a CloudWatch record's message), or neither. */
const PLAIN = 0;
const ESCAPED = 1;
const UNKNOWN = -1;

/** A timestamp's minute, `YYYY-MM-DDTHH:MM`. */
const MINUTE = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;
const TIME_KEYS = ['requestReceivedTimestamp', 'stageTimestamp', '"timestamp'];
const TIME_KEY_WORDS = TIME_KEYS.map(wordOf);
/** How far from a line's end its timestamps are looked for first. */
const TAIL_BYTES = 512;
/** An objectRef is a few hundred bytes; a longer one is cut (it can only make a word look absent if it is malformed). */
const MAX_REF_BYTES = 2048;

export class LineProbe {
  private buffer: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  private readonly finders = new Map<string, WordFinder>();
  /**
   * Whether the log writes `"key": value` with a space (Python's json, some pipelines) rather than
   * the API server's compact `"key":value`; words that span the colon are then looked for in both forms.
   */
  spaced = false;
  /** The objectRef resource of the current line, once read. */
  private resourceText: string | undefined;
  /** Offsets found in the current line (NOT_READ until asked). */
  private userAt = NOT_READ;
  private refAt = NOT_READ;
  private refEnd = 0;
  private layoutOf = NOT_READ;
  private lastMinute: string | undefined;
  private readonly lastMinuteBytes = Buffer.alloc(16);
  /** Client addresses: a log may hold one per node (a kubelet each), thousands. */
  private readonly ipTexts = new TextCache(8192);
  private readonly resourceTexts = new TextCache();

  /** Forgets what was found in the current buffer: its memory is about to hold other bytes. */
  forget(): void {
    this.buffer = Buffer.alloc(0);
  }

  /** Points the probe at `buffer[start, end)`, one line without its newline. */
  setLine(buffer: Buffer, start: number, end: number): void {
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      for (const finder of this.finders.values()) finder.reset();
    }
    this.start = start;
    this.end = end;
    this.resourceText = undefined;
    this.userAt = NOT_READ;
    this.refAt = NOT_READ;
    this.layoutOf = NOT_READ;
  }

  /**
   * How the line holds its event. The API server writes `kind` first: a line starting `{"kind"` is
   * an event as JSON; one holding `{\"kind\"` carries it escaped in a string (a CloudWatch record).
   * What a client controls (a user agent, a request URI, a message) is always escaped one level
   * deeper than the event's own keys, which is how `isKeyAt` tells them apart: text such as
   * `"objectRef":{"resource":"nodes"}` in a user agent must not be taken for the event's objectRef.
   */
  private layout(): number {
    if (this.layoutOf !== NOT_READ) return this.layoutOf;
    let i = this.start;
    while (i < this.end && this.isSpace(this.buffer[i])) i += 1;
    let layout = UNKNOWN;
    if (this.buffer[i] === OPEN_BRACE) {
      i += 1;
      while (i < this.end && this.isSpace(this.buffer[i])) i += 1;
      if (this.bytesAt(i, KIND_KEY)) layout = PLAIN;
      else {
        if (indexOfWordIn(this.buffer, ESCAPED_EVENT_START, i, this.end) !== -1) layout = ESCAPED;
      }
    }
    this.layoutOf = layout;
    return layout;
  }

  /**
   * Whether the word at `at` (`length` bytes) is a key of the event itself: quoted as the line's
   * layout quotes keys (`"key"`, or `\"key\"` escaped), after the `{` or `,` that opens it. A key
   * written inside a string the client controls has one more level of escaping and fails.
   */
  private isKeyAt(at: number, length: number): boolean {
    const layout = this.layout();
    if (layout === UNKNOWN || this.buffer[at - 1] !== QUOTE) return false;
    let i = at - 2;
    if (layout === ESCAPED) {
      if (this.buffer[i] !== BACKSLASH || this.buffer[at + length] !== BACKSLASH) return false;
      i -= 1;
    } else if (this.buffer[at + length] !== QUOTE) return false;
    while (i >= this.start && this.buffer[i] === 0x20) i -= 1;
    return i >= this.start && (this.buffer[i] === COMMA || this.buffer[i] === OPEN_BRACE);
  }

  /** Where the first occurrence of `word` in the line that is one of the event's keys starts, or -1. */
  private findKey(word: string, from = this.start): number {
    for (let at = this.occurrence(word, from, this.end); at !== -1; at = this.occurrence(word, at + 1, this.end)) {
      if (this.isKeyAt(at, word.length)) return at;
    }
    return -1;
  }

  /**
   * Where `word` first lies wholly in `[from, to)` of the line (-1: nowhere). Each word remembers
   * its last search (`WordFinder`): a byte is searched at most once per word, and only in the
   * lines that ask about it.
   */
  private occurrence(word: string, from: number, to: number): number {
    let finder = this.finders.get(word);
    if (finder === undefined) {
      finder = new WordFinder(wordOf(word));
      this.finders.set(word, finder);
    }
    return finder.find(this.buffer, from, to);
  }

  /** Whether the line contains `word`. */
  has(word: string): boolean {
    return this.occurrence(word, this.start, this.end) !== -1;
  }

  /** Where `word` starts in this line, or -1. */
  private find(word: string): number {
    return this.occurrence(word, this.start, this.end);
  }

  /**
   * Whether the line looks like one audit event: written by the API server (`"user":{"username"`),
   * or at least with a `verb`. Lines that do not are parsed, so that they are reported.
   */
  looksLikeEvent(): boolean {
    // A line in neither layout (fields reordered by a pipeline) cannot be read safely by the probe: parsed.
    if (this.layout() === UNKNOWN) return false;
    // `verb` first: its search is a few times cheaper than the user's (the answer is the same).
    return this.has('verb') || this.userValue() >= 0;
  }

  /** A line that does not start with `{` and end with `}` is not one whole JSON object: parse it, to report it. */
  looksComplete(): boolean {
    let s = this.start;
    let e = this.end;
    while (s < e && this.isSpace(this.buffer[s])) s += 1;
    while (e > s && this.isSpace(this.buffer[e - 1])) e -= 1;
    return e - s >= 2 && this.buffer[s] === OPEN_BRACE && this.buffer[e - 1] === CLOSE_BRACE;
  }

  isBlank(): boolean {
    for (let i = this.start; i < this.end; i += 1) if (!this.isSpace(this.buffer[i])) return false;
    return true;
  }

  private isSpace(byte: number | undefined): boolean {
    return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === NEWLINE;
  }

  /**
   * The minute the event was received (`YYYY-MM-DDTHH:MM`), read from the raw text; undefined if
   * none is found. The API server writes the timestamps last, so they are looked for in the
   * line's tail first (a backward search of a few hundred bytes), then anywhere.
   */
  minute(): string | undefined {
    const tailStart = Math.max(this.start, this.end - TAIL_BYTES);
    for (const key of TIME_KEY_WORDS) {
      const at = lastIndexOfWordIn(this.buffer, key, tailStart, this.end);
      const minute = at === -1 ? undefined : this.minuteAt(at + key.bytes.length);
      if (minute !== undefined) return minute;
    }
    for (const key of TIME_KEYS) {
      const at = this.find(key);
      const minute = at === -1 ? undefined : this.minuteAt(at + key.length);
      if (minute !== undefined) return minute;
    }
    return undefined;
  }

  /** Skips `":"` or `\":\"` to the first digit, then reads the minute (the last one's string, when the bytes are the same). */
  private minuteAt(from: number): string | undefined {
    let i = from;
    const limit = Math.min(this.end, i + 8);
    while (i < limit && !this.isDigit(this.buffer[i])) i += 1;
    if (i + 16 > this.end) return undefined;
    if (this.lastMinute !== undefined && this.bytesAt(i, this.lastMinuteBytes)) return this.lastMinute;
    const text = this.buffer.toString('latin1', i, i + 16);
    if (!MINUTE.test(text)) return undefined;
    this.buffer.copy(this.lastMinuteBytes, 0, i, i + 16);
    this.lastMinute = text;
    return text;
  }

  /** Whether the line holds `pattern` at `at`: a byte loop, cheaper than a native compare for a few bytes. */
  private bytesAt(at: number, pattern: Buffer): boolean {
    if (at < this.start || at + pattern.length > this.end) return false;
    for (let k = 0; k < pattern.length; k += 1) if (this.buffer[at + k] !== pattern[k]) return false;
    return true;
  }

  /** Whether `text` (ASCII) ends just before `at`. */
  private endsBefore(at: number, text: Buffer): boolean {
    return at - text.length >= this.start && this.bytesAt(at - text.length, text);
  }

  /**
   * Where the authenticated user's name starts, when the line's first `username` is the one of
   * `"user":{`, as the API server writes it (before any impersonated user or body): -1 when the
   * line names no user, -2 when it cannot tell cheaply (then look for words instead).
   */
  private userValue(): number {
    if (this.userAt !== NOT_READ) return this.userAt;
    const at = this.findKey('username');
    let value = -2;
    if (at === -1) value = this.has('username') ? -2 : -1;
    else if (this.layout() === PLAIN ? this.endsBefore(at, USER_OPEN) : this.endsBefore(at, USER_OPEN_ESCAPED)) value = this.valueStart(at + 8);
    this.userAt = value;
    return value;
  }

  /** Whether the authenticated user is `name` (undefined: cannot tell cheaply). */
  usernameIs(name: Buffer): boolean | undefined {
    const at = this.userValue();
    if (at === -2) return undefined;
    if (at === -1) return false;
    const after = this.buffer[at + name.length];
    return this.bytesAt(at, name) && (after === QUOTE || after === BACKSLASH);
  }

  /** Whether the authenticated user's name starts with `prefix` (undefined: cannot tell cheaply). */
  usernameStartsWith(prefix: Buffer): boolean | undefined {
    const at = this.userValue();
    if (at === -2) return undefined;
    if (at === -1) return false;
    return this.bytesAt(at, prefix);
  }

  /**
   * Whether the request's verb is `verb`, when the line's first `verb` key comes before the
   * authenticated user as the API server writes it (request bodies come after the user, so it is
   * the event's own); undefined when it cannot tell cheaply.
   */
  verbIs(verb: Buffer): boolean | undefined {
    const user = this.userValue();
    if (user < 0) return undefined;
    const at = this.findKey('verb');
    if (at === -1 || at > user) return undefined;
    const value = this.valueStart(at + 4);
    const end = this.buffer[value + verb.length];
    return this.bytesAt(value, verb) && (end === QUOTE || end === BACKSLASH);
  }

  /** Where a value starts after its key ends at `from`: past `":"` or `\":\"` (and a space). */
  private valueStart(from: number): number {
    let i = from;
    const limit = Math.min(this.end, i + 8);
    while (i < limit && (this.buffer[i] === QUOTE || this.buffer[i] === BACKSLASH || this.buffer[i] === COLON || this.buffer[i] === 0x20)) i += 1;
    return i;
  }

  /**
   * Finds the line's objectRef: `refAt` where its key starts and `refEnd` its first `}` (a flat
   * object), or `refAt` -1 when the line has none. Returns whether it has one.
   */
  private readRef(): boolean {
    if (this.refAt !== NOT_READ) return this.refAt !== -1;
    // The event's key, not the word in a path or a name (`/pods/objectRef/exec`) or in a string a client wrote.
    const at = this.findKey('objectRef');
    if (at === -1) {
      this.refAt = -1;
      return false;
    }
    const close = this.buffer.indexOf(CLOSE_BRACE, at);
    this.refAt = at;
    this.refEnd = close === -1 || close > this.end ? this.end : close;
    return true;
  }

  /**
   * Where `key` starts when it is the first key of the object that is the value of the key ending
   * at `from` (`"objectRef":{"resource"`, as the API server writes them), or -1: the position
   * found without a search.
   */
  private firstKeyAt(from: number, key: Buffer): number {
    const open = this.layout() === PLAIN ? OBJECT_OPEN : OBJECT_OPEN_ESCAPED;
    const at = from + open.length;
    return this.bytesAt(from, open) && this.bytesAt(at, key) && this.isKeyAt(at, key.length) ? at : -1;
  }

  /**
   * The response code, when `responseStatus` follows the objectRef as the API server writes it
   * (its first `code` key is then the status code); undefined when it cannot tell cheaply.
   */
  code(): number | undefined {
    if (!this.readRef()) return undefined;
    const next = this.refEnd + 1;
    const plain = this.layout() === PLAIN;
    if (!this.bytesAt(next, plain ? STATUS_OPEN : STATUS_OPEN_ESCAPED)) return undefined;
    // A success's status is `{"metadata":{},"code":200}`: its code is right there, no search needed.
    const direct = next + (plain ? STATUS_OPEN.length : STATUS_OPEN_ESCAPED.length);
    if (this.bytesAt(direct, plain ? METADATA_THEN_CODE : METADATA_THEN_CODE_ESCAPED)) {
      const at = direct + (plain ? CODE_AFTER_METADATA : CODE_AFTER_METADATA_ESCAPED);
      if (this.isKeyAt(at, CODE_KEY.bytes.length)) return this.codeAt(at);
    }
    for (let at = indexOfWordIn(this.buffer, CODE_KEY, next, this.end); at !== -1; at = indexOfWordIn(this.buffer, CODE_KEY, at + 1, this.end)) {
      // The status's own `code`, not one in its message (which quotes names a client chose).
      if (this.isKeyAt(at, CODE_KEY.bytes.length)) return this.codeAt(at);
    }
    return undefined;
  }

  /** The number after the `code` key at `at`, or undefined. */
  private codeAt(at: number): number | undefined {
    let i = this.valueStart(at + CODE_KEY.bytes.length);
    let code = 0;
    const first = i;
    for (; i < this.end && this.isDigit(this.buffer[i]); i += 1) code = code * 10 + ((this.buffer[i] as number) - 0x30);
    return i > first ? code : undefined;
  }

  /**
   * The `resource` of the line's objectRef (`pods`, `secrets`), or `""` for a request without
   * one. Detections about certain resources look at a line only when it names one of them.
   */
  resource(): string {
    if (this.resourceText !== undefined) return this.resourceText;
    let value = '';
    if (this.readRef()) {
      const end = this.refEnd;
      // The API server writes `resource` first: found without a search.
      const first = this.firstKeyAt(this.refAt + OBJECT_REF_KEY.length, RESOURCE_KEY.bytes);
      for (let at = first !== -1 ? first : indexOfWordIn(this.buffer, RESOURCE_KEY, this.refAt, end); at !== -1; at = indexOfWordIn(this.buffer, RESOURCE_KEY, at + 1, end)) {
        // The key itself: not `subresource`, not `resourceVersion`.
        if (!this.isKeyAt(at, RESOURCE_KEY.bytes.length)) continue;
        const i = this.valueStart(at + RESOURCE_KEY.bytes.length);
        let j = i;
        while (j < end && this.buffer[j] !== QUOTE && this.buffer[j] !== BACKSLASH) j += 1;
        value = this.resourceTexts.text(this.buffer, i, j);
        break;
      }
    }
    this.resourceText = value;
    return value;
  }

  /**
   * Whether the line's `objectRef` (resource, namespace, name, apiGroup, subresource: a flat
   * object, so it ends at the first `}`; a longer one is cut) contains `word`. Words detections need
   * about the object acted on are looked for in it, not in the whole line.
   */
  refHas(word: string): boolean {
    if (!this.readRef()) return word === '';
    return this.occurrence(word, this.refAt, Math.min(this.refEnd, this.refAt + MAX_REF_BYTES)) !== -1;
  }

  private isDigit(byte: number | undefined): boolean {
    return byte !== undefined && byte >= 0x30 && byte <= 0x39;
  }

  /** The raw text of the `sourceIPs` list (between its brackets, escaped or not); `""` if none is found. */
  sourceIPsText(): string {
    const at = this.findKey('sourceIPs');
    if (at === -1) return '';
    // The API server writes `"sourceIPs":[`: its bracket is then the first after the key, found without a search.
    const open = this.bytesAt(at + SOURCE_IPS_KEY_LENGTH, IPS_OPEN) ? at + SOURCE_IPS_KEY_LENGTH + IPS_OPEN.length - 1 : this.buffer.indexOf(0x5b, at);
    if (open === -1 || open >= this.end) return '';
    const close = this.nextByte(0x5d, open);
    if (close === -1 || close >= this.end) return '';
    return this.ipTexts.text(this.buffer, open + 1, close);
  }

  /** `buffer.indexOf(byte, from)`, looked for in the next few bytes first: a call to the native search costs as much as a short loop. */
  private nextByte(byte: number, from: number): number {
    const near = Math.min(this.end, from + NEAR_BYTES);
    for (let i = from; i < near; i += 1) if (this.buffer[i] === byte) return i;
    return near < this.end ? this.buffer.indexOf(byte, near) : -1;
  }

  /** The addresses of `sourceIPs`, read from the raw text; empty if none is found. */
  sourceIPs(): string[] {
    return parseSourceIPs(this.sourceIPsText());
  }

  text(): string {
    return this.buffer.toString('utf8', this.start, this.end);
  }
}

const SOURCE_IPS_KEY_LENGTH = 'sourceIPs'.length;
/** What follows the key `sourceIPs` in the API server's JSON, up to the list's bracket. */
const IPS_OPEN = Buffer.from('":[', 'latin1');
/** How far `nextByte` looks with a loop before it calls the native search. */
const NEAR_BYTES = 48;

/** Texts longer than this are not kept: a real resource name or address list is shorter. */
const MAX_CACHED_TEXT = 256;

/**
 * The latin1 text of short byte ranges, each string made once: lines repeat the same few
 * resources and client addresses, and a string per line (with a copy of its bytes to compare the
 * next line's with) was a fifth of the probe's time. A small table indexed by a hash of the
 * bytes; a cached string is compared with the bytes before it is used, so a collision only costs
 * a new string.
 */
class TextCache {
  private readonly texts: (string | undefined)[];

  /** `slots`: a power of two, a few times the number of distinct texts expected. */
  constructor(private readonly slots = 1024) {
    this.texts = new Array<string | undefined>(slots).fill(undefined);
  }

  text(buffer: Buffer, from: number, to: number): string {
    const length = to - from;
    if (length > MAX_CACHED_TEXT) return buffer.toString('latin1', from, to);
    let hash = length;
    for (let i = from; i < to; i += 1) hash = (Math.imul(hash, 31) + (buffer[i] as number)) | 0;
    const slot = (hash ^ (hash >>> 16)) & (this.slots - 1);
    const cached = this.texts[slot];
    if (cached !== undefined && cached.length === length && sameBytes(cached, buffer, from)) return cached;
    const text = buffer.toString('latin1', from, to);
    this.texts[slot] = text;
    return text;
  }
}

/** Whether the latin1 string `text` is the bytes at `from`. */
function sameBytes(text: string, buffer: Buffer, from: number): boolean {
  for (let k = 0; k < text.length; k += 1) if (text.charCodeAt(k) !== buffer[from + k]) return false;
  return true;
}

/** `"10.0.0.1","::1"` or `\\"10.0.0.1\\"` → the addresses. */
export function parseSourceIPs(text: string): string[] {
  return text.replaceAll('\\', '').split(',').map((part) => part.trim().replace(/^"|"$/g, '')).filter((ip) => ip !== '');
}
