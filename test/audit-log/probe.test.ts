/**
 * The probe's raw `sourceIPs` text: found after the key as the API server writes it (`"sourceIPs":[`,
 * the closing bracket a few bytes on), and by searching when the line is written otherwise
 * (escaped in a CloudWatch record, `"key": value` with spaces, a long list, fields reordered).
 */
import { describe, expect, it } from 'vitest';
import { LineProbe } from '../../src/audit-log/sources/probe.js';
import { auditEvent } from './events.js';

/** The text the probe gives for one line. */
function ipsText(text: string): string {
  const buffer = Buffer.from(`junk before\n${text}\nafter`, 'latin1');
  const probe = new LineProbe();
  const start = buffer.indexOf('\n') + 1;
  probe.setLine(buffer, start, buffer.indexOf('\n', start));
  return probe.sourceIPsText();
}

const many = Array.from({ length: 12 }, (_, i) => `10.0.${i}.${i * 7}`);

describe('LineProbe#sourceIPsText', () => {
  it('reads the list as the API server writes it, a short one and one longer than the near look', () => {
    expect(ipsText(JSON.stringify(auditEvent({ ip: ['10.0.12.34'] })))).toBe('"10.0.12.34"');
    expect(ipsText(JSON.stringify(auditEvent({ ip: many })))).toBe(many.map((ip) => `"${ip}"`).join(','));
  });

  it('reads it escaped in a CloudWatch record, and with spaces after the colons', () => {
    const event = auditEvent({ ip: ['203.0.113.9', '10.0.0.1'] });
    expect(ipsText(JSON.stringify({ timestamp: 1, message: JSON.stringify(event) }))).toBe('\\"203.0.113.9\\",\\"10.0.0.1\\"');
    expect(ipsText(JSON.stringify(event, null, 1).replaceAll('\n', ''))).toBe('  "203.0.113.9",  "10.0.0.1" ');
  });

  it('reads it with the fields reordered, and not from a key a client wrote in its user agent or URI', () => {
    const { sourceIPs, ...rest } = auditEvent({ ip: ['198.51.100.7'], userAgent: 'x","sourceIPs":["10.0.0.1"],"y":"', query: 'a=[1]' });
    expect(ipsText(JSON.stringify({ kind: 'Event', sourceIPs, ...rest }))).toBe('"198.51.100.7"');
    expect(ipsText(JSON.stringify({ ...rest, sourceIPs }))).toBe('"198.51.100.7"');
    // Without `kind` first the probe cannot tell the event's keys from a client's: it finds none.
    expect(ipsText(JSON.stringify({ sourceIPs, ...rest }))).toBe('');
  });

  it('gives "" for a list that is not closed on its line, or no list', () => {
    const cut = JSON.stringify(auditEvent({ ip: many }));
    expect(ipsText(cut.slice(0, cut.indexOf('10.0.11')))).toBe('');
    expect(ipsText('{"kind":"Event","sourceIPs":"10.0.0.1","verb":"get"}')).toBe('');
    expect(ipsText('{"kind":"Event","verb":"get"}')).toBe('');
  });
});
