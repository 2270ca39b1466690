import type { Report } from '../../core/finding.js';
import { apiGroupOf } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { findKeyIgnoringCase } from '../shared/go-bool.js';
import { isRecord } from '../shared/namespaces.js';

/** The EBS CSI driver, the in-tree EBS plugin (what EKS's own `gp2` class uses), and EKS Auto Mode's EBS driver. */
const EBS_PROVISIONERS: ReadonlySet<string> = new Set(['ebs.csi.aws.com', 'kubernetes.io/aws-ebs', 'ebs.csi.eks.amazonaws.com']);

export type MessageId = 'missingEncrypted' | 'notEncrypted' | 'setEncrypted';

export default defineRule({
  id: 'require-encrypted-storage-classes',
  meta: {
    area: 'data',
    severity: 'medium',
    docs: { description: 'Require EBS StorageClasses to provision encrypted volumes', controls: ['eks-bp:data-encryption'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      missingEncrypted: 'StorageClass "{{name}}" ({{provisioner}}) does not set parameters.encrypted: "true", so the EBS volumes it provisions are unencrypted unless EBS encryption by default is turned on for the account and region.',
      notEncrypted: 'StorageClass "{{name}}" ({{provisioner}}) sets parameters.{{key}}: "{{value}}", so the EBS volumes it provisions are not encrypted unless EBS encryption by default is turned on for the account and region.',
      setEncrypted: 'Set parameters.encrypted: "true" (StorageClass parameters cannot change in place: delete and recreate the StorageClass).',
    },
    rationale: 'An unencrypted EBS volume leaves the data of every PersistentVolume provisioned from the class readable from its snapshots and from the volume itself by anyone with EC2 access in the account, and it cannot be encrypted in place later: the data has to be copied to a new volume. The EKS Best Practices Guide says to encrypt data at rest, and "if unsure, encrypt".',
    remediation: 'Set parameters.encrypted: "true" (and optionally kmsKeyId to a customer managed KMS key) on every EBS StorageClass; StorageClass parameters are immutable, so delete and recreate the class. Replace the in-tree kubernetes.io/aws-ebs provisioner (EKS\'s gp2 class) with ebs.csi.aws.com. Turn on EBS encryption by default for the account and region as a backstop.',
    hasSuggestions: true,
    fix: 'review',
  },
  defaultOptions: {},
  create: () => ({
    *StorageClass(storageClass): Generator<Report<MessageId>, void, undefined> {
      const object = storageClass.object;
      if (apiGroupOf(object.apiVersion) !== 'storage.k8s.io') return;
      const provisioner: unknown = object.provisioner;
      if (typeof provisioner !== 'string' || !EBS_PROVISIONERS.has(provisioner)) return;
      const parameters = isRecord(object.parameters) ? object.parameters : {};
      // The EBS CSI driver matches parameter keys without regard to case but encrypts only on the
      // exact string "true" ("True" and "1" provision plain volumes); in-tree aws-ebs classes reach
      // it unchanged through CSI migration. A YAML boolean is the author's intent; the API server
      // refuses it (parameters are strings), so no volume is provisioned from it either way.
      const key = findKeyIgnoringCase(parameters, 'encrypted');
      const value = key === undefined ? undefined : parameters[key];
      if (value === 'true' || value === true) return;
      const data = { name: storageClass.ref.name, provisioner };
      if (key === undefined) {
        const path = ['parameters', 'encrypted'];
        yield { messageId: 'missingEncrypted', path, data, suggest: [{ messageId: 'setEncrypted', patch: [{ op: 'add', path, value: 'true' }] }] };
        return;
      }
      const path = ['parameters', key];
      yield {
        messageId: 'notEncrypted',
        path,
        data: { ...data, key, value: String(value) },
        // Replace the key as written, so no second, differently-cased `encrypted` key is left behind.
        suggest: [{ messageId: 'setEncrypted', patch: key === 'encrypted' ? [{ op: 'replace', path, value: 'true' }] : [{ op: 'remove', path }, { op: 'add', path: ['parameters', 'encrypted'], value: 'true' }] }],
      };
    },
  }),
});
