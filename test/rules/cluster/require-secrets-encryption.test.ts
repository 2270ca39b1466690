import rule from '../../../src/rules/cluster/require-secrets-encryption.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: secrets under a customer key', aws: HARDENED_DUMP },
    { name: 'encryption config for secrets', aws: describeCluster() },
  ],
  invalid: [
    { name: 'the weak dump: no encryption config', aws: WEAK_DUMP, findings: [{ messageId: 'noEnvelopeEncryption', path: '/encryptionConfig', data: { cluster: 'shop-weak' } }] },
    {
      name: 'an encryption config without a key',
      aws: describeCluster({ encryptionConfig: [{ resources: ['secrets'], provider: {} }] }),
      findings: [{ messageId: 'noEnvelopeEncryption', path: '/encryptionConfig', data: { cluster: 'demo' } }],
    },
  ],
});
