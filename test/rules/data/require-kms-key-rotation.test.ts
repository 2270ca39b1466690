import rule from '../../../src/rules/data/require-kms-key-rotation.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/demo-key';

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
      findings: [{ messageId: 'rotationOff', path: '/encryptionConfig/0/provider/keyArn', data: { cluster: 'demo', key: KEY } }],
    },
  ],
  notEvaluated: [{ name: 'no rotation status for the cluster\'s key', aws: describeCluster(), reason: `no aws kms get-key-rotation-status output for ${KEY}` }],
});
