import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { apiGroupOf } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { NOT_WHOLE_CLUSTER, isWholeClusterView } from '../shared/cluster-view.js';
import { isRecord } from '../shared/namespaces.js';

export type MessageId = 'noExternalStore';

const CSI_DRIVER = 'secrets-store.csi.k8s.io';

/** What brings Secrets from an external store into the cluster, in words; empty when nothing. */
function storesOf(inventory: Inventory): readonly string[] {
  const found: string[] = [];
  const providers = inventory.ofKind('SecretProviderClass').filter((s) => apiGroupOf(s.object.apiVersion) === 'secrets-store.csi.x-k8s.io');
  const aws = providers.filter((s) => isRecord(s.object.spec) && s.object.spec.provider === 'aws');
  if (aws.length > 0) found.push(`${aws.length} SecretProviderClass(es) of the AWS provider (Secrets Manager / Parameter Store)`);
  else if (providers.length > 0) found.push(`${providers.length} SecretProviderClass(es) of the Secrets Store CSI driver`);
  const eso = ['ExternalSecret', 'ClusterSecretStore', 'SecretStore'].flatMap((kind) => inventory.ofKind(kind)).filter((o) => apiGroupOf(o.object.apiVersion) === 'external-secrets.io');
  if (eso.length > 0) found.push(`${eso.length} External Secrets Operator object(s)`);
  const mounting = inventory.workloads.filter((w) => Array.isArray(w.podSpec.volumes) && w.podSpec.volumes.some((v) => isRecord(v.csi) && v.csi.driver === CSI_DRIVER));
  if (found.length === 0 && mounting.length > 0) found.push(`${mounting.length} workload(s) mounting Secrets Store CSI volumes`);
  return found;
}

export default defineRule({
  id: 'require-external-secrets-store',
  meta: {
    area: 'data',
    severity: 'info',
    docs: { description: 'Require Secrets to come from an external secrets store', controls: ['eks-bp:data-encryption-and-secrets', 'cis-eks:4.4.2'] },
    evidence: ['manifests', 'cluster'],
    reads: ['SecretProviderClass', 'ExternalSecret', 'ClusterSecretStore', 'SecretStore'],
    messages: {
      noExternalStore: 'No external secrets store feeds this cluster: no Secrets Store CSI driver SecretProviderClass (AWS provider) and no External Secrets Operator objects, so every credential is created and rotated as a plain Kubernetes Secret.',
    },
    rationale: 'Kubernetes Secrets are only base64-encoded in etcd (envelope-encrypted with KMS on EKS when configured), readable by anyone with get on Secrets in their namespace, and rotated by hand. Keeping the source of truth in AWS Secrets Manager or Parameter Store gives audited access, automatic rotation and one place to revoke; the Secrets Store CSI driver (AWS provider) or the External Secrets Operator bring them into pods.',
    remediation: 'Install the Secrets Store CSI driver with the AWS provider (ASCP) or the External Secrets Operator, keep credentials in AWS Secrets Manager or Parameter Store, and reference them through SecretProviderClasses or ExternalSecrets.',
  },
  defaultOptions: {},
  notEvaluated: (inventory) => (isWholeClusterView(inventory) ? undefined : NOT_WHOLE_CLUSTER),
  create: () => ({
    // One finding per cluster, on kube-system.
    *namespace(target, inventory): Generator<Report<MessageId>> {
      if (target.name !== 'kube-system' || !isWholeClusterView(inventory) || storesOf(inventory).length > 0) return;
      yield { messageId: 'noExternalStore', path: [] };
    },
  }),
});
