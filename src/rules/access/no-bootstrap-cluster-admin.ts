import type { EksAccessEntry, EksCluster } from '../../core/aws/model.js';
import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { defineRule } from '../define-rule.js';
import { clusterName } from '../shared/aws.js';

export type MessageId = 'bootstrapAdminEntry' | 'bootstrapAdminUnverified';

const CLUSTER_ADMIN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
/** EKS creates the creator's access entry with the cluster: within minutes of its createdAt. */
const BOOTSTRAP_WINDOW_MS = 15 * 60 * 1000;

/** The creator's access entry, if it is still there: a STANDARD entry created with the cluster that holds cluster-wide AmazonEKSClusterAdminPolicy. */
function creatorEntry(cluster: EksCluster, inventory: Inventory): EksAccessEntry | undefined {
  const aws = inventory.aws;
  const created = Date.parse(cluster.createdAt ?? '');
  if (aws === undefined || Number.isNaN(created)) return undefined;
  return aws.evidence.eks.accessEntries.map((e) => e.data).find((entry) => {
    if (entry.clusterName !== undefined && entry.clusterName !== cluster.name) return false;
    if ((entry.type ?? 'STANDARD') !== 'STANDARD') return false;
    const at = Date.parse(entry.createdAt ?? '');
    if (Number.isNaN(at) || Math.abs(at - created) > BOOTSTRAP_WINDOW_MS) return false;
    // Without list-associated-access-policies output, the entry made with the cluster is taken to be the creator's, unchanged.
    if (!aws.collected('eks:ListAssociatedAccessPolicies')) return true;
    return aws.accessPoliciesOf(cluster.name, entry.principalArn).some((p) => p.policyArn === CLUSTER_ADMIN && p.accessScope?.type === 'cluster');
  });
}

export default defineRule({
  id: 'no-bootstrap-cluster-admin',
  meta: {
    area: 'access',
    severity: 'medium',
    docs: { description: 'Disallow the cluster creator\'s automatic cluster-admin access', controls: ['eks-bp:iam'] },
    evidence: ['aws'],
    messages: {
      bootstrapAdminEntry: 'Cluster {{cluster}} still gives its creator {{principal}} cluster-wide AmazonEKSClusterAdminPolicy through the access entry EKS made at creation (bootstrapClusterCreatorAdminPermissions: true).',
      bootstrapAdminUnverified: 'Cluster {{cluster}} was created with bootstrapClusterCreatorAdminPermissions: true, which makes its creator a cluster administrator; the evidence holds no access entries to show that this entry was removed since.',
    },
    rationale: 'With bootstrapClusterCreatorAdminPermissions, whoever created the cluster (often a CI role or a person\'s SSO role) becomes a permanent cluster administrator that no RBAC object shows. The guide asks to remove that access and grant administration deliberately, to named break-glass roles.',
    remediation: 'Create access entries for the real administrators, then delete the creator\'s access entry (aws eks delete-access-entry --cluster-name CLUSTER --principal-arn ARN). Create new clusters with bootstrapClusterCreatorAdminPermissions=false.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:eks:cluster'(target, inventory): Generator<Report<MessageId>> {
      if (target.data.accessConfig?.bootstrapClusterCreatorAdminPermissions !== true) return;
      const cluster = clusterName(target.data);
      const path = ['accessConfig', 'bootstrapClusterCreatorAdminPermissions'];
      if (inventory.aws?.collected('eks:ListAccessEntries') !== true) {
        // On CONFIG_MAP clusters the creator's mapping is invisible; so it is when entries were not read.
        yield { messageId: 'bootstrapAdminUnverified', path, data: { cluster } };
        return;
      }
      const entry = creatorEntry(target.data, inventory);
      if (entry !== undefined) yield { messageId: 'bootstrapAdminEntry', path, data: { cluster, principal: entry.principalArn ?? '' } };
    },
  }),
});
