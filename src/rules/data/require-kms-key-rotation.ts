import { listOf } from '../../core/aws/aws-inventory.js';
import type { KmsKeyRotation } from '../../core/aws/model.js';
import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { defineRule } from '../define-rule.js';

export type MessageId = 'rotationOff';

/** `arn:aws:kms:r:a:key/ID` and `ID` both name the key; rotation output gives one or the other. */
function keyIdOf(arnOrId: string): string {
  return arnOrId.slice(arnOrId.lastIndexOf('/') + 1);
}

function rotationOf(inventory: Inventory, keyArn: string): KmsKeyRotation | undefined {
  return inventory.aws?.evidence.kms.rotation.map((r) => r.data).find((r) => typeof r.KeyId === 'string' && keyIdOf(r.KeyId) === keyIdOf(keyArn));
}

/** Keys the clusters use for envelope encryption, with AWS-managed keys (which AWS rotates) left out. */
function customerKeys(inventory: Inventory): string[] {
  const aws = inventory.aws;
  if (aws === undefined) return [];
  const awsManaged = new Set(aws.evidence.kms.keys.map((k) => k.data).filter((k) => k.KeyManager === 'AWS').flatMap((k) => [k.Arn ?? '', k.KeyId ?? '']));
  // Dumps are hand-carried files: a key that is not a string is not a key.
  return aws.clusters.flatMap((c) => listOf(c.encryptionConfig).map((e) => e.provider?.keyArn))
    .filter((k): k is string => typeof k === 'string' && !awsManaged.has(k) && !awsManaged.has(keyIdOf(k)));
}

export default defineRule({
  id: 'require-kms-key-rotation',
  meta: {
    area: 'data',
    severity: 'low',
    docs: { description: 'Require automatic rotation of the customer KMS keys the cluster uses', controls: ['eks-bp:data-encryption'] },
    evidence: ['aws'],
    messages: {
      rotationOff: 'KMS key {{key}}, which cluster {{cluster}} encrypts Secrets with, has automatic rotation off.',
    },
    rationale: 'Rotating a KMS key regularly limits how much data one key version protects and how long a leaked version stays useful. AWS rotates customer-managed keys automatically (yearly by default) once rotation is on, with nothing to re-encrypt by hand.',
    remediation: 'Turn on automatic rotation for the key: aws kms enable-key-rotation --key-id KEY_ID (optionally --rotation-period-in-days).',
  },
  defaultOptions: {},
  notEvaluated(inventory) {
    const missing = customerKeys(inventory).filter((key) => rotationOf(inventory, key) === undefined);
    return missing.length === 0 ? undefined : `the AWS evidence holds no aws kms get-key-rotation-status output for ${missing.join(', ')}`;
  },
  create: () => ({
    // The finding is the key's: it names the key, so an exclusion by the key's ARN or id fits it.
    *'aws:kms:key'(target, inventory): Generator<Report<MessageId>> {
      const key = target.data.KeyArn;
      if (!customerKeys(inventory).includes(key)) return;
      if (rotationOf(inventory, key)?.KeyRotationEnabled === false) {
        yield { messageId: 'rotationOff', path: ['KeyArn'], data: { cluster: target.data.clusters.join(', '), key } };
      }
    },
  }),
});
