import type { Report } from '../../core/finding.js';
import { apiGroupOf } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { findKeyIgnoringCase, parseGoBool } from '../shared/go-bool.js';
import { isRecord } from '../shared/namespaces.js';

const EFS_CSI_DRIVER = 'efs.csi.aws.com';
/** An EFS DNS name, `fs-<id>.efs.<region>.amazonaws.com` (optionally `<az>.` in front; `.com.cn` in China). */
const EFS_HOST = /(?:^|\.)fs-[0-9a-f]+\.efs\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\.?$/i;

export type MessageId = 'tlsDisabled' | 'plainNfs' | 'addTls';

export default defineRule({
  id: 'require-efs-encryption-in-transit',
  meta: {
    area: 'data',
    severity: 'low',
    docs: { description: 'Require EFS volumes to be mounted with TLS', controls: ['eks-bp:data-encryption'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      tlsDisabled: 'PersistentVolume "{{name}}" sets volumeAttributes.{{key}}: "{{value}}" for EFS volume {{volume}} and has no tls mount option, so the EFS CSI driver mounts it without TLS and NFS traffic crosses the network unencrypted.',
      plainNfs: '{{what}} mounts EFS file system {{server}} as a plain NFS volume, which cannot use TLS: NFS traffic to it crosses the network unencrypted.',
      addTls: 'Add tls to spec.mountOptions.',
    },
    rationale: 'EFS is reached over NFS across the VPC; without TLS, file contents and metadata travel in clear text between the node and the mount target. The EFS CSI driver (through efs-utils) wraps the mount in TLS unless told not to; a plain NFS mount of the same file system cannot.',
    remediation: 'Mount EFS through the EFS CSI driver with encryption in transit: leave volumeAttributes.encryptInTransit unset or "true", or add tls to the PersistentVolume\'s mountOptions (mutable in place). Replace plain nfs volumes that point at an EFS DNS name with EFS CSI PersistentVolumes. Enforce it on the file system with a policy denying access where aws:SecureTransport is false.',
    hasSuggestions: true,
    fix: 'review',
  },
  defaultOptions: {},
  create: () => ({
    *PersistentVolume(volume): Generator<Report<MessageId>, void, undefined> {
      if (apiGroupOf(volume.object.apiVersion) !== '') return;
      const spec = volume.object.spec;
      if (!isRecord(spec)) return;
      const name = volume.ref.name;
      const nfs = spec.nfs;
      if (isRecord(nfs) && typeof nfs.server === 'string' && EFS_HOST.test(nfs.server)) {
        yield { messageId: 'plainNfs', path: ['spec', 'nfs', 'server'], data: { what: `PersistentVolume "${name}"`, server: nfs.server } };
        return;
      }
      const csi = spec.csi;
      if (!isRecord(csi) || csi.driver !== EFS_CSI_DRIVER) return;
      // The driver adds the PV's mount options to its own, so `tls` there wins over encryptInTransit.
      const mountOptions: unknown = spec.mountOptions;
      if (Array.isArray(mountOptions) && mountOptions.includes('tls')) return;
      const attributes = isRecord(csi.volumeAttributes) ? csi.volumeAttributes : {};
      const key = findKeyIgnoringCase(attributes, 'encryptInTransit');
      // Unset means TLS: the driver defaults encryptInTransit to true. An unparsable value fails the mount.
      if (key === undefined || parseGoBool(attributes[key]) !== false) return;
      const value = attributes[key];
      const patch = Array.isArray(mountOptions)
        ? [{ op: 'add' as const, path: ['spec', 'mountOptions', '-'], value: 'tls' }]
        : [{ op: 'add' as const, path: ['spec', 'mountOptions'], value: ['tls'] }];
      yield {
        messageId: 'tlsDisabled',
        path: ['spec', 'csi', 'volumeAttributes', key],
        data: { name, key, value: String(value), volume: typeof csi.volumeHandle === 'string' ? csi.volumeHandle : '(no volumeHandle)' },
        suggest: [{ messageId: 'addTls', patch }],
      };
    },
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      const volumes: unknown = workload.podSpec.volumes;
      if (!Array.isArray(volumes)) return out;
      // By index: most volumes are not NFS, and `entries()` made an iterator and a pair for each.
      for (let index = 0; index < volumes.length; index += 1) {
        const volume: unknown = volumes[index];
        if (!isRecord(volume) || !isRecord(volume.nfs)) continue;
        const server = volume.nfs.server;
        if (typeof server !== 'string' || !EFS_HOST.test(server)) continue;
        const label = typeof volume.name === 'string' ? volume.name : String(index);
        out.push({ messageId: 'plainNfs', path: [...workload.podSpecPath, 'volumes', index, 'nfs', 'server'], data: { what: `Volume "${label}" of the pod spec`, server } });
      }
      return out;
    },
  }),
});
