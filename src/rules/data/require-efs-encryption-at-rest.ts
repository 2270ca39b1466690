import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { allOf, needsAwsCalls } from '../shared/aws.js';
import { efsFileSystemsInUse, efsVolumeOf } from '../shared/persistent-volumes.js';

export type MessageId = 'notEncrypted' | 'noAccessPoint' | 'unknownAccessPoint';

export default defineRule({
  id: 'require-efs-encryption-at-rest',
  meta: {
    area: 'data',
    severity: 'medium',
    docs: { description: 'Require the EFS file systems the cluster uses to be encrypted at rest, and mounted through access points', controls: ['eks-bp:data-encryption'] },
    evidence: ['aws', 'manifests', 'cluster'],
    reads: ['PersistentVolume', 'StorageClass'],
    messages: {
      notEncrypted: 'EFS file system {{fileSystem}} is not encrypted at rest: its files and their backups are stored in clear.',
      noAccessPoint: 'PersistentVolume "{{name}}" mounts EFS file system {{fileSystem}} without an access point (volumeHandle "{{handle}}"): pods see the whole file system as whatever user they run as, instead of one directory as one enforced user.',
      unknownAccessPoint: 'PersistentVolume "{{name}}" mounts access point {{accessPoint}}, which is not an access point of file system {{fileSystem}} in the evidence.',
    },
    rationale: 'EFS encryption at rest can only be chosen when a file system is created; an unencrypted one holds every pod\'s files in clear on AWS\'s storage and in its backups. The guide also recommends EFS access points for data shared between workloads: an access point pins the directory a volume sees and the POSIX user its clients act as, so one workload cannot read or overwrite another\'s files.',
    remediation: 'Create an encrypted file system (aws efs create-file-system --encrypted, optionally with a customer managed KMS key), copy the data (AWS DataSync), and point the PersistentVolumes and StorageClasses at it. Mount through an access point: volumeHandle fs-ID::fsap-ID on static PersistentVolumes, provisioningMode: efs-ap on StorageClasses.',
  },
  defaultOptions: {},
  notEvaluated: (inventory) => (inventory.aws === undefined ? undefined : allOf(needsAwsCalls('efs:DescribeFileSystems'), needsAwsCalls('efs:DescribeAccessPoints'))(inventory)),
  create: () => ({
    *'aws:efs:file-system'(target, inventory): Generator<Report<MessageId>> {
      const inUse = efsFileSystemsInUse(inventory);
      // With no EFS volume in the Kubernetes input, every file system of the evidence is judged.
      if (inUse !== undefined && !inUse.has(target.data.FileSystemId ?? '')) return;
      if (target.data.Encrypted === true) return;
      yield { messageId: 'notEncrypted', path: ['Encrypted'], data: { fileSystem: target.data.FileSystemId ?? target.ref.name ?? '' } };
    },
    *PersistentVolume(pv, inventory): Generator<Report<MessageId>> {
      const handle = efsVolumeOf(pv);
      if (handle === undefined) return;
      const raw = String((pv.object.spec as { csi: { volumeHandle: string } }).csi.volumeHandle);
      if (handle.accessPointId === undefined) {
        yield { messageId: 'noAccessPoint', path: handle.path, data: { name: pv.ref.name, fileSystem: handle.fileSystemId, handle: raw } };
        return;
      }
      const aws = inventory.aws;
      if (aws === undefined || !aws.collected('efs:DescribeAccessPoints')) return;
      const known = aws.evidence.efs.accessPoints.some((a) => a.data.AccessPointId === handle.accessPointId && a.data.FileSystemId === handle.fileSystemId);
      // Only access points of file systems the evidence holds: another account's or region's are not listed.
      const ownFileSystem = aws.evidence.efs.fileSystems.some((f) => f.data.FileSystemId === handle.fileSystemId);
      if (known || !ownFileSystem) return;
      yield { messageId: 'unknownAccessPoint', path: handle.path, data: { name: pv.ref.name, accessPoint: handle.accessPointId, fileSystem: handle.fileSystemId } };
    },
  }),
});
