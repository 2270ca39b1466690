import type { AwsInventory } from '../../core/aws/aws-inventory.js';
import type { EksCluster } from '../../core/aws/model.js';
import { regionOfArn } from '../../core/aws/targets.js';
import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { defineRule } from '../define-rule.js';
import { allOf, clusterName, needsAwsCalls } from '../shared/aws.js';
import { ebsVolumeOf } from '../shared/persistent-volumes.js';

export type MessageId = 'defaultOff' | 'unencryptedDevice' | 'unencryptedVolume';

/**
 * Whether EBS encrypts new volumes by default in a region: true/false from the evidence, undefined
 * when it holds no answer for that region (an answer that names no region counts for the only one read).
 */
function encryptedByDefault(aws: AwsInventory, region: string | undefined): boolean | undefined {
  const answers = aws.evidence.ebs.encryptionByDefault.map((e) => e.data);
  const answer = answers.find((a) => a.Region !== undefined && a.Region === region) ?? (answers.length === 1 && answers[0]?.Region === undefined ? answers[0] : undefined);
  return answer?.EbsEncryptionByDefault;
}

function regionOf(cluster: EksCluster | undefined, aws: AwsInventory): string | undefined {
  return regionOfArn(cluster?.arn) ?? aws.region;
}

/** EBS-backed PersistentVolumes make the volume listing necessary. */
function needsVolumes(inventory: Inventory): string | undefined {
  return inventory.ofKind('PersistentVolume').some((pv) => ebsVolumeOf(pv) !== undefined) ? needsAwsCalls('ec2:DescribeVolumes')(inventory) : undefined;
}

export default defineRule({
  id: 'require-ebs-encryption',
  meta: {
    area: 'data',
    severity: 'medium',
    docs: { description: 'Require EBS encryption: by default in the cluster\'s region, on launch-template block devices, and on the volumes behind PersistentVolumes', controls: ['eks-bp:data-encryption'] },
    evidence: ['aws'],
    reads: ['PersistentVolume'],
    messages: {
      defaultOff: 'EBS encryption by default is off in {{region}}, where cluster {{cluster}} runs: node root volumes and PersistentVolumes whose StorageClass or launch template does not ask for encryption are created unencrypted.',
      unencryptedDevice: 'Launch template {{template}} gives its nodes block device {{device}} without Encrypted: true, and EBS encryption by default is off: the nodes\' {{device}} volumes are unencrypted.',
      unencryptedVolume: 'PersistentVolume "{{name}}" is backed by EBS volume {{volume}}, which is not encrypted: its data is readable from the volume and its snapshots by anyone with EC2 access to them.',
    },
    rationale: 'Node volumes hold container images, logs, emptyDir data and sometimes copies of Secrets; PersistentVolumes hold the application\'s data. An unencrypted EBS volume and its snapshots are readable by whoever gets EC2 access to them, and a volume cannot be encrypted in place. The guide says to encrypt data at rest; turning on EBS encryption by default in each region makes it the rule instead of a setting to remember.',
    remediation: 'Turn on EBS encryption by default in the region (aws ec2 enable-ebs-encryption-by-default, optionally with a customer managed KMS key: aws ec2 modify-ebs-default-kms-key-id). Set Encrypted: true on every EBS block device of the node launch templates. Move PersistentVolumes off unencrypted volumes: snapshot, copy the snapshot encrypted, and restore into a new volume (or a VolumeSnapshot restored through an encrypted StorageClass).',
  },
  defaultOptions: {},
  notEvaluated: allOf(needsAwsCalls('ec2:GetEbsEncryptionByDefault'), needsVolumes),
  create: () => ({
    *'aws:eks:cluster'(target, inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      if (aws === undefined) return;
      const region = regionOf(target.data, aws);
      if (encryptedByDefault(aws, region) !== false) return;
      yield { messageId: 'defaultOff', path: [], data: { cluster: clusterName(target.data), region: region ?? '(the region read)' } };
    },
    *'aws:ec2:launch-template-version'(target, inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      if (aws === undefined || !aws.launchTemplateVersionInUse(target.data)) return;
      // Encryption by default encrypts every new volume whatever the template says.
      if (encryptedByDefault(aws, target.ref.region ?? aws.region) !== false) return;
      for (const [index, mapping] of (target.data.LaunchTemplateData?.BlockDeviceMappings ?? []).entries()) {
        if (mapping.Ebs === undefined || mapping.Ebs.Encrypted === true) continue;
        yield {
          messageId: 'unencryptedDevice',
          path: ['LaunchTemplateData', 'BlockDeviceMappings', index, 'Ebs', 'Encrypted'],
          data: { template: target.ref.name ?? target.ref.id ?? '', device: mapping.DeviceName ?? String(index) },
        };
      }
    },
    *PersistentVolume(pv, inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      const backing = ebsVolumeOf(pv);
      if (aws === undefined || backing === undefined) return;
      // A volume the evidence does not hold (another region or account, not tagged for a PersistentVolume) is not judged.
      const volume = aws.evidence.ebs.volumes.find((v) => v.data.VolumeId === backing.volumeId)?.data;
      if (volume?.Encrypted !== false) return;
      yield { messageId: 'unencryptedVolume', path: backing.path, data: { name: pv.ref.name, volume: backing.volumeId } };
    },
  }),
});
