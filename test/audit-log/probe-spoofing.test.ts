/**
 * The line probe skips most lines unparsed, judging them by their raw bytes. What a client
 * controls (its user agent, the request URI, a name quoted in a status message) must never make
 * it skip a line a detection needs: text such as `"objectRef":{"resource":"nodes"}` in a user
 * agent is escaped one level deeper than the event's own keys, and the probe tells them apart —
 * in an event written as JSON and in one carried escaped in a CloudWatch record.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeAuditLogs } from '../../src/audit-log/analyze.js';
import { parseConfig } from '../../src/engine/config.js';
import { auditEvent } from './events.js';

const CONFIG = parseConfig('eksguard.yaml', 'audit:\n  clusterCidrs: [10.0.0.0/16]\n');

type Layout = 'JSON lines' | 'CloudWatch records';

function line(event: Record<string, unknown>, layout: Layout): string {
  return layout === 'JSON lines' ? JSON.stringify(event) : JSON.stringify({ timestamp: 1714557600000, message: JSON.stringify(event) });
}

async function ruleIds(events: readonly Record<string, unknown>[], layout: Layout): Promise<string[]> {
  const text = `${events.map((e) => line(e, layout)).join('\n')}\n`;
  const result = await analyzeAuditLogs({ paths: ['-'], stdin: Readable.from([Buffer.from(text)]), config: CONFIG });
  expect(result.gaps).toEqual([]);
  return result.findings.map((f) => f.ruleId);
}

const quiet = (i: number) => auditEvent({ verb: 'list', resource: 'pods', namespace: 'shop', auditID: `quiet-${i}` });

describe.each(['JSON lines', 'CloudWatch records'] as const)('a client cannot hide an event from the probe (%s)', (layout) => {
  it('with an objectRef in its user agent: the exec is still reported', async () => {
    const exec = auditEvent({ verb: 'create', subresource: 'exec', namespace: 'shop', name: 'web-1', code: 101, userAgent: 'x","objectRef":{"resource":"nodes","name":"n"},"y":"' });
    expect(await ruleIds([quiet(1), exec, quiet(2)], layout)).toContain('audit-pod-exec');
  });

  it('with a user in its request URI: the anonymous request is still reported', async () => {
    const anonymous = auditEvent({ user: 'system:anonymous', groups: ['system:unauthenticated'], verb: 'list', resource: 'configmaps', namespace: 'prod', query: 'x="user":{"username":"alice"}' });
    expect(await ruleIds([quiet(1), anonymous], layout)).toContain('audit-anonymous-requests');
  });

  it('with source addresses in its request URI: the token used from outside is still reported', async () => {
    const outside = auditEvent({ user: 'system:serviceaccount:ci:deployer', ip: '203.0.113.7', query: 'x=","sourceIPs":["10.0.0.9"],"' });
    expect(await ruleIds([quiet(1), outside], layout)).toContain('audit-service-account-token-outside-cluster');
  });

  it('with a status code in the status message: the denial is still counted', async () => {
    const denied = auditEvent({ user: 'mallory', verb: 'list', resource: 'secrets', namespace: 'prod', code: 403, ip: '203.0.113.9' });
    denied.responseStatus = { metadata: {}, status: 'Failure', message: 'secrets is forbidden: ","code":200,"', reason: 'Forbidden', code: 403 };
    expect(await ruleIds([quiet(1), denied], layout)).toContain('audit-auth-failures');
  });

  it('with a verb in its request URI: the pod creation is still judged', async () => {
    const privileged = auditEvent({
      verb: 'create', resource: 'pods', namespace: 'shop', name: 'p', query: 'x=","verb":"get","',
      requestObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] } },
    });
    const ids = await ruleIds([quiet(1), privileged], layout);
    expect(ids.some((id) => /privileged|pod-security|escalat/.test(id)), ids.join(', ')).toBe(true);
  });
});
