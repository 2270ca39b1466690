/** The pure parts of reading CloudWatch: the window, the checkpoint, the pushed-down filter pattern. */
import { describe, expect, it } from 'vitest';
import { builtinDetections } from '../../src/audit-log/detections/index.js';
import type { AnyDetection } from '../../src/audit-log/detection.js';
import { CheckpointTracker, parseCheckpoint } from '../../src/audit-log/sources/cloudwatch/checkpoint.js';
import { MAX_FILTER_PATTERN_LENGTH, pushDownPattern } from '../../src/audit-log/sources/cloudwatch/filter-pattern.js';
import { pointInTime, timeWindow } from '../../src/audit-log/sources/cloudwatch/window.js';
import { matchesFilterPattern } from './fake-logs/filter-pattern.js';
import { auditEvent } from './events.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const all = Object.values(builtinDetections) as AnyDetection[];

describe('the time window', () => {
  it('reads durations before now and ISO times (UTC without a zone)', () => {
    expect(pointInTime('--since', '24h', NOW)).toBe(NOW - 86_400_000);
    expect(pointInTime('--since', '7d', NOW)).toBe(NOW - 7 * 86_400_000);
    expect(pointInTime('--since', '90m', NOW)).toBe(NOW - 90 * 60_000);
    expect(pointInTime('--since', '2026-12-01T10:00:00Z', NOW)).toBe(Date.parse('2026-12-01T10:00:00Z'));
    expect(pointInTime('--since', '2026-12-01T10:00', NOW)).toBe(Date.parse('2026-12-01T10:00:00Z'));
    expect(pointInTime('--since', '2026-12-01', NOW)).toBe(Date.parse('2026-12-01T00:00:00Z'));
    expect(pointInTime('--since', '2026-12-01T10:00:00+02:00', NOW)).toBe(Date.parse('2026-12-01T08:00:00Z'));
  });

  it('refuses what is not a time, and an empty window', () => {
    expect(() => pointInTime('--since', 'yesterday', NOW)).toThrow(/--since yesterday: expected a duration/);
    expect(() => pointInTime('--since', '24', NOW)).toThrow(/expected a duration/);
    expect(() => timeWindow(undefined, undefined, NOW)).toThrow(/--since is required/);
    expect(() => timeWindow('1h', '2h', NOW)).toThrow(/the window is empty/);
    expect(timeWindow('2h', '1h', NOW)).toEqual({ start: NOW - 7_200_000, end: NOW - 3_600_000 });
  });
});

describe('the checkpoint', () => {
  it('skips what the previous run counted: older events, and the ids at its last millisecond', () => {
    const tracker = new CheckpointTracker('/aws/eks/prod/cluster', { version: 1, logGroup: '/aws/eks/prod/cluster', timestamp: 100, eventIds: ['a'] });
    expect(tracker.seen(99, 'z')).toBe(true);
    expect(tracker.seen(100, 'a')).toBe(true);
    expect(tracker.seen(100, 'b')).toBe(false);
    expect(tracker.seen(101, 'a')).toBe(false);
    tracker.add(100, 'b');
    expect(tracker.current()).toEqual({ version: 1, logGroup: '/aws/eks/prod/cluster', timestamp: 100, eventIds: ['a', 'b'] });
    tracker.add(105, 'c');
    tracker.add(105, 'd');
    expect(tracker.current()?.eventIds).toEqual(['c', 'd']);
    expect(new CheckpointTracker('/g').current()).toBeUndefined();
  });

  it('refuses a file that is not a checkpoint, or is another log group\'s', () => {
    expect(() => parseCheckpoint('{', 'f', '/g')).toThrow(/not valid JSON/);
    expect(() => parseCheckpoint('{"version":2}', 'f', '/g')).toThrow(/not an eksguard checkpoint/);
    expect(() => parseCheckpoint('{"version":1,"logGroup":"/h","timestamp":1,"eventIds":[]}', 'f', '/g')).toThrow(/it is for log group \/h, not \/g/);
    expect(parseCheckpoint('{"version":1,"logGroup":"/g","timestamp":1,"eventIds":["x"]}', 'f', '/g').eventIds).toEqual(['x']);
  });
});

describe('the filter pattern pushed down', () => {
  it('is the OR of the detections\' terms, within CloudWatch\'s length limit', () => {
    const pattern = pushDownPattern(all);
    expect(pattern).toBeDefined();
    expect(pattern?.length).toBeLessThanOrEqual(MAX_FILTER_PATTERN_LENGTH);
    expect(pushDownPattern(all.filter((d) => d.id === 'audit-secret-access'))).toBe('{ $.objectRef.resource = "secrets" }');
    expect(pushDownPattern([])).toBeUndefined();
  });

  it('is not pushed down when one detection has no term', () => {
    const without = { ...all[0], cloudWatchFilter: undefined } as AnyDetection;
    expect(pushDownPattern([...all.slice(1), without])).toBeUndefined();
  });

  it('every detection\'s term lets through the events it matches, and drops events no detection is about', () => {
    const cases: [string, Record<string, unknown>, boolean][] = [
      ['audit-secret-access', auditEvent({ verb: 'get', resource: 'secrets', namespace: 'a', name: 'b' }), true],
      ['audit-secret-access', auditEvent({ verb: 'get', resource: 'pods' }), false],
      ['audit-auth-failures', auditEvent({ code: 401 }), true],
      ['audit-auth-failures', auditEvent({ code: 404 }), false],
      ['audit-pod-exec', auditEvent({ verb: 'create', subresource: 'exec', name: 'x', namespace: 'y' }), true],
      ['audit-pod-exec', auditEvent({ verb: 'get', subresource: 'log', name: 'x', namespace: 'y' }), false],
      ['audit-service-account-token-outside-cluster', auditEvent({ user: 'system:serviceaccount:a:b' }), true],
      ['audit-service-account-token-outside-cluster', auditEvent({ user: 'alice' }), false],
      ['audit-webhook-changed', auditEvent({ verb: 'delete', resource: 'mutatingwebhookconfigurations', apiGroup: 'admissionregistration.k8s.io', name: 'x' }), true],
      ['audit-aws-auth-modified', auditEvent({ verb: 'deletecollection', resource: 'configmaps', namespace: 'kube-system' }), true],
    ];
    for (const [id, event, expected] of cases) {
      const pattern = pushDownPattern(all.filter((d) => d.id === id));
      expect(matchesFilterPattern(pattern ?? '', JSON.stringify(event)), `${id} ${JSON.stringify(event.objectRef)}`).toBe(expected);
    }
    const whole = pushDownPattern(all) ?? '';
    expect(matchesFilterPattern(whole, JSON.stringify(auditEvent({ verb: 'get', resource: 'pods', namespace: 'shop', name: 'web' })))).toBe(false);
    expect(matchesFilterPattern(whole, JSON.stringify(auditEvent({ verb: 'list', resource: 'secrets' })))).toBe(true);
  });
});
