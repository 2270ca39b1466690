/**
 * `eksguard generate webhook-certs`: a CA and a serving certificate the API server accepts for the
 * webhook Service, checked with Node's own X.509 and TLS rather than trusted.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateWebhookCerts, serviceDnsNames, WEBHOOK_DEFAULTS } from '../../src/webhook/certs.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';

describe('generateWebhookCerts', () => {
  it('issues a serving certificate for the Service DNS names, signed by a CA that signs nothing else', async () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const certs = await generateWebhookCerts({ ...WEBHOOK_DEFAULTS, days: 90, now });
    const ca = new X509Certificate(certs.caCert);
    const cert = new X509Certificate(certs.cert);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName?.split(', ')).toEqual(serviceDnsNames('eksguard-webhook', 'eksguard').map((n) => `DNS:${n}`));
    expect(cert.checkHost('eksguard-webhook.eksguard.svc')).toBe('eksguard-webhook.eksguard.svc');
    expect(cert.checkHost('evil.example.com')).toBeUndefined();
    expect(new Date(cert.validTo).getTime() - now.getTime()).toBe(90 * 24 * 3600 * 1000);
    expect(cert.keyUsage ?? []).toContain('1.3.6.1.5.5.7.3.1'); // extKeyUsage serverAuth
  });

  it('writes a kubernetes.io/tls Secret and a caBundle patch whose CA a TLS client trusts for the Service name', async () => {
    const certs = await generateWebhookCerts({ ...WEBHOOK_DEFAULTS, days: 30 });
    const [secret] = parseAllDocuments(certs.secret).map((d) => d.toJS() as { kind: string; type: string; metadata: { name: string; namespace: string }; data: Record<string, string> });
    expect(secret).toMatchObject({ kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'eksguard-webhook-tls', namespace: 'eksguard' } });
    const pem = (key: string) => Buffer.from(secret?.data[key] ?? '', 'base64').toString('utf8');
    const [patch] = parseAllDocuments(certs.caBundlePatch).map((d) => d.toJS() as { kind: string; metadata: { name: string }; webhooks: { name: string; clientConfig: { caBundle: string } }[] });
    expect(patch?.kind).toBe('ValidatingWebhookConfiguration');
    expect(patch?.webhooks.map((w) => w.name)).toEqual(['enforce.webhook.eksguard.io', 'warn.webhook.eksguard.io']);
    const caBundle = Buffer.from(patch?.webhooks[0]?.clientConfig.caBundle ?? '', 'base64').toString('utf8');
    expect(caBundle).toBe(pem('ca.crt'));
    const server = createServer({ cert: pem('tls.crt'), key: pem('tls.key') });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const handshake = (servername: string) => new Promise<boolean>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, servername, ca: caBundle }, () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      expect(await handshake('eksguard-webhook.eksguard.svc')).toBe(true);
      expect(await handshake('other.eksguard.svc')).toBe(false);
    } finally {
      server.close();
    }
  });
});

describe('eksguard generate webhook-certs', () => {
  it('writes the two files, the Secret readable by its owner only, and will not replace it without --force', async () => {
    const dir = makeTempDir('webhook-certs');
    const run = await runCli(['generate', 'webhook-certs', '--output-dir', dir, '--namespace', 'policy', '--service', 'guard']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`kubectl apply -f ${join(dir, 'webhook-tls-secret.yaml')}`);
    const secretFile = join(dir, 'webhook-tls-secret.yaml');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const secret = parseAllDocuments(readFileSync(secretFile, 'utf8'))[0]?.toJS() as { data: Record<string, string> };
    const cert = new X509Certificate(Buffer.from(secret.data['tls.crt'] ?? '', 'base64'));
    expect(cert.checkHost('guard.policy.svc')).toBe('guard.policy.svc');
    const again = await runCli(['generate', 'webhook-certs', '--output-dir', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`eksguard: ${secretFile} exists\nhint: Give --force to replace it (the webhook then needs the new caBundle too).\n`);
    expect((await runCli(['generate', 'webhook-certs', '--output-dir', dir, '--force'])).code).toBe(0);
    expect((await runCli(['generate', 'webhook-certs', '--output-dir', dir, '--days', '0'])).stderr).toContain('--days 0: expected a whole number of days from 1 to 3650');
  });
});
