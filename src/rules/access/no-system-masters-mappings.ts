import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { describeMappedIdentity } from '../../core/aws-auth.js';
import { defineRule } from '../define-rule.js';
import { SHARED_SEVERITY } from '../../core/shared-severity.js';
import { awsAuthNotEvaluated, awsAuthOf, quoted } from '../shared/aws-auth.js';

export type MessageId = 'systemMastersMapping' | 'systemMastersAccessEntry' | 'clusterAdminAccessEntry';

const MASTERS = 'system:masters';
const CLUSTER_ADMIN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/** Access entries are judged whenever the AWS evidence holds them; aws-auth only where the input can show it. */
function notEvaluated(inventory: Inventory): string | undefined {
  if (inventory.aws?.collected('eks:ListAccessEntries') === true || inventory.aws?.collected('eks:DescribeAccessEntry') === true) return undefined;
  return awsAuthNotEvaluated(inventory);
}

export default defineRule({
  id: 'no-system-masters-mappings',
  meta: {
    area: 'access',
    severity: SHARED_SEVERITY.systemMastersMapping,
    docs: { description: 'Disallow IAM principals mapped into the system:masters group', controls: ['eks-bp:iam'] },
    evidence: ['manifests', 'cluster', 'aws'],
    messages: {
      systemMastersMapping: 'aws-auth {{key}} entry {{index}} maps {{identity}} (username {{username}}) into Group system:masters, which bypasses RBAC: whoever can assume it is a cluster administrator that no Role or binding can restrict.',
      systemMastersAccessEntry: 'Access entry for {{principal}} on cluster {{cluster}} puts it in Group system:masters, which bypasses RBAC: whoever can assume it is a cluster administrator that no Role or binding can restrict.',
      clusterAdminAccessEntry: 'Access entry for {{principal}} on cluster {{cluster}} has AmazonEKSClusterAdminPolicy cluster-wide: whoever can assume it is a cluster administrator that no Role or binding can restrict.',
    },
    rationale: 'Members of system:masters skip authorization altogether: no RBAC rule applies to them and none can be revoked. Every IAM principal mapped there is a permanent, unrestricted cluster administrator, and anyone who can assume it (or obtain its credentials) is one too. Cluster administration should go through a narrow set of audited identities with scoped permissions.',
    remediation: 'Map the principal to a group bound to the least-privileged role it needs, then remove system:masters from its groups in aws-auth. For access entries, associate a scoped access policy (AmazonEKSAdminPolicy or AmazonEKSEditPolicy on namespaces) instead of cluster-wide AmazonEKSClusterAdminPolicy. Keep cluster administration to a break-glass role, exempted by its ARN in eksguard.yaml.',
  },
  defaultOptions: {},
  notEvaluated,
  create: () => ({
    *ConfigMap(configMap, inventory): Generator<Report<MessageId>> {
      const awsAuth = awsAuthOf(configMap, inventory);
      if (awsAuth === undefined) return;
      for (const mapping of [...awsAuth.roles, ...awsAuth.users]) {
        if (!mapping.groups.includes(MASTERS)) continue;
        yield {
          messageId: 'systemMastersMapping',
          path: ['data', mapping.key],
          data: { key: mapping.key, index: mapping.index, identity: describeMappedIdentity(mapping), username: quoted(mapping.username) },
        };
      }
    },
    *'aws:eks:access-entry'(target, inventory): Generator<Report<MessageId>> {
      const entry = target.data;
      const data = { principal: entry.principalArn ?? '', cluster: entry.clusterName ?? '' };
      for (const [index, group] of (entry.kubernetesGroups ?? []).entries()) {
        if (group === MASTERS) yield { messageId: 'systemMastersAccessEntry', path: ['kubernetesGroups', index], data };
      }
      const policies = inventory.aws?.accessPoliciesOf(entry.clusterName, entry.principalArn) ?? [];
      if (policies.some((p) => p.policyArn === CLUSTER_ADMIN && p.accessScope?.type === 'cluster')) {
        yield { messageId: 'clusterAdminAccessEntry', path: ['principalArn'], data };
      }
    },
  }),
});
