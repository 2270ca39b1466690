/** Time buckets: the window of a time depends on its minute and the window's size only, however the calls are interleaved. */
import { describe, expect, it } from 'vitest';
import { minuteOf, windowOf } from '../../src/audit-log/time.js';

describe('windowOf', () => {
  it('aligns to the epoch, and answers the same when asked again, in any order', () => {
    const asked: [string, number, string | undefined][] = [
      ['2024-05-01T10:04:59.123Z', 5, '2024-05-01T10:00'],
      ['2024-05-01T10:04:00Z', 5, '2024-05-01T10:00'],
      ['2024-05-01T10:04:30Z', 1, '2024-05-01T10:04'],
      ['2024-05-01T10:05:00Z', 5, '2024-05-01T10:05'],
      ['2024-05-01T10:04:01Z', 5, '2024-05-01T10:00'],
      ['2024-05-01T10:04:01Z', 60, '2024-05-01T10:00'],
      ['2024-05-01T23:59:59Z', 1440, '2024-05-01T00:00'],
      ['not a time', 5, undefined],
      ['2024-05-01T10:04', 5, '2024-05-01T10:00'],
      ['2024-05-01T10:0', 5, undefined],
      ['2024-05-01T10:04:02Z', 5, '2024-05-01T10:00'],
    ];
    for (const [time, size, window] of asked) expect(windowOf(time, size), `${time} / ${size}`).toBe(window);
  });
});

describe('minuteOf', () => {
  it('is the first 16 characters of an RFC 3339 time, whatever was asked before', () => {
    const asked: [string, string | undefined][] = [
      ['2024-05-01T10:04:59.123Z', '2024-05-01T10:04'],
      ['2024-05-01T10:04:00Z', '2024-05-01T10:04'],
      ['2024-05-01T10:04', '2024-05-01T10:04'],
      ['2024-05-01T10:0', undefined],
      ['2024-05-01T10:04:01Z', '2024-05-01T10:04'],
      ['', undefined],
      ['2024-05-01T10:05:00Z', '2024-05-01T10:05'],
      ['x2024-05-01T10:05:00Z', undefined],
      ['2024-05-01 10:05:00Z', undefined],
      ['2024-05-01T10:05:30Z', '2024-05-01T10:05'],
    ];
    for (const [time, minute] of asked) expect(minuteOf(time), time).toBe(minute);
  });
});
