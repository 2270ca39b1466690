/**
 * The webhook's Prometheus metrics (prom-client), in a registry of its own: two servers in one
 * process (the tests) never share counters, and nothing else of the process registers into it.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Decision } from './decide.js';

export interface WebhookMetrics {
  readonly registry: Registry;
  /** One admission request answered (or refused with an HTTP error). */
  record(decision: Decision | undefined, mode: string, seconds: number, httpStatus?: number): void;
}

export function createWebhookMetrics(): WebhookMetrics {
  const registry = new Registry();
  // Process metrics (resident memory, event-loop lag, GC) say whether the webhook keeps up.
  collectDefaultMetrics({ register: registry, prefix: 'eksguard_webhook_' });
  const requests = new Counter({
    name: 'eksguard_webhook_requests_total',
    help: 'Admission requests by decision (allowed, warned, denied, skipped, or an HTTP error such as 400) and mode.',
    labelNames: ['decision', 'mode'] as const,
    registers: [registry],
  });
  const findings = new Counter({
    name: 'eksguard_webhook_rule_findings_total',
    help: 'Findings answered by rule and decision: denied (blocked the request) or warned.',
    labelNames: ['rule', 'decision'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'eksguard_webhook_evaluation_errors_total',
    help: 'Rules that failed on an admitted object; the object was not blocked on their account.',
    labelNames: ['rule'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'eksguard_webhook_request_duration_seconds',
    help: 'Time from the request body received to the answer written.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    registry,
    record(decision, mode, seconds, httpStatus) {
      latency.observe(seconds);
      if (decision === undefined) {
        requests.inc({ decision: String(httpStatus ?? 500), mode });
        return;
      }
      requests.inc({ decision: decision.outcome, mode });
      for (const f of decision.denied) findings.inc({ rule: f.ruleId, decision: 'denied' });
      for (const f of decision.warned) findings.inc({ rule: f.ruleId, decision: 'warned' });
      for (const e of decision.errors) errors.inc({ rule: e.ruleId });
    },
  };
}
