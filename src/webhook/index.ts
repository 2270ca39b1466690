/**
 * `eksguard webhook` put together: the rules and exemptions from the config, the admission plan,
 * the optional cluster view, the decision and the HTTPS server. docs/webhook.md.
 */
import type { Severity } from '../core/finding.js';
import type { Config } from '../engine/config.js';
import { resolveRules } from '../engine/rule-set.js';
import type { AnyRule } from '../rules/define-rule.js';
import { builtinRules } from '../rules/index.js';
import { decide, type Mode } from './decide.js';
import { admissionPolicy, evaluateObject, planAdmission, type AdmissionPlan, type ClusterView } from './evaluate.js';
import { createWebhookMetrics } from './metrics.js';
import { logLine, startWebhookServer, type WebhookServer } from './server.js';
import { readTlsFiles } from './tls-files.js';

/** A cluster view that fills in the background: ready once its first lists are in. */
export interface LiveClusterView extends ClusterView {
  readonly ready: boolean;
  stop(): void;
}

export interface WebhookOptions {
  readonly certFile: string;
  readonly keyFile: string;
  readonly port: number;
  readonly host?: string;
  readonly mode: Mode;
  readonly failOn: Severity | 'none';
  readonly config: Config;
  readonly configFile?: string;
  /** `--cluster`: starts the view of the kinds the plan needs (informers). */
  readonly cluster?: (plan: AdmissionPlan) => LiveClusterView;
  readonly log: (line: string) => void;
  readonly certPollMs?: number;
  readonly maxBodyBytes?: number;
  readonly registry?: Readonly<Record<string, AnyRule>>;
}

export interface RunningWebhook extends WebhookServer {
  readonly plan: AdmissionPlan;
}

export async function startWebhook(options: WebhookOptions): Promise<RunningWebhook> {
  // Unusable certificate files are the likeliest start-up error: said before anything else.
  readTlsFiles(options.certFile, options.keyFile);
  const enabled = resolveRules(options.registry ?? builtinRules, { config: options.config, ...(options.configFile !== undefined ? { configFile: options.configFile } : {}) });
  const plan = planAdmission(enabled, options.cluster !== undefined);
  const policy = admissionPolicy(options.config);
  const allowUsers = options.config.webhook?.allowUsers ?? [];
  const byReason = new Map<string, string[]>();
  for (const { ruleId, reason } of plan.skipped) byReason.set(reason, [...(byReason.get(reason) ?? []), ruleId]);
  for (const [reason, ids] of byReason) options.log(logLine('info', `${ids.length} rules not run at admission: ${reason}`, { rules: ids }));
  const view = options.cluster?.(plan);
  const metrics = createWebhookMetrics();
  let server: WebhookServer;
  try {
    server = await startWebhookServer({
      certFile: options.certFile,
      keyFile: options.keyFile,
      port: options.port,
      ...(options.host !== undefined ? { host: options.host } : {}),
      mode: options.mode,
      decide: (request, mode) => decide(request, (object, namespace) => evaluateObject(object, namespace, plan, policy, view), { mode, failOn: options.failOn, allowUsers }),
      ready: () => view === undefined || view.ready,
      metrics,
      log: options.log,
      ...(options.certPollMs !== undefined ? { certPollMs: options.certPollMs } : {}),
      ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    });
  } catch (error) {
    view?.stop();
    throw error;
  }
  options.log(logLine('info', 'listening', { port: server.port, mode: options.mode, failOn: options.failOn, rules: plan.objectRules.length + plan.clusterRules.length }));
  return {
    plan,
    port: server.port,
    close: async () => {
      view?.stop();
      await server.close();
    },
  };
}
