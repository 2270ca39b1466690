import rule from '../../../src/rules/data/require-efs-encryption-at-rest.js';
import { ACCOUNT, HARDENED_DUMP, REGION, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const fs = (id: string, encrypted: boolean) => ({ FileSystemId: id, FileSystemArn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${id}`, Encrypted: encrypted, LifeCycleState: 'available' });
const fileSystems = (...list: Record<string, unknown>[]) => ({ FileSystems: list });
const accessPoints = (...list: [string, string][]) => ({ AccessPoints: list.map(([AccessPointId, FileSystemId]) => ({ AccessPointId, FileSystemId, PosixUser: { Uid: 1000, Gid: 1000 } })) });
const pv = (name: string, handle: string) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteMany'], csi: { driver: 'efs.csi.aws.com', volumeHandle: handle } } });
const storageClass = (name: string, fileSystemId: string) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'efs.csi.aws.com', parameters: { provisioningMode: 'efs-ap', fileSystemId, directoryPerms: '700' } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: an encrypted file system', aws: HARDENED_DUMP },
    { name: 'an unencrypted file system the cluster does not use', aws: [describeCluster(), fileSystems(fs('fs-0aaa', true), fs('fs-0bbb', false)), accessPoints(['fsap-0aaa', 'fs-0aaa'])], manifests: pv('shared', 'fs-0aaa::fsap-0aaa') },
    { name: 'a StorageClass on an encrypted file system', aws: [describeCluster(), fileSystems(fs('fs-0aaa', true), fs('fs-0bbb', false)), accessPoints()], manifests: storageClass('efs', 'fs-0aaa') },
    { name: 'an access point with a sub-path in the handle', manifests: pv('shared', 'fs-0aaa:/data:fsap-0aaa') },
    { name: 'a file system of another account, through its access point', aws: [describeCluster(), fileSystems(), accessPoints()], manifests: pv('shared', 'fs-0ccc::fsap-0ccc') },
  ],
  invalid: [
    {
      name: 'the weak dump: an unencrypted file system (no Kubernetes input: every file system is judged)',
      aws: WEAK_DUMP,
      findings: [{ messageId: 'notEncrypted', path: '/Encrypted', resource: 'file-system arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-0weak0000000001', data: { fileSystem: 'fs-0weak0000000001' } }],
    },
    {
      name: 'a StorageClass on an unencrypted file system',
      aws: [describeCluster(), fileSystems(fs('fs-0aaa', true), fs('fs-0bbb', false)), accessPoints()],
      manifests: storageClass('efs', 'fs-0bbb'),
      findings: [{ messageId: 'notEncrypted', path: '/Encrypted', data: { fileSystem: 'fs-0bbb' } }],
    },
    {
      name: 'a PersistentVolume on the file system root, no access point (manifests only)',
      manifests: pv('shared', 'fs-0aaa'),
      findings: [{ messageId: 'noAccessPoint', path: '/spec/csi/volumeHandle', resource: 'PersistentVolume shared', data: { name: 'shared', fileSystem: 'fs-0aaa', handle: 'fs-0aaa' } }],
    },
    {
      name: 'an access point the file system does not have',
      aws: [describeCluster(), fileSystems(fs('fs-0aaa', true)), accessPoints(['fsap-0aaa', 'fs-0aaa'])],
      manifests: pv('shared', 'fs-0aaa::fsap-0zzz'),
      findings: [{ messageId: 'unknownAccessPoint', path: '/spec/csi/volumeHandle', data: { name: 'shared', accessPoint: 'fsap-0zzz', fileSystem: 'fs-0aaa' } }],
    },
  ],
  notEvaluated: [
    { name: 'a dump without describe-file-systems output', aws: describeCluster(), reason: 'no aws efs describe-file-systems output' },
  ],
});
