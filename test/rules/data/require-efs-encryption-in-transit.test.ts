import rule from '../../../src/rules/data/require-efs-encryption-in-transit.js';
import { RuleTester, deployment, pod } from '../../rule-tester.js';

type Json = Record<string, unknown>;

function efsVolume(name: string, extra: { attributes?: Json; mountOptions?: unknown; driver?: string } = {}): Json {
  return {
    apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name },
    spec: {
      capacity: { storage: '5Gi' }, accessModes: ['ReadWriteMany'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'efs-sc',
      ...(extra.mountOptions !== undefined ? { mountOptions: extra.mountOptions } : {}),
      csi: { driver: extra.driver ?? 'efs.csi.aws.com', volumeHandle: 'fs-0123456789abcdef0::fsap-0123456789abcdef0', ...(extra.attributes ? { volumeAttributes: extra.attributes } : {}) },
    },
  };
}

const nfsVolume = (name: string, server: string): Json => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name },
  spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteMany'], nfs: { server, path: '/' } },
});

new RuleTester().run(rule, {
  valid: [
    { name: 'EFS CSI volume with the driver default (TLS)', manifests: efsVolume('dont-fire') },
    { name: 'encryptInTransit "true"', manifests: efsVolume('dont-fire', { attributes: { encryptInTransit: 'true' } }) },
    { name: 'tls mount option wins over encryptInTransit "false"', manifests: efsVolume('dont-fire', { attributes: { encryptInTransit: 'false' }, mountOptions: ['tls', 'iam'] }) },
    { name: 'an unparsable encryptInTransit fails the mount instead', manifests: efsVolume('dont-fire', { attributes: { encryptInTransit: 'no' } }) },
    { name: 'an EBS CSI volume', manifests: efsVolume('dont-fire', { driver: 'ebs.csi.aws.com', attributes: { encryptInTransit: 'false' } }) },
    { name: 'plain NFS to a non-EFS server', manifests: [nfsVolume('dont-fire', 'nfs.internal.example.com'), pod({ name: 'dont-fire', podSpec: { volumes: [{ name: 'data', nfs: { server: '10.0.0.12', path: '/' } }] } })] },
    { name: 'a pod mounting an EFS claim', manifests: deployment({ name: 'dont-fire', podSpec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'efs-claim' } }] } }) },
    { name: 'odd input: spec and volumes of the wrong type', manifests: [{ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'odd' }, spec: 'efs' }, pod({ name: 'dont-fire', podSpec: { volumes: 'nfs' } })] },
  ],
  invalid: [
    {
      name: 'encryptInTransit "false" without tls',
      manifests: efsVolume('shared', { attributes: { encryptInTransit: 'false' } }),
      findings: [{
        messageId: 'tlsDisabled', path: '/spec/csi/volumeAttributes/encryptInTransit', resource: 'PersistentVolume shared', severity: 'low',
        data: { name: 'shared', key: 'encryptInTransit', value: 'false', volume: 'fs-0123456789abcdef0::fsap-0123456789abcdef0' },
        suggestions: [{ messageId: 'addTls', output: efsVolume('shared', { attributes: { encryptInTransit: 'false' }, mountOptions: ['tls'] }) }],
      }],
      fixed: null,
    },
    {
      name: 'ParseBool spelling and key case, with other mount options',
      manifests: efsVolume('shared', { attributes: { EncryptInTransit: 'False' }, mountOptions: ['iam'] }),
      findings: [{
        messageId: 'tlsDisabled', path: '/spec/csi/volumeAttributes/EncryptInTransit', data: { name: 'shared', key: 'EncryptInTransit', value: 'False', volume: 'fs-0123456789abcdef0::fsap-0123456789abcdef0' },
        suggestions: [{ messageId: 'addTls', output: efsVolume('shared', { attributes: { EncryptInTransit: 'False' }, mountOptions: ['iam', 'tls'] }) }],
      }],
    },
    {
      name: 'EFS mounted as a plain NFS PersistentVolume',
      manifests: nfsVolume('legacy', 'fs-0123456789abcdef0.efs.us-east-1.amazonaws.com'),
      findings: [{ messageId: 'plainNfs', path: '/spec/nfs/server', data: { what: 'PersistentVolume "legacy"', server: 'fs-0123456789abcdef0.efs.us-east-1.amazonaws.com' } }],
    },
    {
      name: 'EFS mounted as an inline NFS volume, by its zonal name',
      manifests: deployment({ podSpec: { volumes: [{ name: 'cache', emptyDir: {} }, { name: 'data', nfs: { server: 'us-east-1a.fs-0123456789abcdef0.efs.us-east-1.amazonaws.com', path: '/' } }] } }),
      findings: [{ messageId: 'plainNfs', path: '/spec/template/spec/volumes/1/nfs/server', data: { what: 'Volume "data" of the pod spec', server: 'us-east-1a.fs-0123456789abcdef0.efs.us-east-1.amazonaws.com' } }],
    },
  ],
});
