import { PERSISTENT_VOLUME_CREATION } from '../../rbac/risk-catalogue.js';
import { defineRule } from '../define-rule.js';
import { definedPermission, permissionHandlers, rbacNotEvaluated } from '../shared/rbac-permissions.js';

export type MessageId = 'createPersistentVolumes' | 'createPersistentVolumesViaBinding';

/** The risk catalogue's definition, shared with `eksguard rbac risky`. */
export const persistentVolumeCreation = definedPermission([PERSISTENT_VOLUME_CREATION]);

export default defineRule({
  id: 'restrict-persistent-volume-creation',
  meta: {
    area: 'rbac',
    severity: 'high',
    docs: { description: 'Restrict create on PersistentVolumes', controls: ['eks-bp:iam', 'cis-eks:4.1.9'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      createPersistentVolumes: 'Rule allows {{grants}}{{from}}: a PersistentVolume names its own storage, so its holders can create a hostPath volume onto any node directory and mount it through a claim, past the pod-level controls that forbid hostPath; {{grantees}}.',
      createPersistentVolumesViaBinding: '{{binding}} gives {{subjects}} {{grants}} through {{role}}.',
    },
    rationale: 'PersistentVolumes are cluster-scoped and say where their storage is. A hostPath PersistentVolume bound through a PersistentVolumeClaim mounts a node directory into a pod whose spec shows only a claim, so Pod Security Standards and hostPath policies on pods do not see it. Volumes should come from StorageClasses through dynamic provisioning; creating them by hand is an administrator\'s job (CIS EKS 4.1.9).',
    remediation: 'Remove create on persistentvolumes from the role; let workloads get volumes through PersistentVolumeClaims and StorageClasses, and keep static PersistentVolume creation with cluster administrators.',
  },
  defaultOptions: {},
  notEvaluated: rbacNotEvaluated,
  create: () => permissionHandlers<MessageId>(persistentVolumeCreation, 'createPersistentVolumes', 'createPersistentVolumesViaBinding'),
});
