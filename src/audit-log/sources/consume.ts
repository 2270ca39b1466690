/**
 * Turns chunks of log text into events for a job (the detections, or the RBAC generator), with
 * counts, a per-minute timeline, and a gap for each line that is not an audit event. Pure over the
 * chunks it is given; reading files is `read.ts`'s job. The same code runs in worker threads.
 */
import type { Gap, GapCode } from '../../core/resource.js';
import type { AuditEvent } from '../event.js';
import type { EventLocation } from '../analyzer.js';
import { LineProbe } from './probe.js';
import { eventsOf, plainEvent, type RecordProblem } from './records.js';
import { ValueSplitter } from './splitter.js';
import { minuteOf } from '../time.js';

/** What reads events: the detections, or the RBAC generator. Its state must survive structured cloning. */
export interface LogJob<S> {
  init(): S;
  /** Whether the raw line may hold an event the job needs; false skips parsing it. */
  wants(probe: LineProbe): boolean;
  add(state: S, event: AuditEvent, location: EventLocation): void;
  merge(into: S, from: S): S;
  shiftLines(state: S, offset: number): void;
}

export interface ReadStats {
  /** Non-blank lines (JSON lines) or JSON values (documents). */
  records: number;
  /** Audit events among them (a record may hold several). */
  events: number;
  /** Records that were not JSON, or a CloudWatch message that was not. */
  malformed: number;
  /** JSON that is not an audit event. */
  notEvents: number;
  /** Lines read: a worker's count, to shift the line numbers of the part after it. */
  lines: number;
  gaps: Gap[];
  /** Gaps beyond the first MAX_GAPS of a source, counted but not listed. */
  omittedGaps: number;
  /** Events per minute (`YYYY-MM-DDTHH:MM`). */
  minutes: Map<string, number>;
}

/** `{"kind": "Event"` rather than `{"kind":"Event"`. */
const SPACED_JSON = /"[A-Za-z]+": /;

/** Gaps listed per source; a log with a million bad lines says so once, not a million times. */
export const MAX_GAPS = 50;
/** A longer line is skipped: no audit event is this big. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export function emptyStats(): ReadStats {
  return { records: 0, events: 0, malformed: 0, notEvents: 0, lines: 0, gaps: [], omittedGaps: 0, minutes: new Map() };
}

export function mergeStats(into: ReadStats, from: ReadStats, lineOffset: number): void {
  into.records += from.records;
  into.events += from.events;
  into.malformed += from.malformed;
  into.notEvents += from.notEvents;
  into.lines += from.lines;
  for (const gap of from.gaps) {
    const shifted = gap.line !== undefined ? { ...gap, line: gap.line + lineOffset } : gap;
    if (into.gaps.length < MAX_GAPS) into.gaps.push(shifted);
    else into.omittedGaps += 1;
  }
  into.omittedGaps += from.omittedGaps;
  for (const [minute, n] of from.minutes) into.minutes.set(minute, (into.minutes.get(minute) ?? 0) + n);
}

function countMinute(stats: ReadStats, minute: string | undefined): void {
  if (minute !== undefined) stats.minutes.set(minute, (stats.minutes.get(minute) ?? 0) + 1);
}

function addGap(stats: ReadStats, gap: Gap): void {
  if (stats.gaps.length < MAX_GAPS) stats.gaps.push(gap);
  else stats.omittedGaps += 1;
}

/** Parses one JSON text and hands its events to the job; problems become gaps. */
function consumeText<S>(job: LogJob<S>, state: S, stats: ReadStats, file: string, text: string, line: number): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    stats.malformed += 1;
    addGap(stats, { source: file, line, code: 'JSON_SYNTAX', message: `not valid JSON (a truncated or corrupted line?): ${(error as Error).message}` });
    return;
  }
  const plain = plainEvent(value);
  if (plain !== undefined) consumeItem(job, state, stats, file, plain, line);
  else for (const item of eventsOf(value)) consumeItem(job, state, stats, file, item, line);
}

function consumeItem<S>(job: LogJob<S>, state: S, stats: ReadStats, file: string, item: AuditEvent | RecordProblem, line: number): void {
  if ('problem' in item) {
    if (item.code === 'JSON_SYNTAX') stats.malformed += 1;
    else stats.notEvents += 1;
    addGap(stats, { source: file, line, code: item.code as GapCode, message: item.problem });
    return;
  }
  stats.events += 1;
  countMinute(stats, minuteOf(item.time));
  job.add(state, item, { file, line });
}

/** JSON lines: one event (or CloudWatch record) per line. Lines no job needs are counted but not parsed. */
export class LineConsumer<S> {
  private readonly probe = new LineProbe();
  private pending: Buffer | undefined;
  private skippingLongLine = false;
  private line = 0;
  /**
   * Skipped lines' minutes, counted in runs (consecutive lines mostly share one): two map
   * operations a line otherwise. Added to the stats before anything else is, so the map's order
   * is unchanged.
   */
  private runMinute: string | undefined;
  private runCount = 0;

  constructor(
    private readonly job: LogJob<S>,
    private readonly state: S,
    private readonly stats: ReadStats,
    private readonly file: string,
  ) {}

  push(chunk: Buffer): void {
    // The chunk may be the previous one's memory refilled: forget what the probe found in it.
    this.probe.forget();
    let start = 0;
    if (this.pending !== undefined || this.skippingLongLine) {
      const newline = chunk.indexOf(0x0a);
      if (newline === -1) {
        this.carry(chunk);
        return;
      }
      if (this.skippingLongLine) {
        this.skippingLongLine = false;
        this.line += 1;
      } else {
        const whole = Buffer.concat([this.pending ?? Buffer.alloc(0), chunk.subarray(0, newline)]);
        this.pending = undefined;
        this.consumeLine(whole, 0, whole.length);
      }
      start = newline + 1;
    }
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) break;
      this.consumeLine(chunk, start, newline);
      start = newline + 1;
    }
    if (start < chunk.length) this.carry(chunk.subarray(start));
  }

  end(): void {
    if (this.pending !== undefined) {
      const last = this.pending;
      this.pending = undefined;
      this.consumeLine(last, 0, last.length);
    }
    this.countRun();
    this.stats.lines = this.line;
  }

  private countRun(): void {
    if (this.runMinute !== undefined) this.stats.minutes.set(this.runMinute, (this.stats.minutes.get(this.runMinute) ?? 0) + this.runCount);
    this.runMinute = undefined;
    this.runCount = 0;
  }

  private carry(part: Buffer): void {
    if (this.skippingLongLine) return;
    const size = (this.pending?.length ?? 0) + part.length;
    if (size > MAX_LINE_BYTES) {
      this.pending = undefined;
      this.skippingLongLine = true;
      addGap(this.stats, { source: this.file, line: this.line + 1, code: 'TOO_LARGE', message: `line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB; skipped` });
      return;
    }
    // Copy the tail: the stream reuses the chunk's memory.
    this.pending = this.pending === undefined ? Buffer.from(part) : Buffer.concat([this.pending, part]);
  }

  private consumeLine(buffer: Buffer, start: number, end: number): void {
    this.line += 1;
    // A UTF-8 byte order mark on the first line is not JSON.
    if (this.line === 1 && end - start >= 3 && buffer[start] === 0xef && buffer[start + 1] === 0xbb && buffer[start + 2] === 0xbf) start += 3;
    const probe = this.probe;
    probe.setLine(buffer, start, end);
    if (probe.isBlank()) return;
    if (this.stats.records === 0) probe.spaced = SPACED_JSON.test(buffer.toString('latin1', start, Math.min(end, start + 200)));
    this.stats.records += 1;
    // Skipped unparsed only when it looks like one whole audit event; anything else is parsed, so it is reported.
    if (probe.looksComplete() && probe.looksLikeEvent() && !this.job.wants(probe)) {
      this.stats.events += 1;
      const minute = probe.minute();
      if (minute === undefined) return;
      if (minute !== this.runMinute) {
        this.countRun();
        this.runMinute = minute;
      }
      this.runCount += 1;
      return;
    }
    this.countRun();
    consumeText(this.job, this.state, this.stats, this.file, probe.text(), this.line);
  }
}

/** Anything else JSON: pretty-printed, wrapped in `events` / `items`, concatenated. Every value is parsed. */
export class DocumentConsumer<S> {
  private readonly splitter: ValueSplitter;

  constructor(job: LogJob<S>, state: S, stats: ReadStats, file: string) {
    this.splitter = new ValueSplitter({
      value: (text, line) => {
        stats.records += 1;
        consumeText(job, state, stats, file, text, line);
      },
      problem: (message, line, code) => {
        stats.malformed += 1;
        addGap(stats, { source: file, line, code, message });
      },
    });
  }

  push(chunk: Buffer): void {
    this.splitter.push(chunk);
  }

  end(): void {
    this.splitter.end();
  }
}

/**
 * How to read a source, from its first bytes: JSON lines when one of its first lines is one whole
 * object (the first may be cut, in a log that was rotated or tailed), unless it starts as a JSON
 * array or a wrapper (`{"events": [...]}`, an `EventList`); otherwise as JSON documents.
 */
export function sniffFormat(head: Buffer): 'lines' | 'documents' {
  let start = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
  const lines = head.toString('utf8', start).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  // The last line of the head may be cut by the head's end.
  const whole = head.length >= 65536 ? lines.slice(0, -1) : lines;
  const first = lines[0];
  if (first === undefined || first.startsWith('[')) return 'documents';
  // A wrapper on one line (`{"events":[...]}`) is split by the document reader, never held whole.
  if (/^\{\s*"(events|nextForwardToken|nextBackwardToken|searchedLogStreams)"\s*:/.test(first)) return 'documents';
  if (/^\{[^{}[\]]*"kind"\s*:\s*"(EventList|List)"/.test(first)) return 'documents';
  for (const line of whole) {
    if (!line.startsWith('{') || !line.endsWith('}')) continue;
    try {
      JSON.parse(line);
      return 'lines';
    } catch {
      // not a whole object: look at the next line
    }
  }
  return 'documents';
}
