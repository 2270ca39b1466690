import rule from '../../../src/rules/data/require-kms-key-rotation.js';
import { ACCOUNT, HARDENED_DUMP, REGION, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/demo-key`;

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: rotation on', aws: HARDENED_DUMP },
    { name: 'the weak dump: no customer key to rotate', aws: WEAK_DUMP },
    { name: 'an AWS-managed key', aws: [describeCluster(), { KeyMetadata: { KeyId: 'demo-key', Arn: KEY, KeyManager: 'AWS' } }] },
  ],
  invalid: [
    {
      name: 'rotation off, reported by key id',
      aws: [describeCluster(), { KeyRotationEnabled: false, KeyId: 'demo-key' }],
      findings: [{ messageId: 'rotationOff', path: '/KeyArn', resource: `key ${KEY}`, data: { cluster: 'demo', key: KEY } }],
    },
    {
      name: 'two clusters on one key: one finding, on the key, naming both',
      aws: [
        { cluster: { name: 'a', arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/a`, encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: KEY } }] } },
        { cluster: { name: 'b', arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/b`, encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: KEY } }] } },
        { KeyRotationEnabled: false, KeyId: KEY },
      ],
      findings: [{ messageId: 'rotationOff', path: '/KeyArn', resource: `key ${KEY}`, data: { cluster: 'a, b', key: KEY } }],
    },
  ],
  notEvaluated: [{ name: 'no rotation status for the cluster\'s key', aws: describeCluster(), reason: `no aws kms get-key-rotation-status output for ${KEY}` }],
});
