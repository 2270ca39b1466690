import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KubeconfigOptions {
  readonly server: string;
  /** PEM of the CA to trust; the certificate is checked as kubectl checks it. */
  readonly ca?: string;
  readonly token?: string;
  /** An exec credential plugin instead of a token. */
  readonly exec?: { readonly command: string; readonly args: readonly string[] };
  readonly context?: string;
  /** Leave current-context unset. */
  readonly noCurrentContext?: boolean;
}

/** Writes a kubeconfig like `aws eks update-kubeconfig` does, and returns its path. */
export function writeKubeconfig(dir: string, options: KubeconfigOptions, file = 'kubeconfig'): string {
  const context = options.context ?? 'fake-eks';
  const user = options.exec
    ? {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: options.exec.command,
          args: options.exec.args,
          interactiveMode: 'Never',
        },
      }
    : options.token !== undefined ? { token: options.token } : {};
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake', cluster: { server: options.server, ...(options.ca ? { 'certificate-authority-data': Buffer.from(options.ca).toString('base64') } : {}) } }],
    users: [{ name: 'eksguard', user }],
    contexts: [{ name: context, context: { cluster: 'fake', user: 'eksguard' } }],
    ...(options.noCurrentContext ? {} : { 'current-context': context }),
  };
  const path = join(dir, file);
  // JSON is YAML: kubeconfig loaders read either.
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/**
 * A tiny exec credential plugin, as `aws eks get-token` is one: prints an ExecCredential with the
 * token, and appends a line to `log` on every run so tests can see it ran.
 */
export function writeExecPlugin(dir: string, token: string, log: string): { command: string; args: readonly string[] } {
  const script = join(dir, 'fake-get-token.mjs');
  writeFileSync(script, `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(log)}, 'run\\n');
process.stdout.write(JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1beta1',
  kind: 'ExecCredential',
  status: { token: ${JSON.stringify(token)}, expirationTimestamp: new Date(Date.now() + 15 * 60 * 1000).toISOString() },
}));
`);
  return { command: process.execPath, args: [script] };
}
