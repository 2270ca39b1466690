/**
 * `eksguard webhook` (the validating admission webhook) and `eksguard generate webhook-certs`.
 * Only commander and types load with this module: the server, the rules and the certificate
 * library load when their command runs, so `eksguard --version` stays fast.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { AuditorError, UsageError } from '../../core/errors.js';
import type { Severity } from '../../core/finding.js';
import { ExitCode, type Io } from '../io.js';
import { FAIL_ON_VALUES, parseFailOn } from '../report-output.js';

export interface WebhookArgs {
  readonly tlsCert: string;
  readonly tlsKey: string;
  readonly port: number;
  readonly host?: string;
  readonly mode: 'enforce' | 'warn';
  readonly failOn?: Severity | 'none';
  readonly config?: string;
  readonly cluster: boolean;
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Seconds between checks of the certificate files. */
  readonly certPollSeconds: number;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port ${value}: expected a port number (1-65535)`);
  return port;
}

/**
 * Serves until `stop` aborts (SIGTERM, SIGINT from the CLI): requests in flight are answered,
 * then the server closes and the command returns 0.
 */
export async function runWebhook(args: WebhookArgs, io: Io, stop: AbortSignal): Promise<ExitCode> {
  if (!args.cluster && (args.kubeconfig !== undefined || args.context !== undefined)) throw new UsageError('--kubeconfig and --context apply to the cluster view: add --cluster');
  const { loadConfig } = await import('../../scan.js');
  const { startWebhook } = await import('../../webhook/index.js');
  const { config, file } = await loadConfig(args.config !== undefined ? resolve(io.cwd, args.config) : undefined, io.cwd);
  const log = (line: string): void => {
    io.stderr.write(`${line}\n`);
  };
  let cluster: Parameters<typeof startWebhook>[0]['cluster'];
  if (args.cluster) {
    const { startClusterView } = await import('../../webhook/cluster-view.js');
    cluster = (plan) => startClusterView({
      kinds: plan.viewKinds,
      env: io.env,
      ...(args.kubeconfig !== undefined ? { kubeconfig: resolve(io.cwd, args.kubeconfig) } : {}),
      ...(args.context !== undefined ? { context: args.context } : {}),
      log,
    });
  }
  let running;
  try {
    running = await startWebhook({
      certFile: resolve(io.cwd, args.tlsCert),
      keyFile: resolve(io.cwd, args.tlsKey),
      port: args.port,
      ...(args.host !== undefined ? { host: args.host } : {}),
      mode: args.mode,
      failOn: args.failOn ?? config.failOn ?? 'high',
      config,
      ...(file !== undefined ? { configFile: file } : {}),
      ...(cluster !== undefined ? { cluster } : {}),
      log,
      certPollMs: args.certPollSeconds * 1000,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new AuditorError('ERR_USAGE', `--port ${args.port}: ${code === 'EADDRINUSE' ? 'already in use' : 'permission denied'}`);
    throw error;
  }
  if (!stop.aborted) await new Promise<void>((done) => stop.addEventListener('abort', () => done(), { once: true }));
  await running.close();
  return ExitCode.Ok;
}

/** Registers `eksguard webhook` on the program. */
export function registerWebhookCommand(program: Command, io: Io, setExitCode: (code: ExitCode) => void): void {
  program
    .command('webhook')
    .description('validating admission webhook: deny (or warn about) objects with findings, with the rules and exemptions of scan (see docs/webhook.md)')
    .requiredOption('--tls-cert <file>', 'serving certificate (PEM); re-read when it changes')
    .requiredOption('--tls-key <file>', 'its private key (PEM); re-read when it changes')
    .option('--port <port>', 'HTTPS port', parsePort, 8443)
    .option('--host <address>', 'address to listen on (default: every interface)')
    .addOption(new Option('--mode <mode>', 'enforce: deny findings at or above --fail-on; warn: only warn (the path /validate/warn or /validate/enforce chooses per webhook)').choices(['enforce', 'warn']).default('enforce'))
    .option('--fail-on <severity>', `deny findings at or above: ${FAIL_ON_VALUES.join('|')} (default: high, or failOn in the config)`)
    .option('--config <file>', 'configuration file (default: ./eksguard.yaml when present); see the webhook: section of docs/webhook.md')
    .option('--cluster', 'also run the rules that look at other objects (bindings, LimitRanges), with a read-only view of the cluster kept current by watches')
    .option('--kubeconfig <file>', 'with --cluster: the kubeconfig (default: $KUBECONFIG, ~/.kube/config, then the pod\'s ServiceAccount)')
    .option('--context <name>', 'with --cluster: the kubeconfig context')
    .option('--cert-poll-interval <seconds>', 'how often the certificate files are checked for a change', (v) => {
      const n = Number(v);
      if (!(n > 0)) throw new UsageError(`--cert-poll-interval ${v}: expected a positive number of seconds`);
      return n;
    }, 10)
    .addHelpText('after', `
Endpoints: POST /validate, /validate/enforce, /validate/warn (AdmissionReview admission.k8s.io/v1),
GET /healthz, GET /readyz, GET /metrics (Prometheus). Logs are JSON lines on standard error.

Examples:
  eksguard webhook --tls-cert /tls/tls.crt --tls-key /tls/tls.key --config /etc/eksguard/eksguard.yaml
  kubectl kustomize deploy/kubernetes/webhook | kubectl apply -f -`)
    .action(async (opts: { tlsCert: string; tlsKey: string; port: number; host?: string; mode: 'enforce' | 'warn'; failOn?: string; config?: string; cluster?: boolean; kubeconfig?: string; context?: string; certPollInterval: number }) => {
      const controller = new AbortController();
      const onSignal = (): void => controller.abort();
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      try {
        setExitCode(await runWebhook({
          tlsCert: opts.tlsCert,
          tlsKey: opts.tlsKey,
          port: opts.port,
          ...(opts.host !== undefined ? { host: opts.host } : {}),
          mode: opts.mode,
          ...(opts.failOn !== undefined ? { failOn: parseFailOn(opts.failOn) } : {}),
          ...(opts.config !== undefined ? { config: opts.config } : {}),
          cluster: opts.cluster === true,
          ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}),
          ...(opts.context !== undefined ? { context: opts.context } : {}),
          certPollSeconds: opts.certPollInterval,
        }, io, controller.signal));
      } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
    });
}

export interface WebhookCertsArgs {
  readonly outputDir: string;
  readonly namespace: string;
  readonly service: string;
  readonly secret: string;
  readonly configuration: string;
  readonly days: number;
  readonly force: boolean;
}

export const WEBHOOK_CERT_FILES = { secret: 'webhook-tls-secret.yaml', patch: 'ca-bundle-patch.yaml' } as const;

/** Writes the Secret manifest (mode 0600) and the caBundle patch; prints how to apply them. */
export async function runWebhookCerts(args: WebhookCertsArgs, io: Io): Promise<ExitCode> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { generateWebhookCerts, WEBHOOK_DEFAULTS } = await import('../../webhook/certs.js');
  const dir = resolve(io.cwd, args.outputDir);
  const certs = await generateWebhookCerts({
    namespace: args.namespace,
    service: args.service,
    secret: args.secret,
    configuration: args.configuration,
    webhooks: WEBHOOK_DEFAULTS.webhooks,
    days: args.days,
  });
  await mkdir(dir, { recursive: true });
  const secretFile = join(dir, WEBHOOK_CERT_FILES.secret);
  const patchFile = join(dir, WEBHOOK_CERT_FILES.patch);
  try {
    // A private key: readable by its owner only, and never silently replaced.
    await writeFile(secretFile, certs.secret, { mode: 0o600, flag: args.force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${secretFile} exists`, 'Give --force to replace it (the webhook then needs the new caBundle too).');
    throw new AuditorError('ERR_INPUT', `${secretFile}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  await writeFile(patchFile, certs.caBundlePatch);
  io.stdout.write([
    `wrote ${secretFile} (Secret ${args.namespace}/${args.secret}) and ${patchFile}`,
    'apply them (after deploy/kubernetes/webhook, without its cert-manager Certificate):',
    `  kubectl apply -f ${secretFile}`,
    `  kubectl patch validatingwebhookconfiguration ${args.configuration} --type strategic --patch-file ${patchFile}`,
    '',
  ].join('\n'));
  return ExitCode.Ok;
}

/** Registers `webhook-certs` in the `generate` group. */
export function registerWebhookCertsCommand(generate: Command, io: Io, setExitCode: (code: ExitCode) => void): void {
  generate
    .command('webhook-certs')
    .description('a CA and serving certificate for the webhook Service, as a Secret manifest and the caBundle patch (for clusters without cert-manager)')
    .requiredOption('--output-dir <dir>', `write ${WEBHOOK_CERT_FILES.secret} and ${WEBHOOK_CERT_FILES.patch} here`)
    .option('--color', 'accepted for a uniform command line; this output is never coloured')
    .option('--no-color', 'accepted for a uniform command line; this output is never coloured')
    .option('--namespace <ns>', "eksguard's namespace", 'eksguard')
    .option('--service <name>', 'the webhook Service', 'eksguard-webhook')
    .option('--secret <name>', 'the TLS Secret the Deployment mounts', 'eksguard-webhook-tls')
    .option('--configuration <name>', 'the ValidatingWebhookConfiguration', 'eksguard')
    .option('--days <n>', 'validity of the CA and certificate in days', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 3650) throw new UsageError(`--days ${v}: expected a whole number of days from 1 to 3650`);
      return n;
    }, 365)
    .option('--force', 'replace an existing Secret manifest')
    .addHelpText('after', `
Examples:
  eksguard generate webhook-certs --output-dir ./webhook-tls
  kubectl apply -f ./webhook-tls/${WEBHOOK_CERT_FILES.secret}`)
    .action(async (opts: { outputDir: string; namespace: string; service: string; secret: string; configuration: string; days: number; force?: boolean }) => {
      setExitCode(await runWebhookCerts({ ...opts, force: opts.force === true }, io));
    });
}
