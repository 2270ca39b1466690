import rule from '../../../src/rules/data/require-encrypted-storage-classes.js';
import { RuleTester } from '../../rule-tester.js';

type Json = Record<string, unknown>;

function storageClass(name: string, provisioner: unknown, parameters?: unknown, apiVersion = 'storage.k8s.io/v1'): Json {
  return { apiVersion, kind: 'StorageClass', metadata: { name }, provisioner, ...(parameters !== undefined ? { parameters } : {}), reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' };
}

/** The gp2 StorageClass EKS creates in new clusters (the default class before Kubernetes 1.30). */
const EKS_GP2: Json = {
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
  metadata: { name: 'gp2', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'kubernetes.io/aws-ebs', parameters: { fsType: 'ext4', type: 'gp2' }, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
};

new RuleTester().run(rule, {
  valid: [
    { name: 'EBS CSI class with encrypted "true"', manifests: storageClass('gp3', 'ebs.csi.aws.com', { type: 'gp3', encrypted: 'true' }) },
    { name: 'encrypted with a customer KMS key', manifests: storageClass('gp3-kms', 'ebs.csi.aws.com', { type: 'gp3', encrypted: 'true', kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/abcd' }) },
    { name: 'in-tree class with encrypted "true"', manifests: storageClass('gp2-enc', 'kubernetes.io/aws-ebs', { type: 'gp2', encrypted: 'true' }) },
    { name: 'Auto Mode class with encrypted "true"', manifests: storageClass('auto', 'ebs.csi.eks.amazonaws.com', { type: 'gp3', encrypted: 'true' }) },
    { name: 'the key in another case (the drivers lower-case parameter keys)', manifests: storageClass('a', 'ebs.csi.aws.com', { Encrypted: 'true' }) },
    { name: 'an unquoted YAML boolean true', manifests: storageClass('yaml-bool', 'ebs.csi.aws.com', { encrypted: true }) },
    { name: 'EFS and FSx classes are not EBS', manifests: [storageClass('efs', 'efs.csi.aws.com', { provisioningMode: 'efs-ap', fileSystemId: 'fs-1' }), storageClass('fsx', 'fsx.csi.aws.com', { subnetId: 'subnet-1' })] },
    { name: 'a CRD that happens to be called StorageClass', manifests: storageClass('crd', 'ebs.csi.aws.com', {}, 'example.com/v1') },
    { name: 'odd input: provisioner of the wrong type', manifests: storageClass('odd', ['ebs.csi.aws.com']) },
  ],
  invalid: [
    {
      name: 'EBS CSI class without encrypted',
      manifests: storageClass('gp3', 'ebs.csi.aws.com', { type: 'gp3' }),
      findings: [{
        messageId: 'missingEncrypted', path: '/parameters/encrypted', data: { name: 'gp3', provisioner: 'ebs.csi.aws.com' }, resource: 'StorageClass gp3', severity: 'medium',
        suggestions: [{ messageId: 'setEncrypted', output: storageClass('gp3', 'ebs.csi.aws.com', { type: 'gp3', encrypted: 'true' }) }],
      }],
      fixed: null,
    },
    {
      name: 'the gp2 class EKS creates',
      manifests: EKS_GP2,
      findings: [{ messageId: 'missingEncrypted', path: '/parameters/encrypted', data: { name: 'gp2', provisioner: 'kubernetes.io/aws-ebs' }, suggestions: [{ messageId: 'setEncrypted' }] }],
    },
    {
      name: 'no parameters at all',
      manifests: storageClass('bare', 'ebs.csi.eks.amazonaws.com'),
      findings: [{ messageId: 'missingEncrypted', path: '/parameters/encrypted', suggestions: [{ messageId: 'setEncrypted', output: storageClass('bare', 'ebs.csi.eks.amazonaws.com', { encrypted: 'true' }) }] }],
    },
    {
      name: 'encrypted "false", and a KMS key without encryption',
      manifests: [storageClass('off', 'ebs.csi.aws.com', { encrypted: 'false' }), storageClass('kms-only', 'ebs.csi.aws.com', { kmsKeyId: 'alias/ebs' })],
      findings: [
        { messageId: 'notEncrypted', path: '/parameters/encrypted', data: { name: 'off', provisioner: 'ebs.csi.aws.com', key: 'encrypted', value: 'false' }, resource: 'StorageClass off', suggestions: [{ messageId: 'setEncrypted' }] },
        { messageId: 'missingEncrypted', path: '/parameters/encrypted', resource: 'StorageClass kms-only', suggestions: [{ messageId: 'setEncrypted' }] },
      ],
    },
    {
      // The EBS CSI driver (which also provisions in-tree kubernetes.io/aws-ebs classes through CSI
      // migration) encrypts only on the exact string "true": "True" and "1" provision plain volumes.
      name: 'true spelt as Go ParseBool would accept it, but not the exact "true"',
      manifests: [storageClass('title-case', 'ebs.csi.aws.com', { encrypted: 'True' }), storageClass('one', 'kubernetes.io/aws-ebs', { Encrypted: '1' }), storageClass('upper', 'ebs.csi.eks.amazonaws.com', { encrypted: 'TRUE' })],
      findings: [
        { messageId: 'notEncrypted', path: '/parameters/encrypted', data: { name: 'title-case', provisioner: 'ebs.csi.aws.com', key: 'encrypted', value: 'True' }, suggestions: [{ messageId: 'setEncrypted', output: storageClass('title-case', 'ebs.csi.aws.com', { encrypted: 'true' }) }] },
        { messageId: 'notEncrypted', path: '/parameters/Encrypted', data: { name: 'one', provisioner: 'kubernetes.io/aws-ebs', key: 'Encrypted', value: '1' }, suggestions: [{ messageId: 'setEncrypted' }] },
        { messageId: 'notEncrypted', path: '/parameters/encrypted', data: { name: 'upper', provisioner: 'ebs.csi.eks.amazonaws.com', key: 'encrypted', value: 'TRUE' }, suggestions: [{ messageId: 'setEncrypted' }] },
      ],
    },
    {
      name: 'a value that is not a boolean at all, under a differently-cased key',
      manifests: storageClass('yes', 'ebs.csi.aws.com', { Encrypted: 'yes' }),
      findings: [{
        messageId: 'notEncrypted', path: '/parameters/Encrypted', data: { name: 'yes', provisioner: 'ebs.csi.aws.com', key: 'Encrypted', value: 'yes' },
        suggestions: [{ messageId: 'setEncrypted', output: storageClass('yes', 'ebs.csi.aws.com', { encrypted: 'true' }) }],
      }],
    },
  ],
});
