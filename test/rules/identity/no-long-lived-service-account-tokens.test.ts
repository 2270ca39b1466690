import { expect, it } from 'vitest';
import rule from '../../../src/rules/identity/no-long-lived-service-account-tokens.js';
import { RuleTester, runRule, serviceAccount } from '../../rule-tester.js';

const TOKEN = 'ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNkluUmxjM1FpZlEuc2VjcmV0';

function secret(name: string, extra: Record<string, unknown>, annotations?: Record<string, string>, labels?: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'ci', ...(annotations ? { annotations } : {}), ...(labels ? { labels } : {}) }, ...extra };
}

const tokenSecret = (name: string, sa?: string, labels?: Record<string, string>) =>
  secret(name, { type: 'kubernetes.io/service-account-token', data: { token: TOKEN, 'ca.crt': 'Y2E=', namespace: 'Y2k=' } }, sa ? { 'kubernetes.io/service-account.name': sa } : undefined, labels);

new RuleTester().run(rule, {
  valid: [
    { name: 'Opaque Secret', manifests: secret('dont-fire', { type: 'Opaque', stringData: { password: 'x' } }) },
    { name: 'Secret without a type', manifests: secret('dont-fire', { data: { key: 'dmFsdWU=' } }) },
    { name: 'dockerconfigjson Secret', manifests: secret('dont-fire', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': 'e30=' } }) },
    { name: 'a CRD that happens to be called Secret', manifests: { apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 'dont-fire' }, type: 'kubernetes.io/service-account-token' } },
    { name: 'a ServiceAccount alone', manifests: serviceAccount('app') },
  ],
  invalid: [
    {
      name: 'token Secret for a ServiceAccount',
      manifests: [serviceAccount('ci-deployer', 'ci'), tokenSecret('ci-deployer-token', 'ci-deployer')],
      findings: [{ messageId: 'longLivedToken', path: '/type', data: { secret: 'ci-deployer-token', serviceAccount: 'ci-deployer' }, resource: 'Secret ci/ci-deployer-token', severity: 'high' }],
      fixed: null,
    },
    {
      name: 'token Secret without the ServiceAccount annotation',
      manifests: tokenSecret('orphan'),
      findings: [{ messageId: 'unnamedServiceAccount', path: '/type', data: { secret: 'orphan' } }],
    },
    {
      name: 'token already invalidated by the legacy token cleaner',
      manifests: tokenSecret('old-token', 'builder', { 'kubernetes.io/legacy-token-invalid-since': '2024-05-01' }),
      findings: [{ messageId: 'invalidatedToken', path: '/type', data: { secret: 'old-token', serviceAccount: 'builder' }, severity: 'low' }],
    },
    {
      name: 'odd input: annotations of the wrong type',
      manifests: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'weird', annotations: { 'kubernetes.io/service-account.name': 7 } }, type: 'kubernetes.io/service-account-token' },
      findings: [{ messageId: 'unnamedServiceAccount', path: '/type', data: { secret: 'weird' } }],
    },
  ],
});

it('never puts the token in a finding', () => {
  const findings = runRule(rule, [tokenSecret('ci-deployer-token', 'ci-deployer'), tokenSecret('orphan')]);
  expect(findings).toHaveLength(2);
  expect(JSON.stringify(findings)).not.toContain(TOKEN);
});
