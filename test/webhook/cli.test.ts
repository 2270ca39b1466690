/**
 * The `eksguard webhook` command: flags, one-line errors, and a run that serves until stopped.
 */
import { writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runWebhook } from '../../src/cli/commands/webhook.js';
import { generateWebhookCerts, WEBHOOK_DEFAULTS } from '../../src/webhook/certs.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';
import { privilegedPod, review } from './reviews.js';

describe('eksguard webhook', () => {
  it('reports bad flags and unusable files in one line, exit 2', async () => {
    const port = await runCli(['webhook', '--tls-cert', 'a', '--tls-key', 'b', '--port', '99999']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port 99999: expected a port number (1-65535)');
    const missing = await runCli(['webhook', '--tls-cert', '/nonexistent/tls.crt', '--tls-key', '/nonexistent/tls.key', '--port', '1']);
    expect(missing).toMatchObject({ code: 2, stderr: 'eksguard: --tls-cert /nonexistent/tls.crt: no such file\n' });
    const stray = await runCli(['webhook', '--tls-cert', 'a', '--tls-key', 'b', '--kubeconfig', 'k']);
    expect(stray.stderr).toBe('eksguard: --kubeconfig and --context apply to the cluster view: add --cluster\n');
    const config = await runCli(['webhook', '--tls-cert', 'a', '--tls-key', 'b', '--config', '/nonexistent/eksguard.yaml']);
    expect(config.stderr).toBe('eksguard: /nonexistent/eksguard.yaml: no such file\n');
  });

  it('serves with the config file and --mode until stopped, then exits 0', async () => {
    const dir = makeTempDir('webhook-cli');
    const certs = await generateWebhookCerts({ ...WEBHOOK_DEFAULTS, days: 1 });
    writeFileSync(join(dir, 'tls.crt'), certs.cert);
    writeFileSync(join(dir, 'tls.key'), certs.key);
    writeFileSync(join(dir, 'eksguard.yaml'), 'rules:\n  no-privileged-containers: "off"\n');
    const stderr = new PassThrough();
    const lines: string[] = [];
    stderr.on('data', (c: Buffer) => lines.push(...c.toString('utf8').split('\n').filter((l) => l !== '')));
    const stop = new AbortController();
    const running = runWebhook({ tlsCert: 'tls.crt', tlsKey: 'tls.key', port: 0, host: '127.0.0.1', mode: 'warn', config: 'eksguard.yaml', cluster: false, certPollSeconds: 10 },
      { stdout: new PassThrough(), stderr, stdin: Readable.from([]), env: {}, cwd: dir }, stop.signal);
    let port = 0;
    for (let i = 0; i < 100 && port === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const listening = lines.map((l) => JSON.parse(l) as { msg: string; port?: number }).find((l) => l.msg === 'listening');
      port = listening?.port ?? 0;
    }
    expect(port).toBeGreaterThan(0);
    const body = JSON.stringify(review({ object: privilegedPod() }));
    const reply = await new Promise<string>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port, method: 'POST', path: '/validate', ca: certs.caCert, servername: 'eksguard-webhook.eksguard.svc', headers: { 'Content-Type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end(body);
    });
    const response = (JSON.parse(reply) as { response: { allowed: boolean; warnings: string[] } }).response;
    // --mode warn, and the config turned no-privileged-containers off: only the escalation warns.
    expect(response.allowed).toBe(true);
    expect(response.warnings.map((w) => w.split(':')[0])).toEqual(['no-privilege-escalation']);
    stop.abort();
    expect(await running).toBe(0);
  });
});
