import type { Report } from '../../core/finding.js';
import { RESTRICTED_VOLUME_SOURCES, volumeSourceOf } from '../../core/pod-security-standards.js';
import { defineRule } from '../define-rule.js';
import { asRecord } from '../shared/profiles.js';

type MessageId = 'volumeType';

export default defineRule({
  id: 'restrict-volume-types',
  meta: {
    area: 'workload',
    severity: 'low',
    docs: { description: 'Restrict volumes to the types the restricted Pod Security Standard allows', controls: ['pss-restricted:restrictedVolumes', 'eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      volumeType: 'Volume "{{volume}}" is of type {{type}}, which the restricted Pod Security Standard does not allow.',
    },
    rationale: 'The restricted standard allows only volume types whose storage Kubernetes manages and isolates per pod (configMap, secret, projected, downwardAPI, emptyDir, ephemeral, image, CSI and PersistentVolumeClaims). Other types reach into the node (hostPath) or let the pod spec name network storage and credentials directly, bypassing the PersistentVolume and StorageClass controls administrators set.',
    remediation: 'Replace the volume with an allowed type: a PersistentVolumeClaim (backed by a CSI StorageClass) for storage, configMap, secret or projected volumes for configuration, emptyDir for scratch space.',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      const volumes = workload.podSpec.volumes;
      if (!Array.isArray(volumes)) return out;
      for (let i = 0; i < volumes.length; i += 1) {
        const volume = asRecord(volumes[i]);
        if (volume === undefined) continue;
        // A volume without a source is defaulted to emptyDir by the API server, and so passes.
        const type = volumeSourceOf(volume);
        if (RESTRICTED_VOLUME_SOURCES.has(type)) continue;
        const name = typeof volume.name === 'string' && volume.name !== '' ? volume.name : `volumes[${i}]`;
        out.push({ messageId: 'volumeType', path: [...workload.podSpecPath, 'volumes', i, type], data: { volume: name, type } });
      }
      return out;
    },
  }),
});
