import rule from '../../../src/rules/data/require-ebs-encryption.js';
import { HARDENED_DUMP, REGION, WEAK_DUMP, describeCluster, describeNodegroup, launchTemplateVersions } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const byDefault = (on: boolean) => ({ EbsEncryptionByDefault: on, Region: REGION });
const volumes = (...list: [string, boolean][]) => ({ Volumes: list.map(([VolumeId, Encrypted]) => ({ VolumeId, Encrypted, State: 'in-use', Tags: [{ Key: 'CSIVolumeName', Value: 'pvc-1' }] })) });
const csiPv = (name: string, handle: string) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], csi: { driver: 'ebs.csi.aws.com', volumeHandle: handle } } });
const inTreePv = (name: string, id: string) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], awsElasticBlockStore: { volumeID: id } } });
const template = (encrypted: boolean | undefined) => launchTemplateVersions([{ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, ...(encrypted === undefined ? {} : { Encrypted: encrypted }) } }] }]);
const usingTemplate = describeNodegroup('general', { launchTemplate: { id: 'lt-0demo', version: '1' } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: on by default, encrypted devices and volumes', aws: HARDENED_DUMP },
    { name: 'a template without Encrypted in a region that encrypts by default', aws: [describeCluster(), byDefault(true), usingTemplate, template(undefined)] },
    { name: 'an encrypted PersistentVolume volume', aws: [describeCluster(), byDefault(true), volumes(['vol-0aaa', true])], manifests: csiPv('data', 'vol-0aaa') },
    { name: 'a PersistentVolume whose volume the evidence does not hold', aws: [describeCluster(), byDefault(true), volumes()], manifests: csiPv('data', 'vol-0bbb') },
  ],
  invalid: [
    {
      name: 'the weak dump: off by default, an unencrypted root device',
      aws: WEAK_DUMP,
      findings: [
        { messageId: 'defaultOff', path: '', resource: 'cluster arn:aws:eks:eu-west-1:111122223333:cluster/shop-weak', data: { cluster: 'shop-weak', region: 'eu-west-1' } },
        { messageId: 'unencryptedDevice', path: '/LaunchTemplateData/BlockDeviceMappings/0/Ebs/Encrypted', data: { template: 'shop-weak-apps version 2', device: '/dev/xvda' } },
      ],
    },
    {
      name: 'an explicitly unencrypted device, off by default',
      aws: [describeCluster(), byDefault(false), usingTemplate, template(false)],
      findings: [
        { messageId: 'defaultOff', path: '', data: { cluster: 'demo', region: REGION } },
        { messageId: 'unencryptedDevice', path: '/LaunchTemplateData/BlockDeviceMappings/0/Ebs/Encrypted', resource: `launch-template-version arn:aws:ec2:${REGION}:111122223333:launch-template/lt-0demo`, data: { template: 'demo-nodes version 1', device: '/dev/xvda' } },
      ],
    },
    {
      name: 'unencrypted volumes behind a CSI and an in-tree PersistentVolume',
      aws: [describeCluster(), byDefault(true), volumes(['vol-0aaa', false], ['vol-0ccc', false], ['vol-0ddd', false])],
      manifests: [csiPv('data', 'vol-0aaa'), inTreePv('legacy', `aws://${REGION}a/vol-0ccc`)],
      findings: [
        { messageId: 'unencryptedVolume', path: '/spec/awsElasticBlockStore/volumeID', resource: 'PersistentVolume legacy', data: { name: 'legacy', volume: 'vol-0ccc' } },
        { messageId: 'unencryptedVolume', path: '/spec/csi/volumeHandle', resource: 'PersistentVolume data', data: { name: 'data', volume: 'vol-0aaa' } },
      ],
    },
    {
      name: 'an unencrypted device in a template version no node group launches from',
      aws: [describeCluster(), byDefault(false), describeNodegroup('general', { launchTemplate: { id: 'lt-0demo', version: '2' } }),
        launchTemplateVersions([{}, { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true } }] }, { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: {} }] }])],
      // Only the region's default is reported: version 3 launches no node.
      findings: [{ messageId: 'defaultOff', path: '', data: { cluster: 'demo', region: REGION } }],
    },
  ],
  notEvaluated: [
    { name: 'a dump without get-ebs-encryption-by-default output', aws: describeCluster(), reason: 'no aws ec2 get-ebs-encryption-by-default output' },
    { name: 'EBS PersistentVolumes and no describe-volumes output', aws: [describeCluster(), byDefault(true)], manifests: csiPv('data', 'vol-0aaa'), reason: 'no aws ec2 describe-volumes output' },
  ],
});
