import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { awsAuthNotEvaluated, awsAuthOf, quoted } from '../shared/aws-auth.js';

export type MessageId = 'iamUser';

export default defineRule({
  id: 'no-iam-users-in-aws-auth',
  meta: {
    area: 'access',
    severity: 'medium',
    docs: { description: 'Disallow IAM users mapped in the aws-auth ConfigMap', controls: ['eks-bp:iam'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      iamUser: 'aws-auth mapUsers entry {{index}} maps IAM user {{identity}} (username {{username}}, groups {{groups}}): a long-lived access key now opens the cluster.',
    },
    rationale: 'An IAM user signs in with long-lived access keys, which leak and are rarely rotated; each mapped user is one more credential to revoke when someone leaves, and the mappings grow with the team. The EKS Best Practices Guide asks to map an IAM role that people assume, so access is granted and revoked in IAM and every session is short-lived.',
    remediation: 'Create an IAM role for the access level, let the users assume it, map the role in mapRoles (with {{SessionName}} in the username so audit logs still name the person) or, better, through an EKS access entry, and remove the mapUsers entry.',
  },
  defaultOptions: {},
  notEvaluated: awsAuthNotEvaluated,
  create: () => ({
    *ConfigMap(configMap, inventory): Generator<Report<MessageId>> {
      const awsAuth = awsAuthOf(configMap, inventory);
      if (awsAuth === undefined) return;
      for (const mapping of awsAuth.users) {
        yield {
          messageId: 'iamUser',
          path: ['data', 'mapUsers'],
          data: { index: mapping.index, identity: mapping.userarn, username: quoted(mapping.username), groups: mapping.groups.length > 0 ? mapping.groups.join(', ') : '(none)' },
        };
      }
    },
  }),
});
