import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/duration.js';
import { formatBytes, formatDuration, RunDeadlineError, startRunDeadline, untilAborted, within } from '../../src/collect/deadline.js';

describe('parseDuration (--timeout, --request-timeout)', () => {
  it.each([
    ['90', 90_000], ['90s', 90_000], ['1.5s', 1500], ['500ms', 500], ['10m', 600_000], ['1h', 3_600_000], ['1h30m', 5_400_000], ['2m30s', 150_000], [' 5s ', 5000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text, '--timeout')).toBe(ms);
  });

  it.each(['', 'soon', '-5s', '0', '0s', '5 s', '5sec', '1h30', 's', '1d'])('refuses %j in one line naming the flag', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(`--timeout ${text}: expected a duration such as 90s, 10m or 1h30m`);
  });
});

describe('the words of deadlines and bounds', () => {
  it.each([[500, '500 ms'], [1000, '1 s'], [1500, '1.5 s'], [30_000, '30 s'], [120_000, '2 min'], [600_000, '10 min'], [5_400_000, '1 h 30 min'], [90_500, '1 min 31 s']])('formats %d ms as %j', (ms, words) => {
    expect(formatDuration(ms)).toBe(words);
  });

  it.each([[256 * 1024 * 1024, '256 MiB'], [64 * 1024, '64 KiB'], [1500, '1,500 bytes']])('formats %d bytes as %j', (bytes, words) => {
    expect(formatBytes(bytes)).toBe(words);
  });
});

describe('the run deadline', () => {
  it('aborts its signal with a RunDeadlineError naming --timeout, and cuts what waits on it short', async () => {
    const deadline = startRunDeadline(50);
    const never = new Promise<never>(() => undefined);
    await expect(untilAborted(never, deadline.signal)).rejects.toThrow("the run's deadline of 50 ms passed (--timeout)");
    expect(deadline.signal.reason).toBeInstanceOf(RunDeadlineError);
    // Once passed, a new wait is cut short at once.
    await expect(untilAborted(Promise.resolve(1), deadline.signal)).rejects.toBeInstanceOf(RunDeadlineError);
  });

  it('never fires once stopped, and lets what finishes in time finish', async () => {
    const deadline = startRunDeadline(30);
    await expect(untilAborted(Promise.resolve('read'), deadline.signal)).resolves.toBe('read');
    deadline.stop();
    await new Promise((done) => setTimeout(done, 60));
    expect(deadline.signal.aborted).toBe(false);
  });

  it('within: rejects with the given error when the promise takes too long', async () => {
    await expect(within(new Promise<never>(() => undefined), 20, () => new Error('too slow'))).rejects.toThrow('too slow');
    await expect(within(Promise.resolve(2), 1000, () => new Error('too slow'))).resolves.toBe(2);
  });
});
