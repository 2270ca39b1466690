/**
 * Splits a stream of JSON text into the values that hold audit events, without holding the whole
 * text: each top-level value, except that the elements of a top-level array, and of the `events`
 * or `items` array of a top-level object (CloudWatch `filter-log-events` output, an `EventList`),
 * come out one by one. Pretty-printed output (as the AWS CLI writes it) and concatenated values
 * are fine. Each value comes with the line it starts on, for gaps.
 *
 * Written by hand: streaming JSON parsers (stream-json, clarinet) tokenise every value into
 * JavaScript objects, which costs more than `JSON.parse` on the slices, and none reports lines;
 * this only tracks nesting and strings.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/** A single value larger than this is skipped: no audit event is this big. */
export const MAX_VALUE_BYTES = 64 * 1024 * 1024;

export interface SplitterSink {
  value(text: string, line: number): void;
  problem(message: string, line: number, code: 'JSON_SYNTAX' | 'TOO_LARGE'): void;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === NEWLINE;
}

export class ValueSplitter {
  private line = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Skipping text that is not JSON, to the end of its line. */
  private junk = false;
  private top: 'object' | 'array' | undefined;
  // The value being captured: its parts so far, where it started, and the depth it closes at.
  private capturing = false;
  private tooLarge = false;
  private parts: Buffer[] = [];
  private size = 0;
  private captureLine = 0;
  private captureDepth = 0;
  // Keys of the top-level object, to recognise its `events` / `items` array.
  private awaitingKey = false;
  private inKey = false;
  private key = '';
  private lastKey = '';
  private wrapper = false;

  constructor(private readonly sink: SplitterSink) {}

  push(chunk: Buffer): void {
    let captureFrom = 0;
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i] as number;
      if (byte === NEWLINE) {
        this.line += 1;
        if (this.junk) {
          this.junk = false;
          continue;
        }
      }
      if (this.junk) continue;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) {
          this.inString = false;
          if (this.inKey) {
            this.inKey = false;
            this.awaitingKey = false;
            this.lastKey = this.key;
          }
        } else if (this.inKey && this.key.length < 32) this.key += String.fromCharCode(byte);
        continue;
      }
      if (byte === QUOTE) {
        this.inString = true;
        if (this.top === 'object' && this.depth === 1 && this.awaitingKey) {
          this.inKey = true;
          this.key = '';
        }
        continue;
      }
      if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
        if (this.depth === 0) {
          this.top = byte === OPEN_OBJECT ? 'object' : 'array';
          this.wrapper = false;
          if (this.top === 'object') {
            this.startCapture(0, i);
            captureFrom = i;
            this.awaitingKey = true;
          }
        } else if (this.top === 'object' && this.depth === 1 && byte === OPEN_ARRAY && !this.awaitingKey && (this.lastKey === 'events' || this.lastKey === 'items')) {
          // The object is a wrapper: drop what was captured and split its array instead.
          this.capturing = false;
          this.parts = [];
          this.wrapper = true;
        } else if (!this.capturing && ((this.top === 'array' && this.depth === 1) || (this.wrapper && this.depth === 2))) {
          this.startCapture(this.depth, i);
          captureFrom = i;
        }
        this.depth += 1;
        continue;
      }
      if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        if (this.depth === 0) {
          this.problem('unexpected closing bracket', 'JSON_SYNTAX');
          continue;
        }
        this.depth -= 1;
        if (this.capturing && this.depth === this.captureDepth) {
          this.finishCapture(chunk, captureFrom, i + 1);
        }
        if (this.wrapper && this.depth === 1 && byte === CLOSE_ARRAY) this.wrapper = false;
        if (this.depth === 0) this.top = undefined;
        continue;
      }
      if (byte === COMMA && this.top === 'object' && this.depth === 1) {
        this.awaitingKey = true;
        continue;
      }
      if (this.depth === 0 && !isSpace(byte)) {
        this.problem('not JSON: text outside any object or array', 'JSON_SYNTAX');
        this.junk = true;
      }
    }
    if (this.capturing) this.keep(chunk.subarray(captureFrom));
  }

  /** Reports a value left open at the end of the input. */
  end(): void {
    if (this.depth > 0 || this.inString) {
      const line = this.capturing ? this.captureLine : this.line;
      this.sink.problem(`the input ends inside a JSON value (truncated?) that starts on line ${line}`, line, 'JSON_SYNTAX');
    }
    this.capturing = false;
    this.parts = [];
  }

  private startCapture(depth: number, _at: number): void {
    this.capturing = true;
    this.tooLarge = false;
    this.parts = [];
    this.size = 0;
    this.captureLine = this.line;
    this.captureDepth = depth;
  }

  private keep(part: Buffer): void {
    if (this.tooLarge) return;
    this.size += part.length;
    if (this.size > MAX_VALUE_BYTES) {
      this.tooLarge = true;
      this.parts = [];
      return;
    }
    // Copy: the chunk's memory is reused by the stream.
    this.parts.push(Buffer.from(part));
  }

  private finishCapture(chunk: Buffer, from: number, to: number): void {
    this.capturing = false;
    if (this.tooLarge || this.size + (to - from) > MAX_VALUE_BYTES) {
      this.sink.problem(`a JSON value larger than ${MAX_VALUE_BYTES / 1024 / 1024} MB; skipped`, this.captureLine, 'TOO_LARGE');
      this.parts = [];
      return;
    }
    const tail = chunk.subarray(from, to);
    const text = this.parts.length === 0 ? tail.toString('utf8') : Buffer.concat([...this.parts, tail]).toString('utf8');
    this.parts = [];
    this.sink.value(text, this.captureLine);
  }

  private problem(message: string, code: 'JSON_SYNTAX' | 'TOO_LARGE'): void {
    this.sink.problem(message, this.line, code);
  }
}
