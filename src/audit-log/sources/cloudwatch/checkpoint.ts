/**
 * Where a scheduled `audit analyze --cloudwatch` run stopped, so the next one reads only new events:
 * the newest event timestamp read, and the ids of the events at exactly that timestamp. The next
 * run starts at that timestamp (CloudWatch's start time is inclusive) and skips those ids, so no
 * event is missed between runs and none is counted twice. Pure: the CLI reads and writes the file.
 */
import { UsageError } from '../../../core/errors.js';

export interface Checkpoint {
  readonly version: 1;
  readonly logGroup: string;
  /** Milliseconds since the epoch of the newest event read. */
  readonly timestamp: number;
  /** CloudWatch event ids of the events read at `timestamp`. */
  readonly eventIds: readonly string[];
}

/** Tracks the newest timestamp read and the ids at it, as events stream past. */
export class CheckpointTracker {
  private timestamp: number;
  private ids: Set<string>;

  constructor(private readonly logGroup: string, previous?: Checkpoint) {
    this.timestamp = previous?.timestamp ?? -1;
    this.ids = new Set(previous?.eventIds ?? []);
  }

  /** True when the previous run already counted this event. */
  seen(timestamp: number, eventId: string): boolean {
    return timestamp < this.timestamp || (timestamp === this.timestamp && this.ids.has(eventId));
  }

  add(timestamp: number, eventId: string): void {
    if (timestamp > this.timestamp) {
      this.timestamp = timestamp;
      this.ids = new Set([eventId]);
    } else if (timestamp === this.timestamp) this.ids.add(eventId);
  }

  /** The checkpoint to save, or undefined when nothing was ever read. */
  current(): Checkpoint | undefined {
    if (this.timestamp < 0) return undefined;
    return { version: 1, logGroup: this.logGroup, timestamp: this.timestamp, eventIds: [...this.ids].sort() };
  }
}

/** A checkpoint file's content, checked; `file` names it in errors. */
export function parseCheckpoint(text: string, file: string, logGroup: string): Checkpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--checkpoint ${file}: not valid JSON (${(error as Error).message})`, 'Delete the file to start again from --since.');
  }
  const v = value as Partial<Checkpoint> | null;
  if (v === null || typeof v !== 'object' || v.version !== 1 || typeof v.logGroup !== 'string' || typeof v.timestamp !== 'number'
    || !Number.isFinite(v.timestamp) || !Array.isArray(v.eventIds) || !v.eventIds.every((id) => typeof id === 'string')) {
    throw new UsageError(`--checkpoint ${file}: not an eksguard checkpoint (version 1, logGroup, timestamp, eventIds)`, 'Delete the file to start again from --since.');
  }
  if (v.logGroup !== logGroup) {
    throw new UsageError(`--checkpoint ${file}: it is for log group ${v.logGroup}, not ${logGroup}`, 'Use one checkpoint file per cluster.');
  }
  return { version: 1, logGroup: v.logGroup, timestamp: v.timestamp, eventIds: v.eventIds };
}

export function renderCheckpoint(checkpoint: Checkpoint): string {
  return `${JSON.stringify(checkpoint, null, 2)}\n`;
}
