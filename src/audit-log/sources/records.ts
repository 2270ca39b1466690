/**
 * The shapes audit events arrive in, unwrapped to events: a bare event (the API server's log
 * file, a webhook backend, Falco's traces), a CloudWatch Logs record whose `message` is the event
 * as a string (`aws logs filter-log-events` / `get-log-events` output, and exports with one record
 * per line), the `events` array of those commands' output, an `EventList` or `List`, or a JSON array.
 */
import { asRecord, toAuditEvent, type AuditEvent } from '../event.js';

export interface RecordProblem {
  readonly problem: string;
  readonly code: 'JSON_SYNTAX' | 'NOT_AN_AUDIT_EVENT';
}

/** Wrappers nest at most this deep (an array of `events` outputs); deeper is not a log format. */
const MAX_DEPTH = 3;

/**
 * What `eventsOf` yields for a record that is plainly one event (`kind: Event`, with a verb): its
 * only item, found without a generator (parsed lines are mostly these, and run few times each,
 * before V8 optimizes them); undefined for anything else.
 */
export function plainEvent(value: unknown): AuditEvent | RecordProblem | undefined {
  const record = asRecord(value);
  // With a verb, none of eventsOf's unwrapping applies (they are for records without one, or other kinds).
  if (record === undefined || record.kind !== 'Event' || record.verb === undefined) return undefined;
  return eventOrProblem(record);
}

/** A record read as one event, or why it is not one. */
function eventOrProblem(record: Record<string, unknown>): AuditEvent | RecordProblem {
  const event = toAuditEvent(record);
  return 'problem' in event ? { problem: event.problem, code: 'NOT_AN_AUDIT_EVENT' } : event;
}

export function* eventsOf(value: unknown, depth = 0): Generator<AuditEvent | RecordProblem> {
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) {
      yield { problem: 'arrays nested too deeply to be an audit log', code: 'NOT_AN_AUDIT_EVENT' };
      return;
    }
    for (const item of value as unknown[]) yield* eventsOf(item, depth + 1);
    return;
  }
  const record = asRecord(value);
  if (record === undefined) {
    yield { problem: `a JSON ${value === null ? 'null' : typeof value}, not an audit event`, code: 'NOT_AN_AUDIT_EVENT' };
    return;
  }
  if (depth < MAX_DEPTH && Array.isArray(record.events) && record.verb === undefined) {
    yield* eventsOf(record.events, depth + 1);
    return;
  }
  if (depth < MAX_DEPTH && (record.kind === 'EventList' || record.kind === 'List') && Array.isArray(record.items)) {
    yield* eventsOf(record.items, depth + 1);
    return;
  }
  if (typeof record.message === 'string' && record.verb === undefined && record.kind === undefined) {
    let inner: unknown;
    try {
      inner = JSON.parse(record.message);
    } catch (error) {
      yield { problem: `CloudWatch record's message is not valid JSON (truncated?): ${(error as Error).message}`, code: 'JSON_SYNTAX' };
      return;
    }
    yield* eventsOf(inner, MAX_DEPTH);
    return;
  }
  yield eventOrProblem(record);
}
