import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/data/no-hardcoded-credentials.js';
import { findCredential, isPlaceholder, mask } from '../../../src/rules/shared/credentials.js';
import { RuleTester, deployment, pod } from '../../rule-tester.js';
import { service } from '../../builders-network.js';

type Env = Record<string, unknown>;
const withEnv = (env: readonly Env[], name = 'app') => deployment({ name, podSpec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', env }] } });
const configMap = (data: Record<string, string>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data, ...extra });

// Built so that no secret scanner trips over this file; none of these is a live credential.
const ACCESS_KEY = ['AKIA', 'Z7QJ3KXW5LMN2PRT'].join('');
const TEMP_KEY = ['ASIA', 'Q4ZC6VBN7MKL3HJT'].join('');
const SECRET_KEY = ['q8Xv2LrT5nW9yB3kJ7hF1dS4gA6zC0pM', 'e+R/uVoI'].join('');
const PEM = ['-----BEGIN RSA PRIVATE', 'KEY-----\nMIIEowIBAAKCAQEAr1m3Xk9Fv2qWlT8cZsJx0yH4uB7nD6aE5oR2tL1pQ3wVgK0N\n-----END RSA PRIVATE KEY-----'].join(' ');
const b64 = (text: string) => Buffer.from(text).toString('base64');

const SHOWN_NEVER = [ACCESS_KEY.slice(4), TEMP_KEY.slice(4), SECRET_KEY.slice(8), 'hunter2hunter2'.slice(4), 'S3cr3tPassw0rd!'.slice(4), 'MIIEowIBAAKC', 'pgpass-9f8e7d'];

new RuleTester().run(rule, {
  valid: [
    { name: 'valueFrom references to a Secret and a field', manifests: withEnv([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }], 'dont-fire') },
    {
      name: 'placeholders, templates, empty values, paths and flags under credential names',
      manifests: withEnv([
        { name: 'DB_PASSWORD', value: 'changeme' }, { name: 'API_TOKEN', value: '${API_TOKEN}' }, { name: 'SECRET', value: '' },
        { name: 'ADMIN_PASSWORD', value: '<password>' }, { name: 'CLIENT_SECRET', value: '$(CLIENT_SECRET)' }, { name: 'GH_TOKEN', value: '{{ .Values.token }}' },
        { name: 'DATABASE_PASSWORD_FILE', value: '/var/run/secrets/shop-db/password' }, { name: 'TOKEN_TTL', value: '3600' }, { name: 'SECRET_NAME', value: 'shop-db-credentials' },
        { name: 'PASSWORD_ENABLED', value: 'true' }, { name: 'API_KEY', value: 'your-api-key-here' }, { name: 'DB_PASS', value: '********' },
        { name: 'AWS_SECRET_ARN', value: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf' },
        { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' }, { name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
        { name: 'DB_PASSWORD_B64', value: b64('changeme') },
        { name: 'OAUTH_TOKEN_URL', value: 'https://auth.example.com/oauth/token' }, { name: 'DATABASE_URL', value: 'postgres://app:${DB_PASSWORD}@db:5432/shop' },
        { name: 'TOKEN_DESCRIPTION', value: 'the token used by the nightly job' },
      ], 'dont-fire'),
    },
    {
      name: 'a ConfigMap of base64 that decodes to nothing credential-like, a CA bundle and ordinary settings',
      manifests: configMap({
        'logo.b64': b64('a logo would be here, but this is only a long enough sentence'), 'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2\n-----END CERTIFICATE-----',
        'application.properties': 'spring.datasource.url=jdbc:postgresql://db:5432/shop\nspring.datasource.password=${DB_PASSWORD}\nserver.port=8080\n',
        checksum: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      }),
    },
    {
      name: 'names that mention a bearer scheme or an Azure key only to say where or which one it is',
      manifests: configMap({ AUTH_SCHEME: 'Bearer', BEARER_HEADER: 'Authorization', AZURE_KEY_VAULT_NAME: 'shop-vault', AZURE_KEYVAULT_KEY_ID: 'https://shop-vault.vault.azure.net/keys/data', CACHE_KEY: 'session-v2-cache' }),
    },
    { name: 'a Secret is never read for data', manifests: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, stringData: { password: 'S3cr3tPassw0rd!' } } },
    { name: 'kubectl apply\'s copy of the object is not judged twice', manifests: service('web', { ports: [{ port: 80 }] }, { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ metadata: { annotations: { token: 'pgpass-9f8e7d' } } }) }) },
  ],
  invalid: [
    {
      name: 'an AWS key pair in env, and a password',
      manifests: withEnv([{ name: 'AWS_ACCESS_KEY_ID', value: ACCESS_KEY }, { name: 'S3_SK', value: SECRET_KEY }, { name: 'DB_PASSWORD', value: 'S3cr3tPassw0rd!' }]),
      findings: [
        { messageId: 'envCredential', path: '/spec/template/spec/containers/0/env/0/value', severity: 'high', data: { container: 'app', variable: 'AWS_ACCESS_KEY_ID', what: 'an AWS access key id', masked: 'AKIA… (20 characters)' } },
        { messageId: 'envCredential', path: '/spec/template/spec/containers/0/env/1/value', data: { container: 'app', variable: 'S3_SK', what: 'an AWS secret access key', masked: 'q8Xv… (40 characters)' } },
        { messageId: 'envCredential', path: '/spec/template/spec/containers/0/env/2/value', data: { container: 'app', variable: 'DB_PASSWORD', what: 'a literal value for DB_PASSWORD', masked: 'S3c… (15 characters)' } },
      ],
      fixed: null,
    },
    {
      name: 'a password in a database URL, a temporary key in an init container of a Pod',
      manifests: pod({ podSpec: { initContainers: [{ name: 'migrate', image: 'm:1', env: [{ name: 'CREDS', value: `id=${TEMP_KEY}` }] }], containers: [{ name: 'app', image: 'a:1', env: [{ name: 'DATABASE_URL', value: 'postgres://shop:pgpass-9f8e7d@db.internal:5432/shop' }] }] } }),
      findings: [
        { messageId: 'envCredential', path: '/spec/containers/0/env/0/value', data: { container: 'app', variable: 'DATABASE_URL', what: 'a password in a URL', masked: 'postgres://shop:…@db.internal:5432' } },
        { messageId: 'envCredential', path: '/spec/initContainers/0/env/0/value', data: { container: 'migrate', variable: 'CREDS', what: 'an AWS access key id', masked: 'ASIA… (20 characters)' } },
      ],
    },
    {
      name: 'ConfigMap: a private key, a properties file with a password, a base64-encoded key id',
      manifests: configMap({ 'tls.key': PEM, 'application.properties': 'server.port=8080\nspring.datasource.password=hunter2hunter2\n' }, { binaryData: { creds: b64(`aws_access_key_id = ${ACCESS_KEY}\n`) } }),
      findings: [
        { messageId: 'configMapCredential', path: '/binaryData/creds', data: { key: 'creds', what: 'an AWS access key id, base64-encoded', masked: `${b64(`aws_access_key_id = ${ACCESS_KEY}\n`).slice(0, 4)}… (56 characters)` } },
        { messageId: 'configMapCredential', path: '/data/application.properties', data: { key: 'application.properties', what: 'a literal value for spring.datasource.password', masked: 'hun… (14 characters)' } },
        { messageId: 'configMapCredential', path: '/data/tls.key', data: { key: 'tls.key', what: 'a private key (RSA PRIVATE KEY)', masked: '-----BEGIN RSA PRIVATE KEY-----…' } },
      ],
    },
    {
      name: 'a bearer token and Azure keys under the names their tools read',
      manifests: configMap({ API_BEARER: 'eyJhbGciOiJIUzI1NiJ9.c2hvcA.Qm9ndXNTaWduYXR1cmU', AZURE_OPENAI_KEY: 'b3f1c9d27e8a4f60a1d5c7e9f2b4a6d8', AZURE_STORAGE_ACCOUNT_KEY: 'Zm9yIHRlc3RzIG9ubHksIG5vdCBhIHJlYWwgYWNjb3VudCBrZXk=' }),
      findings: [
        { messageId: 'configMapCredential', path: '/data/API_BEARER', data: { key: 'API_BEARER', what: 'a literal value for API_BEARER', masked: 'eyJh… (47 characters)' } },
        { messageId: 'configMapCredential', path: '/data/AZURE_OPENAI_KEY', data: { key: 'AZURE_OPENAI_KEY', what: 'a literal value for AZURE_OPENAI_KEY', masked: 'b3f1… (32 characters)' } },
        { messageId: 'configMapCredential', path: '/data/AZURE_STORAGE_ACCOUNT_KEY', data: { key: 'AZURE_STORAGE_ACCOUNT_KEY', what: 'a literal value for AZURE_STORAGE_ACCOUNT_KEY', masked: 'Zm9y… (52 characters)' } },
      ],
    },
    {
      name: 'an annotation on a Service and on a pod template',
      manifests: [
        service('web', { ports: [{ port: 80 }] }, { 'example.com/api-token': 'tok_9f8e7d6c5b4a3' }),
        deployment({ name: 'worker', podAnnotations: { 'vault.example.com/password': 'hunter2hunter2' } }),
      ],
      findings: [
        { messageId: 'annotationCredential', path: '/spec/template/metadata/annotations/vault.example.com~1password', resource: 'Deployment default/worker', data: { key: 'vault.example.com/password', what: 'a literal value for password', masked: 'hun… (14 characters)' } },
        { messageId: 'annotationCredential', path: '/metadata/annotations/example.com~1api-token', resource: 'Service web/web', data: { key: 'example.com/api-token', what: 'a literal value for api-token', masked: 'tok_… (17 characters)' } },
      ],
    },
  ],
});

describe('credential values are never echoed', () => {
  it('masks to at most four characters and a quarter of the value', () => {
    expect(mask('abcdefgh')).toBe('ab… (8 characters)');
    expect(mask(SECRET_KEY)).toBe('q8Xv… (40 characters)');
    for (const value of SHOWN_NEVER) expect(JSON.stringify(findCredential(value, { name: 'password', awsKeyNearby: false }) ?? {})).not.toContain(value.slice(4));
  });

  it('finds a private key by its body, not by its markers: placeholders between them are not keys', () => {
    const pemOf = (body: string) => ['-----BEGIN RSA PRIVATE', `KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`].join(' ');
    const file = { name: 'tls.key', awsKeyNearby: false };
    for (const body of ['xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'REDACTED REDACTED REDACTED REDACTED REDACTED REDACTED', '...', '<your key here>']) {
      expect(findCredential(pemOf(body), file)?.kind, body).not.toBe('private-key');
    }
    expect(findCredential(PEM, file)?.kind).toBe('private-key');
    // A placeholder first does not hide a real key after it, and a key written on one line with \\n escapes is a key.
    expect(findCredential(`${pemOf('xxxx')}\n${PEM}`, file)?.kind).toBe('private-key');
    expect(findCredential(PEM.replace(/\n/g, '\\n'), file)?.kind).toBe('private-key');
  });

  it('knows placeholders', () => {
    for (const p of ['changeme', 'CHANGE_ME', '${VAR}', '', '<password>', 'xxxxxxxx', 'your-token', 'example-secret', '{{ .Values.pw }}']) expect(isPlaceholder(p), p).toBe(true);
    for (const p of ['S3cr3tPassw0rd!', 'tok_9f8e7d6c5b4a3']) expect(isPlaceholder(p), p).toBe(false);
  });
});
