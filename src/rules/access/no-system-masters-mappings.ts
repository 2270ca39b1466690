import type { Report } from '../../core/finding.js';
import { describeMappedIdentity } from '../../core/aws-auth.js';
import { defineRule } from '../define-rule.js';
import { awsAuthNotEvaluated, awsAuthOf, quoted } from '../shared/aws-auth.js';

export type MessageId = 'systemMastersMapping';

const MASTERS = 'system:masters';

export default defineRule({
  id: 'no-system-masters-mappings',
  meta: {
    area: 'access',
    severity: 'high',
    docs: { description: 'Disallow IAM principals mapped into the system:masters group', controls: ['eks-bp:iam'] },
    evidence: ['manifests', 'cluster', 'aws'],
    messages: {
      systemMastersMapping: 'aws-auth {{key}} entry {{index}} maps {{identity}} (username {{username}}) into Group system:masters, which bypasses RBAC: whoever can assume it is a cluster administrator that no Role or binding can restrict.',
    },
    rationale: 'Members of system:masters skip authorization altogether: no RBAC rule applies to them and none can be revoked. Every IAM principal mapped there is a permanent, unrestricted cluster administrator, and anyone who can assume it (or obtain its credentials) is one too. Cluster administration should go through a narrow set of audited identities with scoped permissions.',
    remediation: 'Map the principal to a group bound to the least-privileged role it needs (or, for real administrators, use an EKS access entry with AmazonEKSClusterAdminPolicy on a break-glass role), then remove system:masters from its groups in aws-auth.',
  },
  defaultOptions: {},
  notEvaluated: awsAuthNotEvaluated,
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
  }),
});
